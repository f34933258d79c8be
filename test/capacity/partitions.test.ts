// Partitions through the real SDK on a manual clock. Split for heat: a write-sharded
// leaderboard (LEADERBOARD#1..10) whose keys share a partition throttles at first and stops
// once two minutes of heat split that partition, while a single hot key stays capped at
// 1,000 WCU/s. GSI partitions: a GSI partition over its ceiling throttles the base-table
// writes that reach it (naming the GSI, as DynamoDB does), and so does a GSI out of
// provisioned write capacity, for single writes, batches and transactions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchWriteItemCommand, DeleteItemCommand, PutItemCommand, TransactWriteItemsCommand, UpdateItemCommand,
  type AttributeValue, type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { errorOf } from '../support/errors.js';
import { ManualClock } from '../support/clock.js';
import { capacityTrackerOf, keyPosition } from '../../src/capacity/index.js';
import {
  createCapacityTable, indexMessage, putAll, sizedItem, startCapacityServer, type CapacityServer, type Throttled,
} from './support.js';

const clock = new ManualClock(Date.UTC(2026, 2, 1));
let t: CapacityServer;

before(async () => {
  // On-demand partitions refuse traffic only with the instant limit enforced.
  t = await startCapacityServer({ clock, capacity: { onDemandInstantThroughput: true } });
});
after(() => t.close());

const tracker = () => capacityTrackerOf(t.tabula.database)!;

/** Adds one to the score of a leaderboard entry: DynamoDB charges the whole (300 KB) item. */
async function bumpScore(table: string, key: Record<string, AttributeValue>): Promise<'ok' | 'throttled'> {
  try {
    await t.client.send(new UpdateItemCommand({ TableName: table, Key: key, UpdateExpression: 'ADD score :one', ExpressionAttributeValues: { ':one': { N: '1' } } }));
    return 'ok';
  } catch (error) {
    const throttled = error as Throttled;
    assert.equal(throttled.name, 'ThrottlingException');
    assert.deepEqual((throttled.throttlingReasons as { reason: string }[])[0]!.reason, 'TableWriteKeyRangeThroughputExceeded');
    return 'throttled';
  }
}

test('split for heat: a sharded leaderboard stops throttling once its hot partition splits; one hot key stays capped', async () => {
  // Each entry is just under 300 KB: a score update costs 300 WCU. Ten shards updated once a
  // second are 3,000 WCU/s, well within a new on-demand table (4 partitions, 4,000 WRU/s),
  // but four of the shards hash to one partition: 1,200 WCU/s on a 1,000 WCU/s ceiling.
  const entryBytes = 300 * 1024 - 64;
  const sharded = await createCapacityTable(t.client, 'cap_heat_sharded');
  const single = await createCapacityTable(t.client, 'cap_heat_single', { sortKey: true });
  const shards = Array.from({ length: 10 }, (_, i) => `LEADERBOARD#${i + 1}`);
  const partitionsOf = (count: number) => shards.map((shard) => Math.floor((keyPosition('S' + shard) * count) / 2 ** 32));
  const crowded = Math.max(...[0, 1, 2, 3].map((p) => partitionsOf(4).filter((q) => q === p).length));
  assert.equal(crowded, 4, 'four shards share one of the four partitions');
  for (const shard of shards) await putAll(t.client, sharded.name, [sizedItem(shard, entryBytes)]);
  await putAll(t.client, single.name, [0, 1, 2, 3].map((sk) => sizedItem('LEADERBOARD', entryBytes, sk)));

  const shardedThrottles: number[] = [];
  const singleThrottles: number[] = [];
  const seconds = 135;
  for (let second = 0; second < seconds; second++) {
    clock.advance(1000);
    let throttled = 0;
    for (const shard of shards) if ((await bumpScore(sharded.name, { pk: { S: shard } })) === 'throttled') throttled++;
    shardedThrottles.push(throttled);
    throttled = 0;
    for (const sk of [0, 1, 2, 3]) if ((await bumpScore(single.name, { pk: { S: 'LEADERBOARD' }, sk: { N: String(sk) } })) === 'throttled') throttled++;
    singleThrottles.push(throttled);
  }
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  // At first the crowded partition throttles (once its two seconds of headroom are spent).
  assert.ok(sum(shardedThrottles.slice(0, 30)) >= 5, `sharded throttles at first: ${shardedThrottles.slice(0, 30)}`);
  // Two minutes of heat split it; the last ten seconds pass without a throttle.
  assert.deepEqual(shardedThrottles.slice(-10), Array(10).fill(0));
  const shardedState = tracker().table(sharded.name, clock.now())!;
  assert.ok(shardedState.table.partitions.splitsForHeat >= 1);
  assert.ok(tracker().partitionCount(sharded.name)! > 4);
  // The single hot key cannot be split: still 4 partitions, still throttled at 1,000 WCU/s
  // (three or four of its 300 WCU updates a second).
  const singleState = tracker().table(single.name, clock.now())!;
  assert.equal(singleState.table.partitions.splitsForHeat, 0);
  assert.equal(tracker().partitionCount(single.name), 4);
  const lastTen = singleThrottles.slice(-10);
  const admittedUnits = (40 - sum(lastTen)) * 300;
  assert.ok(admittedUnits >= 9000 && admittedUnits <= 10_200, `hot key admitted ${admittedUnits} WCU in 10 s (${lastTen})`);
});

