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
/**
 * ... and a new peak becomes the "previous peak" only after this long: "throttling can occur
 * if you exceed double your previous peak within 30 minutes" (developer guide, "On-demand
 * capacity mode", peak traffic and scaling properties). Peaks are kept per clock minute, so
 * a peak is adopted 29 to 30 minutes after the second it was reached.
 */
export const onDemandPeakAdoptionMinutes = 30;
/**
 * The per-table account quota of on-demand tables and their GSIs: 40,000 read request units
 * and 40,000 write request units per second unless MaxRead/WriteRequestUnits says otherwise
 * (developer guide, "Service quotas": throughput default quotas; throttling reason
 * AccountLimitExceeded).
 */
export const onDemandTableRequestUnitsMax = 40_000;

/**
 * A partition's ceiling is a token bucket that keeps this many seconds of unused ceiling.
 * unverified (reasoned): DynamoDB accepts 1,225 write units to one partition key in one
 * BatchWriteItem (ScyllaDB's test_batch_write_item_large, run against DynamoDB), so the
 * ceiling is not a strict per-second window; two seconds of headroom admits that and holds a
 * hot key to 1,000 WCU/s once spent.
 */
export const partitionBurstSeconds = 2;
/**
 * Split for heat (unverified, reasoned from "a partition receives read or write traffic near
 * its throughput capacity limit", AWS Database Blog "Scaling DynamoDB", part 3): a second is
 * hot for a partition that used 80% of its ceiling or refused a request in it; after 120 hot
 * seconds (two minutes of sustained heat) the partition splits. A gap of more than 10 s
 * without a hot second ends the run.
 */
export const heatShareMin = 0.8;
export const heatSecondsToSplit = 120;
export const heatGapMs = 10_000;
/** Distinct keys whose demand a hot partition notes per second to choose its split point. */
export const heatKeysNotedMax = 256;
/** Heat splits stop at this many partitions per table or GSI (a bound on memory; DynamoDB documents none). */
export const heatPartitionsMax = 4096;

/**
 * Provisioned throughput quotas, as DescribeLimits reports them (developer guide, "Service
 * quotas"): 40,000 RCU and 40,000 WCU per table and per GSI (each GSI on its own: observed
 * LimitExceededException "... is above the per index maximum ..."), 80,000 of each across the
 * account's provisioned tables and their GSIs in a region.
 */
export const tableCapacityUnitsMax = 40_000;
export const indexCapacityUnitsMax = 40_000;
export const accountCapacityUnitsMax = 80_000;

/**
 * Provisioned throughput decreases (developer guide, "Service quotas", decreasing throughput):
 * four at any time in a UTC day, then one more each hour after the last one.
 */
export const decreasesAnytimePerDay = 4;
export const decreaseIntervalSeconds = 3600;

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
