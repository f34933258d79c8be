// capacity/: throughput capacity, partitions and throttling. withCapacity wraps the dispatch
// table so every data-plane operation is admitted against its table's and GSIs' buckets and
// the partitions its keys fall in before it runs, and charged its exact consumed capacity
// after (partition-map.ts: ceilings, headroom, split for heat; on-demand-peak.ts: growth).
// withThroughputQuotas holds CreateTable to the account's quotas; UpdateTable calls
// checkThroughputQuotas and applyThroughputChanges (the decrease rule) itself.
//
// Wiring (src/server/tabula.ts):
//   operations: withCapacity(withThroughputQuotas(operations, database), database, { throttling, onDemandInstantThroughput })
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
   * Also hold on-demand tables and GSIs to what they serve instantly: 4,000 WRU / 12,000 RRU when
   * new, twice the previous peak once that peak is 30 minutes old (default false; CLI
   * --on-demand-limits). Off, partition ceilings, MaxRead/WriteRequestUnits and the per-table
   * account quota still apply. Off by default because DynamoDB absorbs short bursts above the
   * instant figure: a new on-demand table accepts a 3 MB TransactWriteItems (6,000 WRU at once)
   * and 1.5 MB to one key within a second (ScyllaDB's suite, written against DynamoDB).
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
export { keyPosition } from './partition-map.js';
export type { Throttle, ThrottleLimit } from './throttle-errors.js';
export { applyThroughputChanges, describeProvisionedThroughput, decreasesToday, type ThroughputHistory } from './throughput-decreases.js';
export { checkThroughputQuotas, withThroughputQuotas } from './throughput-quotas.js';
