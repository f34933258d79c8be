// Query through the real SDK clients against an in-memory server: every key condition operator
// on S, N and B sort keys (DynamoDB's order: UTF-8 bytes, numbers, bytes), reverse order,
// pagination by Limit and by the 1 MB page, filters with Count/ScannedCount, projections and
// Select, LSI and GSI queries, consumed capacity, and the validation texts DynamoDB returns.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PutItemCommand, QueryCommand, type AttributeValue, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand as DocQueryCommand } from '@aws-sdk/lib-dynamodb';
import { startTestServer, uniqueTableName, type TestServer } from '../support/server.js';
import { errorOf } from '../support/errors.js';
import { createTable } from '../support/tables.js';

let t: TestServer;
let numbers: string; // pk S, sk N
let strings: string; // pk S, sk S
let binaries: string; // pk S, sk B
let indexed: string; // pk S, sk S, LSI on b (KEYS_ONLY), GSI on g/h (INCLUDE x), GSI on g (ALL)

type Key = Record<string, AttributeValue>;

before(async () => {
  t = await startTestServer({ throttling: false }); // these tests write MBs to one key in a second; capacity has its own tests
  numbers = uniqueTableName('q_n');
  strings = uniqueTableName('q_s');
  binaries = uniqueTableName('q_b');
  indexed = uniqueTableName('q_idx');
  await createTable(t.client, { name: numbers, partitionKey: ['pk', 'S'], sortKey: ['sk', 'N'] });
  await createTable(t.client, { name: strings, partitionKey: ['pk', 'S'], sortKey: ['sk', 'S'] });
  await createTable(t.client, { name: binaries, partitionKey: ['pk', 'S'], sortKey: ['sk', 'B'] });
  await createTable(t.client, {
    name: indexed,
    partitionKey: ['pk', 'S'],
    sortKey: ['sk', 'S'],
    localIndexes: [{ name: 'lsi_b', sortKey: ['b', 'S'], projection: 'KEYS_ONLY' }],
    globalIndexes: [
      { name: 'gsi_gh', partitionKey: ['g', 'S'], sortKey: ['h', 'N'], projection: { include: ['x'] } },
      { name: 'gsi_g', partitionKey: ['g', 'S'], projection: 'ALL' },
    ],
  });
});
after(() => t.close());

async function putAll(table: string, items: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < items.length; i += 64) {
    await Promise.all(items.slice(i, i + 64).map((item) => t.doc.send(new PutCommand({ TableName: table, Item: item }))));
  }
}


async function expectError(input: QueryCommandInput, name: string, message: string): Promise<void> {
  const error = await errorOf(t.client.send(new QueryCommand(input)));
  assert.equal(error.name, name);
  assert.equal(error.message, message);
}

/** Every page of a query, following LastEvaluatedKey; returns the items and the page count. */
async function queryAll(input: QueryCommandInput): Promise<{ items: Key[]; pages: number }> {
  const items: Key[] = [];
  let pages = 0;
  let start: Key | undefined;
  do {
    const page = await t.client.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    pages++;
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return { items, pages };
}

function sortKeysOf(items: Key[]): string[] {
  return items.map((item) => {
    const sk = item.sk!;
    return sk.N ?? sk.S ?? Buffer.from(sk.B!).toString('hex');
  });
}

// ---- order and key conditions --------------------------------------------------------------

// Sorted as DynamoDB sorts numbers (written in canonical form, so they come back unchanged).
const sortedNumbers = [
  '-20000000000', '-710', '-4.1', '-1', '-0.1', '-0.00001', '0', '0.00002', '0.15', '1', '1.00000000000000000000000001',
  '3.14159', '3.1415926535897932384626433832795028841', '31.4', '100', '14000000000',
];

test('numbers come back in numeric order, reversed with ScanIndexForward false', async () => {
  for (const n of [...sortedNumbers].reverse()) {
    await t.client.send(new PutItemCommand({ TableName: numbers, Item: { pk: { S: 'order' }, sk: { N: n } } }));
  }
  const base = { TableName: numbers, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'order' } } };
  assert.deepEqual(sortKeysOf((await queryAll(base)).items), sortedNumbers);
  assert.deepEqual(sortKeysOf((await queryAll({ ...base, ScanIndexForward: false })).items), [...sortedNumbers].reverse());
});

