// BatchGetItem and BatchWriteItem through the real SDK clients, against an in-memory server:
// limits at the boundary and one past it, duplicate keys, validation texts, unprocessed keys
// at the 16 MB response limit, and per-table consumed capacity.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BatchGetItemCommand, BatchWriteItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { startTestServer, uniqueTableName, type TestServer } from '../support/server.js';
import { errorOf } from '../support/errors.js';
import { createTable } from '../support/tables.js';

let t: TestServer;
let hashTable: string; // pk (S)
let rangeTable: string; // pk (S), sk (N)

before(async () => {
  t = await startTestServer({ throttling: false }); // these tests write MBs to one key in a second; capacity has its own tests
  hashTable = uniqueTableName('batch_h');
  rangeTable = uniqueTableName('batch_r');
  await createTable(t.client, { name: hashTable, partitionKey: ['pk', 'S'] });
  await createTable(t.client, { name: rangeTable, partitionKey: ['pk', 'S'], sortKey: ['sk', 'N'] });
});
after(() => t.close());


const key = (pk: string): Record<string, AttributeValue> => ({ pk: { S: pk } });

// ---- BatchWriteItem ------------------------------------------------------------------------

test('batch write puts and deletes across two tables, UnprocessedItems empty', async () => {
  await t.doc.send(new PutCommand({ TableName: hashTable, Item: { pk: 'bw-old' } }));
  const result = await t.doc.send(
    new BatchWriteCommand({
      RequestItems: {
        [hashTable]: [{ PutRequest: { Item: { pk: 'bw-1', a: 'x' } } }, { DeleteRequest: { Key: { pk: 'bw-old' } } }],
        [rangeTable]: [{ PutRequest: { Item: { pk: 'bw-1', sk: 1, b: 'y' } } }],
      },
    }),
  );
  assert.deepEqual(result.UnprocessedItems, {});
  assert.deepEqual((await t.doc.send(new GetCommand({ TableName: hashTable, Key: { pk: 'bw-1' } }))).Item, { pk: 'bw-1', a: 'x' });
  assert.deepEqual((await t.doc.send(new GetCommand({ TableName: rangeTable, Key: { pk: 'bw-1', sk: 1 } }))).Item, { pk: 'bw-1', sk: 1, b: 'y' });
  assert.equal((await t.doc.send(new GetCommand({ TableName: hashTable, Key: { pk: 'bw-old' } }))).Item, undefined);
});

test('batch write of 25 requests is accepted; 26 is refused and writes nothing', async () => {
  const requests = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({ PutRequest: { Item: key(`${prefix}-${i}`) } }));
  const ok = await t.client.send(new BatchWriteItemCommand({ RequestItems: { [hashTable]: requests(25, 'bw25') } }));
  assert.deepEqual(ok.UnprocessedItems, {});
  const error = await errorOf(t.client.send(new BatchWriteItemCommand({ RequestItems: { [hashTable]: requests(26, 'bw26') } })));
  assert.equal(error.name, 'ValidationException');
  assert.match(
    error.message,
    new RegExp(
      `^1 validation error detected: Value '\\{${hashTable}=\\[WriteRequest\\(putRequest=PutRequest\\(item=\\{pk=.+\\}.*\\)\\]\\}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: \\[Member must have length less than or equal to 25, Member must have length greater than or equal to 1\\]$`,
    ),
  );
  assert.equal((await t.doc.send(new GetCommand({ TableName: hashTable, Key: { pk: 'bw26-0' } }))).Item, undefined);
});

test('batch write over 25 requests across tables is refused', async () => {
  const hashRequests = Array.from({ length: 13 }, (_, i) => ({ PutRequest: { Item: key(`x-${i}`) } }));
  const rangeRequests = Array.from({ length: 13 }, (_, i) => ({ PutRequest: { Item: { pk: { S: `y-${i}` }, sk: { N: '1' } } } }));
  const error = await errorOf(t.client.send(new BatchWriteItemCommand({ RequestItems: { [hashTable]: hashRequests, [rangeTable]: rangeRequests } })));
  assert.equal(error.name, 'ValidationException');
  assert.equal(error.message, 'Too many items requested for the BatchWriteItem call');
});

