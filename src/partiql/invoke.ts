// Running a translated statement through the operations table, and presenting the errors the
// operations raise the way PartiQL presents them.
import { DynamoError } from '../model/errors.js';
import type { OperationHandler, RequestContext } from '../server/http-server.js';
import type { TableSpecLookup } from './schema.js';

/** The wrapped dispatch table (capacity, throttling) and the request it serves. */
export interface Runtime {
  operations: Record<string, OperationHandler>;
  context: RequestContext;
  /** Table specs by name, for the translation (src/partiql/schema.ts). */
  tables: TableSpecLookup;
}

// DynamoDB runs PartiQL's clauses through its expression validator but words the failures
// without naming an expression the client never wrote (pinned: "Incorrect operand type for
// operator or function; operator or function: <, operand type: BOOL" for a WHERE clause).
const expressionPrefix = /^Invalid (?:KeyCondition|Filter|Condition|Update|Projection)Expression: /;

/** Calls one operation; a validation failure inside a generated expression loses its prefix. */
export async function invoke(runtime: Runtime, operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
  try {
    return ((await runtime.operations[operation]!(input, runtime.context)) ?? {}) as Record<string, unknown>;
  } catch (error) {
    throw presentError(error);
  }
}

export function presentError(error: unknown): unknown {
  if (error instanceof DynamoError && error.name === 'ValidationException' && expressionPrefix.test(error.message)) {
    return new DynamoError('ValidationException', error.message.replace(expressionPrefix, ''), error.fields);
  }
  return error;
}

// BatchStatementErrorCodeEnum (botocore): the per-statement codes of BatchExecuteStatement.
const batchErrorCodes: Partial<Record<string, string>> = {
  ConditionalCheckFailedException: 'ConditionalCheckFailed',
  ItemCollectionSizeLimitExceededException: 'ItemCollectionSizeLimitExceeded',
  RequestLimitExceeded: 'RequestLimitExceeded',
  ValidationException: 'ValidationError',
  ProvisionedThroughputExceededException: 'ProvisionedThroughputExceeded',
  TransactionConflictException: 'TransactionConflict',
  ThrottlingException: 'ThrottlingError',
  InternalServerError: 'InternalServerError',
  ResourceNotFoundException: 'ResourceNotFound',
  AccessDeniedException: 'AccessDenied',
  DuplicateItemException: 'DuplicateItem',
};

/** A statement's failure as a BatchStatementError, or undefined when it is not the client's (rethrow). */
export function batchStatementError(error: unknown): { Code: string; Message: string } | undefined {
  if (!(error instanceof DynamoError)) return undefined;
  const code = batchErrorCodes[error.name];
  return code === undefined ? undefined : { Code: code, Message: error.message };
}
