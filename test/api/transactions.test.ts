// TransactWriteItems and TransactGetItems through the real SDK clients, against an in-memory
// server with an injected clock: all-or-nothing writes, cancellation reasons in order,
// validation texts, limits at the boundary and one past it, ClientRequestToken idempotency
// over the 10-minute window, capacity, and serializability under concurrent writers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  type AttributeValue,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactGetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startTestServer, uniqueTableName, type TestServer } from '../support/server.js';
import { errorOf } from '../support/errors.js';
import { createTable } from '../support/tables.js';

let t: TestServer;
let table: string; // pk (S)
let other: string; // pk (S), sk (S)
let nowMs = Date.now();
const clock = { now: () => nowMs };

before(async () => {
  t = await startTestServer({ clock });
  table = uniqueTableName('tx');
  other = uniqueTableName('tx_other');
  await createTable(t.client, { name: table, partitionKey: ['pk', 'S'] });
  await createTable(t.client, { name: other, partitionKey: ['pk', 'S'], sortKey: ['sk', 'S'] });
});
after(() => t.close());

interface CaughtError {
  name: string;
  message: string;
  CancellationReasons?: { Code?: string; Message?: string; Item?: Record<string, AttributeValue> }[];
}

async function getItem(pk: string): Promise<Record<string, unknown> | undefined> {
  return (await t.doc.send(new GetCommand({ TableName: table, Key: { pk }, ConsistentRead: true }))).Item;
}

const cancelledMessage = (codes: string[]) => `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`;

// ---- TransactWriteItems: behaviour -------------------------------------------------------

test('put, update, delete and condition check commit together across two tables', async () => {
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'w-upd', x: 42 } }));
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'w-del' } }));
  await t.doc.send(
    new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: table, Item: { pk: 'w-put', v: 'dog' }, ConditionExpression: 'attribute_not_exists(pk)' } },
        { Update: { TableName: table, Key: { pk: 'w-upd' }, UpdateExpression: 'SET #x = #x + :one', ExpressionAttributeNames: { '#x': 'x' }, ExpressionAttributeValues: { ':one': 1 } } },
        { Delete: { TableName: table, Key: { pk: 'w-del' }, ConditionExpression: 'attribute_exists(pk)' } },
        { ConditionCheck: { TableName: table, Key: { pk: 'w-check' }, ConditionExpression: 'attribute_not_exists(pk)' } },
        { Put: { TableName: other, Item: { pk: 'w-put', sk: 'a', v: 'cat' } } },
      ],
    }),
  );
  assert.deepEqual(await getItem('w-put'), { pk: 'w-put', v: 'dog' });
  assert.deepEqual(await getItem('w-upd'), { pk: 'w-upd', x: 43 });
  assert.equal(await getItem('w-del'), undefined);
  assert.equal(await getItem('w-check'), undefined);
  assert.deepEqual((await t.doc.send(new GetCommand({ TableName: other, Key: { pk: 'w-put', sk: 'a' } }))).Item, { pk: 'w-put', sk: 'a', v: 'cat' });
});

test('a failed condition cancels everything; reasons are listed per action, in order', async () => {
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'c-exists', x: 42, y: 'dog' } }));
  const error = await errorOf<CaughtError>(
    t.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table, Item: { pk: 'c-1' } } },
          { Put: { TableName: table, Item: { pk: 'c-2' }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { ConditionCheck: { TableName: table, Key: { pk: 'c-3' }, ConditionExpression: 'attribute_exists(pk)' } },
          {
            Update: {
              TableName: table,
              Key: { pk: 'c-exists' },
              UpdateExpression: 'SET x = x + :one',
              ConditionExpression: 'x = :wrong',
              ExpressionAttributeValues: { ':one': 1, ':wrong': 43 },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
        ],
      }),
    ),
  );
  assert.equal(error.name, 'TransactionCanceledException');
  assert.equal(error.message, cancelledMessage(['None', 'None', 'ConditionalCheckFailed', 'ConditionalCheckFailed']));
  assert.deepEqual(error.CancellationReasons, [
    { Code: 'None' },
    { Code: 'None' },
    { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
    { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { pk: { S: 'c-exists' }, x: { N: '42' }, y: { S: 'dog' } } },
  ]);
  assert.equal(await getItem('c-1'), undefined);
  assert.equal(await getItem('c-2'), undefined);
  assert.deepEqual(await getItem('c-exists'), { pk: 'c-exists', x: 42, y: 'dog' });
});