test('every sort key operator on N, including negative and fractional bounds', async () => {
  const values = ['-10', '-2.5', '-1', '0', '0.5', '1', '2.5', '10', '100'];
  await putAll(numbers, values.map((n) => ({ pk: 'ops', sk: Number(n) })));
  const run = async (condition: string, bounds: Record<string, string>): Promise<number[]> => {
    const values: Key = { ':p': { S: 'ops' } };
    for (const [name, n] of Object.entries(bounds)) values[name] = { N: n };
    const { items } = await queryAll({ TableName: numbers, KeyConditionExpression: `pk = :p AND ${condition}`, ExpressionAttributeValues: values });
    return items.map((i) => Number(i.sk!.N));
  };
  assert.deepEqual(await run('sk = :a', { ':a': '-2.50' }), [-2.5]);
  assert.deepEqual(await run('sk < :a', { ':a': '0' }), [-10, -2.5, -1]);
  assert.deepEqual(await run('sk <= :a', { ':a': '0' }), [-10, -2.5, -1, 0]);
  assert.deepEqual(await run('sk > :a', { ':a': '0.5' }), [1, 2.5, 10, 100]);
  assert.deepEqual(await run('sk >= :a', { ':a': '0.5' }), [0.5, 1, 2.5, 10, 100]);
  assert.deepEqual(await run('sk BETWEEN :a AND :b', { ':a': '-1', ':b': '2.5' }), [-1, 0, 0.5, 1, 2.5]);
  assert.deepEqual(await run(':a < sk', { ':a': '10' }), [100]); // key attribute on the right
  assert.deepEqual(await run('sk BETWEEN :a AND :b', { ':a': '3', ':b': '9' }), []);
});

test('strings sort by UTF-8 bytes; every operator and begins_with on S', async () => {
  // U+E000 sorts below U+10000 in UTF-8 (but not in UTF-16 code units).
  const keys = ['a', 'aa', 'ab', 'b', 'ÿ', 'ÿÿ', 'ÿÿÿ', 'cÿbÿ', 'cÿbÿÿabg', '\uE000', '\u{10000}', 'B', '10', '2'];
  await putAll(strings, keys.map((sk) => ({ pk: 'utf8', sk })));
  const sorted = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
  const all = await queryAll({ TableName: strings, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'utf8' } } });
  assert.deepEqual(sortKeysOf(all.items), sorted);
  const run = async (condition: string, bounds: Record<string, string>): Promise<string[]> => {
    const values: Key = { ':p': { S: 'utf8' } };
    for (const [name, s] of Object.entries(bounds)) values[name] = { S: s };
    return sortKeysOf((await queryAll({ TableName: strings, KeyConditionExpression: `pk = :p AND ${condition}`, ExpressionAttributeValues: values })).items);
  };
  assert.deepEqual(await run('begins_with(sk, :a)', { ':a': 'a' }), ['a', 'aa', 'ab']);
  assert.deepEqual(await run('begins_with(sk, :a)', { ':a': 'ÿÿ' }), ['ÿÿ', 'ÿÿÿ']);
  assert.deepEqual(await run('begins_with(sk, :a)', { ':a': 'cÿbÿ' }), ['cÿbÿ', 'cÿbÿÿabg']);
  assert.deepEqual(await run('begins_with(sk, :a)', { ':a': 'zz' }), []);
  assert.deepEqual(await run('sk = :a', { ':a': 'a' }), ['a']);
  assert.deepEqual(await run('sk < :a', { ':a': 'a' }), sorted.filter((s) => Buffer.compare(Buffer.from(s), Buffer.from('a')) < 0));
  assert.deepEqual(await run('sk <= :a', { ':a': 'aa' }), sorted.filter((s) => Buffer.compare(Buffer.from(s), Buffer.from('aa')) <= 0));
  assert.deepEqual(await run('sk > :a', { ':a': 'a' }), sorted.filter((s) => Buffer.compare(Buffer.from(s), Buffer.from('a')) > 0));
  assert.deepEqual(await run('sk >= :a', { ':a': 'ÿ' }), ['ÿ', 'ÿÿ', 'ÿÿÿ', '\uE000', '\u{10000}']);
  assert.deepEqual(await run('sk BETWEEN :a AND :b', { ':a': 'aa', ':b': 'b' }), ['aa', 'ab', 'b']);
});

