// Throughput quotas and the decrease rule through the real SDK, on a server of its own (the
// account quota counts every table) with a manual clock: 40,000 RCU/WCU per table and per GSI,
// 80,000 across the account, on-demand maxima, as DescribeLimits reports them; and four
// decreases a UTC day, then one an hour, with DynamoDB's LimitExceededException texts and
// DescribeTable's NumberOfDecreasesToday / LastIncreaseDateTime / LastDecreaseDateTime.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand, DeleteTableCommand, DescribeLimitsCommand, DescribeTableCommand, UpdateTableCommand, type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { errorOf } from '../support/errors.js';
import { ManualClock } from '../support/clock.js';
import { uniqueTableName } from '../support/server.js';
import { startCapacityServer, type CapacityServer } from './support.js';

// Thursday, October 8, 2026, 10:00 PM UTC: two hours before a UTC day turns.
const clock = new ManualClock(Date.UTC(2026, 9, 8, 22, 0, 0));
let t: CapacityServer;

before(async () => {
  t = await startCapacityServer({ clock });
});
after(() => t.close());

const advice = 'Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.';

function table(rcu: number, wcu: number, gsi?: { rcu: number; wcu: number }): CreateTableCommandInput {
  const input: CreateTableCommandInput = {
    TableName: uniqueTableName('cap_quota'),
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    ProvisionedThroughput: { ReadCapacityUnits: rcu, WriteCapacityUnits: wcu },
  };
  if (gsi) {
    input.AttributeDefinitions!.push({ AttributeName: 'g', AttributeType: 'S' });
    input.GlobalSecondaryIndexes = [{
      IndexName: 'gsi', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' },
      ProvisionedThroughput: { ReadCapacityUnits: gsi.rcu, WriteCapacityUnits: gsi.wcu },
    }];
  }
  return input;
}

const create = (input: CreateTableCommandInput) => t.client.send(new CreateTableCommand(input));
const update = (name: string, rcu: number, wcu: number) =>
  t.client.send(new UpdateTableCommand({ TableName: name, ProvisionedThroughput: { ReadCapacityUnits: rcu, WriteCapacityUnits: wcu } }));

test('40,000 RCU/WCU per table and per GSI, 80,000 across the account, as DescribeLimits reports', async () => {
  const limits = await t.client.send(new DescribeLimitsCommand({}));
  assert.equal(limits.TableMaxReadCapacityUnits, 40_000);
  assert.equal(limits.AccountMaxReadCapacityUnits, 80_000);

  const overRead = await errorOf(create(table(40_001, 1)));
  assert.equal(overRead.name, 'LimitExceededException');
  assert.equal(overRead.message, `The requested ReadCapacityUnits, 40001, is above the per table maximum for the account in us-east-1. Per table maximum: 40000. ${advice}`);
  const overWrite = await errorOf(create(table(1, 40_001)));
  assert.equal(overWrite.message, `The requested WriteCapacityUnits, 40001, is above the per table maximum for the account in us-east-1. Per table maximum: 40000. ${advice}`);
  const overIndex = await errorOf(create(table(1, 1, { rcu: 40_001, wcu: 1 })));
  assert.equal(overIndex.message, `The requested ReadCapacityUnits for index gsi, 40001, is above the per index maximum for the account in us-east-1. Per index maximum: 40000. ${advice}`);
  // A GSI at the maximum is accepted, on top of its table's own units.
  const atIndexMaximum = table(40_000, 1, { rcu: 40_000, wcu: 1 });
  await create(atIndexMaximum);
  await t.client.send(new DeleteTableCommand({ TableName: atIndexMaximum.TableName }));

  // At the per-table maximum: accepted; raising it past: refused, and the table is unchanged.
  const first = table(40_000, 40_000);
  await create(first);
  const raise = await errorOf(update(first.TableName!, 40_001, 40_000));
  assert.equal(raise.name, 'LimitExceededException');
  assert.match(raise.message, /^The requested ReadCapacityUnits, 40001, is above the per table maximum/);
  const described = await t.client.send(new DescribeTableCommand({ TableName: first.TableName }));
  assert.equal(described.Table!.ProvisionedThroughput!.ReadCapacityUnits, 40_000);

  // The account: 40,000 + 39,999 (+1 in a GSI) is exactly 80,000; one more unit is refused.
  const second = table(39_999, 39_999, { rcu: 1, wcu: 1 });
  await create(second);
  const third = await errorOf(create(table(1, 1)));
  assert.equal(third.name, 'LimitExceededException');
  assert.equal(third.message,
    `This request would have caused the ReadCapacityUnits limit to be exceeded for the account in us-east-1. Current ReadCapacityUnits reserved by the account: 80000. Limit: 80000. Requested: 1. ${advice}`);
  // On-demand tables do not count, and their maxima are held to the per-table quota.
  const onDemand = (max: number): CreateTableCommandInput => ({
    TableName: uniqueTableName('cap_quota_od'),
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
    OnDemandThroughput: { MaxReadRequestUnits: max },
  });
  await create(onDemand(40_000));
  const overMax = await errorOf(create(onDemand(40_001)));
  assert.equal(overMax.name, 'LimitExceededException');
  assert.equal(overMax.message,
    'Subscriber limit exceeded: Requested MaxReadRequestUnits for OnDemandThroughput for table exceeds TableMaxReadCapacityUnits of the account in region us-east-1');
  // Lowering the first table frees capacity for the third.
  await update(first.TableName!, 30_000, 30_000);
  await create(table(1, 1));
});

