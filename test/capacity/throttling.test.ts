// Throughput capacity through the real SDK against a server whose operations withCapacity
// wraps, with an injected clock so seconds of traffic run instantly: provisioned tables and
// their burst capacity, the per-partition ceiling (hot key vs write sharding), adaptive
// capacity, GSI back-pressure, on-demand limits, batches, transactions and response shapes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchGetItemCommand, BatchWriteItemCommand, CreateTableCommand, GetItemCommand, PutItemCommand, QueryCommand,
  TransactWriteItemsCommand, UpdateTableCommand, type AttributeValue, type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { uniqueTableName } from '../support/server.js';
import { errorOf } from '../support/errors.js';
import { tableInput, type Capacity } from '../support/tables.js';
import { capacityTrackerOf } from '../../src/capacity/index.js';
import { startCapacityServer, type CapacityServer } from './support.js';
import { ManualClock } from '../support/clock.js';

const clock = new ManualClock(Date.UTC(2026, 0, 1));
let t: CapacityServer;

before(async () => {
  // On-demand partitions refuse traffic only with the instant limit enforced.
  t = await startCapacityServer({ clock, capacity: { onDemandInstantThroughput: true } });
});
after(() => t.close());

const tableMessage =
  'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.';
const indexMessage =
  'The level of configured provisioned throughput for one or more global secondary indexes of the table was exceeded. Consider increasing your provisioning level for the under-provisioned global secondary indexes with the UpdateTable API';
const onDemandMessage =
  'Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly. If exceptions persist, check if you have a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html';

type Throttled = { name: string; message: string; ThrottlingReasons?: unknown; throttlingReasons?: unknown };

interface TableOptions {
  billing?: { rcu: number; wcu: number } | 'on-demand';
  sortKey?: boolean;
  gsi?: { rcu: number; wcu: number };
  maxWrites?: number;
}

async function createCapacityTable(prefix: string, options: TableOptions): Promise<{ name: string; arn: string }> {
  const name = uniqueTableName(prefix);
  const billing = options.billing ?? 'on-demand';
  const input = tableInput({
    name,
    partitionKey: ['pk', 'S'],
    sortKey: options.sortKey ? ['sk', 'N'] : undefined,
    billing: billing === 'on-demand' ? billing : units(billing),
    globalIndexes: options.gsi ? [{ name: 'gsi', partitionKey: ['g', 'S'], capacity: units(options.gsi) }] : undefined,
  });
  if (options.maxWrites !== undefined) input.OnDemandThroughput = { MaxWriteRequestUnits: options.maxWrites };
  const created = await t.client.send(new CreateTableCommand(input));
  return { name, arn: created.TableDescription!.TableArn! };
}

function units(capacity: { rcu: number; wcu: number }): Capacity {
  return { readCapacityUnits: capacity.rcu, writeCapacityUnits: capacity.wcu };
}

/** An item of a little under `bytes` bytes (within 10): pk, optional sk, data. */
function item(pk: string, bytes = 1024, sk?: number): Record<string, AttributeValue> {
  let fixed = 'pk'.length + pk.length + 'data'.length;
  const result: Record<string, AttributeValue> = { pk: { S: pk } };
  if (sk !== undefined) {
    result.sk = { N: String(sk) };
    fixed += 'sk'.length + String(sk).length + 2; // over-estimates a number's size (about digits / 2 + 1)
  }
  result.data = { S: 'x'.repeat(bytes - fixed - 8) };
  return result;
}

const put = (table: string, value: Record<string, AttributeValue>) => t.client.send(new PutItemCommand({ TableName: table, Item: value }));

async function batchPut(table: string, items: Record<string, AttributeValue>[]) {
  const requests: WriteRequest[] = items.map((value) => ({ PutRequest: { Item: value } }));
  return t.client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests }, ReturnConsumedCapacity: 'TOTAL' }));
}

