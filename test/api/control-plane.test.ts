// Table lifecycle through the real SDK: CreateTable / DescribeTable / ListTables paging /
// DeleteTable's reduced description, tags, DescribeEndpoints and DescribeLimits.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeleteTableCommand,
  DescribeEndpointsCommand,
  DescribeLimitsCommand,
  DescribeTableCommand,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateTableCommand,
  CreateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { startTestServer, uniqueTableName, type TestServer } from '../support/server.js';
import { errorOf } from '../support/errors.js';
import { createTable } from '../support/tables.js';

let t: TestServer;
before(async () => (t = await startTestServer()));
after(() => t.close());

function createSimpleTable(name: string) {
  return createTable(t.client, { name, partitionKey: ['p', 'S'] });
}

test('create answers CREATING, describe then ACTIVE with ARN, id and billing summary', async () => {
  const name = uniqueTableName('life');
  const created = await createSimpleTable(name);
  assert.equal(created.TableDescription?.TableStatus, 'CREATING');
  const described = (await t.client.send(new DescribeTableCommand({ TableName: name }))).Table!;
  assert.equal(described.TableStatus, 'ACTIVE');
  assert.equal(described.TableArn, `arn:aws:dynamodb:us-east-1:000000000000:table/${name}`);
  assert.match(described.TableId ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.equal(described.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST');
  assert.equal(described.ItemCount, 0);
  const duplicate = await errorOf(createSimpleTable(name));
  assert.equal(duplicate.name, 'ResourceInUseException');
});

test('DeleteTable describes the table without schema, indexes or creation time', async () => {
  const name = uniqueTableName('gone');
  await createSimpleTable(name);
  const deleted = (await t.client.send(new DeleteTableCommand({ TableName: name }))).TableDescription!;
  assert.equal(deleted.TableStatus, 'DELETING');
  assert.equal(deleted.TableName, name);
  assert.equal(deleted.KeySchema, undefined);
  assert.equal(deleted.AttributeDefinitions, undefined);
  assert.equal(deleted.CreationDateTime, undefined);
  assert.deepEqual(deleted.ProvisionedThroughput, { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 });
  const missing = await errorOf(t.client.send(new DescribeTableCommand({ TableName: name })));
  assert.equal(missing.name, 'ResourceNotFoundException');
});

test('ListTables pages with Limit and LastEvaluatedTableName', async () => {
  const names = [uniqueTableName('page'), uniqueTableName('page'), uniqueTableName('page')];
  for (const name of names) await createSimpleTable(name);
  const seen: string[] = [];
  let start: string | undefined;
  do {
    const page = await t.client.send(new ListTablesCommand({ Limit: 1, ExclusiveStartTableName: start }));
    seen.push(...(page.TableNames ?? []));
    start = page.LastEvaluatedTableName;
  } while (start);
  for (const name of names) assert.ok(seen.includes(name));
  assert.deepEqual(seen, [...seen].sort());
});

test('tags: add, list, remove', async () => {
  const name = uniqueTableName('tags');
  const arn = (await createSimpleTable(name)).TableDescription!.TableArn!;
  await t.client.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'team', Value: 'core' }, { Key: 'env', Value: 'ci' }] }));
  const listed = await t.client.send(new ListTagsOfResourceCommand({ ResourceArn: arn }));
  assert.deepEqual(listed.Tags, [{ Key: 'team', Value: 'core' }, { Key: 'env', Value: 'ci' }]);
  await t.client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['team'] }));
  const after = await t.client.send(new ListTagsOfResourceCommand({ ResourceArn: arn }));
  assert.deepEqual(after.Tags, [{ Key: 'env', Value: 'ci' }]);
});

test('DescribeEndpoints names the endpoint the client called; DescribeLimits answers the quotas', async () => {
  const endpoints = await t.client.send(new DescribeEndpointsCommand({}));
  assert.deepEqual(endpoints.Endpoints, [{ Address: new URL(t.endpoint).host, CachePeriodInMinutes: 1440 }]);
  const limits = await t.client.send(new DescribeLimitsCommand({}));
  assert.equal(limits.TableMaxWriteCapacityUnits, 40000);
});

test('WarmThroughput: the minimum by default, raised by CreateTable and UpdateTable, never lowered', async () => {
  const plain = uniqueTableName('warm');
  await createSimpleTable(plain);
  const described = (await t.client.send(new DescribeTableCommand({ TableName: plain }))).Table!;
  assert.deepEqual(described.WarmThroughput, { ReadUnitsPerSecond: 12000, WriteUnitsPerSecond: 4000, Status: 'ACTIVE' });
  const raised = await t.client.send(new UpdateTableCommand({ TableName: plain, WarmThroughput: { ReadUnitsPerSecond: 13000 } }));
  assert.deepEqual(raised.TableDescription?.WarmThroughput, { ReadUnitsPerSecond: 13000, WriteUnitsPerSecond: 4000, Status: 'ACTIVE' });
  const lower = await errorOf(t.client.send(new UpdateTableCommand({ TableName: plain, WarmThroughput: { ReadUnitsPerSecond: 12500 } })));
  assert.match(lower.message, /ReadUnitsPerSecond.*lower than current WarmThroughput/);
  const belowMinimum = await errorOf(
    t.client.send(
      new CreateTableCommand({
        TableName: uniqueTableName('warm'),
        KeySchema: [{ AttributeName: 'p', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'p', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        WarmThroughput: { ReadUnitsPerSecond: 12000, WriteUnitsPerSecond: 3999 },
      }),
    ),
  );
  assert.equal(belowMinimum.name, 'ValidationException');
  assert.match(belowMinimum.message, /WriteUnitsPerSecond.*lower than/);
});
