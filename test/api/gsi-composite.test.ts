// Multi-attribute GSI keys (up to 4 HASH and 4 RANGE attributes) through the real SDK against an
// in-memory server: CreateTable and UpdateTable validation, DescribeTable's KeySchema, sparse
// items, queries with HASH equalities and RANGE prefixes in order, ordering, pagination by
// ExclusiveStartKey, Scan of the index, and the key condition errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateTableCommand,
  type AttributeValue,
  type CreateTableCommandInput,
  type KeySchemaElement,
  type QueryCommandInput,
  type ScalarAttributeType,
} from '@aws-sdk/client-dynamodb';
import { startTestServer, uniqueTableName, type TestServer } from '../support/server.js';
import { errorOf } from '../support/errors.js';

let t: TestServer;
let table: string; // p S; GSI idx: h1 S, h2 N HASH; r1 S, r2 N RANGE

type Item = Record<string, AttributeValue>;

function compositeInput(name: string, hashes: [string, ScalarAttributeType][], ranges: [string, ScalarAttributeType][]): CreateTableCommandInput {
  const keySchema: KeySchemaElement[] = [
    ...hashes.map(([AttributeName]) => ({ AttributeName, KeyType: 'HASH' as const })),
    ...ranges.map(([AttributeName]) => ({ AttributeName, KeyType: 'RANGE' as const })),
  ];
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'p', KeyType: 'HASH' }],
    AttributeDefinitions: [['p', 'S'] as [string, ScalarAttributeType], ...hashes, ...ranges].map(([AttributeName, AttributeType]) => ({
      AttributeName,
      AttributeType,
    })),
    GlobalSecondaryIndexes: [{ IndexName: 'idx', KeySchema: keySchema, Projection: { ProjectionType: 'ALL' } }],
  };
}

function item(p: string, h1: string, h2: number, r1?: string, r2?: number): Item {
  const out: Item = { p: { S: p }, h1: { S: h1 }, h2: { N: String(h2) } };
  if (r1 !== undefined) out.r1 = { S: r1 };
  if (r2 !== undefined) out.r2 = { N: String(r2) };
  return out;
}

