// BatchExecuteStatement through the real SDK against a real server: batches of reads and of
// writes, each statement answered on its own (its item, or its BatchStatementError with the
// enum's code), TableName echoed by statements that reached their table, capacity summed per
// table, and the batch-level refusals: mixed reads and writes, two statements on one item,
// 25 statements at most.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BatchExecuteStatementCommand, GetItemCommand, PutItemCommand, type BatchStatementRequest } from '@aws-sdk/client-dynamodb';
import { BatchExecuteStatementCommand as DocBatchExecuteStatementCommand } from '@aws-sdk/lib-dynamodb';
import { startTestServer, uniqueTableName, type TestServer } from '../support/server.js';
import { errorOf } from '../support/errors.js';
import { createTable } from '../support/tables.js';

let t: TestServer;
let table: string; // pk (S)
let other: string; // pk (S), sk (N)

before(async () => {
  t = await startTestServer();
  table = uniqueTableName('pq_batch');
  other = uniqueTableName('pq_batch_other');
  await createTable(t.client, { name: table, partitionKey: ['pk', 'S'] });
  await createTable(t.client, { name: other, partitionKey: ['pk', 'S'], sortKey: ['sk', 'N'] });
  for (const pk of ['a', 'b', 'c']) await t.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, v: { S: `value-${pk}` } } }));
  await t.client.send(new PutItemCommand({ TableName: other, Item: { pk: { S: 'a' }, sk: { N: '1' }, v: { S: 'other' } } }));
});
after(() => t.close());

function batch(Statements: BatchStatementRequest[], extra: { ReturnConsumedCapacity?: 'TOTAL' | 'INDEXES' } = {}) {
  return t.client.send(new BatchExecuteStatementCommand({ Statements, ...extra }));
}

test('a batch of SELECTs answers each item (or none) with its table, in statement order', async () => {
  const result = await batch(
    [
      { Statement: `SELECT * FROM "${table}" WHERE pk = 'b'` },
      { Statement: `SELECT v FROM "${other}" WHERE pk = ? AND sk = ?`, Parameters: [{ S: 'a' }, { N: '1' }] },
      { Statement: `SELECT * FROM "${table}" WHERE pk = 'missing'` },
    ],
    { ReturnConsumedCapacity: 'TOTAL' },
  );
  assert.deepEqual(result.Responses, [
    { TableName: table, Item: { pk: { S: 'b' }, v: { S: 'value-b' } } },
    { TableName: other, Item: { v: { S: 'other' } } },
    { TableName: table },
  ]);
  // One GetItem each: half a unit per small item read eventually consistently, summed per table.
  assert.deepEqual(result.ConsumedCapacity, [
    { TableName: table, CapacityUnits: 1, ReadCapacityUnits: 1 },
    { TableName: other, CapacityUnits: 0.5, ReadCapacityUnits: 0.5 },
  ]);
});

test('ConsistentRead is each statement\'s own', async () => {
  const total = async (consistent: boolean[]) => {
    const result = await batch(
      consistent.map((ConsistentRead, i) => ({ Statement: `SELECT * FROM "${table}" WHERE pk = '${'abc'[i]}'`, ConsistentRead })),
      { ReturnConsumedCapacity: 'TOTAL' },
    );
    return result.ConsumedCapacity![0]!.CapacityUnits;
  };
  assert.equal(await total([false]), 0.5);
  assert.equal(await total([true]), 1);
  assert.equal(await total([true, false]), 1.5);
});

test('a batch SELECT must name one item by its full primary key, and fails alone', async () => {
  const result = await batch([
    { Statement: `SELECT * FROM "${table}" WHERE v = 'value-a'` },
    { Statement: `SELECT * FROM "${other}" WHERE pk = 'a'` },
    { Statement: `SELECT * FROM "${table}" WHERE pk = 'a' AND v = 'value-a'` },
    { Statement: `SELECT * FROM "${table}" WHERE pk = 'c'` },
  ]);
  const refused = 'Select statements within BatchExecuteStatement must specify the primary key in the where clause.';
  assert.deepEqual(result.Responses!.slice(0, 3), [0, 1, 2].map(() => ({ Error: { Code: 'ValidationError', Message: refused } })));
  assert.deepEqual(result.Responses![3], { TableName: table, Item: { pk: { S: 'c' }, v: { S: 'value-c' } } });
});

