// Throughput limits of the capacity model, each with where the number comes from. They live
// here rather than in model/limits.ts while the capacity subsystem is young; move them there
// when the lead merges (they are DynamoDB limits like the others).

/** A partition serves at most 3,000 read units per second (developer guide, "Partitions"). */
export const partitionReadUnitsPerSecondMax = 3000;
/** ... and at most 1,000 write units per second, or a linear combination of the two. */
export const partitionWriteUnitsPerSecondMax = 1000;
/** A partition holds at most 10 GB; bigger tables split (developer guide, "Partitions"). */
export const partitionBytesMax = 10 * 1024 * 1024 * 1024;
/** Burst capacity: DynamoDB retains up to 5 minutes of unused provisioned capacity. */
export const burstSeconds = 300;
/**
 * A new on-demand table (or GSI) can immediately serve 4,000 write request units or 12,000
 * read request units per second, or a linear combination of both (developer guide,
 * "Initial throughput for on-demand capacity mode"), which is twice its notional previous peak.
 */
export const onDemandInitialWriteUnitsPerSecond = 4000;
export const onDemandInitialReadUnitsPerSecond = 12000;
/** On-demand tables serve up to double their previous traffic peak instantly. */
export const onDemandPeakMultiplier = 2;

/** Write units per read unit in the linear combination of partition (and on-demand) limits. */
export const readUnitWeight = partitionWriteUnitsPerSecondMax / partitionReadUnitsPerSecondMax;
/**
 * Cost a request is assumed to have before it runs (the minimum DynamoDB charges): it is
 * reserved at admission and settled against the exact ConsumedCapacity afterwards.
 */
export const writeUnitsMin = 1;
export const consistentReadUnitsMin = 1;
export const eventualReadUnitsMin = 0.5;
/** Transactional reads and writes cost double (developer guide, "Capacity for transactions"). */
export const transactionalFactor = 2;

if (onDemandInitialReadUnitsPerSecond * readUnitWeight !== onDemandInitialWriteUnitsPerSecond) {
  throw new Error('on-demand initial read and write throughput must be the same linear budget');
}
