// Single-item operations through the real SDK clients: put/get/update/delete, conditions,
// ReturnValues, consumed capacity and the item size limit, against an in-memory server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DeleteTableCommand, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startTestServer, uniqueTableName, type TestServer } from '../support/server.js';
import { errorOf } from '../support/errors.js';
import { createTable } from '../support/tables.js';

let t: TestServer;
let table: string;
before(async () => {
  t = await startTestServer();
  table = uniqueTableName('items');
  await createTable(t.client, { name: table, partitionKey: ['pk', 'S'], sortKey: ['sk', 'N'] });
});
after(() => t.close());


test('put then get returns the item with numbers normalized', async () => {
  await t.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'a' }, sk: { N: '01.50' }, n: { N: '1e2' } } }));
  const result = await t.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'a' }, sk: { N: '1.5' } }, ConsistentRead: true }));
  assert.deepEqual(result.Item, { pk: { S: 'a' }, sk: { N: '1.5' }, n: { N: '100' } });
});

test('every attribute type round-trips through the document client', async () => {
  const item = {
    pk: 'types',
    sk: 1,
    s: 'text',
    n: 3.25,
    b: new Uint8Array([1, 2, 3]),
    bool: true,
    nul: null,
    m: { nested: { deeper: ['x', 1] } },
    l: [1, 'two', false],
    ss: new Set(['a', 'b']),
    ns: new Set([1, 2]),
    bs: new Set([new Uint8Array([9])]),
  };
  await t.doc.send(new PutCommand({ TableName: table, Item: item }));
  const result = await t.doc.send(new GetCommand({ TableName: table, Key: { pk: 'types', sk: 1 } }));
  assert.deepEqual(result.Item, item);
});

test('a failed condition is ConditionalCheckFailedException and can return the old item', async () => {
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'c', sk: 1, v: 1 } }));
  const error = await errorOf(
    t.doc.send(
      new PutCommand({
        TableName: table,
        Item: { pk: 'c', sk: 1, v: 2 },
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    ),
  );
  assert.equal(error.name, 'ConditionalCheckFailedException');
  assert.equal(error.message, 'The conditional request failed');
  assert.deepEqual(error.Item, { pk: { S: 'c' }, sk: { N: '1' }, v: { N: '1' } });
  const current = await t.doc.send(new GetCommand({ TableName: table, Key: { pk: 'c', sk: 1 } }));
  assert.equal(current.Item?.v, 1);
});

test('update with SET arithmetic, ADD and REMOVE, returning UPDATED_NEW', async () => {
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'u', sk: 1, count: 5, gone: 'x' } }));
  const result = await t.doc.send(
    new UpdateCommand({
      TableName: table,
      Key: { pk: 'u', sk: 1 },
      UpdateExpression: 'SET #c = #c + :one, tags = :tags REMOVE gone ADD visits :one',
      ConditionExpression: '#c = :five',
      ExpressionAttributeNames: { '#c': 'count' },
      ExpressionAttributeValues: { ':one': 1, ':five': 5, ':tags': ['t'] },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  assert.deepEqual(result.Attributes, { count: 6, tags: ['t'], visits: 1 });
  const current = await t.doc.send(new GetCommand({ TableName: table, Key: { pk: 'u', sk: 1 } }));
  assert.deepEqual(current.Item, { pk: 'u', sk: 1, count: 6, tags: ['t'], visits: 1 });
});

test('update of a missing item creates it; ALL_OLD on delete returns it', async () => {
  await t.doc.send(new UpdateCommand({ TableName: table, Key: { pk: 'new', sk: 7 }, UpdateExpression: 'SET a = :a', ExpressionAttributeValues: { ':a': 'x' } }));
  const deleted = await t.doc.send(new DeleteCommand({ TableName: table, Key: { pk: 'new', sk: 7 }, ReturnValues: 'ALL_OLD' }));
  assert.deepEqual(deleted.Attributes, { pk: 'new', sk: 7, a: 'x' });
  const gone = await t.doc.send(new GetCommand({ TableName: table, Key: { pk: 'new', sk: 7 } }));
  assert.equal(gone.Item, undefined);
});

test('consumed capacity: 1 KB write units, 4 KB read units, half for eventual reads', async () => {
  const name = 'pksk' + 'data';
  const filler = 'x'.repeat(1024 - name.length - 'cap'.length - 1); // sk=1 is 2 bytes: total 1025 bytes
  const put = await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'cap', sk: 1, data: filler }, ReturnConsumedCapacity: 'TOTAL' }));
  assert.equal(put.ConsumedCapacity?.CapacityUnits, 2);
  const strong = await t.doc.send(new GetCommand({ TableName: table, Key: { pk: 'cap', sk: 1 }, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }));
  assert.equal(strong.ConsumedCapacity?.CapacityUnits, 1);
  const eventual = await t.doc.send(new GetCommand({ TableName: table, Key: { pk: 'cap', sk: 1 }, ReturnConsumedCapacity: 'TOTAL' }));
  assert.equal(eventual.ConsumedCapacity?.CapacityUnits, 0.5);
});