async function queryAll(input: Omit<QueryCommandInput, 'TableName' | 'IndexName'>, limit?: number): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const out = await t.client.send(new QueryCommand({ TableName: table, IndexName: 'idx', ...input, Limit: limit, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}

const ids = (items: Item[]) => items.map((entry) => entry.p!.S);

before(async () => {
  t = await startTestServer();
  table = uniqueTableName('gsi_mk');
  await t.client.send(new CreateTableCommand(compositeInput(table, [['h1', 'S'], ['h2', 'N']], [['r1', 'S'], ['r2', 'N']])));
  const rows: Item[] = [
    item('a', 'x', 1, 'A', 2),
    item('b', 'x', 1, 'A', 1),
    item('c', 'x', 1, 'B', 1),
    item('d', 'x', 1, 'AB', 0),
    item('e', 'x', 2, 'A', 1), // another partition (h2 differs)
    item('f', 'y', 1, 'A', 1), // another partition (h1 differs)
    item('g', 'x', 1, 'A'), // sparse: no r2
    item('h', 'x', 1), // sparse: no range keys
  ];
  for (const row of rows) await t.client.send(new PutItemCommand({ TableName: table, Item: row }));
});

after(async () => {
  await t.close();
});

const partition = { ':h1': { S: 'x' }, ':h2': { N: '1' } };

test('DescribeTable lists every HASH then every RANGE attribute in order', async () => {
  const out = await t.client.send(new DescribeTableCommand({ TableName: table }));
  assert.deepEqual(out.Table?.GlobalSecondaryIndexes?.[0]?.KeySchema, [
    { AttributeName: 'h1', KeyType: 'HASH' },
    { AttributeName: 'h2', KeyType: 'HASH' },
    { AttributeName: 'r1', KeyType: 'RANGE' },
    { AttributeName: 'r2', KeyType: 'RANGE' },
  ]);
});

test('a query with all HASH equalities returns the partition ordered by the RANGE attributes, sparse items left out', async () => {
  const items = await queryAll({ KeyConditionExpression: 'h1 = :h1 AND h2 = :h2', ExpressionAttributeValues: partition });
  assert.deepEqual(ids(items), ['b', 'a', 'd', 'c']);
  const reversed = await queryAll({ KeyConditionExpression: 'h1 = :h1 AND h2 = :h2', ExpressionAttributeValues: partition, ScanIndexForward: false });
  assert.deepEqual(ids(reversed), ['c', 'd', 'a', 'b']);
});

test('RANGE conditions apply to a prefix of the RANGE attributes in order', async () => {
  const values = { ...partition, ':r1': { S: 'A' }, ':r2': { N: '1' }, ':r2b': { N: '2' } };
  const cases: [string, string[]][] = [
    ['h1 = :h1 AND h2 = :h2 AND r1 = :r1', ['b', 'a']],
    ['h1 = :h1 AND h2 = :h2 AND begins_with(r1, :r1)', ['b', 'a', 'd']],
    ['h1 = :h1 AND h2 = :h2 AND r1 > :r1', ['d', 'c']],
    ['h1 = :h1 AND h2 = :h2 AND r1 = :r1 AND r2 = :r2', ['b']],
    ['r2 > :r2 AND r1 = :r1 AND h2 = :h2 AND h1 = :h1', ['a']],
    ['h1 = :h1 AND h2 = :h2 AND r1 = :r1 AND r2 BETWEEN :r2 AND :r2b', ['b', 'a']],
  ];
  for (const [expression, expected] of cases) {
    const used = Object.fromEntries(Object.entries(values).filter(([name]) => new RegExp(`${name}\\b`).test(expression)));
    const items = await queryAll({ KeyConditionExpression: expression, ExpressionAttributeValues: used });
    assert.deepEqual(ids(items), expected, expression);
  }
});

test('pagination resumes from a LastEvaluatedKey holding every index key and the table key', async () => {
  const first = await t.client.send(
    new QueryCommand({ TableName: table, IndexName: 'idx', KeyConditionExpression: 'h1 = :h1 AND h2 = :h2', ExpressionAttributeValues: partition, Limit: 1 }),
  );
  assert.deepEqual(first.LastEvaluatedKey, item('b', 'x', 1, 'A', 1));
  for (const limit of [1, 2, 3]) {
    const items = await queryAll({ KeyConditionExpression: 'h1 = :h1 AND h2 = :h2', ExpressionAttributeValues: partition }, limit);
    assert.deepEqual(ids(items), ['b', 'a', 'd', 'c'], `Limit ${limit}`);
  }
});

test('Scan of the index holds only items with every key attribute', async () => {
  const out = await t.client.send(new ScanCommand({ TableName: table, IndexName: 'idx' }));
  assert.deepEqual(ids(out.Items ?? []).sort(), ['a', 'b', 'c', 'd', 'e', 'f']);
});

test('deleting an item or removing a key attribute takes it out of the index', async () => {
  await t.client.send(new PutItemCommand({ TableName: table, Item: item('z', 'w', 9, 'A', 1) }));
  const values = { ':h1': { S: 'w' }, ':h2': { N: '9' } };
  assert.deepEqual(ids(await queryAll({ KeyConditionExpression: 'h1 = :h1 AND h2 = :h2', ExpressionAttributeValues: values })), ['z']);
  await t.client.send(new PutItemCommand({ TableName: table, Item: item('z', 'w', 9, 'A') }));
  assert.deepEqual(await queryAll({ KeyConditionExpression: 'h1 = :h1 AND h2 = :h2', ExpressionAttributeValues: values }), []);
  await t.client.send(new PutItemCommand({ TableName: table, Item: item('z', 'w', 9, 'A', 1) }));
  await t.client.send(new DeleteItemCommand({ TableName: table, Key: { p: { S: 'z' } } }));
  assert.deepEqual(await queryAll({ KeyConditionExpression: 'h1 = :h1 AND h2 = :h2', ExpressionAttributeValues: values }), []);
});

test('key conditions: every HASH attribute by equality, RANGE attributes in order without gaps', async () => {
  const values = { ...partition, ':r1': { S: 'A' }, ':r2': { N: '1' } };
  const rejects: [string, RegExp][] = [
    ['h1 = :h1', /HASH.*equality/],
    ['h1 = :h1 AND h2 > :h2', /HASH.*equality/],
    ['h1 = :h1 AND h2 = :h2 AND r2 = :r2', /RANGE.*equality/],
    ['h1 = :h1 AND h2 = :h2 AND r1 > :r1 AND r2 = :r2', /RANGE.*equality/],
  ];
  for (const [expression, message] of rejects) {
    const used = Object.fromEntries(Object.entries(values).filter(([name]) => new RegExp(`${name}\\b`).test(expression)));
    const error = await errorOf(
      t.client.send(new QueryCommand({ TableName: table, IndexName: 'idx', KeyConditionExpression: expression, ExpressionAttributeValues: used })),
    );
    assert.equal(error.name, 'ValidationException', expression);
    assert.match(error.message, message, expression);
  }
  const wrongType = await errorOf(
    t.client.send(
      new QueryCommand({ TableName: table, IndexName: 'idx', KeyConditionExpression: 'h1 = :h1 AND h2 = :h2', ExpressionAttributeValues: { ':h1': { S: 'x' }, ':h2': { S: '1' } } }),
    ),
  );
  assert.match(wrongType.message, /type does not match/);
});

test('a written item must give each index key attribute its declared type', async () => {
  const error = await errorOf(t.client.send(new PutItemCommand({ TableName: table, Item: { ...item('q', 'x', 1, 'A'), r2: { S: 'no' } } })));
  assert.equal(error.name, 'ValidationException');
  assert.match(error.message, /Type mismatch for Index Key r2/);
});

test('CreateTable: up to 4 HASH and 4 RANGE attributes, HASH first, no name twice; LSIs keep 2', async () => {
  const four = (prefix: string): [string, ScalarAttributeType][] => [1, 2, 3, 4].map((n) => [`${prefix}${n}`, 'S']);
  const name = uniqueTableName('gsi_mk4');
  await t.client.send(new CreateTableCommand(compositeInput(name, four('h'), four('r'))));
  const cases: [CreateTableCommandInput, RegExp][] = [
    [compositeInput(uniqueTableName('gsi_mk'), [...four('h'), ['h5', 'S']], []), /HASH/],
    [compositeInput(uniqueTableName('gsi_mk'), [['h1', 'S']], [...four('r'), ['r5', 'S']]), /RANGE/],
  ];
  const interleaved = compositeInput(uniqueTableName('gsi_mk'), [['a', 'S'], ['c', 'S']], [['b', 'S']]);
  interleaved.GlobalSecondaryIndexes![0]!.KeySchema = [
    { AttributeName: 'a', KeyType: 'HASH' },
    { AttributeName: 'b', KeyType: 'RANGE' },
    { AttributeName: 'c', KeyType: 'HASH' },
  ];
  cases.push([interleaved, /HASH.*precede.*RANGE/]);
  const duplicate = compositeInput(uniqueTableName('gsi_mk'), [['a', 'S'], ['b', 'S']], []);
  duplicate.GlobalSecondaryIndexes![0]!.KeySchema = [
    { AttributeName: 'a', KeyType: 'HASH' },
    { AttributeName: 'b', KeyType: 'HASH' },
    { AttributeName: 'a', KeyType: 'RANGE' },
  ];
  cases.push([duplicate, /same name/]);
  const lsi: CreateTableCommandInput = {
    TableName: uniqueTableName('gsi_mk'),
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'p', KeyType: 'HASH' }, { AttributeName: 'c', KeyType: 'RANGE' }],
    AttributeDefinitions: ['p', 'c', 'l'].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
    LocalSecondaryIndexes: [
      {
        IndexName: 'lsi',
        KeySchema: [{ AttributeName: 'p', KeyType: 'HASH' }, { AttributeName: 'c', KeyType: 'RANGE' }, { AttributeName: 'l', KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
  cases.push([lsi, /less than or equal to 2/]);
  for (const [input, message] of cases) {
    const error = await errorOf(t.client.send(new CreateTableCommand(input)));
    assert.equal(error.name, 'ValidationException');
    assert.match(error.message, message);
  }
});

test('UpdateTable adds a multi-attribute GSI and backfills it', async () => {
  const name = uniqueTableName('gsi_mku');
  await t.client.send(
    new CreateTableCommand({ TableName: name, BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'p', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'p', AttributeType: 'S' }] }),
  );
  await t.client.send(new PutItemCommand({ TableName: name, Item: { p: { S: '1' }, a: { S: 'x' }, b: { S: 'y' }, c: { N: '3' } } }));
  await t.client.send(
    new UpdateTableCommand({
      TableName: name,
      AttributeDefinitions: [
        { AttributeName: 'a', AttributeType: 'S' },
        { AttributeName: 'b', AttributeType: 'S' },
        { AttributeName: 'c', AttributeType: 'N' },
      ],
      GlobalSecondaryIndexUpdates: [
        {
          Create: {
            IndexName: 'idx',
            KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }, { AttributeName: 'b', KeyType: 'HASH' }, { AttributeName: 'c', KeyType: 'RANGE' }],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        },
      ],
    }),
  );
  let items: Item[] | undefined;
  for (let attempt = 0; attempt < 100 && items === undefined; attempt++) {
    try {
      const out = await t.client.send(
        new QueryCommand({ TableName: name, IndexName: 'idx', KeyConditionExpression: 'a = :a AND b = :b', ExpressionAttributeValues: { ':a': { S: 'x' }, ':b': { S: 'y' } } }),
      );
      items = out.Items;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  assert.deepEqual(items, [{ p: { S: '1' }, a: { S: 'x' }, b: { S: 'y' }, c: { N: '3' } }]);
});

test('the RANGE values of a multi-attribute key share the 1,024-byte sort key limit', async () => {
  const name = uniqueTableName('gsi_mks');
  await t.client.send(new CreateTableCommand(compositeInput(name, [['h1', 'S']], [['r1', 'S'], ['r2', 'S']])));
  const row = (second: number): Item => ({ p: { S: '1' }, h1: { S: 'x' }, r1: { S: 'a'.repeat(512) }, r2: { S: 'b'.repeat(second) } });
  await t.client.send(new PutItemCommand({ TableName: name, Item: row(512) }));
  const error = await errorOf(t.client.send(new PutItemCommand({ TableName: name, Item: row(513) })));
  assert.equal(error.name, 'ValidationException');
  assert.match(error.message, /Aggregated size of all range keys has exceeded the size limit of 1024 bytes/);
});
