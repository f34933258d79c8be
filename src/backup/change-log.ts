// The change log: every committed item mutation, appended inside the write's own transaction
// (one extra put per item written), keyed so that "all changes of table T after position p" is
// one range scan (docs/KEYS.md, space 20). It is the one source for point-in-time recovery,
// consistent backups, DynamoDB Streams (src/streams/) and incremental exports.
//
// A position is (commit ms, sequence). Positions are strictly increasing per table and their
// milliseconds never go backwards, even if the clock does. Every change written by one
// synchronous transaction body shares one millisecond, so a restore to any time sees a
// transaction or batch whole or not at all.
import type { Item } from '../model/attribute-value.js';
import type { KvStore, KvTransaction } from '../storage/index.js';
import type { Clock } from '../engine/database.js';
import { changeLogKey, changeLogTableRange, decodeChangeLogKey, itemKeySuffixOffset } from '../engine/storage-keys.js';

export interface LogPosition {
  commitMs: number;
  sequence: number;
}

/** Who made a change: a client request, or the service itself (TTL expiry). */
export type ChangeOrigin = 'user' | 'ttl';

/** Flag bits of a change record. */
const ttlDeletionFlag = 1;

/** What the log stores per change: the item's key suffix (its storage key after space and table), old and new images. */
export type StoredChange = [keySuffix: Buffer, oldImage: Item | null, newImage: Item | null, flags: number];

export interface Change {
  position: LogPosition;
  /** The item's storage key after the space tag and table number (`00 | digest | sort key`). */
  keySuffix: Buffer;
  oldImage: Item | undefined;
  newImage: Item | undefined;
  origin: ChangeOrigin;
}

const sequenceMax = 0xffffffff;

/** The position after every change committed at or before `commitMs`. */
export function endOfMs(commitMs: number): LogPosition {
  return { commitMs, sequence: sequenceMax };
}

export function comparePositions(a: LogPosition, b: LogPosition): number {
  return a.commitMs - b.commitMs || a.sequence - b.sequence;
}

/** Hands out positions and appends changes; one per database (the catalog owns it). */
export class ChangeLogWriter {
  /** Last position handed out per table number; loaded from the log on a table's first write. */
  private readonly cursors = new Map<number, LogPosition>();
  private turnMs: number | undefined;

  constructor(private readonly clock: Clock) {}

  /** Appends one change of `storageKey` inside `tx`; returns its position. */
  append(tx: KvTransaction, tableNumber: number, storageKey: Buffer, oldImage: Item | undefined, newImage: Item | undefined, origin: ChangeOrigin): LogPosition {
    const position = this.next(tx, tableNumber);
    const record: StoredChange = [storageKey.subarray(itemKeySuffixOffset), oldImage ?? null, newImage ?? null, origin === 'ttl' ? ttlDeletionFlag : 0];
    tx.put(changeLogKey(tableNumber, position.commitMs, position.sequence), record);
    return position;
  }

  /**
   * The last position of a table; call inside a transaction. Once that transaction has
   * committed, every change at or before the returned position is committed too (LMDB
   * commits in order), which makes it a consistent cut for backups.
   */
  lastPosition(tx: KvTransaction, tableNumber: number): LogPosition {
    return this.cursor(tx, tableNumber);
  }

  /** Forgets a dropped table's cursor. */
  forget(tableNumber: number): void {
    this.cursors.delete(tableNumber);
  }

  private next(tx: KvTransaction, tableNumber: number): LogPosition {
    const last = this.cursor(tx, tableNumber);
    const commitMs = Math.max(this.commitMs(), last.commitMs);
    const next = commitMs === last.commitMs ? { commitMs, sequence: last.sequence + 1 } : { commitMs, sequence: 0 };
    this.cursors.set(tableNumber, next);
    return next;
  }

  private cursor(tx: KvTransaction, tableNumber: number): LogPosition {
    let cursor = this.cursors.get(tableNumber);
    if (!cursor) {
      cursor = { commitMs: 0, sequence: 0 };
      for (const { key } of tx.range({ ...changeLogTableRange(tableNumber), reverse: true, limit: 1 })) {
        const decoded = decodeChangeLogKey(key);
        cursor = { commitMs: decoded.commitMs, sequence: decoded.sequence };
      }
      this.cursors.set(tableNumber, cursor);
    }
    return cursor;
  }

  /**
   * One clock reading per synchronous turn: a transaction body runs without yielding, so
   * every change it writes gets the same millisecond (microtasks run only after it returns).
   */
  private commitMs(): number {
    if (this.turnMs === undefined) {
      this.turnMs = this.clock.now();
      queueMicrotask(() => (this.turnMs = undefined));
    }
    return this.turnMs;
  }
}

export function decodeChange(key: Buffer, value: unknown): Change {
  const [keySuffix, oldImage, newImage, flags] = value as StoredChange;
  const { commitMs, sequence } = decodeChangeLogKey(key);
  return {
    position: { commitMs, sequence },
    keySuffix: Buffer.from(keySuffix),
    oldImage: oldImage ?? undefined,
    newImage: newImage ?? undefined,
    origin: flags & ttlDeletionFlag ? 'ttl' : 'user',
  };
}

/** Changes of a table after `after` up to and including `until`, oldest first. */
export function* readChanges(store: KvStore, tableNumber: number, after: LogPosition, until: LogPosition = endOfMs(Number.MAX_SAFE_INTEGER)): Iterable<Change> {
  const { start, end } = keysBetween(tableNumber, after, until);
  if (Buffer.compare(start, end) >= 0) return;
  for (const { key, value } of store.range({ start, end })) yield decodeChange(key, value);
}

/** The position of a table's last committed change after `after` up to and including `until`, if any (streams' LATEST). */
export function lastChangePosition(store: KvStore, tableNumber: number, after: LogPosition, until: LogPosition = endOfMs(Number.MAX_SAFE_INTEGER)): LogPosition | undefined {
  const { start, end } = keysBetween(tableNumber, after, until);
  if (Buffer.compare(start, end) >= 0) return undefined;
  for (const { key } of store.range({ start, end, reverse: true, limit: 1 })) {
    const { commitMs, sequence } = decodeChangeLogKey(key);
    return { commitMs, sequence };
  }
  return undefined;
}

/** The log keys of the positions after `after` up to and including `until`: [start, end). */
function keysBetween(tableNumber: number, after: LogPosition, until: LogPosition): { start: Buffer; end: Buffer } {
  const start = after.sequence === sequenceMax ? changeLogKey(tableNumber, after.commitMs + 1, 0) : changeLogKey(tableNumber, after.commitMs, after.sequence + 1);
  const end = until.sequence === sequenceMax ? changeLogKey(tableNumber, until.commitMs + 1, 0) : changeLogKey(tableNumber, until.commitMs, until.sequence + 1);
  return { start, end };
}