test('binaries sort by bytes; operators and begins_with on B with 00 and FF bytes', async () => {
  const keys = ['00', '0000', '0001', '01', '7f', '80', 'ff', 'ff00', 'ffff', 'ffff01'];
  await putAll(binaries, keys.map((hex) => ({ pk: 'bytes', sk: Buffer.from(hex, 'hex') })));
  const run = async (condition: string, bounds: Record<string, string>): Promise<string[]> => {
    const values: Key = { ':p': { S: 'bytes' } };
    for (const [name, hex] of Object.entries(bounds)) values[name] = { B: Buffer.from(hex, 'hex') };
    return sortKeysOf((await queryAll({ TableName: binaries, KeyConditionExpression: `pk = :p AND ${condition}`, ExpressionAttributeValues: values })).items);
  };
  const all = await queryAll({ TableName: binaries, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'bytes' } } });
  assert.deepEqual(sortKeysOf(all.items), keys);
  assert.deepEqual(await run('begins_with(sk, :a)', { ':a': '00' }), ['00', '0000', '0001']);
  assert.deepEqual(await run('begins_with(sk, :a)', { ':a': 'ff' }), ['ff', 'ff00', 'ffff', 'ffff01']);
  assert.deepEqual(await run('begins_with(sk, :a)', { ':a': 'ffff' }), ['ffff', 'ffff01']);
  assert.deepEqual(await run('sk = :a', { ':a': 'ff' }), ['ff']);
  assert.deepEqual(await run('sk < :a', { ':a': '01' }), ['00', '0000', '0001']);
  assert.deepEqual(await run('sk > :a', { ':a': 'ff' }), ['ff00', 'ffff', 'ffff01']);
  assert.deepEqual(await run('sk BETWEEN :a AND :b', { ':a': '0001', ':b': '80' }), ['0001', '01', '7f', '80']);
});

// ---- pagination ----------------------------------------------------------------------------

test('paging with Limit visits each of 2,500 items exactly once, in order, both directions', async () => {
  const count = 2500;
  await putAll(numbers, Array.from({ length: count }, (_, i) => ({ pk: 'many', sk: i, v: `v${i}` })));
  for (const [limit, forward] of [[7, true], [1000, false]] as const) {
    const { items, pages } = await queryAll({
      TableName: numbers,
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': { S: 'many' } },
      Limit: limit,
      ScanIndexForward: forward,
    });
    const expected = Array.from({ length: count }, (_, i) => i);
    if (!forward) expected.reverse();
    assert.deepEqual(items.map((i) => Number(i.sk!.N)), expected);
    assert.equal(pages, Math.ceil(count / limit) + (count % limit === 0 ? 1 : 0));
  }
});

test('a page stops once 1 MB was read; LastEvaluatedKey resumes after it', async () => {
  const big = 'x'.repeat(100 * 1024);
  await putAll(numbers, Array.from({ length: 25 }, (_, i) => ({ pk: 'big', sk: i, data: big })));
  const first = await t.client.send(
    new QueryCommand({ TableName: numbers, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'big' } } }),
  );
  // Ten items of just over 100 KB stay below 1 MB; the eleventh crosses it and ends the page.
  assert.equal(first.Count, 11);
  assert.deepEqual(first.LastEvaluatedKey, { pk: { S: 'big' }, sk: { N: '10' } });
  const { items, pages } = await queryAll({ TableName: numbers, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'big' } } });
  assert.deepEqual(items.map((i) => Number(i.sk!.N)), Array.from({ length: 25 }, (_, i) => i));
  assert.equal(pages, 3);
});

