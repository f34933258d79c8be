// GetShardIterator: where in a shard GetRecords starts. TRIM_HORIZON: the oldest record not
// yet trimmed; LATEST: after the newest record; AT_/AFTER_SEQUENCE_NUMBER: at or after a
// record's SequenceNumber, which must lie in the shard's range.
import type { Database } from '../engine/database.js';
import { comparePositions, lastChangePosition, type LogPosition } from '../backup/change-log.js';
import { ConstraintErrors, optionalString } from '../api/validate/common.js';
import {
  sequenceNumberLengthMax,
  sequenceNumberLengthMin,
  shardIdLengthMax,
  shardIdLengthMin,
  streamArnLengthMax,
  streamArnLengthMin,
} from './stream-limits.js';
import { checkStreamArn } from './stream-arn.js';
import { sequenceNumberMismatch, sequenceNumberOutsideShard, shardNotFound, streamNotFound, trimmedData } from './stream-errors.js';
import { isTrimmed, shardOf, type ShardView } from './shard.js';
import { laterOf, positionOfSequenceNumber, predecessorOf } from './positions.js';
import { encodeShardIterator } from './shard-iterator.js';
import type { StreamRecord } from './stream-registry.js';

const iteratorTypes = ['TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'] as const;
type IteratorType = (typeof iteratorTypes)[number];

export function getShardIterator(input: Record<string, unknown>, db: Database): unknown {
  const errors = new ConstraintErrors();
  const streamArn = optionalString(input.StreamArn);
  if (errors.notNull('streamArn', streamArn)) errors.length('streamArn', streamArn!, streamArnLengthMin, streamArnLengthMax);
  const shardId = optionalString(input.ShardId);
  if (errors.notNull('shardId', shardId)) errors.length('shardId', shardId!, shardIdLengthMin, shardIdLengthMax);
  const type = optionalString(input.ShardIteratorType);
  if (errors.notNull('shardIteratorType', type)) errors.enumOf('shardIteratorType', type, iteratorTypes);
  const sequenceNumber = optionalString(input.SequenceNumber);
  if (sequenceNumber !== undefined) errors.length('sequenceNumber', sequenceNumber, sequenceNumberLengthMin, sequenceNumberLengthMax);
  errors.throwIfAny();
  checkStreamArn(streamArn!);
  const stream = db.catalog.streams.get(streamArn!);
  if (stream === undefined) throw streamNotFound(streamArn!);
  const nowMs = db.clock.now();
  const shard = shardOf(stream, nowMs);
  if (shardId !== shard.shardId) throw shardNotFound(shardId!, streamArn!);
  const iteratorType = type as IteratorType;
  const bySequenceNumber = iteratorType === 'AT_SEQUENCE_NUMBER' || iteratorType === 'AFTER_SEQUENCE_NUMBER';
  if (bySequenceNumber !== (sequenceNumber !== undefined)) throw sequenceNumberMismatch(iteratorType, sequenceNumber !== undefined);

  let after: LogPosition;
  if (iteratorType === 'TRIM_HORIZON') after = shard.trimmedUpTo;
  else if (iteratorType === 'LATEST') after = laterOf(latestPosition(db, stream), shard.trimmedUpTo);
  else after = positionBySequenceNumber(db, stream, shard, sequenceNumber!, iteratorType === 'AT_SEQUENCE_NUMBER');
  return { ShardIterator: encodeShardIterator({ streamArn: stream.streamArn, after, issuedMs: nowMs }) };
}

/** The position of the stream's newest committed record (or its start, if it has none). */
function latestPosition(db: Database, stream: StreamRecord): LogPosition {
  return lastChangePosition(db.store, stream.tableNumber, stream.startAfter, stream.endAt) ?? stream.startAfter;
}

function positionBySequenceNumber(db: Database, stream: StreamRecord, shard: ShardView, sequenceNumber: string, inclusive: boolean): LogPosition {
  const position = positionOfSequenceNumber(sequenceNumber);
  const beforeShard = position === undefined || comparePositions(position, shard.first) < 0;
  if (beforeShard || (shard.last !== undefined && comparePositions(position, shard.last) > 0)) {
    throw sequenceNumberOutsideShard(sequenceNumber, shard.shardId);
  }
  const after = laterOf(inclusive ? predecessorOf(position) : position, stream.startAfter);
  if (isTrimmed(db.store, db.catalog.streams, stream, shard, after)) throw trimmedData();
  return after;
}
