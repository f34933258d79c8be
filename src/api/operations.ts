// The dispatch table: X-Amz-Target operation name -> handler.
import type { Database } from '../engine/database.js';
import type { OperationHandler } from '../server/http-server.js';
import { createTable, deleteTable, describeEndpoints, describeLimits, describeTable, listTables } from './control-plane.js';
import { getItem } from './get-item.js';
import { putItem } from './put-item.js';
import { deleteItem } from './delete-item.js';
import { updateItem } from './update-item.js';
import { updateTable } from './update-table.js';
import { query } from './query.js';
import { scan } from './scan.js';
import { batchGetItem } from './batch-get-item.js';
import { batchWriteItem } from './batch-write-item.js';
import { transactGetItems } from './transact-get-items.js';
import { transactWriteItems } from './transact-write-items.js';
import { backupOperations } from './backup-operations.js';
import { describeTimeToLive, updateTimeToLive } from './time-to-live.js';
import { listTagsOfResource, tagResource, untagResource } from './tags.js';

export function createOperations(db: Database): Record<string, OperationHandler> {
  return {
    CreateTable: (input) => createTable(input, db),
    DescribeTable: (input) => describeTable(input, db),
    ListTables: (input) => listTables(input, db),
    DeleteTable: (input) => deleteTable(input, db),
    DescribeLimits: () => describeLimits(),
    DescribeEndpoints: (_input, context) => describeEndpoints(context.host, db),
    UpdateTable: (input) => updateTable(input, db),
    UpdateTimeToLive: (input) => updateTimeToLive(input, db),
    DescribeTimeToLive: (input) => describeTimeToLive(input, db),
    TagResource: (input) => tagResource(input, db),
    UntagResource: (input) => untagResource(input, db),
    ListTagsOfResource: (input) => listTagsOfResource(input, db),
    GetItem: (input) => getItem(input, db),
    PutItem: (input) => putItem(input, db),
    DeleteItem: (input) => deleteItem(input, db),
    UpdateItem: (input) => updateItem(input, db),
    Query: (input) => query(input, db),
    Scan: (input) => scan(input, db),
    BatchGetItem: (input) => batchGetItem(input, db),
    BatchWriteItem: (input) => batchWriteItem(input, db),
    TransactGetItems: (input) => transactGetItems(input, db),
    TransactWriteItems: (input) => transactWriteItems(input, db),
    ...backupOperations(db),
  };
}
