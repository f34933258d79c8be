// Scan through the real SDK clients against an in-memory server: paging with Limit (every item
// exactly once), sort order inside a partition, parallel scan segments (disjoint and complete,
// resumable within a segment), index scans and their projections, filters with
// Count/ScannedCount, Select COUNT, consumed capacity, and DynamoDB's validation texts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ScanCommand, type AttributeValue, type ScanCommandInput } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { startTestServer, uniqueTableName, type TestServer } from '../support/server.js';
import { errorOf } from '../support/errors.js';
import { createTable } from '../support/tables.js';
import { scanPages } from '../support/scan.js';

let t: TestServer;
let table: string; // pk S, sk N, LSI on b (KEYS_ONLY), GSI on g (KEYS_ONLY)
let hashOnly: string; // pk S
const itemCount = 1200;

type Key = Record<string, AttributeValue>;

before(async () => {
  t = await startTestServer();
  table = uniqueTableName('scan');
  hashOnly = uniqueTableName('scan_h');
  await createTable(t.client, {
    name: table,
    partitionKey: ['pk', 'S'],
    sortKey: ['sk', 'N'],
    localIndexes: [{ name: 'lsi_b', sortKey: ['b', 'S'], projection: 'KEYS_ONLY' }],
    globalIndexes: [{ name: 'gsi_g', partitionKey: ['g', 'S'], projection: 'KEYS_ONLY' }],
  });
  await createTable(t.client, { name: hashOnly, partitionKey: ['pk', 'S'] });
  // 1,200 items in 120 partitions of 10; every third has an LSI key, every fifth a GSI key.
  const items = Array.from({ length: itemCount }, (_, i) => ({
    pk: `p${i % 120}`,
    sk: Math.floor(i / 120),
    n: i,
    ...(i % 3 === 0 && { b: `b${i}` }),
    ...(i % 5 === 0 && { g: `g${i % 7}` }),
  }));
  for (let i = 0; i < items.length; i += 64) {
    await Promise.all(items.slice(i, i + 64).map((item) => t.doc.send(new PutCommand({ TableName: table, Item: item }))));
  }
});
after(() => t.close());


async function expectError(input: ScanCommandInput, name: string, message: string): Promise<void> {
  const error = await errorOf(t.client.send(new ScanCommand(input)));
  assert.equal(error.name, name);
  assert.equal(error.message, message);
}

async function scanAll(input: ScanCommandInput): Promise<{ items: Key[]; pages: number; scanned: number }> {
  const items: Key[] = [];
  let pages = 0;
  let scanned = 0;
  for await (const page of scanPages(t.client, input)) {
    pages++;
    scanned += page.ScannedCount ?? 0;
    items.push(...(page.Items ?? []));
  }
  return { items, pages, scanned };
}

const numbersOf = (items: Key[]): number[] => items.map((item) => Number(item.n!.N)).sort((a, b) => a - b);
const everyItem = Array.from({ length: itemCount }, (_, i) => i);

test('paging with Limit returns every item exactly once; partitions stay in sort key order', async () => {
  for (const limit of [undefined, 1, 17, 500]) {
    const { items } = await scanAll({ TableName: table, Limit: limit, ConsistentRead: true });
    assert.deepEqual(numbersOf(items), everyItem, `Limit ${String(limit)}`);
    const p7 = items.filter((item) => item.pk!.S === 'p7').map((item) => Number(item.sk!.N));
    assert.deepEqual(p7, [...p7].sort((a, b) => a - b));
  }
});

test('parallel scan segments are disjoint and complete, and resume within a segment', async () => {
  for (const total of [1, 2, 17, 1_000_000]) {
    const seen: number[] = [];
    const segments = total === 1_000_000 ? [0, 1, 999_999] : Array.from({ length: total }, (_, i) => i);
    for (const segment of segments) {
      const { items } = await scanAll({ TableName: table, Segment: segment, TotalSegments: total, Limit: 50 });
      seen.push(...items.map((item) => Number(item.n!.N)));
    }
    if (total !== 1_000_000) assert.deepEqual(seen.sort((a, b) => a - b), everyItem, `TotalSegments ${total}`);
    else assert.ok(seen.length < itemCount);
  }
  // A start key from another segment is refused.
  const first = await t.client.send(new ScanCommand({ TableName: table, Segment: 0, TotalSegments: 2, Limit: 1 }));
  const error = await errorOf(t.client.send(new ScanCommand({ TableName: table, Segment: 1, TotalSegments: 2, ExclusiveStartKey: first.LastEvaluatedKey })));
  assert.equal(error.name, 'ValidationException');
  assert.match(error.message, /^The provided starting key is invalid: /);
});

test('filter: Count after it, ScannedCount before it; Select COUNT', async () => {
  const page = await t.client.send(
    new ScanCommand({ TableName: table, FilterExpression: 'n < :n', ExpressionAttributeValues: { ':n': { N: '100' } } }),
  );
  assert.equal(page.Count, 100);
  assert.equal(page.ScannedCount, itemCount);
  assert.equal(page.LastEvaluatedKey, undefined);
  const counted = await t.client.send(new ScanCommand({ TableName: table, Select: 'COUNT', Limit: 10 }));
  assert.equal(counted.Items, undefined);
  assert.equal(counted.Count, 10);
  assert.ok(counted.LastEvaluatedKey !== undefined);
});

