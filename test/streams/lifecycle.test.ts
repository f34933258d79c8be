// A stream's life: disabling closes it (DISABLED, EndingSequenceNumber, still readable, read to
// its end with no NextShardIterator), enabling again makes a new stream (new label and ARN,
// LatestStreamArn follows), deleting the table closes its stream too, TTL deletions arrive as
// the service's REMOVE records, and 24 hours after a stream closed it is gone. The change log
// keeps 24 hours for stream tables; older records are trimmed (TrimmedDataAccessException).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DeleteTableCommand, DescribeTableCommand, UpdateTableCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { startStreamsServer, createStreamTable, iteratorOf, readFrom, readStream, shardIdOf, summary, type StreamsTestServer } from './support.js';
import { uniqueTableName } from '../support/server.js';
import { sweepExpiredItems } from '../../src/engine/ttl-sweeper.js';
import { pruneChangeLog } from '../../src/backup/index.js';
import { RetentionPins } from '../../src/backup/retention.js';
import { readChanges, endOfMs } from '../../src/backup/change-log.js';

let t: StreamsTestServer;
before(async () => (t = await startStreamsServer()));
after(() => t.close());

const hourMs = 60 * 60 * 1000;

test('disabling closes the stream: DISABLED, an EndingSequenceNumber, readable to its end', async () => {
  const table = uniqueTableName('disable');
  const streamArn = await createStreamTable(t, table, 'KEYS_ONLY');
  const latest = await iteratorOf(t, streamArn, 'LATEST');
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'a', sk: 1 } }));
  await t.client.send(new UpdateTableCommand({ TableName: table, StreamSpecification: { StreamEnabled: false } }));
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'a', sk: 2 } })); // after disabling: in no stream

  const description = (await t.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription!;
  assert.equal(description.StreamStatus, 'DISABLED');
  assert.equal(description.StreamViewType, 'KEYS_ONLY');
  assert.equal(description.TableName, table);
  const range = description.Shards![0]!.SequenceNumberRange!;
  assert.match(range.EndingSequenceNumber!, /^[0-9]{21,40}$/);
  // The iterator taken while the stream was open reads the one record, then the shard is done.
  const page = await t.streams.send(new GetRecordsCommand({ ShardIterator: latest }));
  assert.deepEqual(page.Records!.map(summary), [{ event: 'INSERT', keys: { pk: 'a', sk: '1' } }]);
  assert.equal(page.Records![0]!.dynamodb!.SequenceNumber, range.EndingSequenceNumber);
  assert.equal(page.NextShardIterator, undefined);
  const read = await readFrom(t, await iteratorOf(t, streamArn, 'TRIM_HORIZON'));
  assert.equal(read.records.length, 1);
  assert.equal(read.next, undefined);
  // LATEST on a closed shard: nothing, and no iterator to go on with.
  const atEnd = await t.streams.send(new GetRecordsCommand({ ShardIterator: await iteratorOf(t, streamArn, 'LATEST') }));
  assert.deepEqual(atEnd.Records, []);
  assert.equal(atEnd.NextShardIterator, undefined);
  // A sequence number past the end of a closed shard is not in it.
  await assert.rejects(
    t.streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: description.Shards![0]!.ShardId!,
        ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
        SequenceNumber: (BigInt(range.EndingSequenceNumber!) + 1n).toString(),
      }),
    ),
    { name: 'ValidationException' },
  );
  // The table still names its latest stream, without a StreamSpecification.
  const table2 = (await t.client.send(new DescribeTableCommand({ TableName: table }))).Table!;
  assert.equal(table2.LatestStreamArn, streamArn);
  assert.equal(table2.StreamSpecification, undefined);
});

test('enabling again makes a new stream with a new label; both are listed, the old one DISABLED', async () => {
  const table = uniqueTableName('reenable');
  const first = await createStreamTable(t, table, 'NEW_IMAGE');
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'a', sk: 1 } }));
  await t.client.send(new UpdateTableCommand({ TableName: table, StreamSpecification: { StreamEnabled: false } }));
  t.clock.advance(1000);
  const updated = await t.client.send(new UpdateTableCommand({ TableName: table, StreamSpecification: { StreamEnabled: true, StreamViewType: 'OLD_IMAGE' } }));
  const second = updated.TableDescription!.LatestStreamArn!;
  assert.notEqual(second, first);
  assert.deepEqual(updated.TableDescription!.StreamSpecification, { StreamEnabled: true, StreamViewType: 'OLD_IMAGE' });
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'a', sk: 1, v: 2 } }));

  const listed = (await t.streams.send(new ListStreamsCommand({ TableName: table }))).Streams!;
  assert.deepEqual(listed.map((s) => s.StreamArn), [first, second]);
  assert.deepEqual(listed.map((s) => s.TableName), [table, table]);
  for (const stream of listed) assert.equal(stream.StreamArn, `${(await describeTableArn(table))}/stream/${stream.StreamLabel}`);
  const statuses = await Promise.all(listed.map(async (s) => (await t.streams.send(new DescribeStreamCommand({ StreamArn: s.StreamArn }))).StreamDescription!.StreamStatus));
  assert.deepEqual(statuses, ['DISABLED', 'ENABLED']);
  assert.deepEqual((await readStream(t, first)).map(summary), [{ event: 'INSERT', keys: { pk: 'a', sk: '1' }, new: { pk: 'a', sk: '1' } }]);
  assert.deepEqual((await readStream(t, second)).map(summary), [{ event: 'MODIFY', keys: { pk: 'a', sk: '1' }, old: { pk: 'a', sk: '1' } }]);
  // A sequence number of the old stream is not in the new stream's shard.
  const oldSequenceNumber = (await readStream(t, first))[0]!.dynamodb!.SequenceNumber!;
  await assert.rejects(
    t.streams.send(new GetShardIteratorCommand({ StreamArn: second, ShardId: await shardIdOf(t, second), ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: oldSequenceNumber })),
    { name: 'ValidationException' },
  );
  assert.notEqual(await shardIdOf(t, first), await shardIdOf(t, second));
});