test('Limit counts items read before the filter; Count and ScannedCount differ', async () => {
  await putAll(numbers, Array.from({ length: 10 }, (_, i) => ({ pk: 'filter', sk: i, even: i % 2 === 0 })));
  const page = await t.client.send(
    new QueryCommand({
      TableName: numbers,
      KeyConditionExpression: 'pk = :p',
      FilterExpression: 'even = :t',
      ExpressionAttributeValues: { ':p': { S: 'filter' }, ':t': { BOOL: true } },
      Limit: 5,
    }),
  );
  assert.equal(page.ScannedCount, 5);
  assert.equal(page.Count, 3);
  assert.deepEqual(page.Items!.map((i) => i.sk!.N), ['0', '2', '4']);
  assert.deepEqual(page.LastEvaluatedKey, { pk: { S: 'filter' }, sk: { N: '4' } });
  const all = await t.client.send(
    new QueryCommand({
      TableName: numbers,
      KeyConditionExpression: 'pk = :p',
      FilterExpression: 'even = :t',
      ExpressionAttributeValues: { ':p': { S: 'filter' }, ':t': { BOOL: true } },
    }),
  );
  assert.equal(all.ScannedCount, 10);
  assert.equal(all.Count, 5);
  assert.equal(all.LastEvaluatedKey, undefined);
});

test('an empty partition answers Count 0, ScannedCount 0 and no LastEvaluatedKey', async () => {
  const page = await t.client.send(
    new QueryCommand({ TableName: numbers, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'nothing-here' } } }),
  );
  assert.deepEqual(page.Items, []);
  assert.equal(page.Count, 0);
  assert.equal(page.ScannedCount, 0);
  assert.equal(page.LastEvaluatedKey, undefined);
});

// ---- projection and Select -----------------------------------------------------------------

test('ProjectionExpression and Select COUNT', async () => {
  await putAll(numbers, [1, 2, 3].map((i) => ({ pk: 'proj', sk: i, a: `a${i}`, m: { x: i, y: 'y' } })));
  const projected = await t.doc.send(
    new DocQueryCommand({
      TableName: numbers,
      KeyConditionExpression: 'pk = :p',
      ProjectionExpression: 'a, m.x',
      ExpressionAttributeValues: { ':p': 'proj' },
    }),
  );
  assert.deepEqual(projected.Items, [1, 2, 3].map((i) => ({ a: `a${i}`, m: { x: i } })));
  const counted = await t.client.send(
    new QueryCommand({ TableName: numbers, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'proj' } }, Select: 'COUNT' }),
  );
  assert.equal(counted.Items, undefined);
  assert.equal(counted.Count, 3);
  const limited = await t.client.send(
    new QueryCommand({ TableName: numbers, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'proj' } }, Select: 'COUNT', Limit: 2 }),
  );
  assert.equal(limited.Count, 2);
  assert.deepEqual(limited.LastEvaluatedKey, { pk: { S: 'proj' }, sk: { N: '2' } });
});

test('Select rules and their texts', async () => {
  const base = { TableName: numbers, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'proj' } } };
  await expectError({ ...base, Select: 'COUNT', ProjectionExpression: 'a' }, 'ValidationException', 'Cannot specify the ProjectionExpression when choosing to get only the Count');
  await expectError({ ...base, Select: 'ALL_ATTRIBUTES', ProjectionExpression: 'a' }, 'ValidationException', 'Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES');
  await expectError({ ...base, Select: 'SPECIFIC_ATTRIBUTES' }, 'ValidationException', 'Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES');
  await expectError({ ...base, Select: 'ALL_PROJECTED_ATTRIBUTES' }, 'ValidationException', 'ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName');
  await expectError(
    { ...base, Select: 'EVERYTHING' as 'COUNT' },
    'ValidationException',
    "1 validation error detected: Value 'EVERYTHING' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]",
  );
  const specific = await t.client.send(new QueryCommand({ ...base, Select: 'SPECIFIC_ATTRIBUTES', ProjectionExpression: 'a' }));
  assert.deepEqual(specific.Items, [{ a: { S: 'a1' } }, { a: { S: 'a2' } }, { a: { S: 'a3' } }]);
});