test('a key of the wrong type cancels with a ValidationError reason for the first one only', async () => {
  const error = await errorOf<CaughtError>(
    t.client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: table, Item: { pk: { N: '7' } } } },
          { Put: { TableName: table, Item: { pk: { N: '8' } } } },
          { Put: { TableName: table, Item: { pk: { S: 'v-3' } }, ConditionExpression: 'attribute_exists(pk)' } },
        ],
      }),
    ),
  );
  assert.equal(error.name, 'TransactionCanceledException');
  assert.equal(error.message, cancelledMessage(['ValidationError', 'None', 'None']));
  assert.deepEqual(error.CancellationReasons, [
    { Code: 'ValidationError', Message: 'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N' },
    { Code: 'None' },
    { Code: 'None' },
  ]);
  const keyed = await errorOf<CaughtError>(t.client.send(new TransactWriteItemsCommand({ TransactItems: [{ Delete: { TableName: table, Key: { pk: { N: '5' } } } }] })));
  assert.deepEqual(keyed.CancellationReasons, [{ Code: 'ValidationError', Message: 'The provided key element does not match the schema' }]);
});

test('an update failing on the stored item cancels with a ValidationError reason', async () => {
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'rt', x: 'text' } }));
  const error = await errorOf<CaughtError>(
    t.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table, Item: { pk: 'rt-other' } } },
          { Update: { TableName: table, Key: { pk: 'rt' }, UpdateExpression: 'SET x = x + :one', ExpressionAttributeValues: { ':one': 1 } } },
        ],
      }),
    ),
  );
  assert.equal(error.name, 'TransactionCanceledException');
  assert.equal(error.CancellationReasons?.[0]?.Code, 'None');
  assert.equal(error.CancellationReasons?.[1]?.Code, 'ValidationError');
  assert.ok(error.CancellationReasons?.[1]?.Message);
  assert.equal(await getItem('rt-other'), undefined);
});