test('batch write: two operations on one item are duplicates; the same key in two tables is not', async () => {
  for (const requests of [
    [{ PutRequest: { Item: key('dup') } }, { PutRequest: { Item: key('dup') } }],
    [{ PutRequest: { Item: key('dup') } }, { DeleteRequest: { Key: key('dup') } }],
    [{ DeleteRequest: { Key: key('dup') } }, { DeleteRequest: { Key: key('dup') } }],
  ]) {
    const error = await errorOf(t.client.send(new BatchWriteItemCommand({ RequestItems: { [hashTable]: requests } })));
    assert.equal(error.name, 'ValidationException');
    assert.equal(error.message, 'Provided list of item keys contains duplicates');
  }
  // Numbers compare by value: 1 and 1.0 are the same key.
  const error = await errorOf(
    t.client.send(
      new BatchWriteItemCommand({
        RequestItems: { [rangeTable]: [{ PutRequest: { Item: { pk: { S: 'd' }, sk: { N: '1' } } } }, { DeleteRequest: { Key: { pk: { S: 'd' }, sk: { N: '1.0' } } } }] },
      }),
    ),
  );
  assert.equal(error.message, 'Provided list of item keys contains duplicates');
  await t.client.send(
    new BatchWriteItemCommand({
      RequestItems: { [hashTable]: [{ PutRequest: { Item: key('same') } }], [rangeTable]: [{ PutRequest: { Item: { pk: { S: 'same' }, sk: { N: '1' } } } }] },
    }),
  );
});