// ---- secondary indexes ---------------------------------------------------------------------

test('an LSI orders by its sort key; default Select returns projected attributes, ALL_ATTRIBUTES fetches', async () => {
  const items = [0, 1, 2, 3, 4].map((i) => ({ pk: 'lsi', sk: `c${i}`, b: `b${9 - i}`, d: `d${i}` }));
  await putAll(indexed, items);
  const base = { TableName: indexed, IndexName: 'lsi_b', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'lsi' } } };
  const projected = await t.client.send(new QueryCommand(base));
  assert.deepEqual(projected.Items, [...items].reverse().map((i) => ({ pk: { S: i.pk }, sk: { S: i.sk }, b: { S: i.b } })));
  const full = await t.client.send(new QueryCommand({ ...base, Select: 'ALL_ATTRIBUTES', ConsistentRead: true }));
  assert.deepEqual(full.Items, [...items].reverse().map((i) => ({ pk: { S: i.pk }, sk: { S: i.sk }, b: { S: i.b }, d: { S: i.d } })));
  const specific = await t.client.send(new QueryCommand({ ...base, ProjectionExpression: 'd' }));
  assert.deepEqual(specific.Items, [...items].reverse().map((i) => ({ d: { S: i.d } })));
  // The base table's sort key is projected, so it may be filtered on; 'd' is not.
  const filtered = await t.client.send(
    new QueryCommand({ ...base, FilterExpression: 'sk = :c', ExpressionAttributeValues: { ':p': { S: 'lsi' }, ':c': { S: 'c2' } } }),
  );
  assert.deepEqual(filtered.Items, [{ pk: { S: 'lsi' }, sk: { S: 'c2' }, b: { S: 'b7' } }]);
  await expectError(
    { ...base, FilterExpression: 'd = :d', ExpressionAttributeValues: { ':p': { S: 'lsi' }, ':d': { S: 'd1' } } },
    'ValidationException',
    'One or more parameter values were invalid: Secondary index lsi_b does not project one or more filter attributes: [d]',
  );
  await expectError(
    { ...base, FilterExpression: 'b = :d', ExpressionAttributeValues: { ':p': { S: 'lsi' }, ':d': { S: 'd1' } } },
    'ValidationException',
    'Filter Expression can only contain non-primary key attributes: Primary key attribute: b',
  );
  // LastEvaluatedKey of an index holds the table's key and the index's.
  const paged = await t.client.send(new QueryCommand({ ...base, Limit: 2 }));
  assert.deepEqual(paged.LastEvaluatedKey, { pk: { S: 'lsi' }, sk: { S: 'c3' }, b: { S: 'b6' } });
  const rest = await queryAll({ ...base, Limit: 2 });
  assert.deepEqual(rest.items.map((i) => i.b!.S), ['b5', 'b6', 'b7', 'b8', 'b9']);
  const reversed = await queryAll({ ...base, Limit: 2, ScanIndexForward: false, Select: 'ALL_ATTRIBUTES' });
  assert.deepEqual(reversed.items.map((i) => i.d!.S), ['d0', 'd1', 'd2', 'd3', 'd4']);
});

