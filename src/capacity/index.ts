// capacity/: throughput capacity, partitions and throttling. withCapacity wraps the dispatch
// table so every data-plane operation is admitted against its table, GSI and partition key
// buckets before it runs and charged its exact consumed capacity after.
//
// Wiring (src/api/operations.ts or src/server/tabula.ts):
//   operations: withCapacity(createOperations(database), database, { throttling: options.throttling })
import type { Database } from '../engine/database.js';
import type { OperationHandler } from '../server/http-server.js';
import { CapacityTracker } from './table-capacity.js';
import { itemOperation, queryOperation } from './single-operations.js';
import { batchGetOperation, batchWriteOperation, transactOperation } from './multi-operations.js';

export interface CapacityOptions {
  /**
   * Enforce provisioned and on-demand throughput (default true). false makes TabulaDB a plain
   * local database that never throttles (CLI: --no-throttling); the handlers are then returned
   * unwrapped, at no cost.
   */
  throttling?: boolean;
  /**
   * Also refuse on-demand traffic beyond what an on-demand table serves instantly: 4,000 WRU /
   * 12,000 RRU when new, twice its previous peak after (default false). Off, on-demand tables
   * are still held to the per-partition ceiling and to their MaxRead/MaxWriteRequestUnits; on,
   * a local test that writes megabytes in a second is throttled as a brand-new DynamoDB table
   * would be, which surprises more than it helps.
   */
  onDemandInstantThroughput?: boolean;
}

const trackers = new WeakMap<Database, CapacityTracker>();

export function withCapacity(
  handlers: Record<string, OperationHandler>,
  db: Database,
  options: CapacityOptions = {},
): Record<string, OperationHandler> {
  if (options.throttling === false) return handlers;
  const tracker = new CapacityTracker(db, options.onDemandInstantThroughput === true);
  trackers.set(db, tracker);
  const wrapped: Record<string, OperationHandler> = { ...handlers };
  const wrap = (name: string, make: (handler: OperationHandler) => OperationHandler): void => {
    const handler = handlers[name];
    if (handler !== undefined) wrapped[name] = make(handler);
  };
  wrap('GetItem', (h) => itemOperation(h, tracker, 'get'));
  wrap('PutItem', (h) => itemOperation(h, tracker, 'put'));
  wrap('UpdateItem', (h) => itemOperation(h, tracker, 'update'));
  wrap('DeleteItem', (h) => itemOperation(h, tracker, 'delete'));
  wrap('Query', (h) => queryOperation(h, tracker, 'query'));
  wrap('Scan', (h) => queryOperation(h, tracker, 'scan'));
  wrap('BatchWriteItem', (h) => batchWriteOperation(h, tracker));
  wrap('BatchGetItem', (h) => batchGetOperation(h, tracker));
  wrap('TransactWriteItems', (h) => transactOperation(h, tracker, 'write'));
  wrap('TransactGetItems', (h) => transactOperation(h, tracker, 'get'));
  return wrapped;
}

/** The capacity state of a database whose operations withCapacity wrapped (metrics, DescribeTable). */
export function capacityTrackerOf(db: Database): CapacityTracker | undefined {
  return trackers.get(db);
}

export type { CapacityTracker } from './table-capacity.js';
export { partitionIndex, partitionsForSize, partitionsForThroughput } from './partitions.js';
export type { Throttle, ThrottleLimit } from './throttle-errors.js';
