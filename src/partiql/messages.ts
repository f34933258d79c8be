// DynamoDB's PartiQL error texts, in one place. Sources: the `ddb.partiql.shared` classes
// DynamoDB Local shares with the service (ValidationExceptionMessages, the statement
// translators), and the conformance suite nubo-db/dynamodb-conformance, whose PartiQL texts
// are pinned against real DynamoDB (marked "pinned"). Texts from neither are "unverified".
import { DynamoError, validationError } from '../model/errors.js';

/** "Statement wasn't well formed, can't be processed: <detail>" (pinned for "Expected data manipulation"). */
export function malformed(detail: string): DynamoError {
  return validationError(`Statement wasn't well formed, can't be processed: ${detail}`);
}

export const messages = {
  // Parser details (partiql-lang-kotlin's ParserException texts; an error at the end of the
  // statement carries no text there, so the detail is empty). unverified beyond the first.
  expectedDataManipulation: 'Expected data manipulation', // pinned
  unexpectedKeyword: 'Unexpected keyword',
  unexpectedToken: 'Unexpected token',
  expectedKeyword: (keyword: string) => `Expected ${keyword} keyword`,

  // Semantics (ValidationExceptionMessages).
  incompleteKey: 'Where clause does not contain a mandatory equality on all key attributes',
  multipleKeyConditions: (key: string) => `Multiple conditions on same key ${key}. Only single item Update/Insert/Delete are supported`,
  keyValueType: (key: string, type: string) => `Key value must be of type S, N, or B. Key name: ${key}, Key type: ${type}`,
  keyTypeMismatch: (key: string) => `Key attribute's data type should match its data type in table's schema: Key ${key}`,
  keyAbsent: (key: string) => `Key attribute should be present in the item: Key ${key}`,
  parameterCount: "Number of parameters in request and statement don't match.",
  notOnIndex: 'This operation is not supported on an index', // pinned
  dmlTarget: 'FROM clause may only contain a single table name in data manipulation statements', // pinned
  fromPathTooLong: 'A path may contain at most 2 components in the FROM clause', // pinned
  emptyPathComponent: 'Path component cannot be an empty string', // pinned
  listInSource: 'Invalid list expression in source.',
  unexpectedSource: 'Unexpected from source',
  tableName: "Table name should be within the length [3, 255] and only contain 'a-z', 'A-Z', '0-9', '-', '_', '.'.",
  noSuchIndex: 'The table does not have the specified index', // pinned
  consistentOnGlobalIndex: 'Strongly consistent read is not supported on Global Secondary Indexes', // pinned
  aliasing: 'Aliasing is not supported',
  selectValue: "Select projection doesn't support value or pivot keywords",
  starAndOthers: "Other attributes should not be present in the projection when '*' is used.",
  duplicateProjection: (name: string) => `Duplicate identifiers in select clause: ${name}`,
  unsupportedClause: (clause: string) => `Unsupported clause: ${clause}`,
  unsupportedToken: (token: string) => `Unsupported token in expression: ${token}`,
  unrecognizedFunction: (name: string) => `Unrecognized function: ${name}`,
  conditionOperator: (op: string) => `Unsupported operator in Condition Expression. Operator: ${op}`,
  updateOperator: (op: string) => `Unsupported operator in Update Expression. Operator: ${op}`,
  booleanWhere: 'WHERE clause must contain an expression that resolves to a boolean',
  andOrOperands: 'The arguments to AND/OR must be Expressions',
  notOperand: 'The argument to NOT must be a Type or Expression',
  inOperands: 'IN operator must have a left hand argument of type Variable Reference and right hand argument of type Seq with at least one member',
  isOperand: 'The left hand side argument to IS must be a Variable Reference, Literal, or Path',
  isInUpdate: 'IS operator is not supported in update expressions',
  isType: (type: string) =>
    `Unsupported data type for IS operator: ${type}. Supported data types are [MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]`,
  missingLiteral: 'MISSING must be compared using IS operator',
  pathStartsWithIndex: 'A path cannot start with a list index',
  unexpectedPathComponent: 'Unexpected path component',
  wildcardPath: 'Wildcard path component like a[*].b are not supported',
  unpivotPath: 'Unpivot path component like a.*.b are not supported',
  expectedFromAfterDelete: 'Expected FROM after DELETE', // unverified (partiql-lang-kotlin's text)
  listIndexRange: (index: string) => `List index is not within the allowable range; index: [${index}]`,
  assignmentTarget: (target: string) => `Unrecognized assignment target: ${target}`,
  setFunctionArity: (name: string) => `SET_${name} must have exactly two arguments`,
  setFunctionTarget: (name: string) => `The first argument to SET_${name} must equal the assignment value`,
  setFunctionValue: (name: string) => `The second argument to SET_${name} must be a value with type SET`,
  emptyBag: 'Empty bags are not supported',
  bagType: 'Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags',
  tupleKeyType: (type: string, under: string) => `Tuple keys must be of type String. Actual type: ${type} under ${under}`,
  duplicateTupleKey: (key: string, under: string) => `Duplicate keys in tuple. Key: ${key} under ${under}`,
  unsupportedDataType: (type: string, under: string) => `Unsupported data type: ${type} under key ${under}`,
  negativeZero: (under: string) => `Negative zero decimal is not supported under key ${under}`,
  insertItemFormat: 'Unsupported format in item expression. Please use struct format {...} to express item values for insert statement.',
  insertMany:
    'Unsupported operation: Inserting multiple items in a single statement is not supported, use "INSERT INTO tableName VALUE item" instead',
  insertAt: 'AT is not supported in insert statements.',
  insertReturning: 'RETURNING is not supported in INSERT',
  returningMultiple: 'Invalid syntax with multiple returning elements in RETURNING clause',
  returningStar: "Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause",
  deleteReturning: (written: string) =>
    `Invalid returning clause: RETURNING ${written}. Only RETURNING ALL OLD * is allowed in DELETE statements.`, // pinned
  orderByWithoutWhere: 'Must have WHERE clause in the statement when using ORDER BY clause.',
  orderByWithoutHashKey: 'Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.',
  orderByNotKey: (name: string) => `Variable reference ${name} in ORDER BY clause must be part of the primary key`,
  orderByArgument: (type: string) => `Argument to ORDER BY must be of type VariableReference. Type: ${type}`,
  orderByNeedsHashKey: 'Must have hash key in ORDER BY clause when more than one hash key condition specified in WHERE clause.',
  // unverified: the text for an IN list beyond 50 partition key values (DynamoDB's
  // OP_LIMIT_EXCEEDED; the documented limit is the 50).
  tooManyReads: 'Too many decomposed read operations for a given query.',
  existsOutsideTransaction: 'EXISTS can only be used in ExecuteTransaction write requests.',
  existsShape: 'EXISTS() must contain a single item read with additional condition',
  existsOnIndex: 'Operations on indices are not supported in transactions',
  transactionReadOnIndex: 'Reads on indices are not supported within transactions.', // pinned
  transactionReadKey: 'Select statements within ExecuteTransaction must specify the primary key in the where clause.',
  // unverified: pinned only as "...must specify the primary key in the where clause".
  batchReadKey: 'Select statements within BatchExecuteStatement must specify the primary key in the where clause.',
  transactionReturning: 'RETURNING clause is not supported in ExecuteTransaction.', // pinned (with the prefix below)
  transactionStatement: (index: number, detail: string) => `Validation failed in TransactStatements[${index}]: ${detail}`, // pinned
  // unverified: DynamoDB Local's texts for mixing reads and writes.
  batchMixed: 'Read and write requests together in the same batch is not supported.',
  transactionMixed: 'ExecuteTransaction API does not support both read and write operations in the same request.',
  transactionUnsupported: 'Unsupported operation in transaction.',
  // unverified: DynamoDB Local's text for two statements of one batch naming one item.
  duplicateBatchKeys: 'Provided list of item keys contains duplicates',
  duplicateItem: 'Duplicate primary key exists in table',
  invalidNextToken: 'Invalid NextToken',
  nextTokenMismatch: 'NextToken does not match request',
  resourceNotFound: 'Requested resource not found',
} as const;

export function semantic(message: string): DynamoError {
  return validationError(message);
}

export function duplicateItem(): DynamoError {
  return new DynamoError('DuplicateItemException', messages.duplicateItem);
}

export function resourceNotFound(): DynamoError {
  return new DynamoError('ResourceNotFoundException', messages.resourceNotFound);
}
