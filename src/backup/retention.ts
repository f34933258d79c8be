// How long the change log is kept, and pruning it in the background.
//
// A table with point-in-time recovery keeps its recovery window (RecoveryPeriodInDays) plus
// a margin; a table without keeps only a minute. A table with a DynamoDB stream enabled, or
// disabled (or dropped) less than 24 hours ago, keeps at least the last 24 hours plus the margin,
// whichever window is longer. A dropped table's log is otherwise erased. Work in progress (a
// backup or restore reading the log from some position) pins that position so pruning waits for it.
// Pruning deletes a bounded batch per transaction, so writers never wait on it for long.
import type { Database } from '../engine/database.js';
import type { TableRecord } from '../engine/catalog.js';
import { changeLogKey, changeLogRange, changeLogTableRange, decodeChangeLogKey } from '../engine/storage-keys.js';
import { changeLogPruneBatchMax } from '../model/limits.js';

const dayMs = 24 * 60 * 60 * 1000;
/** Kept beyond the recovery window, so a restore to the window's first millisecond never races the pruner. */
export const pruneMarginMs = 60 * 1000;
/**
 * Kept for tables without point-in-time recovery: nothing is needed beyond work in progress
 * (which pins what it reads); the margin covers a backup pinning its position while a pass is
 * already under way.
 */
export const changeLogRetentionWithoutPitrMs = pruneMarginMs;

/** Positions in use by backups and restores in progress (memory only: none survive a restart). */
export class RetentionPins {
  private readonly pins = new Map<number, Map<symbol, number>>();

  /** Keeps every change of `tableNumber` from `commitMs` on until the returned function is called. */
  pin(tableNumber: number, commitMs: number): () => void {
    const id = Symbol();
    let table = this.pins.get(tableNumber);
    if (!table) this.pins.set(tableNumber, (table = new Map()));
    table.set(id, commitMs);
    return () => {
      table.delete(id);
      if (table.size === 0 && this.pins.get(tableNumber) === table) this.pins.delete(tableNumber);
    };
  }

  /** The earliest pinned millisecond of a table, if any. */
  earliest(tableNumber: number): number | undefined {
    const table = this.pins.get(tableNumber);
    if (!table) return undefined;
    return Math.min(...table.values());
  }
}

/**
 * The millisecond before which a table's changes may go (`Infinity`: all of them; `table` absent:
 * dropped). `streamRetainedFromMs`: the first millisecond the table's streams still need, if any.
 */
export function pruneCutoffMs(pins: RetentionPins, tableNumber: number, table: TableRecord | undefined, nowMs: number, streamRetainedFromMs?: number): number {
  let cutoff = Infinity;
  if (table) {
    const pitr = table.pointInTimeRecovery;
    cutoff = pitr ? nowMs - pitr.recoveryPeriodInDays * dayMs - pruneMarginMs : nowMs - changeLogRetentionWithoutPitrMs;
  }
  if (streamRetainedFromMs !== undefined) cutoff = Math.min(cutoff, streamRetainedFromMs - pruneMarginMs);
  const pinned = pins.earliest(tableNumber);
  return pinned === undefined ? cutoff : Math.min(cutoff, pinned);
}

/** One pruning pass over every table's log; returns how many records it deleted. */
export async function pruneChangeLog(db: Database, pins: RetentionPins): Promise<number> {
  const nowMs = db.clock.now();
  const live = db.catalog.byNumber();
  // Streams closed 24 hours ago go first, so their tables' changes are no longer held below.
  await db.catalog.streams.purgeExpired(nowMs);
  let deleted = 0;
  let cursor: Buffer = changeLogRange.start;
  for (;;) {
    let tableNumber: number | undefined;
    for (const { key } of db.store.range({ start: cursor, end: changeLogRange.end, limit: 1 })) tableNumber = decodeChangeLogKey(key).tableNumber;
    if (tableNumber === undefined) return deleted;
    const cutoff = pruneCutoffMs(pins, tableNumber, live.get(tableNumber), nowMs, db.catalog.streams.retainedFromMs(tableNumber, nowMs));
    const range = changeLogTableRange(tableNumber);
    const end = cutoff === Infinity ? range.end : changeLogKey(tableNumber, Math.max(0, cutoff), 0);
    deleted += await deleteRange(db, range.start, end);
    cursor = range.end;
  }
}

async function deleteRange(db: Database, start: Buffer, end: Buffer): Promise<number> {
  let deleted = 0;
  for (;;) {
    const keys: Buffer[] = [];
    for (const { key } of db.store.range({ start, end, limit: changeLogPruneBatchMax })) keys.push(Buffer.from(key));
    if (keys.length === 0) return deleted;
    await db.store.transact((tx) => {
      for (const key of keys) tx.delete(key);
    });
    deleted += keys.length;
    // A stream reader positioned before this missed records: TrimmedDataAccessException for it.
    const last = decodeChangeLogKey(keys[keys.length - 1]!);
    db.catalog.streams.notePruned(last.tableNumber, { commitMs: last.commitMs, sequence: last.sequence });
  }
}