/** Writes `count` distinct 1 KB items in batches of 25, asserting every one was processed. */
async function spendWrites(table: string, count: number, prefix = 'spend'): Promise<void> {
  for (let start = 0; start < count; start += 25) {
    const items = [];
    for (let i = start; i < Math.min(count, start + 25); i++) items.push(item(`${prefix}-${i}`));
    const result = await batchPut(table, items);
    assert.deepEqual(result.UnprocessedItems, {}, `batch at ${start} fully processed`);
  }
}

test('a 5 WCU table throttles the sixth 1 KB write in a second once its burst is spent', async () => {
  const { name, arn } = await createCapacityTable('cap_five', { billing: { rcu: 5, wcu: 5 } });
  clock.advance(400_000); // idle long enough to fill the burst (capped at 300 s = 1,500 units)
  await spendWrites(name, 1500);
  const spent = await errorOf<Throttled>(put(name, item('after-burst')));
  assert.equal(spent.name, 'ProvisionedThroughputExceededException');
  clock.advance(1000);
  for (let i = 0; i < 5; i++) await put(name, item(`second-${i}`));
  const sixth = await errorOf<Throttled>(put(name, item('sixth')));
  assert.equal(sixth.name, 'ProvisionedThroughputExceededException');
  assert.equal(sixth.message, tableMessage);
  assert.deepEqual(sixth.ThrottlingReasons, [{ reason: 'TableWriteProvisionedThroughputExceeded', resource: arn }]);
});

test('burst capacity keeps at most 300 seconds of unused capacity', async () => {
  const { name } = await createCapacityTable('cap_burst', { billing: { rcu: 1, wcu: 1 } });
  clock.advance(1_000_000);
  await spendWrites(name, 300);
  assert.equal((await errorOf<Throttled>(put(name, item('301')))).name, 'ProvisionedThroughputExceededException');
});

test('a new table starts with one second of capacity, and reads and writes have separate buckets', async () => {
  const { name, arn } = await createCapacityTable('cap_fresh', { billing: { rcu: 2, wcu: 1 } });
  await put(name, item('a'));
  assert.equal((await errorOf<Throttled>(put(name, item('b')))).name, 'ProvisionedThroughputExceededException');
  // Reads: 2 RCU are four eventually consistent reads of up to 4 KB, or two consistent ones.
  for (let i = 0; i < 4; i++) await t.client.send(new GetItemCommand({ TableName: name, Key: { pk: { S: 'a' } } }));
  const read = await errorOf<Throttled>(t.client.send(new GetItemCommand({ TableName: name, Key: { pk: { S: 'a' } } })));
  assert.deepEqual(read.ThrottlingReasons, [{ reason: 'TableReadProvisionedThroughputExceeded', resource: arn }]);
});

test('a single hot key over 1,000 WCU/s is throttled on a table with ample capacity; sharding it spreads the load', async () => {
  const { name, arn } = await createCapacityTable('cap_hot', { billing: { rcu: 100, wcu: 10_000 }, sortKey: true });
  clock.advance(1000); // the key's partition now holds its full headroom: two seconds of its ceiling
  const batch = (pk: string, from: number) =>
    batchPut(name, Array.from({ length: 25 }, (_, i) => item(pk, 1024, from + i)));
  for (let n = 0; n < 2000; n += 25) assert.deepEqual((await batch('LEADERBOARD', n)).UnprocessedItems, {});
  // The headroom is spent: nothing in the next batch can be admitted, so the call fails.
  const hot = await errorOf<Throttled>(batch('LEADERBOARD', 2000));
  assert.equal(hot.name, 'ProvisionedThroughputExceededException');
  assert.deepEqual(hot.ThrottlingReasons, [{ reason: 'TableWriteKeyRangeThroughputExceeded', resource: arn }]);
  // From here the key gets 1,000 WCU a second, and not one more.
  clock.advance(1000);
  for (let n = 3000; n < 4000; n += 25) assert.deepEqual((await batch('LEADERBOARD', n)).UnprocessedItems, {});
  const single = await errorOf<Throttled>(put(name, item('LEADERBOARD', 1024, 5000)));
  assert.deepEqual(single.ThrottlingReasons, [{ reason: 'TableWriteKeyRangeThroughputExceeded', resource: arn }]);

  // The next second, 3,000 writes spread over LEADERBOARD#1..10 (300 WCU per key) all succeed:
  // the table's 11 partitions hold at most three of the keys each.
  clock.advance(1000);
  let written = 0;
  for (let round = 0; round < 120; round++) {
    const items = Array.from({ length: 25 }, (_, i) => item(`LEADERBOARD#${((round * 25 + i) % 10) + 1}`, 1024, round * 25 + i));
    const result = await batchPut(name, items);
    assert.deepEqual(result.UnprocessedItems, {});
    written += 25;
  }
  assert.equal(written, 3000);
});

