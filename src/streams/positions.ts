// Stream sequence numbers and shard ids, both derived from change-log positions.
//
// A record's SequenceNumber is its change-log position (commit ms, sequence) as one decimal
// number, commit ms × 10^10 + sequence, padded to the model's 21-digit minimum: numeric and
// increasing within a shard, as the SDKs' checkpointers assume (they compare them as big
// integers), and decodable back to the position for AT_/AFTER_SEQUENCE_NUMBER iterators.
import { createHash } from 'node:crypto';
import { comparePositions, endOfMs, type LogPosition } from '../backup/change-log.js';
import { sequenceNumberLengthMin } from './stream-limits.js';

/** 10^10 exceeds the largest per-millisecond sequence (2^32 - 1), so the two parts never mix. */
const sequenceFactor = 10_000_000_000n;
const sequenceMax = 0xffffffff;
const msMax = BigInt(Number.MAX_SAFE_INTEGER);
const digitsPattern = /^[0-9]+$/;

export function sequenceNumberOf(position: LogPosition): string {
  return (BigInt(position.commitMs) * sequenceFactor + BigInt(position.sequence)).toString().padStart(sequenceNumberLengthMin, '0');
}

/** The position a sequence number names, or undefined if no position encodes to it. */
export function positionOfSequenceNumber(text: string): LogPosition | undefined {
  if (!digitsPattern.test(text)) return undefined;
  const value = BigInt(text);
  const commitMs = value / sequenceFactor;
  const sequence = Number(value % sequenceFactor);
  if (commitMs > msMax || sequence > sequenceMax) return undefined;
  return { commitMs: Number(commitMs), sequence };
}

/** The first position after `position`. */
export function successorOf(position: LogPosition): LogPosition {
  return position.sequence === sequenceMax ? { commitMs: position.commitMs + 1, sequence: 0 } : { commitMs: position.commitMs, sequence: position.sequence + 1 };
}

/** The last position before `position` (an iterator reads after its position, so AT_SEQUENCE_NUMBER starts here). */
export function predecessorOf(position: LogPosition): LogPosition {
  return position.sequence === 0 ? endOfMs(position.commitMs - 1) : { commitMs: position.commitMs, sequence: position.sequence - 1 };
}

export function laterOf(a: LogPosition, b: LogPosition): LogPosition {
  return comparePositions(a, b) >= 0 ? a : b;
}

/**
 * The stream's one shard: "shardId-" + 20 digits + "-" + 8 hex characters, the shape (and the
 * 37-character length) of DynamoDB's shard ids. The digits are the stream's creation ms and the
 * hex a digest of its ARN, so the id is stable across restarts and unique per stream.
 */
export function shardIdOf(streamArn: string, createdMs: number): string {
  const digest = createHash('sha256').update(streamArn).digest('hex').slice(0, 8);
  return `shardId-${String(createdMs).padStart(20, '0')}-${digest}`;
}

/** A record's eventID: 32 hex characters like DynamoDB's, unique per stream and position. */
export function eventIdOf(streamArn: string, sequenceNumber: string): string {
  return createHash('sha256').update(streamArn).update('|').update(sequenceNumber).digest('hex').slice(0, 32);
}
