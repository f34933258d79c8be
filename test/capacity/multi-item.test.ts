// Batches and transactions item by item, through the real SDK on a manual clock: each item is
// admitted against its own partition, so batch items on a throttled partition come back as
// UnprocessedItems / UnprocessedKeys while the others are processed, and a transaction that
// touches a throttled partition is cancelled (ProvisionedThroughputExceeded or ThrottlingError)
// and writes nothing. Also spot-checks of ConsumedCapacity for batches, transactions and GSIs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchGetItemCommand, BatchWriteItemCommand, GetItemCommand, TransactGetItemsCommand, TransactWriteItemsCommand,
  type AttributeValue, type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { errorOf } from '../support/errors.js';
import { ManualClock } from '../support/clock.js';
import { keyPosition } from '../../src/capacity/index.js';
import {
  createCapacityTable, onDemandMessage, putAll, sizedItem, startCapacityServer, tableMessage, type CapacityServer, type Throttled,
} from './support.js';

const clock = new ManualClock(Date.UTC(2026, 3, 1));
let t: CapacityServer;

before(async () => {
  // On-demand partitions refuse traffic only with the instant limit enforced.
  t = await startCapacityServer({ clock, capacity: { onDemandInstantThroughput: true } });
});
after(() => t.close());

const partitionOf = (pk: string, count: number) => Math.floor((keyPosition('S' + pk) * count) / 2 ** 32);
/** Keys that share no partition with `hot` among `count` partitions. */
const coldKeys = (hot: string, count: number, howMany: number) =>
  Array.from({ length: 200 }, (_, i) => `cold-${i}`).filter((key) => partitionOf(key, count) !== partitionOf(hot, count)).slice(0, howMany);

function batchWrite(table: string, items: Record<string, AttributeValue>[]) {
  const requests = items.map((value): WriteRequest => ({ PutRequest: { Item: value } }));
  return t.client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests }, ReturnConsumedCapacity: 'TOTAL' }));
}

/** Spends the 2,000-unit write headroom of `pk`'s partition with 10 KB items. */
async function drainWrites(table: string, pk: string): Promise<void> {
  for (let batch = 0; batch < 8; batch++) {
    await putAll(t.client, table, Array.from({ length: 25 }, (_, i) => sizedItem(pk, 10 * 1024, batch * 25 + i)));
  }
}

test('batch writes: items on a throttled partition come back unprocessed, the others are written', async () => {
  // 10,000 WCU: 11 partitions, the table's own capacity is never the limit.
  const { name } = await createCapacityTable(t.client, 'cap_multi_bw', { billing: { rcu: 100, wcu: 10_000 }, sortKey: true });
  clock.advance(1000);
  await drainWrites(name, 'HOT');
  const cold = coldKeys('HOT', 11, 5);
  const items = [...cold.map((pk) => sizedItem(pk, 2048, 1)), sizedItem('HOT', 2048, 900), sizedItem('HOT', 2048, 901)];
  const result = await batchWrite(name, items);
  assert.deepEqual(result.UnprocessedItems, { [name]: items.slice(5).map((value) => ({ PutRequest: { Item: value } })) });
  // Only the five written items were charged: 2 WCU each.
  assert.deepEqual(result.ConsumedCapacity, [{ TableName: name, CapacityUnits: 10, WriteCapacityUnits: 10 }]);
  const written = await t.client.send(new GetItemCommand({ TableName: name, Key: { pk: { S: cold[0]! }, sk: { N: '1' } }, ConsistentRead: true }));
  assert.ok(written.Item);
  // A second later (a read now: reads share the partition's ceiling) the skipped items are
  // still absent, and the SDK's next attempt gets them through.
  clock.advance(1000);
  const skipped = await t.client.send(new GetItemCommand({ TableName: name, Key: { pk: { S: 'HOT' }, sk: { N: '900' } }, ConsistentRead: true }));
  assert.equal(skipped.Item, undefined);
  assert.deepEqual((await batchWrite(name, items.slice(5))).UnprocessedItems, {});
});

