// The dispatch table: X-Amz-Target operation name -> handler.
import type { Database } from '../engine/database.js';
import type { OperationHandler } from '../server/http-server.js';
import { createTable, deleteTable, describeEndpoints, describeLimits, describeTable, listTables } from './control-plane.js';

export function createOperations(db: Database): Record<string, OperationHandler> {
  return {
    CreateTable: (input) => createTable(input, db),
    DescribeTable: (input) => describeTable(input, db),
    ListTables: (input) => listTables(input, db),
    DeleteTable: (input) => deleteTable(input, db),
    DescribeLimits: () => describeLimits(),
    DescribeEndpoints: (input) => describeEndpoints(input, db),
  };
}
