// Time to Live through the expiry index: what a sweep deletes and keeps, TTL enabled on a table
// that already holds items (the index is backfilled), the attribute moved by writes, and TTL
// moved to another attribute. Sweeps run by hand on a clock the test moves.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BatchWriteItemCommand, UpdateTimeToLiveCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startTestServer, uniqueTableName, type TestServer } from '../support/server.js';
import { ManualClock, signWithClock } from '../support/clock.js';
import { createTable } from '../support/tables.js';
import { pollUntil } from '../support/polling.js';
import { sweepExpiredItems } from '../../src/engine/ttl-sweeper.js';

const clock = new ManualClock(Date.UTC(2026, 10, 25, 12));
const nowSeconds = () => Math.floor(clock.now() / 1000);
let t: TestServer;

before(async () => {
  t = await startTestServer({ clock, ttlSweepIntervalMs: 0, throttling: false });
  signWithClock(t.client, clock);
});
after(() => t.close());

async function newTable(): Promise<string> {
  const name = uniqueTableName('ttl');
  await createTable(t.client, { name, partitionKey: ['pk', 'S'] });
  return name;
}

async function enableTtl(table: string, attribute: string, enabled = true): Promise<void> {
  await t.client.send(new UpdateTimeToLiveCommand({ TableName: table, TimeToLiveSpecification: { AttributeName: attribute, Enabled: enabled } }));
  // The expiry index of existing items is built in the background.
  await pollUntil(async () => t.server.database.catalog.get(table).timeToLive?.expiryIndex?.complete, Boolean, 'expiry index never completed');
}

const present = async (table: string, pk: string) => (await t.doc.send(new GetCommand({ TableName: table, Key: { pk }, ConsistentRead: true }))).Item !== undefined;

test('a sweep deletes exactly the items whose TTL has passed', async () => {
  const table = await newTable();
  await enableTtl(table, 'expires');
  const now = nowSeconds();
  const items: Record<string, unknown>[] = [
    { pk: 'past', expires: now - 60 },
    { pk: 'fraction-past', expires: now - 0.5 },
    { pk: 'now', expires: now },
    { pk: 'future', expires: now + 60 },
    { pk: 'fraction-future', expires: now + 0.5 },
    { pk: 'string', expires: String(now - 60) },
    { pk: 'missing' },
    { pk: 'six-years-old', expires: now - 6 * 365 * 24 * 3600 },
    { pk: 'negative', expires: -5 },
  ];
  for (const item of items) await t.doc.send(new PutCommand({ TableName: table, Item: item }));
  assert.equal(await sweepExpiredItems(t.server.database), 3);
  for (const pk of ['past', 'fraction-past', 'now']) assert.equal(await present(table, pk), false, pk);
  for (const pk of ['future', 'fraction-future', 'string', 'missing', 'six-years-old', 'negative']) assert.equal(await present(table, pk), true, pk);
  clock.advance(61_000);
  assert.equal(await sweepExpiredItems(t.server.database), 2);
  assert.equal(await present(table, 'future'), false);
  assert.equal(await sweepExpiredItems(t.server.database), 0);
});

test('TTL enabled on a table that holds items covers them all, across sweep batches', async () => {
  const table = await newTable();
  const expired = 1_200; // more than one sweep transaction holds
  for (let i = 0; i < expired + 100; i += 25) {
    const requests = Array.from({ length: 25 }, (_, j) => ({
      PutRequest: { Item: { pk: { S: `item-${i + j}` }, expires: { N: String(i + j < expired ? nowSeconds() - 1 : nowSeconds() + 3600) } } },
    }));
    await t.client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }));
  }
  await enableTtl(table, 'expires');
  assert.equal(await sweepExpiredItems(t.server.database), expired);
  assert.equal(await present(table, `item-${expired - 1}`), false);
  assert.equal(await present(table, `item-${expired}`), true);
});

test('writes move an item’s expiry: postponed, removed or brought forward', async () => {
  const table = await newTable();
  await enableTtl(table, 'expires');
  const soon = nowSeconds() + 10;
  for (const pk of ['postponed', 'removed', 'forward']) await t.doc.send(new PutCommand({ TableName: table, Item: { pk, expires: soon } }));
  await t.doc.send(new UpdateCommand({ TableName: table, Key: { pk: 'postponed' }, UpdateExpression: 'SET expires = :later', ExpressionAttributeValues: { ':later': soon + 3600 } }));
  await t.doc.send(new UpdateCommand({ TableName: table, Key: { pk: 'removed' }, UpdateExpression: 'REMOVE expires' }));
  await t.doc.send(new UpdateCommand({ TableName: table, Key: { pk: 'forward' }, UpdateExpression: 'SET expires = :past', ExpressionAttributeValues: { ':past': nowSeconds() - 1 } }));
  assert.equal(await sweepExpiredItems(t.server.database), 1);
  assert.equal(await present(table, 'forward'), false);
  clock.advance(20_000);
  assert.equal(await sweepExpiredItems(t.server.database), 0);
  assert.deepEqual([await present(table, 'postponed'), await present(table, 'removed')], [true, true]);
});

test('a disabled TTL deletes nothing; moved to another attribute, only that one counts', async () => {
  const table = await newTable();
  await enableTtl(table, 'a');
  const past = nowSeconds() - 1;
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'by-a', a: past } }));
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'by-b', b: past } }));
  await enableTtl(table, 'a', false);
  assert.equal(await sweepExpiredItems(t.server.database), 0);
  const generation = t.server.database.catalog.get(table).timeToLive!.expiryIndex!.generation;

  await enableTtl(table, 'b');
  assert.equal(t.server.database.catalog.get(table).timeToLive!.expiryIndex!.generation, generation + 1);
  assert.equal(await sweepExpiredItems(t.server.database), 1);
  assert.deepEqual([await present(table, 'by-a'), await present(table, 'by-b')], [true, false]);
  const described = await t.client.send(new DescribeTimeToLiveCommand({ TableName: table }));
  assert.deepEqual(described.TimeToLiveDescription, { TimeToLiveStatus: 'ENABLED', AttributeName: 'b' });

  // Back to the first attribute: a new generation indexes the items as they are now.
  await enableTtl(table, 'b', false);
  await enableTtl(table, 'a');
  assert.equal(await sweepExpiredItems(t.server.database), 1);
  assert.equal(await present(table, 'by-a'), false);
});
