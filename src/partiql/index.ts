// partiql/: DynamoDB's PartiQL operations (ExecuteStatement, BatchExecuteStatement,
// ExecuteTransaction). Statements are parsed into an AST (parser.ts), translated into the
// input of an existing operation (select-plan.ts, write-plan.ts) and run through the
// operations table given here, so validation, capacity and throttling, ConsumedCapacity,
// streams and indexes behave exactly as for the operation the statement stands for.
//
// Wiring (src/server/tabula.ts), after capacity wraps the table:
//   const operations = withCapacity(...);  { ...operations, ...partiqlOperations(operations, (name) => catalog.table(name).spec) }
import type { OperationHandler } from '../server/http-server.js';
import { batchExecuteStatement } from './batch-execute-statement.js';
import { executeStatement } from './execute-statement.js';
import { executeTransaction } from './execute-transaction.js';
import type { TableSpecLookup } from './schema.js';

/** `tables`: a table's spec by name (the catalog's), or ResourceNotFoundException. */
export function partiqlOperations(operations: Record<string, OperationHandler>, tables: TableSpecLookup): Record<string, OperationHandler> {
  return {
    ExecuteStatement: (input, context) => executeStatement(input, { operations, context, tables }),
    BatchExecuteStatement: (input, context) => batchExecuteStatement(input, { operations, context, tables }),
    ExecuteTransaction: (input, context) => executeTransaction(input, { operations, context, tables }),
  };
}

export { describeStatement, type PartiqlAction, type StatementAccess } from './statements.js';
export { denyStatement, statementKeys, type StatementKeys } from './access.js';
