// The streams of every table: one record per enable period (docs/KEYS.md, space 25), kept in
// memory and in the store. A stream is a window onto the table's change log: the changes after
// the log position it was enabled at, up to the position it was disabled at (or the table
// deleted at). Enabling again makes a new stream (new label, new ARN); a closed stream stays
// listed and readable for 24 hours, then its record goes.
//
// The catalog calls tableWritten / tableRemoved inside the transaction that writes or deletes
// a table record, so a stream opens and closes at a consistent cut of the change log: every
// change committed before that transaction is outside the window, every change after inside.
import type { KvStore, KvTransaction } from '../storage/index.js';
import type { ChangeLogWriter, LogPosition } from '../backup/change-log.js';
import type { TableRecord } from '../engine/catalog.js';
import { streamRecordKey, streamRecordRange } from '../engine/storage-keys.js';
import { streamRetentionMs } from './stream-limits.js';

export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';
export type StreamStatus = 'ENABLING' | 'ENABLED' | 'DISABLING' | 'DISABLED';

export interface StreamRecord {
  streamArn: string;
  /** ISO 8601 time of enabling without a zone, DynamoDB's label shape ("2024-08-01T12:00:00.000"). */
  label: string;
  tableName: string;
  tableNumber: number;
  viewType: StreamViewType;
  /** The table's key schema, as the wire shows it (a deleted table's stream still describes it). */
  keySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
  /** When the stream was enabled (ms); CreationRequestDateTime. */
  createdMs: number;
  /** The table's last change-log position when the stream was enabled: the stream holds what follows. */
  startAfter: LogPosition;
  /** Set once disabled (or the table deleted): the last position the stream holds. */
  endAt?: LogPosition;
  /** When the stream was disabled (ms); its records stay readable for 24 hours after. */
  disabledMs?: number;
}

export class StreamRegistry {
  /** Every stream still listed, by ARN. */
  private readonly streams = new Map<string, StreamRecord>();
  /** The open (ENABLED) stream of each table number. */
  private readonly open = new Map<number, StreamRecord>();
  /** The last pruned change-log position per table number (memory only: a restart forgets it). */
  private readonly pruned = new Map<number, LogPosition>();

  constructor(private readonly store: KvStore) {
    for (const { value } of store.range(streamRecordRange)) this.remember(value as StreamRecord);
  }

  /**
   * Call inside the transaction that writes `table`'s record, before the record is put: opens
   * a stream if the spec enables one and none is open, closes the open one if the spec no
   * longer enables it, and keeps `table.latestStreamLabel` on the newest stream.
   */
  tableWritten(tx: KvTransaction, table: TableRecord, changeLog: ChangeLogWriter, nowMs: number): void {
    const wanted = table.spec.StreamSpecification;
    const current = this.open.get(table.tableNumber);
    if (wanted?.StreamEnabled === true && current === undefined) {
      const stream = this.opened(table, wanted.StreamViewType as StreamViewType, changeLog.lastPosition(tx, table.tableNumber), nowMs);
      tx.put(streamRecordKey(stream.streamArn), stream);
      this.remember(stream);
      table.latestStreamLabel = stream.label;
    } else if (wanted?.StreamEnabled !== true && current !== undefined) {
      this.close(tx, current, changeLog, nowMs);
    }
  }

  /** Call inside the transaction that deletes `table`: its stream closes (and stays readable for 24 hours). */
  tableRemoved(tx: KvTransaction, table: TableRecord, changeLog: ChangeLogWriter, nowMs: number): void {
    const current = this.open.get(table.tableNumber);
    if (current !== undefined) this.close(tx, current, changeLog, nowMs);
  }

  /** The table's open stream, if it has one. */
  openStreamOf(tableNumber: number): StreamRecord | undefined {
    return this.open.get(tableNumber);
  }

  get(streamArn: string): StreamRecord | undefined {
    return this.streams.get(streamArn);
  }

  /** Streams still listed (open, or closed less than 24 hours ago), optionally of one table name, in ARN order. */
  list(tableName?: string): StreamRecord[] {
    const out: StreamRecord[] = [];
    for (const stream of this.streams.values()) if (tableName === undefined || stream.tableName === tableName) out.push(stream);
    return out.sort((a, b) => (a.streamArn < b.streamArn ? -1 : a.streamArn > b.streamArn ? 1 : 0));
  }

  /**
   * The first millisecond of `tableNumber`'s change log its streams still need, if any: a stream
   * open, or closed less than 24 hours ago, keeps the last 24 hours of changes.
   */
  retainedFromMs(tableNumber: number, nowMs: number): number | undefined {
    for (const stream of this.streams.values()) {
      if (stream.tableNumber !== tableNumber) continue;
      if (stream.disabledMs === undefined || stream.disabledMs > nowMs - streamRetentionMs) return nowMs - streamRetentionMs;
    }
    return undefined;
  }

  /** Called by the change-log pruner: the last position it deleted from a table's log. */
  notePruned(tableNumber: number, position: LogPosition): void {
    const known = this.pruned.get(tableNumber);
    if (known === undefined || known.commitMs < position.commitMs || (known.commitMs === position.commitMs && known.sequence < position.sequence)) {
      this.pruned.set(tableNumber, { ...position });
    }
  }

  /** The last position pruned from a table's log since startup, if any (readers after an earlier one missed records). */
  prunedThrough(tableNumber: number): LogPosition | undefined {
    return this.pruned.get(tableNumber);
  }

  /** Forgets streams closed 24 hours ago or more; returns how many. */
  async purgeExpired(nowMs: number): Promise<number> {
    const expired = [...this.streams.values()].filter((s) => s.disabledMs !== undefined && s.disabledMs <= nowMs - streamRetentionMs);
    if (expired.length === 0) return 0;
    await this.store.transact((tx) => {
      for (const stream of expired) tx.delete(streamRecordKey(stream.streamArn));
    });
    for (const stream of expired) this.streams.delete(stream.streamArn);
    return expired.length;
  }

  private opened(table: TableRecord, viewType: StreamViewType, startAfter: LogPosition, nowMs: number): StreamRecord {
    // Labels are per table and unique: enabling twice in one millisecond moves the second one on.
    let createdMs = nowMs;
    let label = labelOf(createdMs);
    while (this.streams.has(`${table.tableArn}/stream/${label}`)) label = labelOf(++createdMs);
    const keySchema: StreamRecord['keySchema'] = [{ AttributeName: table.spec.keySchema.partitionKey.name, KeyType: 'HASH' }];
    if (table.spec.keySchema.sortKey) keySchema.push({ AttributeName: table.spec.keySchema.sortKey.name, KeyType: 'RANGE' });
    return {
      streamArn: `${table.tableArn}/stream/${label}`,
      label,
      tableName: table.spec.TableName,
      tableNumber: table.tableNumber,
      viewType,
      keySchema,
      createdMs,
      startAfter: { ...startAfter },
    };
  }

  private close(tx: KvTransaction, stream: StreamRecord, changeLog: ChangeLogWriter, nowMs: number): void {
    const closed: StreamRecord = { ...stream, endAt: { ...changeLog.lastPosition(tx, stream.tableNumber) }, disabledMs: nowMs };
    tx.put(streamRecordKey(closed.streamArn), closed);
    this.remember(closed);
  }

  private remember(stream: StreamRecord): void {
    this.streams.set(stream.streamArn, stream);
    if (stream.endAt === undefined) this.open.set(stream.tableNumber, stream);
    else if (this.open.get(stream.tableNumber)?.streamArn === stream.streamArn) this.open.delete(stream.tableNumber);
  }
}

function labelOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, -1);
}
