// ListStreams (all streams or one table's, Limit / ExclusiveStartStreamArn paging) and
// DescribeStream (the description's fields, shard paging), with their validation errors;
// and boto3's dynamodbstreams client (signed for service "dynamodb") against the same server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DescribeStreamCommand, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { startStreamsServer, createStreamTable, type StreamsTestServer } from './support.js';
import { startTestServer, uniqueTableName } from '../support/server.js';

let t: StreamsTestServer;
before(async () => (t = await startStreamsServer()));
after(() => t.close());

test('ListStreams pages through every stream in ARN order; TableName filters; a table without a stream lists none', async () => {
  const names = [uniqueTableName('list_a'), uniqueTableName('list_b'), uniqueTableName('list_c')];
  const arns: string[] = [];
  for (const name of names) arns.push(await createStreamTable(t, name, 'KEYS_ONLY'));
  const plain = uniqueTableName('list_plain');
  await createStreamTable(t, plain);
  const seen: string[] = [];
  let start: string | undefined;
  let pages = 0;
  do {
    const page = await t.streams.send(new ListStreamsCommand({ Limit: 1, ExclusiveStartStreamArn: start }));
    pages++;
    assert.ok(page.Streams!.length <= 1);
    seen.push(...page.Streams!.map((s) => s.StreamArn!));
    start = page.LastEvaluatedStreamArn;
  } while (start !== undefined);
  assert.equal(pages, seen.length);
  assert.deepEqual(seen, [...seen].sort());
  for (const arn of arns) assert.equal(seen.filter((s) => s === arn).length, 1);
  const one = await t.streams.send(new ListStreamsCommand({ TableName: names[1] }));
  assert.deepEqual(one.Streams, [{ StreamArn: arns[1], TableName: names[1], StreamLabel: arns[1]!.slice(arns[1]!.lastIndexOf('/') + 1) }]);
  assert.equal(one.LastEvaluatedStreamArn, undefined);
  assert.deepEqual((await t.streams.send(new ListStreamsCommand({ TableName: plain }))).Streams, []);
});

test('ListStreams errors: Limit bounds, a malformed ExclusiveStartStreamArn, an unknown table', async () => {
  await assert.rejects(t.streams.send(new ListStreamsCommand({ Limit: 0 })), {
    name: 'ValidationException',
    message: "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
  });
  await assert.rejects(t.streams.send(new ListStreamsCommand({ Limit: 101 })), { name: 'ValidationException', message: /less than or equal to 100/ });
  await t.streams.send(new ListStreamsCommand({ Limit: 100 }));
  await assert.rejects(t.streams.send(new ListStreamsCommand({ ExclusiveStartStreamArn: 'kossaapaaasdafsdaasdasdasdasasdasfadfadfasdasdas' })), {
    name: 'ValidationException',
    message: 'Invalid StreamArn',
  });
  await assert.rejects(t.streams.send(new ListStreamsCommand({ TableName: uniqueTableName('never') })), { name: 'ResourceNotFoundException' });
});

test('DescribeStream: the description, one shard, shard paging, errors', async () => {
  const table = uniqueTableName('describe');
  const createdAt = t.clock.now();
  const streamArn = await createStreamTable(t, table, 'NEW_AND_OLD_IMAGES');
  const description = (await t.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription!;
  const label = streamArn.slice(streamArn.lastIndexOf('/') + 1);
  assert.equal(label, new Date(createdAt).toISOString().slice(0, -1));
  assert.equal(description.StreamArn, streamArn);
  assert.equal(description.StreamLabel, label);
  assert.equal(description.StreamStatus, 'ENABLED');
  assert.equal(description.StreamViewType, 'NEW_AND_OLD_IMAGES');
  assert.equal(description.CreationRequestDateTime!.getTime(), createdAt);
  assert.equal(description.TableName, table);
  assert.deepEqual(description.KeySchema, [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ]);
  assert.equal(description.Shards!.length, 1);
  const shard = description.Shards![0]!;
  assert.equal(shard.ParentShardId, undefined);
  assert.equal(shard.SequenceNumberRange!.EndingSequenceNumber, undefined); // open
  assert.equal(description.LastEvaluatedShardId, undefined);
  const limited = (await t.streams.send(new DescribeStreamCommand({ StreamArn: streamArn, Limit: 1 }))).StreamDescription!;
  assert.equal(limited.Shards!.length, 1);
  const after = (await t.streams.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: shard.ShardId }))).StreamDescription!;
  assert.deepEqual(after.Shards, []);
  await assert.rejects(t.streams.send(new DescribeStreamCommand({ StreamArn: 'sdfadfsdfnlfkajakfgjalksfgklasjklasdjfklasdfasdfgasf' })), {
    name: 'ValidationException',
    message: 'Invalid StreamArn',
  });
  await assert.rejects(t.streams.send(new DescribeStreamCommand({ StreamArn: `${streamArn.slice(0, -3)}999` })), { name: 'ResourceNotFoundException' });
  await assert.rejects(t.streams.send(new DescribeStreamCommand({ StreamArn: streamArn, Limit: 0 })), { name: 'ValidationException' });
});

const run = promisify(execFile);
const boto3Script = `
import os, boto3
kw = dict(endpoint_url=os.environ['TABULA_ENDPOINT'], region_name='us-east-1', aws_access_key_id='tabula', aws_secret_access_key='tabula-local-secret')
ddb = boto3.client('dynamodb', **kw)
streams = boto3.client('dynamodbstreams', **kw)
name = os.environ['TABULA_TABLE']
arn = ddb.create_table(TableName=name, KeySchema=[{'AttributeName': 'p', 'KeyType': 'HASH'}],
    AttributeDefinitions=[{'AttributeName': 'p', 'AttributeType': 'S'}], BillingMode='PAY_PER_REQUEST',
    StreamSpecification={'StreamEnabled': True, 'StreamViewType': 'NEW_IMAGE'})['TableDescription']['LatestStreamArn']
shard = streams.describe_stream(StreamArn=arn)['StreamDescription']['Shards'][0]['ShardId']
iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType='TRIM_HORIZON')['ShardIterator']
ddb.put_item(TableName=name, Item={'p': {'S': 'x'}, 'n': {'N': '1'}})
records = streams.get_records(ShardIterator=iterator)['Records']
assert [r['eventName'] for r in records] == ['INSERT'], records
assert records[0]['dynamodb']['NewImage'] == {'p': {'S': 'x'}, 'n': {'N': '1'}}, records
print('boto3 streams OK')
`;

test('boto3 dynamodbstreams client: signed for service dynamodb, reads a record', async () => {
  // boto3 signs with the real time, so this server keeps the system clock.
  const server = await startTestServer();
  try {
    const { stdout } = await run('python3', ['-c', boto3Script], {
      env: { ...process.env, TABULA_ENDPOINT: server.endpoint, TABULA_TABLE: uniqueTableName('boto3_streams'), AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' },
    });
    assert.match(stdout, /boto3 streams OK/);
  } finally {
    await server.close();
  }
});