test('items up to 400 KB are accepted; one byte more is rejected', async () => {
  const overhead = 'pk'.length + 'big'.length + 'sk'.length + 2 + 'data'.length;
  const exact = 'x'.repeat(400 * 1024 - overhead);
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'big', sk: 1, data: exact } }));
  const error = await errorOf(t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'big', sk: 1, data: exact + 'x' } })));
  assert.equal(error.name, 'ValidationException');
  assert.equal(error.message, 'Item size has exceeded the maximum allowed size');
});

test('operations on a missing table are ResourceNotFoundException', async () => {
  const error = await errorOf(t.doc.send(new GetCommand({ TableName: 'no_such_table', Key: { pk: 'a', sk: 1 } })));
  assert.equal(error.name, 'ResourceNotFoundException');
});

test('an update that only removes attributes does not create a missing item', async () => {
  await t.doc.send(new UpdateCommand({ TableName: table, Key: { pk: 'ghost', sk: 1 }, UpdateExpression: 'REMOVE a' }));
  const read = await t.doc.send(new GetCommand({ TableName: table, Key: { pk: 'ghost', sk: 1 }, ConsistentRead: true }));
  assert.equal(read.Item, undefined);
  const created = await t.doc.send(new UpdateCommand({ TableName: table, Key: { pk: 'ghost', sk: 2 }, ReturnValues: 'ALL_NEW' }));
  assert.deepEqual(created.Attributes, { pk: 'ghost', sk: 2 }, 'an update with no actions creates the item, as in DynamoDB');
});

test('a reverse query includes the item at its lower bound', async () => {
  for (let sk = 0; sk < 10; sk++) await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'rev', sk } }));
  const atLeast = await t.doc.send(
    new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :p AND sk >= :v', ExpressionAttributeValues: { ':p': 'rev', ':v': 4 }, ScanIndexForward: false }),
  );
  assert.deepEqual(atLeast.Items?.map((item) => item.sk), [9, 8, 7, 6, 5, 4]);
  const exact = await t.doc.send(
    new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :p AND sk = :v', ExpressionAttributeValues: { ':p': 'rev', ':v': 0 }, ScanIndexForward: false }),
  );
  assert.deepEqual(exact.Items?.map((item) => item.sk), [0]);
});

test('attribute names: 65535 bytes accepted everywhere, 65536 refused everywhere with one text', async () => {
  const longest = 'n'.repeat(65535);
  const tooLong = longest + 'n';
  const tooLarge = '1 validation error detected: Attribute name is too large, must be less than 65536 bytes';
  const key = { pk: 'names', sk: 1 };
  await t.doc.send(new PutCommand({ TableName: table, Item: { ...key, [longest]: 1 } }));
  const read = await t.doc.send(new GetCommand({ TableName: table, Key: key, ProjectionExpression: '#n', ExpressionAttributeNames: { '#n': longest } }));
  assert.deepEqual(read.Item, { [longest]: 1 });
  await t.doc.send(new UpdateCommand({ TableName: table, Key: key, UpdateExpression: 'SET #n = #n + :one', ConditionExpression: '#n = :one', ExpressionAttributeNames: { '#n': longest }, ExpressionAttributeValues: { ':one': 1 } }));
  // ScyllaDB's test_limit_attribute_length_nonkey_bad, path by path.
  const refusals = [
    new PutCommand({ TableName: table, Item: { ...key, [tooLong]: 1 } }),
    new PutCommand({ TableName: table, Item: { ...key, m: { [tooLong]: 1 } } }),
    new GetCommand({ TableName: table, Key: key, ProjectionExpression: '#n', ExpressionAttributeNames: { '#n': tooLong } }),
    new GetCommand({ TableName: table, Key: key, AttributesToGet: [tooLong] }),
    new UpdateCommand({ TableName: table, Key: key, AttributeUpdates: { [tooLong]: { Value: 2, Action: 'PUT' } } }),
    new UpdateCommand({ TableName: table, Key: key, UpdateExpression: 'SET #n = :v', ExpressionAttributeNames: { '#n': tooLong }, ExpressionAttributeValues: { ':v': 3 } }),
    new UpdateCommand({ TableName: table, Key: key, UpdateExpression: 'SET a = :v', ConditionExpression: '#n = :v', ExpressionAttributeNames: { '#n': tooLong }, ExpressionAttributeValues: { ':v': 1 } }),
    new UpdateCommand({ TableName: table, Key: key, UpdateExpression: 'SET a = :v', ExpressionAttributeValues: { ':v': { [tooLong]: 1 } } }),
  ];
  for (const command of refusals) {
    const error = await errorOf(t.doc.send(command as never));
    assert.equal(error.name, 'ValidationException');
    assert.equal(error.message, tooLarge);
  }
  const after = await t.doc.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
  assert.deepEqual(after.Item, { ...key, [longest]: 2 });
});

