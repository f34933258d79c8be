// What the export and import catalogs share: their job records, kept in memory by ARN, loaded
// from the job's key space at startup and written through to the store on every change.
import type { Database } from '../engine/database.js';
import type { RangeOptions } from '../storage/index.js';

/** The fields every job record has; times in ms. */
export interface JobRecord {
  tableArn: string;
  status: string;
  startMs: number;
  endMs?: number;
}

/** Where one kind of job keeps its records in the store. */
export interface JobKeys<R> {
  range: RangeOptions;
  arnOf(record: R): string;
  keyOf(arn: string): Buffer;
}

export class JobCatalog<R extends JobRecord> {
  protected readonly records = new Map<string, R>();

  constructor(
    protected readonly db: Database,
    private readonly keys: JobKeys<R>,
  ) {
    for (const { value } of db.store.range(keys.range)) {
      const record = value as R;
      this.records.set(keys.arnOf(record), record);
    }
  }

  get(arn: string): R | undefined {
    return this.records.get(arn);
  }

  all(): R[] {
    return [...this.records.values()];
  }

  /**
   * A page of jobs, newest first (reverse ARN order, which is by table, then time: DynamoDB API
   * reference), of one table or all, starting after `afterArn`; and whether more follow.
   */
  newestFirst(tableArn: string | undefined, afterArn: string | undefined, pageSize: number): { page: R[]; more: boolean } {
    const arnOf = this.keys.arnOf;
    const matching = this.all()
      .filter((record) => tableArn === undefined || record.tableArn === tableArn)
      .sort((a, b) => (arnOf(a) < arnOf(b) ? 1 : arnOf(a) > arnOf(b) ? -1 : 0))
      .filter((record) => afterArn === undefined || arnOf(record) < afterArn);
    return { page: matching.slice(0, pageSize), more: matching.length > pageSize };
  }

  inProgress(): number {
    let count = 0;
    for (const record of this.records.values()) if (record.status === 'IN_PROGRESS') count++;
    return count;
  }

  /** Stores a new or changed record; it is listed once stored. */
  protected async save(record: R): Promise<void> {
    const arn = this.keys.arnOf(record);
    await this.db.store.transact((tx) => tx.put(this.keys.keyOf(arn), record));
    this.records.set(arn, record);
  }

  /** Ends a job with `change`; its endMs is now, but never before its start (the clock is injected). */
  protected async finish(record: R, change: Partial<R>): Promise<void> {
    Object.assign(record, { endMs: Math.max(this.db.clock.now(), record.startMs) }, change);
    await this.save(record);
  }
}
