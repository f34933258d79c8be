// Reading a shard: the four iterator types (TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER,
// AFTER_SEQUENCE_NUMBER), GetRecords paging with Limit and NextShardIterator, empty pages
// with an iterator to go on from, the 15-minute iterator lifetime, and the errors for bad
// iterators, sequence numbers, shards and limits. Through the DynamoDB Streams SDK client.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { startStreamsServer, createStreamTable, iteratorOf, readFrom, shardIdOf, type StreamsTestServer } from './support.js';
import { uniqueTableName } from '../support/server.js';

let t: StreamsTestServer;
before(async () => (t = await startStreamsServer()));
after(() => t.close());

async function tableWithItems(count: number): Promise<{ table: string; streamArn: string }> {
  const table = uniqueTableName('iter');
  const streamArn = await createStreamTable(t, table, 'KEYS_ONLY');
  for (let i = 1; i <= count; i++) await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'p', sk: i } }));
  return { table, streamArn };
}

const sortKeys = (records: { dynamodb?: { Keys?: Record<string, { N?: string }> } }[]) => records.map((r) => Number(r.dynamodb!.Keys!.sk!.N));

test('TRIM_HORIZON reads everything; LATEST only what comes after it', async () => {
  const { table, streamArn } = await tableWithItems(3);
  const latest = await iteratorOf(t, streamArn, 'LATEST');
  assert.deepEqual(sortKeys((await readFrom(t, await iteratorOf(t, streamArn, 'TRIM_HORIZON'))).records), [1, 2, 3]);
  const empty = await t.streams.send(new GetRecordsCommand({ ShardIterator: latest }));
  assert.deepEqual(empty.Records, []); // an empty list, not a missing one
  assert.ok(empty.NextShardIterator); // an open shard always has more to come
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'p', sk: 4 } }));
  const fresh = await t.streams.send(new GetRecordsCommand({ ShardIterator: empty.NextShardIterator }));
  assert.deepEqual(sortKeys(fresh.Records!), [4]);
  // The same iterator read twice gives the same records: iterators are positions, not cursors.
  assert.deepEqual(sortKeys((await t.streams.send(new GetRecordsCommand({ ShardIterator: latest }))).Records!), [4]);
});

test('AT_SEQUENCE_NUMBER re-reads a record, AFTER_SEQUENCE_NUMBER the ones after it; StartingSequenceNumber reads from the start', async () => {
  const { streamArn } = await tableWithItems(3);
  const all = (await readFrom(t, await iteratorOf(t, streamArn, 'TRIM_HORIZON'))).records;
  const second = all[1]!.dynamodb!.SequenceNumber!;
  assert.deepEqual(sortKeys((await readFrom(t, await iteratorOf(t, streamArn, 'AT_SEQUENCE_NUMBER', second))).records), [2, 3]);
  assert.deepEqual(sortKeys((await readFrom(t, await iteratorOf(t, streamArn, 'AFTER_SEQUENCE_NUMBER', second))).records), [3]);
  const described = await t.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const start = described.StreamDescription!.Shards![0]!.SequenceNumberRange!.StartingSequenceNumber!;
  assert.match(start, /^[0-9]{21,40}$/);
  assert.ok(BigInt(start) <= BigInt(all[0]!.dynamodb!.SequenceNumber!));
  assert.deepEqual(sortKeys((await readFrom(t, await iteratorOf(t, streamArn, 'AT_SEQUENCE_NUMBER', start))).records), [1, 2, 3]);
});

test('GetRecords pages by Limit; each NextShardIterator continues where the page ended', async () => {
  const { streamArn } = await tableWithItems(7);
  const read = await readFrom(t, await iteratorOf(t, streamArn, 'TRIM_HORIZON'), 3);
  assert.deepEqual(sortKeys(read.records), [1, 2, 3, 4, 5, 6, 7]);
  assert.equal(read.pages, 4); // 3 + 3 + 1, then an empty page
  const first = await t.streams.send(new GetRecordsCommand({ ShardIterator: await iteratorOf(t, streamArn, 'TRIM_HORIZON'), Limit: 1000 }));
  assert.equal(first.Records!.length, 7);
});