test('adaptive capacity: a hot partition may use unused table capacity up to the partition ceiling, not beyond the table', async () => {
  // 1,500 WCU is two partitions of 750 WCU each; one key takes 900 WCU in a second unthrottled.
  const { name } = await createCapacityTable('cap_adaptive', { billing: { rcu: 10, wcu: 1500 }, sortKey: true });
  assert.equal(capacityTrackerOf(t.tabula.database)!.partitionCount(name), 2);
  clock.advance(1000);
  for (let n = 0; n < 900; n += 25) {
    const result = await batchPut(name, Array.from({ length: 25 }, (_, i) => item('hot', 1024, n + i)));
    assert.deepEqual(result.UnprocessedItems, {});
  }
  // A 100 WCU table gives no more than its own capacity to one key.
  const small = await createCapacityTable('cap_adaptive_small', { billing: { rcu: 10, wcu: 100 }, sortKey: true });
  for (let n = 0; n < 100; n += 25) await batchPut(small.name, Array.from({ length: 25 }, (_, i) => item('hot', 1024, n + i)));
  const over = await errorOf<Throttled>(put(small.name, item('hot', 1024, 100)));
  assert.deepEqual(over.ThrottlingReasons, [{ reason: 'TableWriteProvisionedThroughputExceeded', resource: small.arn }]);
});

test('a GSI at low write capacity throttles writes to its base table', async () => {
  const { name, arn } = await createCapacityTable('cap_gsi', { billing: { rcu: 100, wcu: 100 }, gsi: { rcu: 1, wcu: 1 } });
  const first = await t.client.send(
    new PutItemCommand({ TableName: name, Item: { ...item('a', 500), g: { S: 'x' } }, ReturnConsumedCapacity: 'INDEXES' }),
  );
  assert.deepEqual(first.ConsumedCapacity, {
    TableName: name,
    CapacityUnits: 2,
    WriteCapacityUnits: 2,
    Table: { CapacityUnits: 1, WriteCapacityUnits: 1 },
    GlobalSecondaryIndexes: { gsi: { CapacityUnits: 1, WriteCapacityUnits: 1 } },
  });
  // The base table has 99 units left; the GSI has none, and any write to the table waits for it.
  const blocked = await errorOf<Throttled>(put(name, item('b', 500)));
  assert.equal(blocked.name, 'ProvisionedThroughputExceededException');
  assert.equal(blocked.message, indexMessage);
  assert.deepEqual(blocked.ThrottlingReasons, [{ reason: 'IndexWriteProvisionedThroughputExceeded', resource: `${arn}/index/gsi` }]);
  clock.advance(1000);
  await put(name, item('b', 500));
});