test('a hot GSI partition throttles the base-table writes that reach it, naming the GSI', async () => {
  // Ample capacity on the table and the GSI (11 partitions each); every item shares one GSI key.
  const { name, arn } = await createCapacityTable(t.client, 'cap_gsi_hot', {
    billing: { rcu: 100, wcu: 10_000 },
    gsi: { name: 'byStatus', attribute: 'status', capacity: { rcu: 100, wcu: 10_000 } },
  });
  const gsiPartition = (status: string) => Math.floor((keyPosition('S' + status) * 11) / 2 ** 32);
  assert.notEqual(gsiPartition('active'), gsiPartition('archived'));
  const order = (pk: string, status?: string) => sizedItem(pk, 10 * 1024, undefined, status === undefined ? {} : { status: { S: status } });
  clock.advance(1000);
  // 2,000 GSI write units (two seconds of the partition's ceiling) go through ...
  let n = 0;
  for (let batch = 0; batch < 8; batch++) await putAll(t.client, name, Array.from({ length: 25 }, () => order(`order-${n++}`, 'active')));
  // ... then every write reaching the 'active' partition of the GSI is refused.
  const batch = (items: Record<string, AttributeValue>[]) =>
    t.client.send(new BatchWriteItemCommand({ RequestItems: { [name]: items.map((value): WriteRequest => ({ PutRequest: { Item: value } })) } }));
  const refused = await errorOf<Throttled>(batch([order(`order-${n++}`, 'active'), order(`order-${n++}`, 'active')]));
  assert.equal(refused.name, 'ProvisionedThroughputExceededException');
  assert.equal(refused.message, indexMessage);
  assert.deepEqual(refused.ThrottlingReasons, [{ reason: 'IndexWriteKeyRangeThroughputExceeded', resource: `${arn}/index/byStatus` }]);
  const single = await errorOf<Throttled>(t.client.send(new PutItemCommand({ TableName: name, Item: order('single', 'active') })));
  assert.deepEqual(single.ThrottlingReasons, [{ reason: 'IndexWriteKeyRangeThroughputExceeded', resource: `${arn}/index/byStatus` }]);
  // In one batch, writes to other GSI partitions, and writes the sparse GSI does not index, go through.
  const mixed = [order('m-active-1', 'active'), order('m-archived', 'archived'), order('m-none'), order('m-active-2', 'active')];
  const result = await batch(mixed);
  assert.deepEqual(result.UnprocessedItems, { [name]: [{ PutRequest: { Item: mixed[0] } }, { PutRequest: { Item: mixed[3] } }] });
  // An update of an item that is in the hot GSI partition is refused too (its stored GSI key is looked up).
  const update = await errorOf<Throttled>(t.client.send(new UpdateItemCommand({
    TableName: name, Key: { pk: { S: 'order-0' } }, UpdateExpression: 'SET note = :n', ExpressionAttributeValues: { ':n': { S: 'x' } },
  })));
  assert.deepEqual(update.ThrottlingReasons, [{ reason: 'IndexWriteKeyRangeThroughputExceeded', resource: `${arn}/index/byStatus` }]);
  // A second later the partition takes 1,000 more units.
  clock.advance(1000);
  await putAll(t.client, name, Array.from({ length: 25 }, () => order(`order-${n++}`, 'active')));
});

test('a GSI out of provisioned write capacity throttles base-table batches, updates, deletes and transactions', async () => {
  const { name, arn } = await createCapacityTable(t.client, 'cap_gsi_wcu', {
    billing: { rcu: 100, wcu: 100 },
    gsi: { name: 'byStatus', attribute: 'status', capacity: { rcu: 5, wcu: 2 } },
  });
  const gsiArn = `${arn}/index/byStatus`;
  const reason = [{ reason: 'IndexWriteProvisionedThroughputExceeded', resource: gsiArn }];
  // Two indexed writes spend the GSI's one second of capacity.
  await putAll(t.client, name, [sizedItem('a', 500, undefined, { status: { S: 'x' } }), sizedItem('b', 500, undefined, { status: { S: 'y' } })]);
  const batch = await errorOf<Throttled>(t.client.send(new BatchWriteItemCommand({
    RequestItems: { [name]: [{ PutRequest: { Item: sizedItem('c', 500) } }, { DeleteRequest: { Key: { pk: { S: 'a' } } } }] },
  })));
  assert.equal(batch.name, 'ProvisionedThroughputExceededException');
  assert.deepEqual(batch.ThrottlingReasons, reason);
  const update = await errorOf<Throttled>(t.client.send(new UpdateItemCommand({
    TableName: name, Key: { pk: { S: 'a' } }, UpdateExpression: 'SET note = :n', ExpressionAttributeValues: { ':n': { S: 'x' } },
  })));
  assert.deepEqual(update.ThrottlingReasons, reason);
  const remove = await errorOf<Throttled>(t.client.send(new DeleteItemCommand({ TableName: name, Key: { pk: { S: 'b' } } })));
  assert.deepEqual(remove.ThrottlingReasons, reason);
  const transaction = await errorOf<Throttled>(t.client.send(new TransactWriteItemsCommand({
    TransactItems: [{ Put: { TableName: name, Item: sizedItem('d', 500) } }],
  })));
  assert.equal(transaction.name, 'TransactionCanceledException');
  assert.deepEqual(transaction.CancellationReasons, [{ Code: 'ProvisionedThroughputExceeded', Message: indexMessage }]);
  clock.advance(1000);
  await t.client.send(new PutItemCommand({ TableName: name, Item: sizedItem('c', 500) }));
});