test('index scans: KEYS_ONLY projections, LSI ALL_ATTRIBUTES fetch, GSI refusals', async () => {
  const lsi = await scanAll({ TableName: table, IndexName: 'lsi_b' });
  assert.equal(lsi.items.length, itemCount / 3);
  assert.deepEqual(Object.keys(lsi.items[0]!).sort(), ['b', 'pk', 'sk']);
  const lsiAll = await scanAll({ TableName: table, IndexName: 'lsi_b', Select: 'ALL_ATTRIBUTES', Limit: 33 });
  assert.deepEqual(numbersOf(lsiAll.items), everyItem.filter((i) => i % 3 === 0));
  const gsi = await scanAll({ TableName: table, IndexName: 'gsi_g', Limit: 25 });
  assert.equal(gsi.items.length, itemCount / 5);
  assert.deepEqual(Object.keys(gsi.items[0]!).sort(), ['g', 'pk', 'sk']);
  const page = await t.client.send(new ScanCommand({ TableName: table, IndexName: 'gsi_g', Limit: 1 }));
  assert.deepEqual(Object.keys(page.LastEvaluatedKey!).sort(), ['g', 'pk', 'sk']);
  await expectError(
    { TableName: table, IndexName: 'gsi_g', Select: 'ALL_ATTRIBUTES' },
    'ValidationException',
    'One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index gsi_g because its projection type is not ALL',
  );
  await expectError({ TableName: table, IndexName: 'gsi_g', ConsistentRead: true }, 'ValidationException', 'Consistent reads are not supported on global secondary indexes');
  await expectError({ TableName: table, IndexName: 'nope' }, 'ValidationException', 'The table does not have the specified index: nope');
});

test('consumed capacity of a scan', async () => {
  const empty = await t.client.send(new ScanCommand({ TableName: hashOnly, ReturnConsumedCapacity: 'TOTAL' }));
  assert.equal(empty.ConsumedCapacity?.CapacityUnits, 0.5);
  assert.equal(empty.Count, 0);
  const page = await t.client.send(new ScanCommand({ TableName: table, ConsistentRead: true, ReturnConsumedCapacity: 'INDEXES', Limit: 10 }));
  assert.equal(page.ConsumedCapacity?.CapacityUnits, 1);
  assert.equal(page.ConsumedCapacity?.Table?.CapacityUnits, 1);
});

test('Segment and TotalSegments texts', async () => {
  await expectError(
    { TableName: table, Segment: 0, TotalSegments: 1_000_001 },
    'ValidationException',
    "1 validation error detected: Value '1000001' at 'totalSegments' failed to satisfy constraint: Member must have value less than or equal to 1000000",
  );
  await expectError(
    { TableName: table, Segment: 5, TotalSegments: 5 },
    'ValidationException',
    'The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 5 is not less than TotalSegments: 5',
  );
  await expectError(
    { TableName: table, Segment: 1 },
    'ValidationException',
    'The TotalSegments parameter is required but was not present in the request when Segment parameter is present',
  );
  await expectError(
    { TableName: table, TotalSegments: 4 },
    'ValidationException',
    'The Segment parameter is required but was not present in the request when parameter TotalSegments is present',
  );
});

test('missing table, Limit, Select and ExclusiveStartKey texts', async () => {
  await expectError({ TableName: 'no_such_table' }, 'ResourceNotFoundException', 'Requested resource not found');
  await expectError(
    { TableName: table, Limit: 0 },
    'ValidationException',
    "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
  );
  await expectError({ TableName: table, Select: 'ALL_PROJECTED_ATTRIBUTES' }, 'ValidationException', 'ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName');
  await expectError({ TableName: table, Select: 'COUNT', ProjectionExpression: 'n' }, 'ValidationException', 'Cannot specify the ProjectionExpression when choosing to get only the Count');
  await expectError(
    { TableName: table, ExclusiveStartKey: { pk: { S: 'p1' } } },
    'ValidationException',
    'The provided starting key is invalid: The provided key element does not match the schema',
  );
  await expectError(
    { TableName: table, ExclusiveStartKey: { pk: { S: 'p1' }, sk: { S: '1' } } },
    'ValidationException',
    'The provided starting key is invalid: The provided key element does not match the schema',
  );
  await expectError({ TableName: table, IndexName: 'gsi_g', ExclusiveStartKey: { pk: { S: 'p1' }, sk: { N: '1' } } }, 'ValidationException', 'The provided starting key is invalid');
  await expectError(
    { TableName: table, IndexName: 'gsi_g', ExclusiveStartKey: { pk: { S: 'p1' }, sk: { N: '1' }, g: { N: '1' } } },
    'ValidationException',
    'The provided key element does not match the schema',
  );
  await expectError(
    { TableName: table, FilterExpression: 'n > :n', ExpressionAttributeValues: { ':n': { N: '1' } }, ScanFilter: { n: { ComparisonOperator: 'NOT_NULL' } } },
    'ValidationException',
    'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {ScanFilter} Expression parameters: {FilterExpression}',
  );
});