test('TransactWriteItems validation texts', async () => {
  const put = (pk: string): TransactWriteItem => ({ Put: { TableName: table, Item: { pk: { S: pk } } } });
  const cases: [Record<string, unknown>, string, string][] = [
    [{ TransactItems: [] }, 'ValidationException', "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1"],
    [{ TransactItems: [put('d'), { Delete: { TableName: table, Key: { pk: { S: 'd' } } } }] }, 'ValidationException', 'Transaction request cannot include multiple operations on one item'],
    [{ TransactItems: [put('d'), { ConditionCheck: { TableName: table, Key: { pk: { S: 'd' } }, ConditionExpression: 'attribute_exists(pk)' } }] }, 'ValidationException', 'Transaction request cannot include multiple operations on one item'],
    [{ TransactItems: [{ Put: { TableName: 'no_such_table_tx', Item: { pk: { S: 'x' } } } }] }, 'ResourceNotFoundException', 'Requested resource not found'],
    [
      { TransactItems: [{ Put: { TableName: table, Item: { pk: { S: '' } } } }] },
      'ValidationException',
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk',
    ],
    [
      { TransactItems: [{ Put: { TableName: 'no_such_table_tx', Item: { pk: { S: 'a' } } } }, { ConditionCheck: { TableName: table, Key: { pk: { S: 'cc' } }, ConditionExpression: 'attribute_not_exists(' } }] },
      'ValidationException',
      'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "("',
    ],
    [
      { TransactItems: [put('u'), { ConditionCheck: { TableName: table, Key: { pk: { S: 'cc' } }, ConditionExpression: 'attribute_not_exists(pk)', ExpressionAttributeValues: { ':v': { S: 'x' } } } }] },
      'ValidationException',
      'Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}',
    ],
    [
      { TransactItems: [{ ConditionCheck: { TableName: table, Key: { pk: { S: 'cc' } } } }] },
      'ValidationException',
      "1 validation error detected: Value null at 'transactItems.1.member.conditionCheck.conditionExpression' failed to satisfy constraint: Member must not be null",
    ],
    [
      { TransactItems: [{ Update: { TableName: table, Key: { pk: { S: 'x' } }, UpdateExpression: 'SET a = :a', ExpressionAttributeValues: { ':a': { S: 'x' } }, ReturnValuesOnConditionCheckFailure: 'dog' } }] },
      'ValidationException',
      "1 validation error detected: Value 'dog' at 'transactItems.1.member.update.returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]",
    ],
    [
      { TransactItems: [put('e')], ClientRequestToken: 'x'.repeat(37), ReturnConsumedCapacity: 'BOGUS' },
      'ValidationException',
      `2 validation errors detected: Value '${'x'.repeat(37)}' at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36; Value 'BOGUS' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]`,
    ],
  ];
  for (const [input, name, message] of cases) {
    const error = await errorOf<CaughtError>(t.client.send(new TransactWriteItemsCommand(input as never)));
    assert.equal(error.name, name, message);
    assert.equal(error.message, message);
  }
  assert.equal(await getItem('d'), undefined);
  assert.equal(await getItem('u'), undefined);
});

test('100 actions are accepted; 101 are refused', async () => {
  const puts = (n: number, prefix: string): TransactWriteItem[] => Array.from({ length: n }, (_, i) => ({ Put: { TableName: table, Item: { pk: { S: `${prefix}-${i}` } } } }));
  await t.client.send(new TransactWriteItemsCommand({ TransactItems: puts(100, 'hundred') }));
  assert.deepEqual(await getItem('hundred-99'), { pk: 'hundred-99' });
  const error = await errorOf<CaughtError>(t.client.send(new TransactWriteItemsCommand({ TransactItems: puts(101, 'over') })));
  assert.equal(error.name, 'ValidationException');
  assert.match(error.message, /^1 validation error detected: Value '\[.+\]' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100$/s);
  assert.equal(await getItem('over-0'), undefined);
});

test('the 4 MB request limit: 3 MB of puts commit, 5 MB are refused', async () => {
  const long = 'x'.repeat(100_000);
  const puts = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({ Put: { TableName: table, Item: { pk: `${prefix}-${i}`, x: long } } }));
  await t.doc.send(new TransactWriteCommand({ TransactItems: puts(30, 'mb3') }));
  assert.equal((await getItem('mb3-29'))?.x, long);
  const error = await errorOf<CaughtError>(t.doc.send(new TransactWriteCommand({ TransactItems: puts(50, 'mb5') })));
  assert.equal(error.name, 'ValidationException');
  assert.match(error.message, /size cannot exceed/);
  assert.equal(await getItem('mb5-0'), undefined);
});

test('transactional writes cost double; a condition check costs double reads', async () => {
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'cap-check' } }));
  const result = await t.doc.send(
    new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: table, Item: { pk: 'cap-1', a: 'a'.repeat(1500) } } },
        { ConditionCheck: { TableName: table, Key: { pk: 'cap-check' }, ConditionExpression: 'attribute_exists(pk)' } },
        { Put: { TableName: other, Item: { pk: 'cap-1', sk: 'x' } } },
      ],
      ReturnConsumedCapacity: 'TOTAL',
    }),
  );
  assert.deepEqual(result.ConsumedCapacity, [
    { TableName: table, CapacityUnits: 6, ReadCapacityUnits: 2, WriteCapacityUnits: 4 },
    { TableName: other, CapacityUnits: 2, WriteCapacityUnits: 2 },
  ]);
});

