// The storage contract: an ordered key-value store with serializable transactions.
// Everything durable lives behind it; the DynamoDB data model is encoded into its keys
// (docs/KEYS.md). Implementations are picked once at startup.

export interface KvEntry {
  key: Buffer;
  value: unknown;
}

export interface RangeOptions {
  /** Inclusive lower bound (upper bound when reverse). */
  start: Buffer;
  /** Exclusive upper bound (lower bound when reverse). */
  end: Buffer;
  reverse?: boolean;
  limit?: number;
}

/** Reads and writes inside one transaction. */
export interface KvTransaction {
  get(key: Buffer): unknown;
  range(options: RangeOptions): Iterable<KvEntry>;
  put(key: Buffer, value: unknown): void;
  delete(key: Buffer): void;
}

export interface KvStore {
  /** Reads the latest committed value. */
  get(key: Buffer): unknown;
  /** Iterates over a consistent snapshot. */
  range(options: RangeOptions): Iterable<KvEntry>;
  /**
   * Runs `body` synchronously inside one serializable write transaction and resolves
   * with its result once the commit is durable. The body must finish every check
   * before its first write: a body that throws after writing is a bug (the engine
   * keeps that order), because the embedded engine commits what was written.
   */
  transact<T>(body: (tx: KvTransaction) => T): Promise<T>;
  close(): Promise<void>;
}