test('expressions: more than 300 operators, and deep nesting, are ValidationExceptions', async () => {
  const key = { pk: 'operators', sk: 1 };
  await t.doc.send(new PutCommand({ TableName: table, Item: { ...key, a: 1, b: 2 } }));
  const nested = (depth: number) => 'a<b ' + 'or (a<b '.repeat(depth) + ')'.repeat(depth);
  await t.doc.send(new UpdateCommand({ TableName: table, Key: key, UpdateExpression: 'SET z = :v', ConditionExpression: nested(149), ExpressionAttributeValues: { ':v': 1 } }));
  const cases: Array<[string, string]> = [
    [nested(454), 'Invalid ConditionExpression: The expression contains too many operators; operator count: 301'],
    ['not '.repeat(1000) + 'a<b', 'Invalid ConditionExpression: The expression contains too many operators; operator count: 301'],
    ['('.repeat(4096), 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "("'],
    ['('.repeat(2046) + 'a<b' + ')'.repeat(2046), 'Invalid ConditionExpression: The expression has redundant parentheses;'],
  ];
  for (const [condition, message] of cases) {
    const error = await errorOf(t.doc.send(new UpdateCommand({ TableName: table, Key: key, UpdateExpression: 'SET z = :v', ConditionExpression: condition, ExpressionAttributeValues: { ':v': 2 } })));
    assert.equal(error.name, 'ValidationException');
    assert.equal(error.message, message);
  }
});

test('secondary index keys: 2048 / 1024 bytes accepted, longer refused before anything is written', async () => {
  const indexed = uniqueTableName('index_keys');
  await createTable(t.client, {
    name: indexed,
    partitionKey: ['pk', 'S'],
    sortKey: ['sk', 'S'],
    globalIndexes: [{ name: 'by_g', partitionKey: ['g', 'S'], sortKey: ['gs', 'B'] }],
    localIndexes: [{ name: 'by_l', sortKey: ['l', 'S'] }],
  });
  const tooLong = (name: string, actual: number, max: number, index: string) =>
    `One or more parameter values were invalid: Size limit exceeded for Index Key ${name} Actual Size: ${actual} bytes Max Size: ${max} bytes IndexName: ${index}`;
  // Bytes of UTF-8 and decoded binary, not characters or base64.
  await t.doc.send(new PutCommand({ TableName: indexed, Item: { pk: 'ok', sk: '1', g: 'é'.repeat(1024), gs: new Uint8Array(1024), l: 'l'.repeat(1024) } }));
  const refusals: Array<[unknown, string]> = [
    [new PutCommand({ TableName: indexed, Item: { pk: 'p1', sk: '1', g: 'é'.repeat(1024) + 'x' } }), tooLong('g', 2049, 2048, 'by_g')],
    [new PutCommand({ TableName: indexed, Item: { pk: 'p1', sk: '1', g: 'g', gs: new Uint8Array(1025) } }), tooLong('gs', 1025, 1024, 'by_g')],
    [new PutCommand({ TableName: indexed, Item: { pk: 'p1', sk: '1', g: 'g', gs: new Uint8Array(65536) } }), tooLong('gs', 65536, 1024, 'by_g')],
    [new PutCommand({ TableName: indexed, Item: { pk: 'p1', sk: '1', l: 'l'.repeat(1025) } }), tooLong('l', 1025, 1024, 'by_l')],
    [new UpdateCommand({ TableName: indexed, Key: { pk: 'p1', sk: '1' }, UpdateExpression: 'SET g = :g', ExpressionAttributeValues: { ':g': 'x'.repeat(65536) } }), tooLong('g', 65536, 2048, 'by_g')],
    [new BatchWriteCommand({ RequestItems: { [indexed]: [{ PutRequest: { Item: { pk: 'p1', sk: '1', g: 'x'.repeat(2049) } } }] } }), tooLong('g', 2049, 2048, 'by_g')],
  ];
  for (const [command, message] of refusals) {
    const error = await errorOf(t.doc.send(command as never));
    assert.equal(error.name, 'ValidationException');
    assert.equal(error.message, message);
  }
  const transaction = await errorOf(
    t.doc.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: indexed, Item: { pk: 'p1', sk: '1', l: 'l'.repeat(1025) } } }] })),
  );
  assert.equal(transaction.name, 'ValidationException');
  const read = await t.doc.send(new GetCommand({ TableName: indexed, Key: { pk: 'p1', sk: '1' }, ConsistentRead: true }));
  assert.equal(read.Item, undefined);
  await t.client.send(new DeleteTableCommand({ TableName: indexed }));
});

test('REMOVE of a nested path on a missing item is ignored', async () => {
  await t.client.send(new UpdateItemCommand({ TableName: table, Key: { pk: { S: 'nothing' }, sk: { N: '1' } }, UpdateExpression: 'REMOVE x.y' }));
  const read = await t.doc.send(new GetCommand({ TableName: table, Key: { pk: 'nothing', sk: 1 }, ConsistentRead: true }));
  assert.equal(read.Item, undefined);
});
