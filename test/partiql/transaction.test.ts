// ExecuteTransaction through the real SDK against a real server: write transactions (INSERT,
// UPDATE, DELETE, EXISTS) all or nothing with DynamoDB's cancellation reasons, read
// transactions, ClientRequestToken idempotency, transactional capacity, the pinned refusals
// (RETURNING, index reads) and 100 statements at most.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ExecuteTransactionCommand, GetItemCommand, PutItemCommand, type AttributeValue, type ParameterizedStatement } from '@aws-sdk/client-dynamodb';
import { startTestServer, uniqueTableName, type TestServer } from '../support/server.js';
import { errorOf } from '../support/errors.js';
import { createTable } from '../support/tables.js';

let t: TestServer;
let table: string; // pk (S)
let indexed: string; // pk (S), sk (S), GSI byG (g S)

before(async () => {
  t = await startTestServer();
  table = uniqueTableName('pq_tx');
  indexed = uniqueTableName('pq_tx_indexed');
  await createTable(t.client, { name: table, partitionKey: ['pk', 'S'] });
  await createTable(t.client, { name: indexed, partitionKey: ['pk', 'S'], sortKey: ['sk', 'S'], globalIndexes: [{ name: 'byG', partitionKey: ['g', 'S'] }] });
});
after(() => t.close());

interface Cancelled {
  name: string;
  message: string;
  CancellationReasons?: { Code?: string; Message?: string; Item?: Record<string, AttributeValue> }[];
}

function transact(TransactStatements: ParameterizedStatement[], extra: { ClientRequestToken?: string; ReturnConsumedCapacity?: 'TOTAL' | 'INDEXES' } = {}) {
  return t.client.send(new ExecuteTransactionCommand({ TransactStatements, ...extra }));
}

async function read(pk: string): Promise<Record<string, AttributeValue> | undefined> {
  return (await t.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk } }, ConsistentRead: true }))).Item;
}

const put = (pk: string, extra: Record<string, AttributeValue> = {}) => t.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, ...extra } }));

test('INSERT, UPDATE, DELETE and EXISTS commit together, at transactional capacity', async () => {
  await put('t-upd', { n: { N: '1' } });
  await put('t-del');
  await put('t-check', { ok: { BOOL: true } });
  const result = await transact(
    [
      { Statement: `INSERT INTO "${table}" VALUE {'pk': ?, 'v': 'new'}`, Parameters: [{ S: 't-ins' }] },
      { Statement: `UPDATE "${table}" SET n = n + 1 WHERE pk = 't-upd'` },
      { Statement: `DELETE FROM "${table}" WHERE pk = 't-del'` },
      { Statement: `EXISTS(SELECT * FROM "${table}" WHERE pk = 't-check' AND ok = TRUE)` },
    ],
    { ReturnConsumedCapacity: 'TOTAL' },
  );
  assert.equal(result.Responses, undefined);
  // Three writes at 2 units each and a condition check at 2 read units (twice a consistent read).
  assert.deepEqual(result.ConsumedCapacity, [{ TableName: table, CapacityUnits: 8, ReadCapacityUnits: 2, WriteCapacityUnits: 6 }]);
  assert.deepEqual(await read('t-ins'), { pk: { S: 't-ins' }, v: { S: 'new' } });
  assert.deepEqual((await read('t-upd'))?.n, { N: '2' });
  assert.equal(await read('t-del'), undefined);
});