test('batch write validation texts', async () => {
  const cases: [Record<string, unknown>, string, string][] = [
    [{ RequestItems: {} }, 'ValidationException', 'The requestItems parameter is required for BatchWriteItem'],
    [{ RequestItems: { [hashTable]: [] } }, 'ValidationException', `1 validation error detected: Value '{${hashTable}=[]}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]`],
    [{ RequestItems: { [hashTable]: [{ PutRequest: { Item: { pk: { N: '5' } } } }] } }, 'ValidationException', 'The provided key element does not match the schema'],
    [{ RequestItems: { [hashTable]: [{ PutRequest: { Item: { other: { S: 'x' } } } }] } }, 'ValidationException', 'The provided key element does not match the schema'],
    [{ RequestItems: { [hashTable]: [{ DeleteRequest: { Key: { other: { S: 'x' } } } }] } }, 'ValidationException', 'The provided key element does not match the schema'],
    [
      { RequestItems: { [hashTable]: [{ PutRequest: { Item: { pk: { S: '' } } } }] } },
      'ValidationException',
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk',
    ],
    [{ RequestItems: { no_such_table_bw: [{ PutRequest: { Item: key('a') } }] } }, 'ResourceNotFoundException', 'Requested resource not found'],
    [
      { RequestItems: { [hashTable]: [{ PutRequest: { Item: key('a') } }] }, ReturnConsumedCapacity: 'BOGUS', ReturnItemCollectionMetrics: 'BOGUS2' },
      'ValidationException',
      "2 validation errors detected: Value 'BOGUS' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; Value 'BOGUS2' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member must satisfy enum value set: [SIZE, NONE]",
    ],
    [
      { RequestItems: { 'bad!name': [{ PutRequest: { Item: key('a') } }] }, ReturnConsumedCapacity: 'BOGUS' },
      'ValidationException',
      "1 validation error detected: Value 'BOGUS' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]",
    ],
    [{ RequestItems: { [hashTable]: [{}] } }, 'ValidationException', 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes'],
  ];
  for (const [input, name, message] of cases) {
    const error = await errorOf(t.client.send(new BatchWriteItemCommand(input as never)));
    assert.equal(error.name, name, message);
    assert.equal(error.message, message);
  }
  const badName = await errorOf(t.client.send(new BatchWriteItemCommand({ RequestItems: { 'bad!name': [{ PutRequest: { Item: key('a') } }] } })));
  assert.match(
    badName.message,
    /^1 validation error detected: Value '\{bad!name=\[WriteRequest\(putRequest=PutRequest\(item=\{pk=.+\}.*\)\]\}' at 'requestItems' failed to satisfy constraint: Map keys must satisfy constraint: \[Member must have length less than or equal to 255, Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: \[a-zA-Z0-9_.-\]\+\]$/,
  );
});

test('an invalid request anywhere in the batch writes nothing', async () => {
  const error = await errorOf(
    t.client.send(
      new BatchWriteItemCommand({ RequestItems: { [hashTable]: [{ PutRequest: { Item: key('inv-1') } }, { PutRequest: { Item: { pk: { N: '3' } } } }, { PutRequest: { Item: key('inv-2') } }] } }),
    ),
  );
  assert.equal(error.name, 'ValidationException');
  for (const pk of ['inv-1', 'inv-2']) assert.equal((await t.doc.send(new GetCommand({ TableName: hashTable, Key: { pk } }))).Item, undefined);
});

test('batch write item size: 400 KB accepted, one byte more refused', async () => {
  const overhead = 'pk'.length + 'size-at'.length + 'data'.length;
  const exact = 'x'.repeat(400 * 1024 - overhead);
  await t.doc.send(new BatchWriteCommand({ RequestItems: { [hashTable]: [{ PutRequest: { Item: { pk: 'size-at', data: exact } } }] } }));
  const error = await errorOf(t.doc.send(new BatchWriteCommand({ RequestItems: { [hashTable]: [{ PutRequest: { Item: { pk: 'size-at', data: exact + 'x' } } }] } })));
  assert.equal(error.message, 'Item size has exceeded the maximum allowed size');
});

test('batch write consumed capacity: per table, each item rounded to 1 KB, max of old and new', async () => {
  await t.doc.send(new PutCommand({ TableName: rangeTable, Item: { pk: 'cap-old', sk: 1, a: 'a'.repeat(1024) } }));
  const result = await t.doc.send(
    new BatchWriteCommand({
      RequestItems: {
        [hashTable]: [
          { PutRequest: { Item: { pk: 'cap-1', a: 'hi' } } },
          { PutRequest: { Item: { pk: 'cap-2', a: 'hi' } } },
          { PutRequest: { Item: { pk: 'cap-3', a: 'a'.repeat(1024) } } },
        ],
        [rangeTable]: [{ DeleteRequest: { Key: { pk: 'cap-old', sk: 1 } } }, { PutRequest: { Item: { pk: 'cap-new', sk: 1 } } }],
      },
      ReturnConsumedCapacity: 'TOTAL',
    }),
  );
  const byTable = Object.fromEntries((result.ConsumedCapacity ?? []).map((c) => [c.TableName, c.CapacityUnits]));
  assert.deepEqual(byTable, { [hashTable]: 4, [rangeTable]: 3 });
});

// ---- BatchGetItem --------------------------------------------------------------------------

test('batch get from two tables: found items, missing keys omitted, empty list for a table', async () => {
  await t.doc.send(new PutCommand({ TableName: hashTable, Item: { pk: 'bg-1', v: 1, w: 2 } }));
  await t.doc.send(new PutCommand({ TableName: rangeTable, Item: { pk: 'bg-1', sk: 5, v: 3 } }));
  const result = await t.doc.send(
    new BatchGetCommand({
      RequestItems: {
        [hashTable]: { Keys: [{ pk: 'bg-1' }, { pk: 'bg-missing' }], ProjectionExpression: '#v', ExpressionAttributeNames: { '#v': 'v' }, ConsistentRead: true },
        [rangeTable]: { Keys: [{ pk: 'bg-1', sk: 5 }] },
      },
    }),
  );
  assert.deepEqual(result.Responses?.[hashTable], [{ v: 1 }]);
  assert.deepEqual(result.Responses?.[rangeTable], [{ pk: 'bg-1', sk: 5, v: 3 }]);
  assert.deepEqual(result.UnprocessedKeys, {});
  const none = await t.doc.send(new BatchGetCommand({ RequestItems: { [hashTable]: { Keys: [{ pk: 'bg-nothing' }] } } }));
  assert.deepEqual(none.Responses?.[hashTable], []);
  const legacy = await t.doc.send(new BatchGetCommand({ RequestItems: { [hashTable]: { Keys: [{ pk: 'bg-1' }], AttributesToGet: ['w', 'zz'] } } }));
  assert.deepEqual(legacy.Responses?.[hashTable], [{ w: 2 }]);
});

test('batch get of 100 keys is accepted; 101 are refused, also across tables', async () => {
  const keys = (n: number) => Array.from({ length: n }, (_, i) => key(`k-${i}`));
  const ok = await t.client.send(new BatchGetItemCommand({ RequestItems: { [hashTable]: { Keys: keys(100) } } }));
  assert.deepEqual(ok.Responses?.[hashTable], []);
  const one = await errorOf(t.client.send(new BatchGetItemCommand({ RequestItems: { [hashTable]: { Keys: keys(101) } } })));
  assert.equal(one.name, 'ValidationException');
  assert.equal(one.message, `1 validation error detected: Value at 'RequestItems.${hashTable}.member.Keys' failed to satisfy constraint: Member must have length less than or equal to 100`);
  const across = await errorOf(
    t.client.send(new BatchGetItemCommand({ RequestItems: { [hashTable]: { Keys: keys(100) }, [rangeTable]: { Keys: [{ pk: { S: 'a' }, sk: { N: '1' } }] } } })),
  );
  assert.equal(across.message, 'Too many items requested for the BatchGetItem call');
});

test('batch get validation texts', async () => {
  const cases: [Record<string, unknown>, string, string][] = [
    [{ RequestItems: {} }, 'ValidationException', "1 validation error detected: Value at 'RequestItems' failed to satisfy constraint: Member must have length greater than or equal to 1"],
    [{ RequestItems: { [hashTable]: { Keys: [] } } }, 'ValidationException', `1 validation error detected: Value at 'RequestItems.${hashTable}.member.Keys' failed to satisfy constraint: Member must have length greater than or equal to 1`],
    [{ RequestItems: { [hashTable]: { Keys: [key('d'), key('d')] } } }, 'ValidationException', 'Provided list of item keys contains duplicates'],
    [{ RequestItems: { no_such_table_bg: { Keys: [key('a')] } } }, 'ResourceNotFoundException', 'Requested resource not found'],
    [{ RequestItems: { [hashTable]: { Keys: [{ pk: { N: '1' } }] } } }, 'ValidationException', 'The provided key element does not match the schema'],
    [
      { RequestItems: { [hashTable]: { Keys: [key('a')], AttributesToGet: ['pk'], ProjectionExpression: 'pk' } } },
      'ValidationException',
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}',
    ],
    [
      { RequestItems: { [hashTable]: { Keys: [key('a')], ProjectionExpression: 'a, a' } } },
      'ValidationException',
      'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]',
    ],
    [
      { RequestItems: { 'bad!name': { Keys: [{ pk: { S: 'a' } }] } }, ReturnConsumedCapacity: 'BOGUS' },
      'ValidationException',
      `2 validation errors detected: Value '{"bad!name":{"Keys":[{"pk":{"S":"a"}}]}}' at 'requestItems' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]; Value 'BOGUS' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]`,
    ],
  ];
  for (const [input, name, message] of cases) {
    const error = await errorOf(t.client.send(new BatchGetItemCommand(input as never)));
    assert.equal(error.name, name, message);
    assert.equal(error.message, message);
  }
});

