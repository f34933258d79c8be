// The audit trail: authorization decisions and IAM changes, as JSON lines appended to a file
// (<data-dir>/audit.log) and kept in a bounded in-memory ring for queries. Writing is
// asynchronous (a write stream); a request never waits for the disk.
import { createWriteStream, type WriteStream } from 'node:fs';
import { auditRingEntriesMax } from './limits.js';

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
  action?: string;
  decision?: AuditRecord['decision'];
  kind?: AuditRecord['kind'];
  /** Only records at or after this ISO time. */
  since?: string;
  limit?: number;
}

export class AuditLog {
  private readonly ring: (AuditRecord | undefined)[];
  private next = 0;
  private count = 0;
  private readonly stream: WriteStream | undefined;

  constructor(file: string | undefined, capacity = auditRingEntriesMax) {
    this.ring = new Array(capacity);
    this.stream = file === undefined ? undefined : createWriteStream(file, { flags: 'a', mode: 0o600 });
    this.stream?.on('error', () => {});
  }

  record(entry: AuditRecord): void {
    this.ring[this.next] = entry;
    this.next = (this.next + 1) % this.ring.length;
    if (this.count < this.ring.length) this.count++;
    this.stream?.write(JSON.stringify(entry) + '\n');
  }

  /** Matching records still in memory, oldest first. */
  query(filter: AuditQuery = {}): AuditRecord[] {
    const result: AuditRecord[] = [];
    const start = (this.next - this.count + this.ring.length) % this.ring.length;
    for (let i = 0; i < this.count; i++) {
      const entry = this.ring[(start + i) % this.ring.length]!;
      if (filter.principal !== undefined && entry.principal !== filter.principal) continue;
      if (filter.action !== undefined && entry.action.toLowerCase() !== filter.action.toLowerCase()) continue;
      if (filter.decision !== undefined && entry.decision !== filter.decision) continue;
      if (filter.kind !== undefined && entry.kind !== filter.kind) continue;
      if (filter.since !== undefined && entry.time < filter.since) continue;
      result.push(entry);
    }
    return filter.limit === undefined ? result : result.slice(-filter.limit);
  }

  async close(): Promise<void> {
    const stream = this.stream;
    if (stream === undefined) return;
    await new Promise<void>((resolve) => stream.end(resolve));
  }
}