test('a Query on a GSI is admitted against the GSI read capacity', async () => {
  const { name, arn } = await createCapacityTable('cap_gsi_read', { billing: { rcu: 100, wcu: 100 }, gsi: { rcu: 1, wcu: 100 } });
  const query = () => t.client.send(new QueryCommand({
    TableName: name, IndexName: 'gsi', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'x' } },
  }));
  await query();
  await query();
  const third = await errorOf<Throttled>(query());
  assert.deepEqual(third.ThrottlingReasons, [{ reason: 'IndexReadProvisionedThroughputExceeded', resource: `${arn}/index/gsi` }]);
  // The table's own read capacity is untouched.
  await t.client.send(new GetItemCommand({ TableName: name, Key: { pk: { S: 'none' } } }));
});

test('batch writes and gets return throttled items as UnprocessedItems / UnprocessedKeys', async () => {
  const { name } = await createCapacityTable('cap_batch', { billing: { rcu: 5, wcu: 5 } });
  const items = Array.from({ length: 8 }, (_, i) => item(`b-${i}`));
  const result = await batchPut(name, items);
  assert.deepEqual(result.ConsumedCapacity, [{ TableName: name, CapacityUnits: 5, WriteCapacityUnits: 5 }]);
  assert.deepEqual(result.UnprocessedItems, { [name]: items.slice(5).map((value) => ({ PutRequest: { Item: value } })) });
  assert.equal((await errorOf<Throttled>(batchPut(name, items.slice(5)))).name, 'ProvisionedThroughputExceededException');

  // 5 RCU: ten eventually consistent reads of small items, the other five keys come back.
  const keys = Array.from({ length: 15 }, (_, i) => ({ pk: { S: `b-${i}` } }));
  const got = await t.client.send(new BatchGetItemCommand({ RequestItems: { [name]: { Keys: keys, ProjectionExpression: 'pk' } } }));
  assert.equal(got.Responses![name]!.length, 5); // b-0..b-4 exist among the ten admitted keys
  assert.deepEqual(got.UnprocessedKeys, { [name]: { Keys: keys.slice(10), ProjectionExpression: 'pk' } });
});

test('a transaction with a throttled action is cancelled, and nothing is written or charged', async () => {
  const { name } = await createCapacityTable('cap_tx', { billing: { rcu: 5, wcu: 5 } });
  const putAction = (pk: string) => ({ Put: { TableName: name, Item: item(pk, 500) } });
  const error = await errorOf<Throttled & { CancellationReasons?: unknown }>(
    t.client.send(new TransactWriteItemsCommand({ TransactItems: [putAction('t1'), putAction('t2'), putAction('t3')] })),
  );
  assert.equal(error.name, 'TransactionCanceledException');
  assert.equal(error.message, 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, None, ProvisionedThroughputExceeded]');
  assert.deepEqual(error.CancellationReasons, [
    { Code: 'None' },
    { Code: 'None' },
    { Code: 'ProvisionedThroughputExceeded', Message: tableMessage },
  ]);
  // Two transactional writes (2 WCU each) fit in the 5 units that were given back.
  const done = await t.client.send(
    new TransactWriteItemsCommand({ TransactItems: [putAction('t1'), putAction('t2')], ReturnConsumedCapacity: 'TOTAL' }),
  );
  assert.deepEqual(done.ConsumedCapacity, [{ TableName: name, CapacityUnits: 4, WriteCapacityUnits: 4 }]);
});

test('a failed conditional write consumes write units for the existing item', async () => {
  const { name } = await createCapacityTable('cap_cond', { billing: { rcu: 5, wcu: 10 } });
  await put(name, item('big', 3000)); // 3 WCU, 7 left
  const failed = await errorOf<Throttled>(
    t.client.send(new PutItemCommand({ TableName: name, Item: item('big', 100), ConditionExpression: 'attribute_not_exists(pk)' })),
  );
  assert.equal(failed.name, 'ConditionalCheckFailedException');
  // The failure cost the existing item's 3 units: 4 left.
  for (let i = 0; i < 4; i++) await put(name, item(`c-${i}`));
  assert.equal((await errorOf<Throttled>(put(name, item('c-4')))).name, 'ProvisionedThroughputExceededException');
});

