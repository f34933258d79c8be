// Shard iterators: opaque to clients, but shaped like DynamoDB's ("<stream ARN>|1|<payload>"),
// carrying the log position to read after and when the iterator was handed out (they expire
// after 15 minutes). Nothing is kept server-side, so iterators survive restarts.
import type { LogPosition } from '../backup/change-log.js';

export interface ShardIterator {
  streamArn: string;
  /** GetRecords returns the stream's records after this position. */
  after: LogPosition;
  /** When GetShardIterator or GetRecords handed it out (ms). */
  issuedMs: number;
}

const separator = '|1|';
const payloadVersion = 1;
/** version(1) | after.commitMs(8) | after.sequence(4) | issuedMs(8) */
const payloadBytes = 1 + 8 + 4 + 8;
const base64UrlPattern = /^[A-Za-z0-9_-]+$/;

export function encodeShardIterator(iterator: ShardIterator): string {
  const payload = Buffer.allocUnsafe(payloadBytes);
  payload[0] = payloadVersion;
  // A position before the first ms (endOfMs(-1)) never reaches an iterator: positions are clamped to the stream's start.
  payload.writeBigUInt64BE(BigInt(iterator.after.commitMs), 1);
  payload.writeUInt32BE(iterator.after.sequence, 9);
  payload.writeBigUInt64BE(BigInt(iterator.issuedMs), 13);
  return `${iterator.streamArn}${separator}${payload.toString('base64url')}`;
}

/** The iterator a string encodes, or undefined if it is not one of ours. */
export function decodeShardIterator(text: string): ShardIterator | undefined {
  const at = text.lastIndexOf(separator);
  if (at <= 0) return undefined;
  const encoded = text.slice(at + separator.length);
  if (!base64UrlPattern.test(encoded)) return undefined;
  const payload = Buffer.from(encoded, 'base64url');
  if (payload.length !== payloadBytes || payload[0] !== payloadVersion) return undefined;
  const commitMs = payload.readBigUInt64BE(1);
  const issuedMs = payload.readBigUInt64BE(13);
  if (commitMs > BigInt(Number.MAX_SAFE_INTEGER) || issuedMs > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return {
    streamArn: text.slice(0, at),
    after: { commitMs: Number(commitMs), sequence: payload.readUInt32BE(9) },
    issuedMs: Number(issuedMs),
  };
}