test('GetRecords returns at most 1 MB, and at least one record', async () => {
  const table = uniqueTableName('big');
  const streamArn = await createStreamTable(t, table, 'NEW_IMAGE');
  const payload = 'x'.repeat(350 * 1024);
  for (let i = 1; i <= 4; i++) await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'p', sk: i, payload } }));
  const page = await t.streams.send(new GetRecordsCommand({ ShardIterator: await iteratorOf(t, streamArn, 'TRIM_HORIZON') }));
  assert.equal(page.Records!.length, 2); // a third 350 KB image would pass 1 MB
  const rest = await readFrom(t, page.NextShardIterator!);
  assert.deepEqual(sortKeys(rest.records), [3, 4]);
});

test('an iterator expires 15 minutes after it was handed out (ExpiredIteratorException)', async () => {
  const { streamArn } = await tableWithItems(1);
  const iterator = await iteratorOf(t, streamArn, 'TRIM_HORIZON');
  t.clock.advance(15 * 60 * 1000);
  const page = await t.streams.send(new GetRecordsCommand({ ShardIterator: iterator })); // exactly 15 minutes: still valid
  t.clock.advance(1);
  await assert.rejects(t.streams.send(new GetRecordsCommand({ ShardIterator: iterator })), { name: 'ExpiredIteratorException', message: /^Iterator expired/ });
  // The NextShardIterator of a read is a fresh 15 minutes.
  await t.streams.send(new GetRecordsCommand({ ShardIterator: page.NextShardIterator }));
});

test('GetShardIterator and GetRecords errors', async () => {
  const { streamArn } = await tableWithItems(1);
  const shardId = await shardIdOf(t, streamArn);
  assert.match(shardId, /^shardId-[0-9]{20}-[0-9a-f]{8}$/);
  const sequenceNumber = (await readFrom(t, await iteratorOf(t, streamArn, 'TRIM_HORIZON'))).records[0]!.dynamodb!.SequenceNumber!;
  const iterator = (type: string, extra: Record<string, string> = {}) =>
    t.streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: type as 'LATEST', ...extra }));
  await assert.rejects(iterator('AT_SEQUENCE_NUMBER'), { name: 'ValidationException' });
  await assert.rejects(iterator('LATEST', { SequenceNumber: sequenceNumber }), { name: 'ValidationException' });
  await assert.rejects(iterator('bulle'), {
    name: 'ValidationException',
    message:
      "1 validation error detected: Value 'bulle' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER]",
  });
  // An open shard accepts a sequence number beyond its newest record (lifecycle.test.ts: one before its start is invalid).
  await iterator('AT_SEQUENCE_NUMBER', { SequenceNumber: (BigInt(t.clock.now() + 3_600_000) * 10_000_000_000n).toString() });
  await assert.rejects(iterator('AT_SEQUENCE_NUMBER', { SequenceNumber: 'x'.repeat(21) }), { name: 'ValidationException', message: /SequenceNumber/ });
  await assert.rejects(iterator('LATEST', { ShardId: 'shardId-00000000000000000000-00000000' }), { name: 'ResourceNotFoundException' });
  await assert.rejects(iterator('LATEST', { StreamArn: 'not-a-stream-arn-but-long-enough-to-pass-37' }), { name: 'ValidationException', message: 'Invalid StreamArn' });
  await assert.rejects(iterator('LATEST', { StreamArn: `${streamArn.slice(0, -3)}999` }), { name: 'ResourceNotFoundException' });
  await assert.rejects(t.streams.send(new GetRecordsCommand({ ShardIterator: 'not-an-iterator' })), { name: 'ValidationException' });
  const good = await iteratorOf(t, streamArn, 'LATEST');
  await assert.rejects(t.streams.send(new GetRecordsCommand({ ShardIterator: good, Limit: 1001 })), {
    name: 'ValidationException',
    message: "1 validation error detected: Value '1001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000",
  });
  await assert.rejects(t.streams.send(new GetRecordsCommand({ ShardIterator: good, Limit: 0 })), { name: 'ValidationException', message: /at 'limit'/ });
  await t.streams.send(new GetRecordsCommand({ ShardIterator: good, Limit: 1000 }));
});
