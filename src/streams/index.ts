// DynamoDB Streams: each table's change log seen as streams of INSERT / MODIFY / REMOVE records.
// The registry (one record per enable period) is owned by the catalog, which opens and closes
// streams with the table records that enable them; the operations read the change log.
export { StreamRegistry, type StreamRecord, type StreamStatus, type StreamViewType } from './stream-registry.js';
export { createStreamOperations } from './operations.js';
export { streamRetentionMs, shardIteratorLifetimeMs } from './stream-limits.js';