test('UpdateTable changes the rate at once; the bucket level carries over', async () => {
  const { name } = await createCapacityTable('cap_update', { billing: { rcu: 5, wcu: 5 } });
  for (let i = 0; i < 5; i++) await put(name, item(`u-${i}`));
  await t.client.send(new UpdateTableCommand({ TableName: name, ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 10 } }));
  assert.equal((await errorOf<Throttled>(put(name, item('u-5')))).name, 'ProvisionedThroughputExceededException');
  clock.advance(1000);
  for (let i = 0; i < 10; i++) await put(name, item(`v-${i}`));
  assert.equal((await errorOf<Throttled>(put(name, item('v-10')))).name, 'ProvisionedThroughputExceededException');
});

test('on-demand: a hot key over 1,000 WRU/s gets ThrottlingException with its reason', async () => {
  const { name, arn } = await createCapacityTable('cap_od_hot', { sortKey: true });
  clock.advance(1000);
  for (let n = 0; n < 2000; n += 25) {
    assert.deepEqual((await batchPut(name, Array.from({ length: 25 }, (_, i) => item('hot', 1024, n + i)))).UnprocessedItems, {});
  }
  const error = await errorOf<Throttled>(put(name, item('hot', 1024, 2000)));
  assert.equal(error.name, 'ThrottlingException');
  assert.equal(error.message, onDemandMessage);
  assert.deepEqual(error.throttlingReasons, [{ reason: 'TableWriteKeyRangeThroughputExceeded', resource: arn }]);
  await put(name, item('cold', 1024, 1)); // a key in another partition is fine
});

test('on-demand: MaxWriteRequestUnits caps the table', async () => {
  const { name, arn } = await createCapacityTable('cap_od_max', { maxWrites: 10 });
  clock.advance(1000);
  for (let i = 0; i < 10; i++) await put(name, item(`m-${i}`));
  const error = await errorOf<Throttled>(put(name, item('m-10')));
  assert.equal(error.name, 'ThrottlingException');
  assert.deepEqual(error.throttlingReasons, [{ reason: 'TableWriteMaxOnDemandThroughputExceeded', resource: arn }]);
  clock.advance(1000);
  await put(name, item('m-10'));
});

test('ConsumedCapacity keeps the shape the client asked for', async () => {
  const { name } = await createCapacityTable('cap_shape', { billing: { rcu: 50, wcu: 50 }, gsi: { rcu: 50, wcu: 50 } });
  const value = (pk: string) => ({ ...item(pk, 500), g: { S: 'x' } });
  const none = await t.client.send(new PutItemCommand({ TableName: name, Item: value('s1') }));
  assert.equal(none.ConsumedCapacity, undefined);
  const explicitNone = await t.client.send(new PutItemCommand({ TableName: name, Item: value('s2'), ReturnConsumedCapacity: 'NONE' }));
  assert.equal(explicitNone.ConsumedCapacity, undefined);
  const total = await t.client.send(new PutItemCommand({ TableName: name, Item: value('s'), ReturnConsumedCapacity: 'TOTAL' }));
  assert.deepEqual(total.ConsumedCapacity, { TableName: name, CapacityUnits: 2, WriteCapacityUnits: 2 });
  const read = await t.client.send(new GetItemCommand({ TableName: name, Key: { pk: { S: 's' } }, ReturnConsumedCapacity: 'TOTAL' }));
  assert.deepEqual(read.ConsumedCapacity, { TableName: name, CapacityUnits: 0.5, ReadCapacityUnits: 0.5 });
  const invalid = await errorOf<Throttled>(
    t.client.send(new GetItemCommand({ TableName: name, Key: { pk: { S: 's' } }, ReturnConsumedCapacity: 'ALL' as 'TOTAL' })),
  );
  assert.equal(invalid.name, 'ValidationException');
});