test('a GSI with equal index keys pages through every entry once', async () => {
  const items = Array.from({ length: 30 }, (_, i) => ({ pk: `gsi-${i}`, sk: 's', g: 'group', h: i % 3, x: `x${i}`, y: `y${i}` }));
  await putAll(indexed, items);
  const base = { TableName: indexed, IndexName: 'gsi_gh', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'group' } } };
  const { items: got } = await queryAll({ ...base, Limit: 4 });
  assert.equal(got.length, 30);
  assert.deepEqual(new Set(got.map((i) => i.pk!.S)).size, 30);
  assert.deepEqual(got.map((i) => Number(i.h!.N)), [...items.map((i) => i.h)].sort());
  // INCLUDE projects x, not y.
  assert.deepEqual(Object.keys(got[0]!).sort(), ['g', 'h', 'pk', 'sk', 'x']);
  const page = await t.client.send(new QueryCommand({ ...base, Limit: 1 }));
  assert.deepEqual(Object.keys(page.LastEvaluatedKey!).sort(), ['g', 'h', 'pk', 'sk']);
  const between = await queryAll({
    ...base,
    KeyConditionExpression: 'g = :g AND h BETWEEN :a AND :b',
    ExpressionAttributeValues: { ':g': { S: 'group' }, ':a': { N: '1' }, ':b': { N: '2' } },
  });
  assert.equal(between.items.length, 20);
  await expectError({ ...base, ConsistentRead: true }, 'ValidationException', 'Consistent reads are not supported on global secondary indexes');
  await expectError(
    { ...base, Select: 'ALL_ATTRIBUTES' },
    'ValidationException',
    'One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index gsi_gh because its projection type is not ALL',
  );
  await expectError(
    { ...base, ProjectionExpression: 'x, y' },
    'ValidationException',
    'One or more parameter values were invalid: Global secondary index gsi_gh does not project [y]',
  );
  const all = await t.client.send(new QueryCommand({ ...base, IndexName: 'gsi_g', Select: 'ALL_ATTRIBUTES', Limit: 1 }));
  assert.deepEqual(Object.keys(all.Items![0]!).sort(), ['g', 'h', 'pk', 'sk', 'x', 'y']);
  assert.deepEqual(Object.keys(all.LastEvaluatedKey!).sort(), ['g', 'pk', 'sk']);
});

// ---- consumed capacity ---------------------------------------------------------------------

test('consumed capacity sums the bytes read, rounds to 4 KB once, halves eventual reads', async () => {
  const chunk = 'x'.repeat(3000);
  await putAll(numbers, [1, 2, 3].map((i) => ({ pk: 'cap', sk: i, payload: chunk })));
  const base = { TableName: numbers, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'cap' } } };
  const consistent = await t.client.send(new QueryCommand({ ...base, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }));
  assert.equal(consistent.ConsumedCapacity?.CapacityUnits, 3); // ~9 KB -> 3 units
  assert.equal(consistent.ConsumedCapacity?.TableName, numbers);
  const eventual = await t.client.send(new QueryCommand({ ...base, ReturnConsumedCapacity: 'TOTAL', FilterExpression: 'attribute_not_exists(payload)' }));
  assert.equal(eventual.Count, 0);
  assert.equal(eventual.ConsumedCapacity?.CapacityUnits, 1.5); // the filter does not lower the cost
  const empty = await t.client.send(
    new QueryCommand({ ...base, ExpressionAttributeValues: { ':p': { S: 'cap-none' } }, ReturnConsumedCapacity: 'TOTAL' }),
  );
  assert.equal(empty.ConsumedCapacity?.CapacityUnits, 0.5);
  const none = await t.client.send(new QueryCommand({ ...base, ReturnConsumedCapacity: 'NONE' }));
  assert.equal(none.ConsumedCapacity, undefined);
});

test('index reads are charged to the index; LSI fetches to the table', async () => {
  const indexes = await t.client.send(
    new QueryCommand({
      TableName: indexed,
      IndexName: 'gsi_g',
      KeyConditionExpression: 'g = :g',
      ExpressionAttributeValues: { ':g': { S: 'group' } },
      ReturnConsumedCapacity: 'INDEXES',
    }),
  );
  assert.equal(indexes.ConsumedCapacity?.CapacityUnits, 0.5);
  assert.equal(indexes.ConsumedCapacity?.Table?.CapacityUnits, 0);
  assert.equal(indexes.ConsumedCapacity?.GlobalSecondaryIndexes?.gsi_g?.CapacityUnits, 0.5);
  const fetched = await t.client.send(
    new QueryCommand({
      TableName: indexed,
      IndexName: 'lsi_b',
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': { S: 'lsi' } },
      Select: 'ALL_ATTRIBUTES',
      ConsistentRead: true,
      ReturnConsumedCapacity: 'INDEXES',
    }),
  );
  assert.equal(fetched.ConsumedCapacity?.Table?.CapacityUnits, 1);
  assert.equal(fetched.ConsumedCapacity?.LocalSecondaryIndexes?.lsi_b?.CapacityUnits, 1);
  assert.equal(fetched.ConsumedCapacity?.CapacityUnits, 2);
});