// ---- ClientRequestToken ----------------------------------------------------------------------

test('a ClientRequestToken makes a retry a no-op for 10 minutes; a different request is a mismatch', async () => {
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'idem', x: 42 } }));
  const increment = {
    TransactItems: [{ Update: { TableName: table, Key: { pk: 'idem' }, UpdateExpression: 'SET x = x + :one', ExpressionAttributeValues: { ':one': 1 } } }],
  };
  // The SDK fills in a fresh token when none is given: both increments happen.
  await t.doc.send(new TransactWriteCommand(increment));
  await t.doc.send(new TransactWriteCommand(increment));
  assert.equal((await getItem('idem'))?.x, 44);

  const token = 'token-' + Math.random().toString(36).slice(2);
  await t.doc.send(new TransactWriteCommand({ ...increment, ClientRequestToken: token }));
  assert.equal((await getItem('idem'))?.x, 45);
  const retry = await t.doc.send(new TransactWriteCommand({ ...increment, ClientRequestToken: token, ReturnConsumedCapacity: 'TOTAL' }));
  assert.equal((await getItem('idem'))?.x, 45);
  // A retry reports reading the item, not writing it.
  assert.deepEqual(retry.ConsumedCapacity, [{ TableName: table, CapacityUnits: 1, ReadCapacityUnits: 1 }]);

  const mismatch = await errorOf<CaughtError>(
    t.doc.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: table, Item: { pk: 'idem-other' } } }], ClientRequestToken: token })),
  );
  assert.equal(mismatch.name, 'IdempotentParameterMismatchException');
  assert.equal(await getItem('idem-other'), undefined);

  nowMs += 9 * 60 * 1000;
  await t.doc.send(new TransactWriteCommand({ ...increment, ClientRequestToken: token }));
  assert.equal((await getItem('idem'))?.x, 45, 'still inside the window');
  nowMs += 60 * 1000 + 1;
  await t.doc.send(new TransactWriteCommand({ ...increment, ClientRequestToken: token }));
  assert.equal((await getItem('idem'))?.x, 46, 'after 10 minutes the token is new again');
});

test('ClientRequestToken: 36 characters accepted, 37 refused; a cancelled request does not use it up', async () => {
  const token36 = 'y'.repeat(35) + Math.random().toString(36).slice(2, 3);
  await t.doc.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: table, Item: { pk: 'tok36' } } }], ClientRequestToken: token36 }));
  const error = await errorOf<CaughtError>(
    t.doc.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: table, Item: { pk: 'tok37' } } }], ClientRequestToken: 'z'.repeat(37) })),
  );
  assert.equal(error.name, 'ValidationException');
  assert.equal(
    error.message,
    `1 validation error detected: Value '${'z'.repeat(37)}' at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36`,
  );
  const token = 'cancel-' + Math.random().toString(36).slice(2);
  const guarded = { TransactItems: [{ Put: { TableName: table, Item: { pk: 'tok-guard' }, ConditionExpression: 'attribute_exists(pk)' } }], ClientRequestToken: token };
  assert.equal((await errorOf<CaughtError>(t.doc.send(new TransactWriteCommand(guarded)))).name, 'TransactionCanceledException');
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'tok-guard', v: 1 } }));
  await t.doc.send(new TransactWriteCommand(guarded));
  assert.deepEqual(await getItem('tok-guard'), { pk: 'tok-guard' });
});

// ---- TransactGetItems ------------------------------------------------------------------------