test('four decreases a UTC day, then one an hour after the last; the count restarts at midnight UTC', async () => {
  const input = table(10, 10, { rcu: 10, wcu: 10 });
  const name = input.TableName!;
  await create(input);
  const throughput = async () => (await t.client.send(new DescribeTableCommand({ TableName: name }))).Table!.ProvisionedThroughput!;
  const at = (iso: string) => new Date(iso);
  const fresh = await throughput();
  assert.equal(fresh.NumberOfDecreasesToday, 0);
  assert.equal(fresh.LastDecreaseDateTime, undefined);
  assert.equal(fresh.LastIncreaseDateTime, undefined);
  // Four decreases, a minute apart (22:01 .. 22:04): all accepted.
  for (let wcu = 9; wcu >= 6; wcu--) {
    clock.advance(60_000);
    await update(name, 10, wcu);
  }
  let described = await throughput();
  assert.equal(described.NumberOfDecreasesToday, 4);
  assert.deepEqual(described.LastDecreaseDateTime, at('2026-10-08T22:04:00Z'));
  // An increase is always allowed, and is recorded as such.
  clock.advance(60_000);
  await update(name, 11, 6);
  described = await throughput();
  assert.deepEqual(described.LastIncreaseDateTime, at('2026-10-08T22:05:00Z'));
  assert.equal(described.NumberOfDecreasesToday, 4);
  // The fifth decrease within the hour is refused with the service's text; so is a change
  // that raises RCU while lowering WCU.
  const fifth = await errorOf(update(name, 11, 5));
  assert.equal(fifth.name, 'LimitExceededException');
  assert.equal(fifth.message,
    'Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC day. After the first 4 decreases, ' +
    'each subsequent decrease in the same UTC day can be performed at most once every 3600 seconds. Number of decreases today: 4. ' +
    'Last decrease at Thursday, October 8, 2026 at 10:04:00 PM Coordinated Universal Time. ' +
    'Next decrease can be made at Thursday, October 8, 2026 at 11:04:00 PM Coordinated Universal Time');
  assert.equal((await errorOf(update(name, 12, 5))).name, 'LimitExceededException');
  // A GSI has a budget of its own.
  await t.client.send(new UpdateTableCommand({
    TableName: name, GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'gsi', ProvisionedThroughput: { ReadCapacityUnits: 9, WriteCapacityUnits: 9 } } }],
  }));
  // One second short of an hour after the last decrease: refused; at the hour: accepted.
  clock.advance(at('2026-10-08T23:03:59Z').getTime() - clock.now());
  assert.equal((await errorOf(update(name, 11, 5))).name, 'LimitExceededException');
  clock.advance(1000);
  await update(name, 11, 5);
  described = await throughput();
  assert.equal(described.NumberOfDecreasesToday, 5);
  // The next is an hour away, but the UTC day turns first: the text names midnight.
  clock.advance(10 * 60_000);
  const sixth = await errorOf(update(name, 11, 4));
  assert.match(sixth.message, /Number of decreases today: 5\. Last decrease at Thursday, October 8, 2026 at 11:04:00 PM Coordinated Universal Time\. Next decrease can be made at Friday, October 9, 2026 at 12:00:00 AM Coordinated Universal Time$/);
  // At midnight UTC the budget is whole again.
  clock.advance(at('2026-10-09T00:00:00Z').getTime() - clock.now());
  assert.equal((await throughput()).NumberOfDecreasesToday, 0, 'a new UTC day shows no decreases before any change');
  for (let wcu = 4; wcu >= 1; wcu--) await update(name, 11, wcu);
  described = await throughput();
  assert.equal(described.NumberOfDecreasesToday, 4);
  assert.deepEqual(described.LastDecreaseDateTime, at('2026-10-09T00:00:00Z'));
});

test('a GSI counts its own decreases, and DescribeTable shows them on the index', async () => {
  const input = table(10, 10, { rcu: 10, wcu: 10 });
  const name = input.TableName!;
  await create(input);
  clock.advance(60_000);
  await t.client.send(
    new UpdateTableCommand({
      TableName: name,
      GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'gsi', ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 5 } } }],
    }),
  );
  const described = (await t.client.send(new DescribeTableCommand({ TableName: name }))).Table!;
  assert.equal(described.ProvisionedThroughput!.NumberOfDecreasesToday, 0);
  const index = described.GlobalSecondaryIndexes![0]!.ProvisionedThroughput!;
  assert.equal(index.NumberOfDecreasesToday, 1);
  assert.equal(index.WriteCapacityUnits, 5);
  assert.deepEqual(index.LastDecreaseDateTime, new Date(clock.now() - (clock.now() % 1000)));
});
