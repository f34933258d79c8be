// Every error a client can see: its wire name, HTTP status and __type namespace.
// server/ maps a DynamoError to the wire once; other stages only throw.

interface ErrorSpec {
  status: number;
  namespace: string;
}

const dynamodb = 'com.amazonaws.dynamodb.v20120810';
const coral = 'com.amazon.coral.service';

export const errorCatalogue = {
  ValidationException: { status: 400, namespace: 'com.amazon.coral.validate' },
  SerializationException: { status: 400, namespace: coral },
  UnknownOperationException: { status: 400, namespace: coral },
  MissingAuthenticationTokenException: { status: 400, namespace: coral },
  UnrecognizedClientException: { status: 400, namespace: coral },
  InvalidSignatureException: { status: 400, namespace: coral },
  IncompleteSignatureException: { status: 400, namespace: coral },
  AccessDeniedException: { status: 400, namespace: coral },
  ExpiredTokenException: { status: 400, namespace: coral },
  RequestEntityTooLarge: { status: 413, namespace: coral },
  ThrottlingException: { status: 400, namespace: 'com.amazon.coral.availability' },
  ResourceNotFoundException: { status: 400, namespace: dynamodb },
  ResourceInUseException: { status: 400, namespace: dynamodb },
  LimitExceededException: { status: 400, namespace: dynamodb },
  ConditionalCheckFailedException: { status: 400, namespace: dynamodb },
  ProvisionedThroughputExceededException: { status: 400, namespace: dynamodb },
  RequestLimitExceeded: { status: 400, namespace: dynamodb },
  ItemCollectionSizeLimitExceededException: { status: 400, namespace: dynamodb },
  TransactionCanceledException: { status: 400, namespace: dynamodb },
  // PartiQL INSERT of an item whose key exists (ExecuteStatement).
  DuplicateItemException: { status: 400, namespace: dynamodb },
  TransactionConflictException: { status: 400, namespace: dynamodb },
  TransactionInProgressException: { status: 400, namespace: dynamodb },
  IdempotentParameterMismatchException: { status: 400, namespace: dynamodb },
  TableNotFoundException: { status: 400, namespace: dynamodb },
  TableAlreadyExistsException: { status: 400, namespace: dynamodb },
  TableInUseException: { status: 400, namespace: dynamodb },
  BackupNotFoundException: { status: 400, namespace: dynamodb },
  BackupInUseException: { status: 400, namespace: dynamodb },
  ContinuousBackupsUnavailableException: { status: 400, namespace: dynamodb },
  PointInTimeRecoveryUnavailableException: { status: 400, namespace: dynamodb },
  InvalidRestoreTimeException: { status: 400, namespace: dynamodb },
  ExportNotFoundException: { status: 400, namespace: dynamodb },
  ImportNotFoundException: { status: 400, namespace: dynamodb },
  InvalidExportTimeException: { status: 400, namespace: dynamodb },
  ExportConflictException: { status: 400, namespace: dynamodb },
  ImportConflictException: { status: 400, namespace: dynamodb },
  PolicyNotFoundException: { status: 400, namespace: dynamodb },
  // DynamoDB Streams (src/streams/).
  ExpiredIteratorException: { status: 400, namespace: dynamodb },
  TrimmedDataAccessException: { status: 400, namespace: dynamodb },
  InternalServerError: { status: 500, namespace: dynamodb },
} satisfies Record<string, ErrorSpec>;

export type ErrorName = keyof typeof errorCatalogue;

export class DynamoError extends Error {
  override readonly name: ErrorName;
  /** Extra top-level fields of the error body (CancellationReasons, Item, ...). */
  readonly fields: Record<string, unknown> | undefined;

  constructor(name: ErrorName, message: string, fields?: Record<string, unknown>) {
    super(message);
    this.name = name;
    this.fields = fields;
  }
}

/** Shorthand for the most common error: a ValidationException with DynamoDB's text. */
export function validationError(message: string): DynamoError {
  return new DynamoError('ValidationException', message);
}

/** Our bug, not the client's: fails the request as an internal error. */
export function assert(condition: unknown, what: string): asserts condition {
  if (!condition) throw new Error(`invariant broken: ${what}`);
}
