// GetRecords: the stream records after an iterator's position, read straight from the change
// log (a committed write is readable at once), up to Limit records or 1 MB. Writes that
// changed nothing are skipped. NextShardIterator continues after the last record looked at;
// a closed shard read to its end has none, which tells the reader the shard is done.
import type { Database } from '../engine/database.js';
import { readChanges, endOfMs, type LogPosition } from '../backup/change-log.js';
import { ConstraintErrors, optionalLong, optionalString } from '../api/validate/common.js';
import { getRecordsBytesMax, getRecordsLimitMax, getRecordsScannedMax, shardIteratorLengthMax, shardIteratorLengthMin, shardIteratorLifetimeMs } from './stream-limits.js';
import { decodeShardIterator, encodeShardIterator } from './shard-iterator.js';
import { isStreamArn } from './stream-arn.js';
import { invalidShardIterator, iteratorExpired, streamNotFound, trimmedData } from './stream-errors.js';
import { isTrimmed, shardOf } from './shard.js';
import { laterOf } from './positions.js';
import { changesNothing, streamRecordOf, type WireStreamRecord } from './stream-records.js';

export function getRecords(input: Record<string, unknown>, db: Database): unknown {
  const errors = new ConstraintErrors();
  const text = optionalString(input.ShardIterator);
  if (errors.notNull('shardIterator', text)) errors.length('shardIterator', text!, shardIteratorLengthMin, shardIteratorLengthMax);
  const limit = optionalLong(input.Limit);
  if (limit !== undefined) {
    errors.minValue('limit', limit, 1);
    errors.maxValue('limit', limit, getRecordsLimitMax);
  }
  errors.throwIfAny();
  const iterator = decodeShardIterator(text!);
  if (iterator === undefined || !isStreamArn(iterator.streamArn)) throw invalidShardIterator();
  const nowMs = db.clock.now();
  if (nowMs - iterator.issuedMs > shardIteratorLifetimeMs) throw iteratorExpired(iterator.issuedMs, nowMs);
  const stream = db.catalog.streams.get(iterator.streamArn);
  if (stream === undefined) throw streamNotFound(iterator.streamArn);
  const shard = shardOf(stream, nowMs);
  const start = laterOf(iterator.after, stream.startAfter);
  if (isTrimmed(db.store, db.catalog.streams, stream, shard, start)) throw trimmedData();

  const recordsMax = limit ?? getRecordsLimitMax;
  const records: WireStreamRecord[] = [];
  let bytes = 0;
  let scanned = 0;
  let last: LogPosition = start;
  let cut = false;
  for (const change of readChanges(db.store, stream.tableNumber, start, stream.endAt ?? endOfMs(Number.MAX_SAFE_INTEGER))) {
    if (records.length >= recordsMax || scanned >= getRecordsScannedMax) {
      cut = true;
      break;
    }
    scanned++;
    if (!changesNothing(change)) {
      const record = streamRecordOf(change, stream, db.region);
      // The first record always goes, whatever its size; later ones only within 1 MB.
      if (records.length > 0 && bytes + record.dynamodb.SizeBytes > getRecordsBytesMax) {
        cut = true;
        break;
      }
      records.push(record);
      bytes += record.dynamodb.SizeBytes;
    }
    last = change.position;
  }
  const output: Record<string, unknown> = { Records: records };
  if (stream.endAt === undefined || cut) {
    output.NextShardIterator = encodeShardIterator({ streamArn: stream.streamArn, after: last, issuedMs: nowMs });
  }
  return output;
}
