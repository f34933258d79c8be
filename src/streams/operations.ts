// The DynamoDB Streams dispatch table (X-Amz-Target DynamoDBStreams_20120810.<Operation>).
import type { Database } from '../engine/database.js';
import type { OperationHandler } from '../server/http-server.js';
import { listStreams } from './list-streams.js';
import { describeStream } from './describe-stream.js';
import { getShardIterator } from './get-shard-iterator.js';
import { getRecords } from './get-records.js';

export function createStreamOperations(db: Database): Record<string, OperationHandler> {
  return {
    ListStreams: (input) => listStreams(input, db),
    DescribeStream: (input) => describeStream(input, db),
    GetShardIterator: (input) => getShardIterator(input, db),
    GetRecords: (input) => getRecords(input, db),
  };
}
