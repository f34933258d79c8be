// How many partitions a table has, and which one holds a partition key. DynamoDB sizes a table
// at ceil(RCU / 3,000 + WCU / 1,000) partitions for its throughput and ceil(size / 10 GB) for
// its data, takes the larger, and never merges partitions back; an item lives in the partition
// whose slice of the hash space holds its partition key's hash.
import {
  partitionBytesMax, partitionReadUnitsPerSecondMax, partitionWriteUnitsPerSecondMax,
} from './capacity-limits.js';

/** Partitions needed for a throughput in read and write units per second. */
export function partitionsForThroughput(readUnitsPerSecond: number, writeUnitsPerSecond: number): number {
  return Math.ceil(readUnitsPerSecond / partitionReadUnitsPerSecondMax + writeUnitsPerSecond / partitionWriteUnitsPerSecondMax);
}

/** Partitions needed to hold `sizeBytes` of items. */
export function partitionsForSize(sizeBytes: number): number {
  return Math.ceil(sizeBytes / partitionBytesMax);
}

const hashSpace = 1n << 64n;

/**
 * The partition (0 .. count-1) of a partition key digest (model/key-encoding.ts): its first 8
 * bytes as a big-endian uint64, in `count` equal slices of the 64-bit space.
 */
export function partitionIndex(digest: Buffer, count: number): number {
  const position = digest.readBigUInt64BE(0);
  return Number((position * BigInt(count)) / hashSpace);
}
