// DynamoDB Streams: each table's change log seen as streams of INSERT / MODIFY / REMOVE records.
// The registry (one record per enable period) is owned by the catalog, which opens and closes
// streams with the table records that enable them; the operations read the change log.
import type { Database } from '../engine/database.js';

export { StreamRegistry, type StreamRecord, type StreamStatus, type StreamViewType } from './stream-registry.js';
export { createStreamOperations } from './operations.js';
export { streamRetentionMs, shardIteratorLifetimeMs } from './stream-limits.js';

/**
 * Call once at startup: a table whose spec enables a stream but that has none open (its record
 * was written before streams existed here) gets one, by rewriting its record, which opens it.
 */
export async function openMissingStreams(db: Database): Promise<void> {
  for (const table of db.catalog.byNumber().values()) {
    if (table.spec.StreamSpecification?.StreamEnabled === true && db.catalog.streams.openStreamOf(table.tableNumber) === undefined) {
      await db.catalog.save(table);
    }
  }
}
