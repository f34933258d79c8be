// The audit trail: authorization decisions and IAM changes, as JSON lines appended to a file
// (<data-dir>/audit.log) and kept in a bounded in-memory ring for queries. Writing is
// asynchronous (a write stream); a request never waits for the disk. When the file would pass
// its size bound it is rotated: audit.log becomes audit.log.1, .1 becomes .2, ..., and the
// oldest beyond the number kept is removed (src/cli/audit.ts reads them all back).
import { createWriteStream, openSync, renameSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { auditFileBytesDefault, auditFilesKeptDefault, auditRingEntriesMax } from './limits.js';

export interface AuditRecord {
  /** ISO 8601 time. */
  time: string;
  /** "authorization" for decisions, "iam" for changes to identities and policies, "sts" for issued sessions. */
  kind: 'authorization' | 'iam' | 'sts';
  principal: string;
  action: string;
  resource: string;
  decision: 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
  /** The policy and statement that decided (absent for an implicit deny). */
  policy?: string;
  sid?: string;
  requestId?: string;
  sourceIp?: string;
}

export interface AuditQuery {
  principal?: string;
  /** The action, without regard to case ("dynamodb:GetItem"). */
  action?: string;
  /** One decision, or "Deny" for both kinds of deny. */
  decision?: AuditRecord['decision'] | 'Deny';
  kind?: AuditRecord['kind'];
  /** Only records at or after this time (ms since the epoch). */
  sinceMs?: number;
  /** Only records before this time (ms since the epoch). */
  untilMs?: number;
  /** The newest `limit` matching records (still oldest first). */
  limit?: number;
}

export interface AuditLogOptions {
  /** The JSON-lines file; undefined keeps the trail in memory only. */
  file?: string | undefined;
  /** Rotate before the file passes this many bytes (default 64 MiB). */
  fileBytesMax?: number;
  /** Rotated files kept besides the live one (default 5; 0 keeps none). */
  filesKept?: number;
  /** Records kept in memory for queries. */
  ringEntries?: number;
}

/** Whether a record passes a query's filters (the time bounds compare parsed times). */
export function auditMatches(entry: AuditRecord, filter: AuditQuery): boolean {
  if (filter.principal !== undefined && entry.principal !== filter.principal) return false;
  if (filter.action !== undefined && entry.action.toLowerCase() !== filter.action.toLowerCase()) return false;
  if (filter.decision === 'Deny') {
    if (entry.decision === 'Allow') return false;
  } else if (filter.decision !== undefined && entry.decision !== filter.decision) return false;
  if (filter.kind !== undefined && entry.kind !== filter.kind) return false;
  if (filter.sinceMs !== undefined || filter.untilMs !== undefined) {
    const ms = Date.parse(entry.time);
    if (filter.sinceMs !== undefined && !(ms >= filter.sinceMs)) return false;
    if (filter.untilMs !== undefined && !(ms < filter.untilMs)) return false;
  }
  return true;
}

/** The file names of a log and its rotations, oldest first: audit.log.N ... audit.log.1, audit.log. */
export function rotatedFileNames(file: string, kept: number): string[] {
  const names: string[] = [];
  for (let index = kept; index >= 1; index--) names.push(`${file}.${index}`);
  names.push(file);
  return names;
}

export class AuditLog {
  private readonly ring: (AuditRecord | undefined)[];
  private next = 0;
  private count = 0;
  private stream: WriteStream | undefined;
  private readonly file: string | undefined;
  private readonly fileBytesMax: number;
  private readonly filesKept: number;
  private fileBytes = 0;
  private readonly closing: Promise<void>[] = [];

  constructor(options: AuditLogOptions = {}) {
    this.ring = new Array(options.ringEntries ?? auditRingEntriesMax);
    this.file = options.file;
    this.fileBytesMax = options.fileBytesMax ?? auditFileBytesDefault;
    this.filesKept = options.filesKept ?? auditFilesKeptDefault;
    if (!(this.fileBytesMax >= 1) || !Number.isInteger(this.filesKept) || this.filesKept < 0) {
      throw new Error(`audit log: the size bound must be positive and the files kept a whole number (${this.fileBytesMax}, ${this.filesKept})`);
    }
    if (this.file !== undefined) {
      // Once, at start: how full the file already is.
      try {
        this.fileBytes = statSync(this.file).size;
      } catch {
        this.fileBytes = 0;
      }
      this.stream = this.open(this.file);
    }
  }

  /**
   * Opens the file now (synchronously: at start and at each rotation only), so that a rotation
   * renames the file the stream really writes to, even before the stream's first write.
   */
  private open(file: string): WriteStream {
    const stream = createWriteStream(file, { fd: openSync(file, 'a', 0o600) });
    stream.on('error', () => {});
    return stream;
  }

  record(entry: AuditRecord): void {
    this.ring[this.next] = entry;
    this.next = (this.next + 1) % this.ring.length;
    if (this.count < this.ring.length) this.count++;
    if (this.stream === undefined) return;
    const line = JSON.stringify(entry) + '\n';
    const bytes = Buffer.byteLength(line);
    if (this.fileBytes > 0 && this.fileBytes + bytes > this.fileBytesMax) this.rotate();
    this.stream?.write(line);
    this.fileBytes += bytes;
  }

  /**
   * Moves the files up one place and starts a new audit.log. The old stream keeps writing what
   * it buffered into the renamed file (same inode), so no line is lost or reordered. Renames are
   * synchronous but happen once per fileBytesMax of records.
   */
  private rotate(): void {
    const file = this.file!;
    const old = this.stream!;
    this.closing.push(new Promise<void>((resolve) => old.end(resolve)));
    if (this.filesKept === 0) rmSync(file, { force: true });
    else {
      rmSync(`${file}.${this.filesKept}`, { force: true });
      for (let index = this.filesKept - 1; index >= 1; index--) {
        try {
          renameSync(`${file}.${index}`, `${file}.${index + 1}`);
        } catch {
          // a missing rotation: nothing to move
        }
      }
      try {
        renameSync(file, `${file}.1`);
      } catch {
        // removed from under us: the new file starts the trail again
      }
    }
    try {
      this.stream = this.open(file);
    } catch {
      // The folder is gone: keep the trail in memory rather than fail requests.
      this.stream = undefined;
    }
    this.fileBytes = 0;
  }

  /** Matching records still in memory, oldest first. */
  query(filter: AuditQuery = {}): AuditRecord[] {
    const result: AuditRecord[] = [];
    const start = (this.next - this.count + this.ring.length) % this.ring.length;
    for (let i = 0; i < this.count; i++) {
      const entry = this.ring[(start + i) % this.ring.length]!;
      if (auditMatches(entry, filter)) result.push(entry);
    }
    return filter.limit === undefined ? result : result.slice(-filter.limit);
  }

  async close(): Promise<void> {
    const stream = this.stream;
    this.stream = undefined;
    if (stream !== undefined) await new Promise<void>((resolve) => stream.end(resolve));
    await Promise.all(this.closing);
  }
}
