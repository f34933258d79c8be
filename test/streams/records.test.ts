// Stream records as the DynamoDB Streams SDK client reads them: one INSERT, MODIFY or REMOVE
// per write that changed an item (PutItem, UpdateItem, DeleteItem, BatchWriteItem,
// TransactWriteItems), none for writes that changed nothing, the images each StreamViewType
// asks for, and the record fields (eventID, eventVersion, eventSource, awsRegion, numeric
// increasing SequenceNumbers, SizeBytes, ApproximateCreationDateTime).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startStreamsServer, createStreamTable, readStream, summary, type StreamsTestServer, type ViewType } from './support.js';
import { uniqueTableName } from '../support/server.js';

let t: StreamsTestServer;
before(async () => (t = await startStreamsServer()));
after(() => t.close());

/** INSERT, MODIFY, MODIFY (update), REMOVE of one item, and writes that change nothing in between. */
async function writeLifecycle(table: string): Promise<void> {
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'a', sk: 1, v: 1 } }));
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'a', sk: 1, v: 1 } })); // the same item: no record
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'a', sk: 1, w: 2 } }));
  await t.doc.send(new UpdateCommand({ TableName: table, Key: { pk: 'a', sk: 1 }, UpdateExpression: 'SET w = :w', ExpressionAttributeValues: { ':w': 2 } })); // no change
  await t.doc.send(new UpdateCommand({ TableName: table, Key: { pk: 'a', sk: 1 }, UpdateExpression: 'SET x = :x', ExpressionAttributeValues: { ':x': 'y' } }));
  await t.doc.send(new DeleteCommand({ TableName: table, Key: { pk: 'a', sk: 1 } }));
  await t.doc.send(new DeleteCommand({ TableName: table, Key: { pk: 'a', sk: 1 } })); // nothing to delete: no record
}

const expectedByViewType: Record<ViewType, Record<string, unknown>[]> = {
  KEYS_ONLY: [
    { event: 'INSERT', keys: { pk: 'a', sk: '1' } },
    { event: 'MODIFY', keys: { pk: 'a', sk: '1' } },
    { event: 'MODIFY', keys: { pk: 'a', sk: '1' } },
    { event: 'REMOVE', keys: { pk: 'a', sk: '1' } },
  ],
  NEW_IMAGE: [
    { event: 'INSERT', keys: { pk: 'a', sk: '1' }, new: { pk: 'a', sk: '1', v: '1' } },
    { event: 'MODIFY', keys: { pk: 'a', sk: '1' }, new: { pk: 'a', sk: '1', w: '2' } },
    { event: 'MODIFY', keys: { pk: 'a', sk: '1' }, new: { pk: 'a', sk: '1', w: '2', x: 'y' } },
    { event: 'REMOVE', keys: { pk: 'a', sk: '1' } },
  ],
  OLD_IMAGE: [
    { event: 'INSERT', keys: { pk: 'a', sk: '1' } },
    { event: 'MODIFY', keys: { pk: 'a', sk: '1' }, old: { pk: 'a', sk: '1', v: '1' } },
    { event: 'MODIFY', keys: { pk: 'a', sk: '1' }, old: { pk: 'a', sk: '1', w: '2' } },
    { event: 'REMOVE', keys: { pk: 'a', sk: '1' }, old: { pk: 'a', sk: '1', w: '2', x: 'y' } },
  ],
  NEW_AND_OLD_IMAGES: [
    { event: 'INSERT', keys: { pk: 'a', sk: '1' }, new: { pk: 'a', sk: '1', v: '1' } },
    { event: 'MODIFY', keys: { pk: 'a', sk: '1' }, old: { pk: 'a', sk: '1', v: '1' }, new: { pk: 'a', sk: '1', w: '2' } },
    { event: 'MODIFY', keys: { pk: 'a', sk: '1' }, old: { pk: 'a', sk: '1', w: '2' }, new: { pk: 'a', sk: '1', w: '2', x: 'y' } },
    { event: 'REMOVE', keys: { pk: 'a', sk: '1' }, old: { pk: 'a', sk: '1', w: '2', x: 'y' } },
  ],
};