test('batch get consumed capacity: per table, each item rounded to 4 KB, half when eventual', async () => {
  for (let i = 0; i < 5; i++) await t.doc.send(new PutCommand({ TableName: hashTable, Item: { pk: `rc-${i}` } }));
  await t.doc.send(new PutCommand({ TableName: rangeTable, Item: { pk: 'rc-big', sk: 1, data: 'x'.repeat(5000) } }));
  const result = await t.doc.send(
    new BatchGetCommand({
      RequestItems: {
        [hashTable]: { Keys: Array.from({ length: 5 }, (_, i) => ({ pk: `rc-${i}` })), ConsistentRead: true },
        [rangeTable]: { Keys: [{ pk: 'rc-big', sk: 1 }, { pk: 'rc-none', sk: 1 }] },
      },
      ReturnConsumedCapacity: 'TOTAL',
    }),
  );
  const byTable = Object.fromEntries((result.ConsumedCapacity ?? []).map((c) => [c.TableName, c.CapacityUnits]));
  assert.deepEqual(byTable, { [hashTable]: 5, [rangeTable]: 1.5 });
});

test('batch get stops at the 16 MB response limit and returns the rest as UnprocessedKeys', async () => {
  // 45 items of ~390 KB: about 17.1 MB in all, so the answer must be cut.
  const data = 'x'.repeat(390 * 1024);
  for (let start = 0; start < 45; start += 5) {
    const requests = Array.from({ length: 5 }, (_, i) => ({ PutRequest: { Item: { pk: 'big', sk: start + i, data } } }));
    await t.doc.send(new BatchWriteCommand({ RequestItems: { [rangeTable]: requests } }));
  }
  type KeysAndAttributes = { Keys: Record<string, unknown>[]; ConsistentRead?: boolean; ProjectionExpression?: string };
  let toRead: Record<string, KeysAndAttributes> | undefined = {
    [rangeTable]: { Keys: Array.from({ length: 45 }, (_, i) => ({ pk: 'big', sk: i })), ConsistentRead: true, ProjectionExpression: 'sk' },
  };
  const seen: number[] = [];
  let rounds = 0;
  while (toRead && Object.keys(toRead).length > 0) {
    rounds++;
    const result: { Responses?: Record<string, Record<string, unknown>[]>; UnprocessedKeys?: Record<string, KeysAndAttributes> } = await t.doc.send(
      new BatchGetCommand({ RequestItems: toRead }),
    ) as never;
    for (const item of result.Responses?.[rangeTable] ?? []) seen.push(item.sk as number);
    if (rounds === 1) {
      const left: KeysAndAttributes | undefined = result.UnprocessedKeys?.[rangeTable];
      assert.ok(left && left.Keys.length > 0, 'the first answer leaves keys unprocessed');
      assert.equal(left.ConsistentRead, true);
      assert.equal(left.ProjectionExpression, 'sk');
    }
    toRead = result.UnprocessedKeys;
  }
  assert.equal(rounds, 2);
  assert.deepEqual(seen.sort((a, b) => a - b), Array.from({ length: 45 }, (_, i) => i));
});
