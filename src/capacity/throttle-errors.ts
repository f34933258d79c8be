// The errors a throttled request gets, with the service's texts and the ThrottlingReasons
// detail of the current API (botocore service-2.json: ThrottlingReason { reason, resource },
// reason = ResourceType + OperationType + LimitType, e.g. TableWriteKeyRangeThroughputExceeded).
import { DynamoError } from '../model/errors.js';

export type ThrottleLimit =
  | 'ProvisionedThroughputExceeded'
  | 'KeyRangeThroughputExceeded'
  | 'MaxOnDemandThroughputExceeded'
  | 'AccountLimitExceeded';

export type Operation = 'read' | 'write';

/** What refused a request: which resource (table or GSI), which operation, which limit. */
export interface Throttle {
  resourceArn: string;
  isIndex: boolean;
  provisioned: boolean;
  operation: Operation;
  limit: ThrottleLimit;
}

// Verified: field reports of ProvisionedThroughputExceededException (2016-2023) and the
// TransactionCanceledException reference (Code ProvisionedThroughputExceeded) carry these texts.
export const provisionedTableMessage =
  'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.';
export const provisionedIndexMessage =
  'The level of configured provisioned throughput for one or more global secondary indexes of the table was exceeded. Consider increasing your provisioning level for the under-provisioned global secondary indexes with the UpdateTable API';
// Verified: ThrottlingException field reports on on-demand tables (2021, 2024); the API
// reference's copy of the text ends with an extra full stop after the URL, the wire's does not.
export const onDemandTableMessage =
  'Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly. If exceptions persist, check if you have a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html';
// From the TransactionCanceledException reference (ThrottlingError on an on-demand GSI).
export const onDemandIndexMessage =
  'Throughput exceeds the current capacity for one or more global secondary indexes. DynamoDB is automatically scaling your index so please try again shortly.';
// unverified: RequestLimitExceeded's wire text; this is the API reference's description of it.
export const accountLimitMessage =
  'Throughput exceeds the current throughput limit for your account. Please contact AWS Support at https://aws.amazon.com/support request a limit increase';

export function throttlingReason(throttle: Throttle): { reason: string; resource: string } {
  const resourceType = throttle.isIndex ? 'Index' : 'Table';
  const operationType = throttle.operation === 'read' ? 'Read' : 'Write';
  return { reason: resourceType + operationType + throttle.limit, resource: throttle.resourceArn };
}

/**
 * The exception of a throttled request. Provisioned resources answer
 * ProvisionedThroughputExceededException; on-demand ones ThrottlingException, whose model
 * member is spelled `throttlingReasons` (botocore marks the shape synthetic; the other two
 * exceptions spell it `ThrottlingReasons`).
 * unverified: that key-range throttles of provisioned tables use the provisioned text, and
 * which exception MaxOnDemandThroughputExceeded comes with (ThrottlingException here).
 */
export function throttleError(throttle: Throttle): DynamoError {
  const reasons = [throttlingReason(throttle)];
  if (throttle.limit === 'AccountLimitExceeded') {
    return new DynamoError('RequestLimitExceeded', accountLimitMessage, { ThrottlingReasons: reasons });
  }
  if (throttle.provisioned) {
    const message = throttle.isIndex ? provisionedIndexMessage : provisionedTableMessage;
    return new DynamoError('ProvisionedThroughputExceededException', message, { ThrottlingReasons: reasons });
  }
  const message = throttle.isIndex ? onDemandIndexMessage : onDemandTableMessage;
  return new DynamoError('ThrottlingException', message, { throttlingReasons: reasons });
}

/** A transaction's cancellation reason for a throttled action (TransactionCanceledException reference). */
export function throttleCancellationReason(throttle: Throttle): { Code: string; Message: string } {
  if (throttle.provisioned) {
    return { Code: 'ProvisionedThroughputExceeded', Message: throttle.isIndex ? provisionedIndexMessage : provisionedTableMessage };
  }
  return { Code: 'ThrottlingError', Message: throttle.isIndex ? onDemandIndexMessage : onDemandTableMessage };
}

/** TransactionCanceledException with one reason per action, as transact-write-items.ts words it. */
export function throttledTransaction(reasons: { Code: string; Message?: string }[]): DynamoError {
  const codes = reasons.map((reason) => reason.Code).join(', ');
  return new DynamoError('TransactionCanceledException', `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`, {
    CancellationReasons: reasons,
  });
}
