// Errors of the IAM and STS Query APIs: a code, an HTTP status and AWS's text. server/ writes
// them as a Query-protocol <ErrorResponse>; DynamoDB-side denials stay DynamoErrors.

export type IamErrorCode =
  | 'AccessDenied'
  | 'NoSuchEntity'
  | 'EntityAlreadyExists'
  | 'MalformedPolicyDocument'
  | 'DeleteConflict'
  | 'LimitExceeded'
  | 'InvalidInput'
  | 'ValidationError'
  | 'InvalidAction'
  | 'MissingAction'
  | 'InvalidClientTokenId'
  | 'SignatureDoesNotMatch'
  | 'IncompleteSignature'
  | 'MissingAuthenticationToken'
  | 'ExpiredToken'
  | 'ExpiredTokenException'
  | 'PackedPolicyTooLarge'
  | 'InvalidIdentityToken'
  | 'InvalidAuthenticationCode'
  | 'IDPCommunicationError'
  | 'IDPRejectedClaim'
  | 'RegionDisabledException'
  | 'ServiceFailure';

const statusOf: Record<IamErrorCode, number> = {
  AccessDenied: 403,
  NoSuchEntity: 404,
  EntityAlreadyExists: 409,
  MalformedPolicyDocument: 400,
  DeleteConflict: 409,
  LimitExceeded: 409,
  InvalidInput: 400,
  ValidationError: 400,
  InvalidAction: 400,
  MissingAction: 400,
  InvalidClientTokenId: 403,
  SignatureDoesNotMatch: 403,
  IncompleteSignature: 400,
  MissingAuthenticationToken: 403,
  ExpiredToken: 400,
  ExpiredTokenException: 400,
  PackedPolicyTooLarge: 400,
  InvalidIdentityToken: 400,
  InvalidAuthenticationCode: 403,
  IDPCommunicationError: 400,
  IDPRejectedClaim: 403,
  RegionDisabledException: 403,
  ServiceFailure: 500,
};

export class IamError extends Error {
  readonly code: IamErrorCode;
  readonly status: number;

  constructor(code: IamErrorCode, message: string) {
    super(message);
    this.code = code;
    this.status = statusOf[code];
  }
}

export function noSuchEntity(message: string): IamError {
  return new IamError('NoSuchEntity', message);
}

export function malformedPolicy(message: string): IamError {
  return new IamError('MalformedPolicyDocument', message);
}
