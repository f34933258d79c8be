// The item collection limit of tables with local secondary indexes: a partition key's items
// plus their LSI entries may not outgrow the limit (10 GB in DynamoDB; lowered here through the
// server option so the boundary can be reached), and deleting makes room again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startTestServer, uniqueTableName, type TestServer } from '../support/server.js';
import { errorOf } from '../support/errors.js';
import { createTable } from '../support/tables.js';

const limitBytes = 10_000;
let t: TestServer;
let table: string;
before(async () => {
  t = await startTestServer({ itemCollectionBytesMax: limitBytes });
  table = uniqueTableName('collections');
  await createTable(t.client, {
    name: table,
    partitionKey: ['p', 'S'],
    sortKey: ['c', 'S'],
    localIndexes: [{ name: 'by_l', sortKey: ['l', 'S'], projection: 'KEYS_ONLY' }],
  });
});
after(() => t.close());

// Item {p: 'a', c: 'k1', l: 'x', data: N bytes} is 11 + N bytes; its KEYS_ONLY LSI entry
// (p, c, l) is 7 bytes: the collection holds 18 + N bytes.
const item = (p: string, c: string, dataBytes: number) => ({ p, c, l: 'x', data: 'y'.repeat(dataBytes) });

test('a collection may reach the limit exactly; one byte more is ItemCollectionSizeLimitExceededException', async () => {
  const put = await t.doc.send(new PutCommand({ TableName: table, Item: item('a', 'k1', limitBytes - 18), ReturnItemCollectionMetrics: 'SIZE' }));
  assert.deepEqual(put.ItemCollectionMetrics, { ItemCollectionKey: { p: 'a' }, SizeEstimateRangeGB: [0, 1] });
  const over = await errorOf(t.doc.send(new PutCommand({ TableName: table, Item: item('b', 'k1', limitBytes - 17) })));
  assert.equal(over.name, 'ItemCollectionSizeLimitExceededException');
  const growing = await errorOf(
    t.doc.send(new UpdateCommand({ TableName: table, Key: { p: 'a', c: 'k1' }, UpdateExpression: 'SET extra = :v', ExpressionAttributeValues: { ':v': 'z' } })),
  );
  assert.equal(growing.name, 'ItemCollectionSizeLimitExceededException');
});

test('shrinking and deleting make room again; other partition keys are separate collections', async () => {
  await t.doc.send(new PutCommand({ TableName: table, Item: item('c', 'k1', limitBytes - 18) }));
  await t.doc.send(new PutCommand({ TableName: table, Item: item('d', 'k1', limitBytes - 18) }));
  await t.doc.send(new PutCommand({ TableName: table, Item: item('c', 'k1', 100) })); // replaced by a smaller item
  await t.doc.send(new PutCommand({ TableName: table, Item: item('c', 'k2', limitBytes - 18 - 118) }));
  await t.doc.send(new DeleteCommand({ TableName: table, Key: { p: 'd', c: 'k1' } }));
  await t.doc.send(new PutCommand({ TableName: table, Item: item('d', 'k2', limitBytes - 18) }));
});