test('batch gets: keys on a throttled partition come back unprocessed, the others are read', async () => {
  // 30,000 RCU: the table's reads are not the limit; one partition serves 3,000 RCU a second.
  const { name, arn } = await createCapacityTable(t.client, 'cap_multi_bg', { billing: { rcu: 30_000, wcu: 2000 }, sortKey: true });
  const cold = coldKeys('HOT', 12, 3);
  clock.advance(1000);
  // Three 390 KB items: a consistent read of each costs 98 RCU.
  await putAll(t.client, name, [0, 1, 2].map((sk) => sizedItem('HOT', 390 * 1024, sk)));
  await putAll(t.client, name, cold.map((pk) => sizedItem(pk, 1000, 0)));
  clock.advance(2000);
  const hotKeys = [0, 1, 2].map((sk) => ({ pk: { S: 'HOT' }, sk: { N: String(sk) } }));
  const read = (keys: Record<string, AttributeValue>[]) =>
    t.client.send(new BatchGetItemCommand({ RequestItems: { [name]: { Keys: keys, ConsistentRead: true, ProjectionExpression: 'pk, sk' } }, ReturnConsumedCapacity: 'TOTAL' }));
  // The partition's headroom is 6,000 RCU: 21 reads of the three items (294 RCU each call).
  let calls = 0;
  for (;;) {
    const error = await read(hotKeys).then(() => undefined, (caught: Throttled) => caught);
    if (error !== undefined) {
      assert.equal(error.name, 'ProvisionedThroughputExceededException');
      assert.deepEqual(error.ThrottlingReasons, [{ reason: 'TableReadKeyRangeThroughputExceeded', resource: arn }]);
      break;
    }
    calls++;
    assert.ok(calls < 30, 'the hot partition throttles within its headroom');
  }
  assert.equal(calls, 21);
  const coldKeysToRead = cold.map((pk) => ({ pk: { S: pk }, sk: { N: '0' } }));
  const mixed = await read([...coldKeysToRead, hotKeys[0]!]);
  assert.equal(mixed.Responses![name]!.length, 3);
  assert.deepEqual(mixed.UnprocessedKeys, { [name]: { Keys: [hotKeys[0]], ConsistentRead: true, ProjectionExpression: 'pk, sk' } });
  // Three small items read consistently: one RCU each.
  assert.deepEqual(mixed.ConsumedCapacity, [{ TableName: name, CapacityUnits: 3, ReadCapacityUnits: 3 }]);
});

test('a transaction touching a throttled partition is cancelled and writes nothing (provisioned and on-demand)', async () => {
  const provisioned = await createCapacityTable(t.client, 'cap_multi_tx', { billing: { rcu: 100, wcu: 10_000 }, sortKey: true });
  const onDemand = await createCapacityTable(t.client, 'cap_multi_tx_od', { sortKey: true });
  clock.advance(1000);
  await drainWrites(provisioned.name, 'HOT');
  await drainWrites(onDemand.name, 'HOT');
  const cold = coldKeys('HOT', 11, 1)[0]!;
  const coldOnDemand = coldKeys('HOT', 4, 1)[0]!;
  const transaction = (table: string, coldKey: string) =>
    t.client.send(new TransactWriteItemsCommand({
      TransactItems: [{ Put: { TableName: table, Item: sizedItem(coldKey, 500, 7) } }, { Put: { TableName: table, Item: sizedItem('HOT', 500, 7) } }],
    }));
  const cancelled = await errorOf<Throttled>(transaction(provisioned.name, cold));
  assert.equal(cancelled.name, 'TransactionCanceledException');
  assert.equal(cancelled.message, 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ProvisionedThroughputExceeded]');
  assert.deepEqual(cancelled.CancellationReasons, [{ Code: 'None' }, { Code: 'ProvisionedThroughputExceeded', Message: tableMessage }]);
  const nothing = await t.client.send(new GetItemCommand({ TableName: provisioned.name, Key: { pk: { S: cold }, sk: { N: '7' } }, ConsistentRead: true }));
  assert.equal(nothing.Item, undefined);

  const cancelledOnDemand = await errorOf<Throttled>(transaction(onDemand.name, coldOnDemand));
  assert.equal(cancelledOnDemand.message, 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ThrottlingError]');
  assert.deepEqual(cancelledOnDemand.CancellationReasons, [{ Code: 'None' }, { Code: 'ThrottlingError', Message: onDemandMessage }]);

  // Reads share a partition's ceiling with writes (a linear combination): a TransactGetItems
  // that reads the hot key is cancelled too.
  const readHot = await errorOf<Throttled>(t.client.send(new TransactGetItemsCommand({
    TransactItems: [
      { Get: { TableName: provisioned.name, Key: { pk: { S: 'HOT' }, sk: { N: '0' } } } },
      { Get: { TableName: provisioned.name, Key: { pk: { S: cold }, sk: { N: '7' } } } },
    ],
  })));
  assert.equal(readHot.name, 'TransactionCanceledException');
  assert.deepEqual(readHot.CancellationReasons, [{ Code: 'ProvisionedThroughputExceeded', Message: tableMessage }, { Code: 'None' }]);
  // A second later the partition has room again, and the transaction writes both items.
  clock.advance(1000);
  await transaction(provisioned.name, cold);
  const written = await t.client.send(new GetItemCommand({ TableName: provisioned.name, Key: { pk: { S: 'HOT' }, sk: { N: '7' } }, ConsistentRead: true }));
  assert.ok(written.Item);
});

