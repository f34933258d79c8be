// DynamoDB's hard limits through the real SDK, each at the boundary and one past it:
// key sizes, the per-account table count and the expression length.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { startTestServer, uniqueTableName, type TestServer } from '../support/server.js';
import { errorOf } from '../support/errors.js';
import { createTable } from '../support/tables.js';
import { tablesPerAccountMax } from '../../src/model/limits.js';

let t: TestServer;
let table: string;
before(async () => {
  t = await startTestServer();
  table = uniqueTableName('limits');
  await createTable(t.client, { name: table, partitionKey: ['p', 'S'], sortKey: ['s', 'S'] });
});
after(() => t.close());

test('partition key: 2048 bytes accepted, 2049 rejected', async () => {
  const p = 'é'.repeat(1024); // 2 bytes each in UTF-8
  await t.doc.send(new PutCommand({ TableName: table, Item: { p, s: 'x' } }));
  const read = await t.doc.send(new GetCommand({ TableName: table, Key: { p, s: 'x' } }));
  assert.equal(read.Item?.p, p);
  const error = await errorOf(t.doc.send(new PutCommand({ TableName: table, Item: { p: p + 'a', s: 'x' } })));
  assert.equal(error.name, 'ValidationException');
  assert.match(error.message, /Size of hashkey has exceeded the maximum size limit of ?2048 bytes/);
});

test('sort key: 1024 bytes accepted, 1025 rejected', async () => {
  const s = 'z'.repeat(1024);
  await t.doc.send(new PutCommand({ TableName: table, Item: { p: 'sk', s } }));
  const error = await errorOf(t.doc.send(new PutCommand({ TableName: table, Item: { p: 'sk', s: s + 'z' } })));
  assert.equal(error.name, 'ValidationException');
  assert.match(error.message, /Aggregated size of all range keys has exceeded the size limit of 1024 bytes/);
});

test('expressions: 4 KB accepted, one byte more rejected', async () => {
  const padding = (length: number) => 'attribute_not_exists(#a) OR #a = :v'.padEnd(length, ' ');
  const names = { '#a': 'a' };
  const values = { ':v': 1 };
  await t.doc.send(new PutCommand({ TableName: table, Item: { p: 'expr', s: 'x' }, ConditionExpression: padding(4096), ExpressionAttributeNames: names, ExpressionAttributeValues: values }));
  const error = await errorOf(
    t.doc.send(new PutCommand({ TableName: table, Item: { p: 'expr2', s: 'x' }, ConditionExpression: padding(4097), ExpressionAttributeNames: names, ExpressionAttributeValues: values })),
  );
  assert.equal(error.name, 'ValidationException');
  assert.match(error.message, /Expression size has exceeded the maximum allowed size/);
});

test(`an account holds ${tablesPerAccountMax} tables; one more is LimitExceededException`, async () => {
  const created: string[] = [];
  const existing = 1; // the table made in before()
  for (let i = existing; i < tablesPerAccountMax; i++) {
    const name = `count_${i}`;
    await createTable(t.client, { name, partitionKey: ['p', 'S'] });
    created.push(name);
  }
  const error = await errorOf(createTable(t.client, { name: 'one_too_many', partitionKey: ['p', 'S'] }));
  assert.equal(error.name, 'LimitExceededException');
  for (const name of created) await t.client.send(new DeleteTableCommand({ TableName: name }));
});
