// The DynamoDB Streams errors a client can see, each text in one place.
// "Invalid StreamArn" (ValidationException) is DynamoDB's, as clients report it; the others
// follow DynamoDB's and Kinesis's shapes but are unverified against the live service.
import { DynamoError, validationError } from '../model/errors.js';
import { shardIteratorLifetimeMs } from './stream-limits.js';

export function invalidStreamArn(): DynamoError {
  return validationError('Invalid StreamArn');
}

// unverified: the ResourceNotFoundException texts of DescribeStream / GetShardIterator / GetRecords.
export function streamNotFound(streamArn: string): DynamoError {
  return new DynamoError('ResourceNotFoundException', `Requested resource not found: Stream: ${streamArn} not found`);
}

export function shardNotFound(shardId: string, streamArn: string): DynamoError {
  return new DynamoError('ResourceNotFoundException', `Requested resource not found: Shard: ${shardId} in Stream: ${streamArn} not found`);
}

export function tableNotFound(tableName: string): DynamoError {
  return new DynamoError('ResourceNotFoundException', `Requested resource not found: Table: ${tableName} not found`);
}

// unverified: the texts below.
export function invalidShardIterator(): DynamoError {
  return validationError('Invalid ShardIterator');
}

/** AT_/AFTER_SEQUENCE_NUMBER need a SequenceNumber; TRIM_HORIZON and LATEST take none (Kinesis's wording). */
export function sequenceNumberMismatch(iteratorType: string, given: boolean): DynamoError {
  return validationError(
    'Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and SequenceNumber or (2) TRIM_HORIZON or LATEST and no SequenceNumber. ' +
      `Request specified ${iteratorType} and ${given ? 'also a SequenceNumber' : 'no SequenceNumber'}.`,
  );
}

export function sequenceNumberOutsideShard(sequenceNumber: string, shardId: string): DynamoError {
  return validationError(`Invalid SequenceNumber: ${sequenceNumber} is not in the range of shard ${shardId}`);
}

export function trimmedData(): DynamoError {
  return new DynamoError('TrimmedDataAccessException', 'The operation attempted to read past the oldest stream record in a shard.');
}

export function iteratorExpired(issuedMs: number, nowMs: number): DynamoError {
  return new DynamoError(
    'ExpiredIteratorException',
    `Iterator expired. The iterator was created at time ${new Date(issuedMs).toUTCString()} while right now it is ${new Date(nowMs).toUTCString()} ` +
      `which is further in the future than the tolerated delay of ${shardIteratorLifetimeMs} milliseconds.`,
  );
}