test('a batch of writes runs each statement; failures are per statement, with the enum\'s codes', async () => {
  await t.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'w-dup' } } }));
  await t.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'w-upd' }, n: { N: '1' } } }));
  await t.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'w-del' } } }));
  const result = await batch(
    [
      { Statement: `INSERT INTO "${table}" VALUE {'pk': 'w-new', 'n': 1}` },
      { Statement: `INSERT INTO "${table}" VALUE {'pk': 'w-dup'}` },
      { Statement: `UPDATE "${table}" SET n = n + 1 WHERE pk = 'w-upd' RETURNING ALL NEW *` },
      { Statement: `UPDATE "${table}" SET n = 5 WHERE pk = 'w-missing'`, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' },
      { Statement: `DELETE FROM "${table}" WHERE pk = 'w-del' RETURNING ALL OLD *` },
      { Statement: `UPDTE "${table}" SET n = 1` },
      { Statement: `DELETE FROM "no_such_table" WHERE pk = 'x'` },
    ],
    { ReturnConsumedCapacity: 'TOTAL' },
  );
  assert.deepEqual(result.Responses, [
    { TableName: table },
    { TableName: table, Error: { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' } },
    { TableName: table, Item: { pk: { S: 'w-upd' }, n: { N: '2' } } },
    // ReturnValuesOnConditionCheckFailure is inert on a batch member: no Item.
    { TableName: table, Error: { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' } },
    { TableName: table, Item: { pk: { S: 'w-del' } } },
    // Refused before it ran: no TableName.
    { Error: { Code: 'ValidationError', Message: "Statement wasn't well formed, can't be processed: Expected data manipulation" } },
    { Error: { Code: 'ResourceNotFound', Message: 'Requested resource not found' } },
  ]);
  const read = async (pk: string) => (await t.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk } }, ConsistentRead: true }))).Item;
  assert.deepEqual(await read('w-new'), { pk: { S: 'w-new' }, n: { N: '1' } });
  assert.equal(await read('w-del'), undefined);
  assert.equal(await read('w-missing'), undefined);
  // The three writes that succeeded, one unit each (a failed statement reports none, as its
  // operation's error carries no ConsumedCapacity; unverified against DynamoDB).
  assert.deepEqual(result.ConsumedCapacity, [{ TableName: table, CapacityUnits: 3, WriteCapacityUnits: 3 }]);
});

test('the document client marshals batch parameters', async () => {
  const result = await t.doc.send(
    new DocBatchExecuteStatementCommand({
      Statements: [
        { Statement: `SELECT * FROM "${table}" WHERE pk = ?`, Parameters: ['a'] },
        { Statement: `SELECT * FROM "${other}" WHERE pk = ? AND sk = ?`, Parameters: ['a', 1] },
      ],
    }),
  );
  assert.deepEqual(result.Responses?.map((response) => response.Item), [{ pk: 'a', v: 'value-a' }, { pk: 'a', sk: 1, v: 'other' }]);
});

test('reads and writes together, two statements on one item, and EXISTS are refused', async () => {
  const mixed = await errorOf(batch([{ Statement: `SELECT * FROM "${table}" WHERE pk = 'a'` }, { Statement: `DELETE FROM "${table}" WHERE pk = 'zz'` }]));
  assert.deepEqual([mixed.name, mixed.message], ['ValidationException', 'Read and write requests together in the same batch is not supported.']);
  const twice = await errorOf(batch([{ Statement: `DELETE FROM "${table}" WHERE pk = 'x'` }, { Statement: `INSERT INTO "${table}" VALUE {'pk': 'x'}` }]));
  assert.deepEqual([twice.name, twice.message], ['ValidationException', 'Provided list of item keys contains duplicates']);
  assert.equal((await t.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'x' } } }))).Item, undefined);
  const exists = await batch([{ Statement: `EXISTS(SELECT * FROM "${table}" WHERE pk = 'a' AND v = 'x')` }]);
  assert.deepEqual(exists.Responses, [{ Error: { Code: 'ValidationError', Message: 'EXISTS can only be used in ExecuteTransaction write requests.' } }]);
});

test('a batch holds 1 to 25 statements', async () => {
  const reads = (n: number) => Array.from({ length: n }, (_, i) => ({ Statement: `SELECT * FROM "${table}" WHERE pk = 'k${i}'` }));
  const at = await batch(reads(25));
  assert.equal(at.Responses?.length, 25);
  const past = await errorOf(batch(reads(26)));
  assert.equal(past.name, 'ValidationException');
  assert.match(past.message, /^1 validation error detected: Value '.*' at 'statements' failed to satisfy constraint: Member must have length less than or equal to 25$/);
  const empty = await errorOf(batch([]));
  assert.equal(empty.message, "1 validation error detected: Value '[]' at 'statements' failed to satisfy constraint: Member must have length greater than or equal to 1");
  const long = await errorOf(batch([{ Statement: `SELECT * FROM "${table}" WHERE pk = '${'x'.repeat(8192)}'` }]));
  assert.match(long.message, /at 'statements\.1\.member\.statement' failed to satisfy constraint: Member must have length less than or equal to 8192$/);
});