test('ConsumedCapacity is exact for batches, transactions and GSIs', async () => {
  const { name } = await createCapacityTable(t.client, 'cap_multi_cc', { gsi: { name: 'byStatus', attribute: 'status' } });
  const indexed = (pk: string) => sizedItem(pk, 1500, undefined, { status: { S: 'open' } });
  // Two puts of 1.5 KB: 2 WCU each on the table and on the GSI (projection ALL).
  const batch = await t.client.send(new BatchWriteItemCommand({
    RequestItems: { [name]: [{ PutRequest: { Item: indexed('a') } }, { PutRequest: { Item: indexed('b') } }] },
    ReturnConsumedCapacity: 'INDEXES',
  }));
  assert.deepEqual(batch.ConsumedCapacity, [{
    TableName: name, CapacityUnits: 8, WriteCapacityUnits: 8,
    Table: { CapacityUnits: 4, WriteCapacityUnits: 4 },
    GlobalSecondaryIndexes: { byStatus: { CapacityUnits: 4, WriteCapacityUnits: 4 } },
  }]);
  // The same put in a transaction costs double, on the table and on the GSI.
  const transaction = await t.client.send(new TransactWriteItemsCommand({
    TransactItems: [{ Put: { TableName: name, Item: indexed('c') } }],
    ReturnConsumedCapacity: 'INDEXES',
  }));
  assert.deepEqual(transaction.ConsumedCapacity, [{
    TableName: name, CapacityUnits: 8, WriteCapacityUnits: 8,
    Table: { CapacityUnits: 4, WriteCapacityUnits: 4 },
    GlobalSecondaryIndexes: { byStatus: { CapacityUnits: 4, WriteCapacityUnits: 4 } },
  }]);
  // Reads: each item rounded up to 4 KB on its own; eventually consistent at half, transactional at double.
  await putAll(t.client, name, [sizedItem('big-1', 5000), sizedItem('big-2', 5000)]);
  const keys = [{ pk: { S: 'big-1' } }, { pk: { S: 'big-2' } }, { pk: { S: 'missing' } }];
  const batchGet = await t.client.send(new BatchGetItemCommand({ RequestItems: { [name]: { Keys: keys } }, ReturnConsumedCapacity: 'TOTAL' }));
  assert.deepEqual(batchGet.ConsumedCapacity, [{ TableName: name, CapacityUnits: 2.5, ReadCapacityUnits: 2.5 }]);
  const transactGet = await t.client.send(new TransactGetItemsCommand({
    TransactItems: keys.slice(0, 2).map((key) => ({ Get: { TableName: name, Key: key } })),
    ReturnConsumedCapacity: 'TOTAL',
  }));
  assert.deepEqual(transactGet.ConsumedCapacity, [{ TableName: name, CapacityUnits: 8, ReadCapacityUnits: 8 }]);
});
