// Reading the audit trail back from disk: audit.log and its rotations (audit.log.1 is the
// newest rotated file), oldest record first, one JSON object per line. A line that does not
// parse (a write cut short by a crash) is skipped and counted.
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { AuditRecord } from './audit.js';

/** The trail's files, oldest first: the rotations by decreasing number, then the live file. */
export async function auditFiles(file: string): Promise<string[]> {
  const folder = dirname(file);
  const name = basename(file);
  let entries: string[];
  try {
    entries = await readdir(folder);
  } catch {
    return [];
  }
  const rotations = entries
    .map((entry) => ({ entry, index: entry.startsWith(`${name}.`) ? Number(entry.slice(name.length + 1)) : NaN }))
    .filter(({ index }) => Number.isSafeInteger(index) && index >= 1)
    .sort((a, b) => b.index - a.index)
    .map(({ entry }) => join(folder, entry));
  return entries.includes(name) ? [...rotations, file] : rotations;
}

/** Every line of the trail, oldest first: a record, or undefined for a line that is not one. */
export async function* readAuditLines(file: string): AsyncGenerator<AuditRecord | undefined> {
  for (const path of await auditFiles(file)) {
    const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
    for await (const line of lines) if (line.trim() !== '') yield parseRecord(line);
  }
}

/** A fixed-size window over the newest records seen: memory is bounded by the limit, whatever the trail's size. */
export class NewestRecords {
  private readonly ring: AuditRecord[] = [];
  private next = 0;

  constructor(private readonly limit: number) {}

  add(record: AuditRecord): void {
    if (this.ring.length < this.limit) this.ring.push(record);
    else {
      this.ring[this.next] = record;
      this.next = (this.next + 1) % this.limit;
    }
  }

  /** Oldest first. */
  records(): AuditRecord[] {
    return this.ring.length < this.limit ? [...this.ring] : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
  }
}

function parseRecord(line: string): AuditRecord | undefined {
  try {
    const value: unknown = JSON.parse(line);
    if (value === null || typeof value !== 'object') return undefined;
    const record = value as Partial<AuditRecord>;
    if (typeof record.time !== 'string' || typeof record.principal !== 'string' || typeof record.action !== 'string' || typeof record.decision !== 'string') {
      return undefined;
    }
    return record as AuditRecord;
  } catch {
    return undefined;
  }
}
