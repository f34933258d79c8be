// A stream's one shard as clients see it at a given time: its id, the positions it holds
// (open-ended while the stream is enabled, closed at the position it was disabled at), and
// where its readable part starts now that records older than 24 hours are trimmed.
//
// One shard per stream (per enable period) is a simplification: DynamoDB splits and rolls
// shards over (about every four hours); clients that follow ParentShardId handle one shard too.
import { comparePositions, lastChangePosition, type LogPosition } from '../backup/change-log.js';
import type { KvStore } from '../storage/index.js';
import type { StreamRecord, StreamRegistry } from './stream-registry.js';
import { laterOf, predecessorOf, sequenceNumberOf, shardIdOf, successorOf } from './positions.js';
import { streamRetentionMs } from './stream-limits.js';

export interface ShardView {
  shardId: string;
  /** The first position the shard ever held. */
  first: LogPosition;
  /** TRIM_HORIZON reads after this: the stream's start, or the trim point (24 hours ago) if later. */
  trimmedUpTo: LogPosition;
  /** Set for a closed shard (the stream disabled or its table deleted): its last position. */
  last?: LogPosition;
}

export function shardOf(stream: StreamRecord, nowMs: number): ShardView {
  const first = successorOf(stream.startAfter);
  // Records of milliseconds before now - 24 h are trimmed.
  const oldestReadable = { commitMs: Math.max(0, nowMs - streamRetentionMs), sequence: 0 };
  const view: ShardView = {
    shardId: shardIdOf(stream.streamArn, stream.createdMs),
    first,
    trimmedUpTo: laterOf(stream.startAfter, predecessorOf(oldestReadable)),
  };
  if (stream.endAt !== undefined) view.last = laterOf(stream.endAt, first);
  return view;
}

/** DescribeStream's Shard: the range readable now, closed with EndingSequenceNumber once the stream is. */
export function shardDescription(shard: ShardView): Record<string, unknown> {
  const range: Record<string, string> = { StartingSequenceNumber: sequenceNumberOf(successorOf(shard.trimmedUpTo)) };
  if (shard.last !== undefined) range.EndingSequenceNumber = sequenceNumberOf(shard.last);
  return { ShardId: shard.shardId, SequenceNumberRange: range };
}

/**
 * True when reading after `position` would skip trimmed records: records of the stream older
 * than 24 hours lie after it (still in the log, or already pruned from it). A position before
 * the trim point with nothing trimmed after it reads on normally.
 */
export function isTrimmed(store: KvStore, registry: StreamRegistry, stream: StreamRecord, shard: ShardView, position: LogPosition): boolean {
  if (comparePositions(position, shard.trimmedUpTo) >= 0) return false;
  const pruned = registry.prunedThrough(stream.tableNumber);
  if (pruned !== undefined && comparePositions(position, pruned) < 0) return true;
  const until = stream.endAt !== undefined && comparePositions(stream.endAt, shard.trimmedUpTo) < 0 ? stream.endAt : shard.trimmedUpTo;
  return lastChangePosition(store, stream.tableNumber, position, until) !== undefined;
}