async function describeTableArn(table: string): Promise<string> {
  return (await t.client.send(new DescribeTableCommand({ TableName: table }))).Table!.TableArn!;
}

test("TTL deletions are REMOVE records with the service's userIdentity", async () => {
  const table = uniqueTableName('ttl');
  const streamArn = await createStreamTable(t, table, 'NEW_AND_OLD_IMAGES');
  await t.client.send(new UpdateTimeToLiveCommand({ TableName: table, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }));
  const nowSeconds = Math.floor(t.clock.now() / 1000);
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'gone', sk: 1, expires: nowSeconds + 10 } }));
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'kept', sk: 1, expires: nowSeconds + 3600 } }));
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'mine', sk: 1 } }));
  await t.doc.send(new DeleteCommand({ TableName: table, Key: { pk: 'mine', sk: 1 } }));
  t.clock.advance(60 * 1000);
  assert.ok((await sweepExpiredItems(t.server.database)) >= 1);
  const records = await readStream(t, streamArn);
  const removes = records.filter((r) => r.eventName === 'REMOVE');
  assert.deepEqual(
    removes.map((r) => [r.dynamodb!.Keys!.pk!.S, r.userIdentity]),
    [
      ['mine', undefined],
      ['gone', { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' }],
    ],
  );
  assert.deepEqual(removes[1]!.dynamodb!.OldImage!.pk, { S: 'gone' });
});

test("deleting the table closes its stream; it stays listed and readable for 24 hours, then it is gone", async () => {
  const table = uniqueTableName('dropped');
  const streamArn = await createStreamTable(t, table, 'KEYS_ONLY');
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'a', sk: 1 } }));
  await t.client.send(new DeleteTableCommand({ TableName: table }));
  const pins = new RetentionPins();
  t.clock.advance(23 * hourMs);
  await pruneChangeLog(t.server.database, pins);
  const listed = (await t.streams.send(new ListStreamsCommand({ TableName: table }))).Streams!;
  assert.deepEqual(listed.map((s) => s.StreamArn), [streamArn]);
  const description = (await t.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription!;
  assert.equal(description.StreamStatus, 'DISABLED');
  assert.deepEqual(description.KeySchema, [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ]);
  assert.equal((await readStream(t, streamArn)).length, 1);
  t.clock.advance(1 * hourMs + 1);
  await pruneChangeLog(t.server.database, pins);
  await assert.rejects(t.streams.send(new DescribeStreamCommand({ StreamArn: streamArn })), { name: 'ResourceNotFoundException' });
  await assert.rejects(t.streams.send(new ListStreamsCommand({ TableName: table })), { name: 'ResourceNotFoundException' });
});

test('the change log of a stream table keeps 24 hours; records older than that are trimmed', async () => {
  const table = uniqueTableName('retention');
  const streamArn = await createStreamTable(t, table, 'KEYS_ONLY');
  const tableNumber = t.server.database.catalog.get(table).tableNumber;
  const logSize = () => [...readChanges(t.server.database.store, tableNumber, endOfMs(0))].length;
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'old', sk: 1 } }));
  const oldIterator = await iteratorOf(t, streamArn, 'TRIM_HORIZON');
  const oldSequenceNumber = (await readStream(t, streamArn))[0]!.dynamodb!.SequenceNumber!;
  const pins = new RetentionPins();
  t.clock.advance(2 * hourMs); // without a stream (and without PITR) a minute would be kept
  await pruneChangeLog(t.server.database, pins);
  assert.equal(logSize(), 1);
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'new', sk: 1 } }));
  t.clock.advance(23 * hourMs);
  await pruneChangeLog(t.server.database, pins);
  assert.equal(logSize(), 1); // the first record (25 hours old) is pruned, the second kept
  // TRIM_HORIZON now starts after the trimmed record.
  assert.deepEqual((await readStream(t, streamArn)).map(summary), [{ event: 'INSERT', keys: { pk: 'new', sk: '1' } }]);
  await assert.rejects(
    t.streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: await shardIdOf(t, streamArn), ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: oldSequenceNumber })),
    { name: 'TrimmedDataAccessException' },
  );
  void oldIterator; // (expired long ago: iterators live 15 minutes)
});

test('an iterator whose next records age past 24 hours before it is used reads TrimmedDataAccessException', async () => {
  const table = uniqueTableName('trimmed');
  const streamArn = await createStreamTable(t, table, 'KEYS_ONLY');
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'a', sk: 1 } }));
  t.clock.advance(24 * hourMs - 5 * 60 * 1000);
  const iterator = await iteratorOf(t, streamArn, 'TRIM_HORIZON');
  t.clock.advance(10 * 60 * 1000); // the record is now 24 h 5 min old; the iterator 10 minutes
  await assert.rejects(t.streams.send(new GetRecordsCommand({ ShardIterator: iterator })), { name: 'TrimmedDataAccessException' });
});
