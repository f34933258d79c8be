// Which resource a Streams operation is authorized on: the stream ARN from the request, or for
// GetRecords the ARN a shard iterator carries, so stream-scoped policies can match.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dynamodbAccess, type TableLookup } from '../../src/iam/dynamodb-access.js';

const tables: TableLookup = { find: () => undefined, tableArn: (name) => `arn:aws:dynamodb:us-east-1:000000000000:table/${name}` };
const streamArn = 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2026-11-25T00:00:00.000';

test('DescribeStream and GetShardIterator are authorized on the stream ARN', () => {
  for (const operation of ['DescribeStream', 'GetShardIterator']) {
    const [access] = dynamodbAccess(operation, { StreamArn: streamArn }, tables);
    assert.equal(access?.action, `dynamodb:${operation}`);
    assert.equal(access?.resource, streamArn);
  }
});

test('GetRecords is authorized on the stream its iterator names', () => {
  const [access] = dynamodbAccess('GetRecords', { ShardIterator: `${streamArn}|1|opaque` }, tables);
  assert.equal(access?.resource, streamArn);
  const [unknown] = dynamodbAccess('GetRecords', { ShardIterator: 'garbage' }, tables);
  assert.equal(unknown?.resource, '*');
});