test('transact get answers in request order, {} for a missing item, with projections', async () => {
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'g-1', x: 1, y: 2, z: 3 } }));
  await t.doc.send(new PutCommand({ TableName: other, Item: { pk: 'g-1', sk: 's', v: 'o' } }));
  const result = await t.doc.send(
    new TransactGetCommand({
      TransactItems: [
        { Get: { TableName: table, Key: { pk: 'g-1' }, ProjectionExpression: '#x, z', ExpressionAttributeNames: { '#x': 'x' } } },
        { Get: { TableName: table, Key: { pk: 'g-missing' } } },
        { Get: { TableName: other, Key: { pk: 'g-1', sk: 's' } } },
      ],
      ReturnConsumedCapacity: 'TOTAL',
    }),
  );
  assert.deepEqual(result.Responses, [{ Item: { x: 1, z: 3 } }, {}, { Item: { pk: 'g-1', sk: 's', v: 'o' } }]);
  assert.deepEqual(result.ConsumedCapacity, [
    { TableName: table, CapacityUnits: 4, ReadCapacityUnits: 4 },
    { TableName: other, CapacityUnits: 2, ReadCapacityUnits: 2 },
  ]);
});

test('transact get: 100 gets accepted, 101 refused; validation texts', async () => {
  const gets = (n: number) => Array.from({ length: n }, (_, i) => ({ Get: { TableName: table, Key: { pk: { S: `hundred-${i}` } } } }));
  const result = await t.client.send(new TransactGetItemsCommand({ TransactItems: gets(100) }));
  assert.equal(result.Responses?.length, 100);
  assert.deepEqual(result.Responses?.[42], { Item: { pk: { S: 'hundred-42' } } });
  const over = await errorOf<CaughtError>(t.client.send(new TransactGetItemsCommand({ TransactItems: gets(101) })));
  assert.match(over.message, /^1 validation error detected: Value '\[.+\]' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100$/s);

  const cases: [Record<string, unknown>, string, string][] = [
    [{ TransactItems: [] }, 'ValidationException', "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1"],
    [{ TransactItems: [{ Get: { TableName: 'no_such_table_tg', Key: { pk: { S: 'x' } } } }] }, 'ResourceNotFoundException', 'Requested resource not found'],
    [{ TransactItems: [{ Get: { TableName: table, Key: { pk: { S: 'p' } }, ProjectionExpression: '!!!' } }] }, 'ValidationException', 'Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"'],
    [
      { TransactItems: [{ Get: { TableName: table, Key: { pk: { S: 'p' } }, ProjectionExpression: '#xx', ExpressionAttributeNames: { '#xx': 'x', '#qq': 'q' } } }] },
      'ValidationException',
      'Value provided in ExpressionAttributeNames unused in expressions: keys: {#qq}',
    ],
    [{ TransactItems: [{ Get: { TableName: table, Key: {} } }] }, 'TransactionCanceledException', cancelledMessage(['ValidationError'])],
  ];
  for (const [input, name, message] of cases) {
    const error = await errorOf<CaughtError>(t.client.send(new TransactGetItemsCommand(input as never)));
    assert.equal(error.name, name, message);
    assert.equal(error.message, message);
  }
});

// ---- Concurrency -----------------------------------------------------------------------------

test('of many concurrent conditional transactions on one item, exactly one wins', async () => {
  const attempts = 20;
  const outcomes = await Promise.allSettled(
    Array.from({ length: attempts }, (_, i) =>
      t.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: table, Item: { pk: 'race', winner: i }, ConditionExpression: 'attribute_not_exists(pk)' } },
            { Put: { TableName: other, Item: { pk: 'race', sk: String(i) } } },
          ],
        }),
      ),
    ),
  );
  const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
  assert.equal(won.length, 1);
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected') assert.equal((outcome.reason as CaughtError).name, 'TransactionCanceledException');
  }
  const winner = (await getItem('race'))?.winner as number;
  const winnerIndex = outcomes.findIndex((outcome) => outcome.status === 'fulfilled');
  assert.equal(winner, winnerIndex);
});