// ---- validation ----------------------------------------------------------------------------

test('missing table, missing index, Limit below 1', async () => {
  const base = { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'x' } } };
  await expectError({ ...base, TableName: 'no_such_table' }, 'ResourceNotFoundException', 'Requested resource not found');
  await expectError({ ...base, TableName: numbers, IndexName: 'nope' }, 'ValidationException', 'The table does not have the specified index: nope');
  await expectError(
    { ...base, TableName: numbers, Limit: 0 },
    'ValidationException',
    "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
  );
  await expectError({ TableName: numbers }, 'ValidationException', 'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
});

test('key condition values longer than a key can be are refused', async () => {
  await expectError(
    {
      TableName: strings,
      KeyConditionExpression: 'pk = :p AND sk < :s',
      ExpressionAttributeValues: { ':p': { S: 'utf8' }, ':s': { S: 'x'.repeat(1025) } },
    },
    'ValidationException',
    'One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes',
  );
  const atLimit = await t.client.send(
    new QueryCommand({
      TableName: strings,
      KeyConditionExpression: 'pk = :p AND sk < :s',
      ExpressionAttributeValues: { ':p': { S: 'utf8' }, ':s': { S: 'b'.repeat(1024) } },
    }),
  );
  assert.deepEqual(sortKeysOf(atLimit.Items!), ['10', '2', 'B', 'a', 'aa', 'ab', 'b']);
});

test('parameter mixing texts', async () => {
  await expectError(
    {
      TableName: numbers,
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': { S: 'x' } },
      AttributesToGet: ['a'],
      QueryFilter: { a: { ComparisonOperator: 'NOT_NULL' } },
    },
    'ValidationException',
    'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet, QueryFilter} Expression parameters: {KeyConditionExpression}',
  );
  await expectError(
    { TableName: numbers, KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'x' }] } }, ExpressionAttributeValues: { ':p': { S: 'x' } } },
    'ValidationException',
    'ExpressionAttributeValues can only be specified when using expressions: FilterExpression and KeyConditionExpression are null',
  );
});

test('ExclusiveStartKey checks', async () => {
  const base = { TableName: numbers, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'many' } } };
  await expectError({ ...base, ExclusiveStartKey: { pk: { S: 'many' } } }, 'ValidationException', 'The provided starting key is invalid');
  await expectError({ ...base, ExclusiveStartKey: { pk: { S: 'many' }, sk: { S: '1' } } }, 'ValidationException', 'The provided key element does not match the schema');
  await expectError(
    { ...base, ExclusiveStartKey: { pk: { S: 'other' }, sk: { N: '1' } } },
    'ValidationException',
    'The provided starting key is outside query boundaries based on provided conditions',
  );
  await expectError(
    {
      ...base,
      KeyConditionExpression: 'pk = :p AND sk > :n',
      ExpressionAttributeValues: { ':p': { S: 'many' }, ':n': { N: '10' } },
      ExclusiveStartKey: { pk: { S: 'many' }, sk: { N: '5' } },
    },
    'ValidationException',
    'The provided starting key does not match the range key predicate',
  );
  await expectError(
    { ...base, ExclusiveStartKey: { pk: { S: 'many' }, sk: {} as AttributeValue } },
    'ValidationException',
    'The provided starting key is invalid: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes',
  );
  // On an index: the table's key must be there too, and is checked with the prefix.
  await expectError(
    {
      TableName: indexed,
      IndexName: 'lsi_b',
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': { S: 'lsi' } },
      ExclusiveStartKey: { pk: { S: 'lsi' }, sk: { N: '1' }, b: { S: 'b1' } },
    },
    'ValidationException',
    'The provided starting key is invalid: The provided key element does not match the schema',
  );
  const resumed = await t.client.send(new QueryCommand({ ...base, ExclusiveStartKey: { pk: { S: 'many' }, sk: { N: '2497' } } }));
  assert.deepEqual(resumed.Items!.map((i) => i.sk!.N), ['2498', '2499']);
});