test('a duplicate INSERT, a false EXISTS and an UPDATE of a missing item cancel it, with a reason each', async () => {
  await put('c-dup');
  await put('c-check', { ok: { BOOL: false } });
  const error = await errorOf<Cancelled>(
    transact([
      { Statement: `INSERT INTO "${table}" VALUE {'pk': 'c-dup'}` },
      { Statement: `INSERT INTO "${table}" VALUE {'pk': 'c-new'}` },
      { Statement: `EXISTS(SELECT * FROM "${table}" WHERE pk = 'c-check' AND ok = TRUE)` },
      { Statement: `UPDATE "${table}" SET n = 1 WHERE pk = 'c-missing'` },
    ]),
  );
  assert.equal(error.name, 'TransactionCanceledException');
  assert.equal(error.message, 'Transaction cancelled, please refer cancellation reasons for specific reasons [DuplicateItem, None, ConditionalCheckFailed, ConditionalCheckFailed]');
  assert.deepEqual(error.CancellationReasons, [
    { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' },
    { Code: 'None' },
    { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
    { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
  ]);
  assert.equal(await read('c-new'), undefined);
  assert.equal(await read('c-missing'), undefined);
});

test('ReturnValuesOnConditionCheckFailure ALL_OLD puts the item in its reason', async () => {
  await put('r-old', { n: { N: '5' } });
  const error = await errorOf<Cancelled>(
    transact([{ Statement: `UPDATE "${table}" SET n = 0 WHERE pk = 'r-old' AND n > 10`, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }]),
  );
  assert.deepEqual(error.CancellationReasons, [{ Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { pk: { S: 'r-old' }, n: { N: '5' } } }]);
});

test('a read transaction answers each item (or nothing) in order, projected', async () => {
  await put('read-1', { a: { N: '1' }, b: { S: 'x' } });
  const result = await transact(
    [
      { Statement: `SELECT a FROM "${table}" WHERE pk = 'read-1'` },
      { Statement: `SELECT * FROM "${table}" WHERE pk = ?`, Parameters: [{ S: 'read-missing' }] },
    ],
    { ReturnConsumedCapacity: 'TOTAL' },
  );
  assert.deepEqual(result.Responses, [{ Item: { a: { N: '1' } } }, {}]);
  assert.deepEqual(result.ConsumedCapacity, [{ TableName: table, CapacityUnits: 4, ReadCapacityUnits: 4 }]);
});

test('a ClientRequestToken makes a retry a no-op, and refuses other statements under it', async () => {
  await put('idem', { n: { N: '0' } });
  const statements = [{ Statement: `UPDATE "${table}" SET n = n + 1 WHERE pk = 'idem'` }];
  await transact(statements, { ClientRequestToken: 'token-1' });
  const replay = await transact(statements, { ClientRequestToken: 'token-1', ReturnConsumedCapacity: 'TOTAL' });
  assert.deepEqual((await read('idem'))?.n, { N: '1' });
  assert.equal(replay.ConsumedCapacity?.[0]?.WriteCapacityUnits, undefined);
  const mismatch = await errorOf(transact([{ Statement: `UPDATE "${table}" SET n = n + 2 WHERE pk = 'idem'` }], { ClientRequestToken: 'token-1' }));
  assert.equal(mismatch.name, 'IdempotentParameterMismatchException');
  assert.deepEqual((await read('idem'))?.n, { N: '1' });
});

test('the refusals DynamoDB words for ExecuteTransaction', async () => {
  const cases: [ParameterizedStatement[], string][] = [
    [[{ Statement: `UPDATE "${table}" SET n = 1 WHERE pk = 'x' RETURNING ALL NEW *` }], 'Validation failed in TransactStatements[0]: RETURNING clause is not supported in ExecuteTransaction.'],
    [[{ Statement: `SELECT * FROM "${indexed}"."byG" WHERE g = 'x'` }], 'Validation failed in TransactStatements[0]: Reads on indices are not supported within transactions.'],
    [
      [{ Statement: `SELECT * FROM "${table}" WHERE pk = 'a'` }, { Statement: `SELECT * FROM "${indexed}" WHERE pk = 'a'` }],
      'Validation failed in TransactStatements[1]: Select statements within ExecuteTransaction must specify the primary key in the where clause.',
    ],
    [
      [{ Statement: `SELECT * FROM "${table}" WHERE pk = 'a'` }, { Statement: `DELETE FROM "${table}" WHERE pk = 'a'` }],
      'ExecuteTransaction API does not support both read and write operations in the same request.',
    ],
    [[{ Statement: `EXISTS(SELECT * FROM "${table}" WHERE pk = 'a')` }], 'Validation failed in TransactStatements[0]: EXISTS() must contain a single item read with additional condition'],
    [[{ Statement: `DELETE FROM "${table}" WHERE pk = ?` }], "Validation failed in TransactStatements[0]: Number of parameters in request and statement don't match."],
    [[{ Statement: `DELETE FROM "${table}" WHERE pk = 'a'` }, { Statement: `INSERT INTO "${table}" VALUE {'pk': 'a'}` }], 'Transaction request cannot include multiple operations on one item'],
  ];
  for (const [statements, message] of cases) {
    const error = await errorOf(transact(statements));
    assert.deepEqual([error.name, error.message], ['ValidationException', message], statements[0]!.Statement);
  }
  const missing = await errorOf(transact([{ Statement: `DELETE FROM "no_such_table" WHERE pk = 'a'` }]));
  assert.deepEqual([missing.name, missing.message], ['ResourceNotFoundException', 'Requested resource not found']);
});

test('a transaction holds 1 to 100 statements', async () => {
  const inserts = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({ Statement: `INSERT INTO "${table}" VALUE {'pk': '${prefix}${i}'}` }));
  await transact(inserts(100, 'hundred-'));
  assert.ok(await read('hundred-99'));
  const past = await errorOf(transact(inserts(101, 'past-')));
  assert.match(past.message, /^1 validation error detected: Value '.*' at 'transactStatements' failed to satisfy constraint: Member must have length less than or equal to 100$/);
  assert.equal(await read('past-0'), undefined);
  const empty = await errorOf(transact([]));
  assert.equal(empty.message, "1 validation error detected: Value '[]' at 'transactStatements' failed to satisfy constraint: Member must have length greater than or equal to 1");
});