test('concurrent transfers keep the sum; transact reads see it; single-item writes interleave', async () => {
  const initial = 1000;
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'acct-a', balance: initial } }));
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'acct-b', balance: initial } }));
  const transfer = (from: string, to: string, amount: number) =>
    t.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: table,
              Key: { pk: from },
              UpdateExpression: 'SET balance = balance - :n',
              ConditionExpression: 'balance >= :n',
              ExpressionAttributeValues: { ':n': amount },
            },
          },
          { Update: { TableName: table, Key: { pk: to }, UpdateExpression: 'SET balance = balance + :n', ExpressionAttributeValues: { ':n': amount } } },
        ],
      }),
    );
  const sums: number[] = [];
  const readSum = async () => {
    const result = await t.doc.send(new TransactGetCommand({ TransactItems: [{ Get: { TableName: table, Key: { pk: 'acct-a' } } }, { Get: { TableName: table, Key: { pk: 'acct-b' } } }] }));
    sums.push((result.Responses?.[0]?.Item?.balance as number) + (result.Responses?.[1]?.Item?.balance as number));
  };
  // Single-item writes on a third counter race with the transactions.
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'acct-c', balance: 0 } }));
  const work: Promise<unknown>[] = [];
  for (let i = 0; i < 60; i++) {
    work.push(transfer(i % 2 ? 'acct-a' : 'acct-b', i % 2 ? 'acct-b' : 'acct-a', 1 + (i % 7)).catch(() => undefined));
    work.push(readSum());
    work.push(t.doc.send(new UpdateCommand({ TableName: table, Key: { pk: 'acct-c' }, UpdateExpression: 'ADD balance :one', ExpressionAttributeValues: { ':one': 1 } })));
  }
  await Promise.all(work);
  for (const sum of sums) assert.equal(sum, 2 * initial);
  const a = (await getItem('acct-a'))?.balance as number;
  const b = (await getItem('acct-b'))?.balance as number;
  assert.equal(a + b, 2 * initial);
  assert.equal((await getItem('acct-c'))?.balance, 60);
});

test('single-item writes racing a transaction on the same item are serialized with it', async () => {
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'mix-a', n: 0 } }));
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'mix-b', n: 0 } }));
  const work: Promise<unknown>[] = [];
  for (let i = 0; i < 40; i++) {
    // Each transaction adds one to both; each single write adds one to mix-a only.
    work.push(
      t.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Update: { TableName: table, Key: { pk: 'mix-a' }, UpdateExpression: 'SET n = n + :one', ExpressionAttributeValues: { ':one': 1 } } },
            { Update: { TableName: table, Key: { pk: 'mix-b' }, UpdateExpression: 'SET n = n + :one', ExpressionAttributeValues: { ':one': 1 } } },
          ],
        }),
      ),
    );
    work.push(t.doc.send(new UpdateCommand({ TableName: table, Key: { pk: 'mix-a' }, UpdateExpression: 'SET n = n + :one', ExpressionAttributeValues: { ':one': 1 } })));
  }
  await Promise.all(work);
  assert.equal((await getItem('mix-a'))?.n, 80);
  assert.equal((await getItem('mix-b'))?.n, 40);
});

test('expired tokens are purged from the store by later transactions', async () => {
  let now = Date.now();
  const own = await startTestServer({ clock: { now: () => now } });
  try {
    const name = uniqueTableName('tx_purge');
    await createTable(own.client, { name, partitionKey: ['pk', 'S'] });
    const store = own.server.database.store;
    const countTokens = () => [...store.range({ start: Buffer.of(0x03), end: Buffer.of(0x04) })].length;
    for (let i = 0; i < 5; i++) await own.doc.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: name, Item: { pk: `p-${i}` } } }] }));
    assert.equal(countTokens(), 10, 'a record and an expiry entry per token');
    now += 10 * 60 * 1000 + 1;
    await own.doc.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: name, Item: { pk: 'later' } } }] }));
    assert.equal(countTokens(), 2);
  } finally {
    await own.close();
  }
});