for (const viewType of ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'] as const) {
  test(`${viewType}: INSERT, MODIFY, REMOVE with the images the view type asks for; no record for writes that change nothing`, async () => {
    const table = uniqueTableName(`view_${viewType.toLowerCase()}`);
    const streamArn = await createStreamTable(t, table, viewType);
    await writeLifecycle(table);
    const records = await readStream(t, streamArn);
    assert.deepEqual(records.map(summary), expectedByViewType[viewType]);
    for (const record of records) assert.equal(record.dynamodb!.StreamViewType, viewType);
  });
}

test('record fields: eventID, version, source, region, numeric increasing sequence numbers, size, creation time', async () => {
  const table = uniqueTableName('fields');
  const streamArn = await createStreamTable(t, table, 'NEW_AND_OLD_IMAGES');
  const writtenAt = t.clock.now();
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'a', sk: 1, text: 'hello' } }));
  t.clock.advance(1500);
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'a', sk: 1, text: 'hello, world' } }));
  const records = await readStream(t, streamArn);
  assert.equal(records.length, 2);
  const ids = new Set<string>();
  for (const record of records) {
    assert.match(record.eventID!, /^[0-9a-f]{32}$/);
    ids.add(record.eventID!);
    assert.equal(record.eventVersion, '1.1');
    assert.equal(record.eventSource, 'aws:dynamodb');
    assert.equal(record.awsRegion, 'us-east-1');
    assert.equal(record.userIdentity, undefined); // a user's write, not the service's
    assert.match(record.dynamodb!.SequenceNumber!, /^[0-9]{21,40}$/);
    assert.ok(record.dynamodb!.SizeBytes! > 0);
  }
  assert.equal(ids.size, 2);
  assert.ok(BigInt(records[0]!.dynamodb!.SequenceNumber!) < BigInt(records[1]!.dynamodb!.SequenceNumber!));
  // Whole seconds: "rounded down to the closest second".
  assert.equal(records[0]!.dynamodb!.ApproximateCreationDateTime!.getTime(), Math.floor(writtenAt / 1000) * 1000);
  assert.equal(records[1]!.dynamodb!.ApproximateCreationDateTime!.getTime(), Math.floor((writtenAt + 1500) / 1000) * 1000);
  // The bigger images make the bigger record.
  assert.ok(records[1]!.dynamodb!.SizeBytes! > records[0]!.dynamodb!.SizeBytes!);
});

test('batch and transaction writes: one record per item changed, in commit order', async () => {
  const table = uniqueTableName('batch');
  const streamArn = await createStreamTable(t, table, 'KEYS_ONLY');
  await t.doc.send(new BatchWriteCommand({ RequestItems: { [table]: [{ PutRequest: { Item: { pk: 'b', sk: 1 } } }, { PutRequest: { Item: { pk: 'b', sk: 2 } } }] } }));
  await t.doc.send(
    new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: table, Item: { pk: 't', sk: 1 } } },
        { Delete: { TableName: table, Key: { pk: 'b', sk: 1 } } },
        { ConditionCheck: { TableName: table, Key: { pk: 'b', sk: 2 }, ConditionExpression: 'attribute_exists(pk)' } },
      ],
    }),
  );
  const records = await readStream(t, streamArn);
  assert.deepEqual(
    records.map((r) => [r.eventName, r.dynamodb!.Keys!.pk!.S, r.dynamodb!.Keys!.sk!.N]).sort(),
    [
      ['INSERT', 'b', '1'],
      ['INSERT', 'b', '2'],
      ['INSERT', 't', '1'],
      ['REMOVE', 'b', '1'],
    ].sort(),
  );
  const sequenceNumbers = records.map((r) => BigInt(r.dynamodb!.SequenceNumber!));
  assert.deepEqual([...sequenceNumbers].sort((a, b) => (a < b ? -1 : 1)), sequenceNumbers);
});

test('a table without a stream, and writes made before the stream was enabled, are not in any stream', async () => {
  const table = uniqueTableName('late');
  await createStreamTable(t, table);
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'before', sk: 1 } }));
  const updated = await t.client.send(new UpdateTableCommand({ TableName: table, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }));
  const streamArn = updated.TableDescription!.LatestStreamArn!;
  assert.equal(updated.TableDescription!.LatestStreamLabel, streamArn.slice(streamArn.lastIndexOf('/') + 1));
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'after', sk: 1 } }));
  assert.deepEqual((await readStream(t, streamArn)).map(summary), [{ event: 'INSERT', keys: { pk: 'after', sk: '1' }, new: { pk: 'after', sk: '1' } }]);
});
