// Stream ARNs: arn:aws:dynamodb:<region>:<account>:table/<table name>/stream/<label>.
import { invalidStreamArn } from './stream-errors.js';

const streamArnPattern = /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:[0-9]{12}:table\/[a-zA-Z0-9_.-]{3,255}\/stream\/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}$/;

/** The ARN if it has a stream ARN's shape, else DynamoDB's "Invalid StreamArn" ValidationException. */
export function checkStreamArn(value: string): string {
  if (!streamArnPattern.test(value)) throw invalidStreamArn();
  return value;
}

export function isStreamArn(value: string): boolean {
  return streamArnPattern.test(value);
}
