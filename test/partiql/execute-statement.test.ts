// ExecuteStatement through the real SDK clients against a real server: every statement kind,
// which operation a SELECT becomes (observed through its answer and its ConsumedCapacity,
// compared with the same read made directly), paging with Limit and NextToken, parameters,
// nested paths, RETURNING, DuplicateItemException, conditional failures, indexes, and the
// texts and limits of the request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  ExecuteStatementCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  type AttributeValue,
  type ExecuteStatementCommandInput,
  type ExecuteStatementCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { ExecuteStatementCommand as DocExecuteStatementCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { startTestServer, uniqueTableName, type TestServer } from '../support/server.js';
import { errorOf } from '../support/errors.js';
import { createTable } from '../support/tables.js';
import { itemSize } from '../../src/model/item-size.js';

let t: TestServer;
let music: string; // Artist (S), Song (S); GSI byGenre (genre S, plays N, KEYS_ONLY); LSI byYear (year N)
let reads: string; // pk (S), sk (S): three partitions of three ~3 KB items, for capacity comparisons
let simple: string; // id (N)

before(async () => {
  t = await startTestServer();
  music = uniqueTableName('pq_music');
  reads = uniqueTableName('pq_reads');
  simple = uniqueTableName('pq_simple');
  await createTable(t.client, {
    name: music,
    partitionKey: ['Artist', 'S'],
    sortKey: ['Song', 'S'],
    globalIndexes: [{ name: 'byGenre', partitionKey: ['genre', 'S'], sortKey: ['plays', 'N'], projection: 'KEYS_ONLY' }],
    localIndexes: [{ name: 'byYear', sortKey: ['year', 'N'] }],
  });
  await createTable(t.client, { name: reads, partitionKey: ['pk', 'S'], sortKey: ['sk', 'S'] });
  await createTable(t.client, { name: simple, partitionKey: ['id', 'N'] });
  const padding = 'x'.repeat(3000);
  for (const pk of ['p', 'q', 'r']) {
    for (const sk of ['1', '2', '3']) {
      await t.client.send(new PutItemCommand({ TableName: reads, Item: { pk: { S: pk }, sk: { S: sk }, padding: { S: padding }, n: { N: sk } } }));
    }
  }
});
after(() => t.close());

function run(Statement: string, extra: Omit<ExecuteStatementCommandInput, 'Statement'> = {}): Promise<ExecuteStatementCommandOutput> {
  return t.client.send(new ExecuteStatementCommand({ Statement, ...extra }));
}

async function refusal(Statement: string, extra: Omit<ExecuteStatementCommandInput, 'Statement'> = {}): Promise<{ name: string; message: string }> {
  return errorOf(run(Statement, extra));
}

const sks = (items: Record<string, AttributeValue>[] | undefined) => (items ?? []).map((item) => item.sk?.S);

// ---- statements ------------------------------------------------------------------------------

test('INSERT writes the item, SELECT reads it back, UPDATE changes it, DELETE removes it', async () => {
  const inserted = await run(`INSERT INTO "${music}" VALUE {'Artist': 'Acme', 'Song': 'Rocks', 'plays': 3, 'tags': <<'a', 'b'>>, 'ok': TRUE, 'none': NULL, 'list': [1, 'two'], 'map': {'k': 1.5}}`);
  assert.deepEqual(inserted.Items, []);
  const read = await run(`SELECT * FROM "${music}" WHERE Artist = 'Acme' AND Song = 'Rocks'`);
  assert.deepEqual(read.Items, [
    {
      Artist: { S: 'Acme' }, Song: { S: 'Rocks' }, plays: { N: '3' }, tags: { SS: ['a', 'b'] }, ok: { BOOL: true }, none: { NULL: true },
      list: { L: [{ N: '1' }, { S: 'two' }] }, map: { M: { k: { N: '1.5' } } },
    },
  ]);
  const updated = await run(`UPDATE "${music}" SET plays = plays + 2 SET tags = set_add(tags, <<'c'>>) REMOVE "none" WHERE Artist = 'Acme' AND Song = 'Rocks'`);
  assert.deepEqual(updated.Items, []);
  const after = await t.client.send(new GetItemCommand({ TableName: music, Key: { Artist: { S: 'Acme' }, Song: { S: 'Rocks' } }, ConsistentRead: true }));
  assert.deepEqual(after.Item?.plays, { N: '5' });
  assert.deepEqual(after.Item?.tags, { SS: ['a', 'b', 'c'] });
  assert.equal(after.Item?.none, undefined);
  const deleted = await run(`DELETE FROM "${music}" WHERE Artist = 'Acme' AND Song = 'Rocks'`);
  assert.deepEqual(deleted.Items, []);
  assert.deepEqual((await run(`SELECT * FROM "${music}" WHERE Artist = 'Acme' AND Song = 'Rocks'`)).Items, []);
});

test('keywords are case-insensitive, identifiers keep their case, comments are ignored', async () => {
  await run(`insert into "${music}" value {'Artist': 'Case', 'Song': 'One', 'Plays': 1} -- a comment`);
  const read = await run(`/* read it */ select Plays from "${music}" where Artist = 'Case' and Song = 'One'`);
  assert.deepEqual(read.Items, [{ Plays: { N: '1' } }]);
  assert.deepEqual((await run(`SELECT plays FROM "${music}" WHERE Artist = 'Case' AND Song = 'One'`)).Items, [{}]);
});

test('a string literal doubles its quote; a quoted name doubles its double quote', async () => {
  await run(`INSERT INTO "${music}" VALUE {'Artist': 'O''Brien', 'Song': 'say "hi"', 'we"ird': 'v'}`);
  const read = await run(`SELECT "we""ird" FROM "${music}" WHERE Artist = 'O''Brien' AND Song = 'say "hi"'`);
  assert.deepEqual(read.Items, [{ 'we"ird': { S: 'v' } }]);
});

// ---- which operation a SELECT becomes ---------------------------------------------------------

test('the full primary key by equality is a GetItem: its capacity, and no NextToken even at Limit 1', async () => {
  const direct = await t.client.send(new GetItemCommand({ TableName: reads, Key: { pk: { S: 'p' }, sk: { S: '2' } }, ReturnConsumedCapacity: 'TOTAL' }));
  const viaPartiql = await run(`SELECT * FROM "${reads}" WHERE pk = 'p' AND sk = '2'`, { ReturnConsumedCapacity: 'TOTAL', Limit: 1 });
  assert.deepEqual(viaPartiql.Items, [direct.Item]);
  assert.deepEqual(viaPartiql.ConsumedCapacity, direct.ConsumedCapacity);
  assert.equal(viaPartiql.NextToken, undefined);
  const strong = await run(`SELECT * FROM "${reads}" WHERE pk = 'p' AND sk = '2'`, { ReturnConsumedCapacity: 'TOTAL', ConsistentRead: true });
  assert.equal(strong.ConsumedCapacity?.CapacityUnits, 2 * direct.ConsumedCapacity!.CapacityUnits!);
});

test('the partition key by equality is a Query: the same items and capacity as the Query', async () => {
  const direct = await t.client.send(
    new QueryCommand({ TableName: reads, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'q' } }, ReturnConsumedCapacity: 'INDEXES' }),
  );
  const viaPartiql = await run(`SELECT * FROM "${reads}" WHERE pk = 'q'`, { ReturnConsumedCapacity: 'INDEXES' });
  assert.deepEqual(viaPartiql.Items, direct.Items);
  assert.deepEqual(viaPartiql.ConsumedCapacity, direct.ConsumedCapacity);
  // Sort key conditions narrow the Query itself (fewer bytes read), not a filter after it.
  const narrowed = await run(`SELECT * FROM "${reads}" WHERE pk = 'q' AND sk >= '3'`, { ReturnConsumedCapacity: 'TOTAL' });
  assert.deepEqual(sks(narrowed.Items), ['3']);
  assert.equal(narrowed.ConsumedCapacity?.CapacityUnits, 0.5);
  for (const [where, expected] of [
    [`sk BETWEEN '1' AND '2'`, ['1', '2']],
    [`begins_with(sk, '2')`, ['2']],
    [`sk < '2'`, ['1']],
    [`'2' < sk`, ['3']],
  ] as const) {
    assert.deepEqual(sks((await run(`SELECT * FROM "${reads}" WHERE pk = 'q' AND ${where}`)).Items), expected, where);
  }
});

test('a WHERE without the partition key is a Scan: the same capacity as the Scan', async () => {
  const direct = await t.client.send(new ScanCommand({ TableName: reads, ReturnConsumedCapacity: 'TOTAL' }));
  const viaPartiql = await run(`SELECT pk, sk FROM "${reads}" WHERE n > 1`, { ReturnConsumedCapacity: 'TOTAL' });
  assert.equal(viaPartiql.Items?.length, 6);
  assert.deepEqual(viaPartiql.ConsumedCapacity, direct.ConsumedCapacity);
  // Two conditions on the sort key, or the partition key under OR, are scanned (DynamoDB does the same).
  const twoOnSort = await run(`SELECT * FROM "${reads}" WHERE pk = 'p' AND sk > '1' AND sk < '3'`, { ReturnConsumedCapacity: 'TOTAL' });
  assert.deepEqual(sks(twoOnSort.Items), ['2']);
  assert.deepEqual(twoOnSort.ConsumedCapacity, direct.ConsumedCapacity);
  const orWithOther = await run(`SELECT * FROM "${reads}" WHERE pk = 'p' OR n = 3`, { ReturnConsumedCapacity: 'TOTAL' });
  assert.equal(orWithOther.Items?.length, 5);
  assert.deepEqual(orWithOther.ConsumedCapacity, direct.ConsumedCapacity);
});

test('IN (or OR) on the partition key reads each partition with its own Query', async () => {
  const one = await run(`SELECT * FROM "${reads}" WHERE pk = 'p'`, { ReturnConsumedCapacity: 'TOTAL' });
  const viaIn = await run(`SELECT * FROM "${reads}" WHERE pk IN ['r', 'p', 'r']`, { ReturnConsumedCapacity: 'TOTAL' });
  assert.deepEqual(viaIn.Items?.map((item) => item.pk!.S), ['r', 'r', 'r', 'p', 'p', 'p']);
  assert.equal(viaIn.ConsumedCapacity?.CapacityUnits, 2 * one.ConsumedCapacity!.CapacityUnits!);
  const viaOr = await run(`SELECT * FROM "${reads}" WHERE pk = 'q' OR pk = 'p'`, { ReturnConsumedCapacity: 'TOTAL' });
  assert.equal(viaOr.Items?.length, 6);
  assert.equal(viaOr.ConsumedCapacity?.CapacityUnits, viaIn.ConsumedCapacity?.CapacityUnits);
  const ordered = await run(`SELECT pk, sk FROM "${reads}" WHERE pk IN ['p', 'r', 'q'] AND n <> 2 ORDER BY pk DESC`);
  assert.deepEqual(ordered.Items?.map((item) => `${item.pk!.S}${item.sk!.S}`), ['r1', 'r3', 'q1', 'q3', 'p1', 'p3']);
});

test('an IN list of 50 partition key values is read, 51 are refused', async () => {
  const values = (n: number) => Array.from({ length: n }, (_, i) => `'v${i}'`).join(', ');
  const fifty = await run(`SELECT * FROM "${reads}" WHERE pk IN [${values(49)}, 'p']`);
  assert.equal(fifty.Items?.length, 3);
  const error = await refusal(`SELECT * FROM "${reads}" WHERE pk IN [${values(51)}]`);
  assert.equal(error.name, 'ValidationException');
  assert.equal(error.message, 'Too many decomposed read operations for a given query.');
});

test('ORDER BY the sort key DESC reads the partition backwards', async () => {
  const result = await run(`SELECT sk FROM "${reads}" WHERE pk = 'p' ORDER BY sk DESC`);
  assert.deepEqual(sks(result.Items), ['3', '2', '1']);
  assert.deepEqual(sks((await run(`SELECT sk FROM "${reads}" WHERE pk = 'p' ORDER BY sk ASC`)).Items), ['1', '2', '3']);
});

// ---- paging ----------------------------------------------------------------------------------

test('Limit and NextToken page through a Query, a Scan and an IN list', async () => {
  const collect = async (statement: string, limit: number): Promise<string[]> => {
    const seen: string[] = [];
    let token: string | undefined;
    for (let page = 0; page < 20; page++) {
      const result = await run(statement, { Limit: limit, NextToken: token });
      assert.ok((result.Items?.length ?? 0) <= limit);
      seen.push(...(result.Items ?? []).map((item) => `${item.pk!.S}${item.sk!.S}`));
      token = result.NextToken;
      if (token === undefined) return seen;
    }
    throw new Error('paging did not end');
  };
  assert.deepEqual(await collect(`SELECT pk, sk FROM "${reads}" WHERE pk = 'q'`, 1), ['q1', 'q2', 'q3']);
  assert.deepEqual((await collect(`SELECT pk, sk FROM "${reads}" WHERE n >= 1`, 2)).sort(), ['p1', 'p2', 'p3', 'q1', 'q2', 'q3', 'r1', 'r2', 'r3']);
  assert.deepEqual(await collect(`SELECT pk, sk FROM "${reads}" WHERE pk IN ['p', 'r']`, 2), ['p1', 'p2', 'p3', 'r1', 'r2', 'r3']);
  const first = await run(`SELECT * FROM "${reads}" WHERE pk = 'q'`, { Limit: 1 });
  assert.deepEqual(first.LastEvaluatedKey, { pk: { S: 'q' }, sk: { S: '1' } });
});

test('an IN read ends its page once 1 MB has been read, and NextToken goes on with the next partition', async () => {
  const big = uniqueTableName('pq_big');
  await createTable(t.client, { name: big, partitionKey: ['pk', 'S'], sortKey: ['sk', 'N'] });
  // Two items per partition whose sizes add up to `bytes` exactly: ceil(bytes / 4 KB) read units.
  const fill = async (pk: string, bytes: number) => {
    const base = itemSize({ pk: { S: pk }, sk: { N: '1' }, d: { S: '' } });
    const first = Math.floor(bytes / 2);
    for (const [sk, size] of [[1, first], [2, bytes - first]] as const) {
      await t.client.send(new PutItemCommand({ TableName: big, Item: { pk: { S: pk }, sk: { N: String(sk) }, d: { S: 'x'.repeat(size - base) } } }));
    }
  };
  const half = 512 * 1024; // two partitions of 512 KB: exactly 1 MB read
  await fill('a', half);
  await fill('b', half);
  await fill('c', 1024);
  await fill('d', half - 4096); // one read unit less: 1 MB - 4 KB read after a and d
  const statement = (pks: string) => `SELECT pk, sk FROM "${big}" WHERE pk IN [${pks}]`;
  const first = await run(statement(`'a', 'b', 'c'`), { ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' });
  assert.deepEqual(first.Items?.map((item) => item.pk!.S), ['a', 'a', 'b', 'b']);
  assert.equal(first.ConsumedCapacity?.CapacityUnits, 256);
  assert.ok(first.NextToken);
  assert.equal(first.LastEvaluatedKey, undefined);
  const second = await run(statement(`'a', 'b', 'c'`), { ConsistentRead: true, NextToken: first.NextToken });
  assert.deepEqual(second.Items?.map((item) => item.pk!.S), ['c', 'c']);
  assert.equal(second.NextToken, undefined);
  const under = await run(statement(`'a', 'd', 'c'`), { ConsistentRead: true });
  assert.deepEqual(under.Items?.map((item) => item.pk!.S), ['a', 'a', 'd', 'd', 'c', 'c']);
  assert.equal(under.NextToken, undefined);
});

test('a NextToken is refused by another statement, and when it is not one', async () => {
  const first = await run(`SELECT * FROM "${reads}" WHERE pk = 'q'`, { Limit: 1 });
  const mismatch = await refusal(`SELECT * FROM "${reads}" WHERE pk = 'p'`, { Limit: 1, NextToken: first.NextToken });
  assert.deepEqual([mismatch.name, mismatch.message], ['ValidationException', 'NextToken does not match request']);
  const invalid = await refusal(`SELECT * FROM "${reads}" WHERE pk = 'p'`, { NextToken: 'not-a-token' });
  assert.deepEqual([invalid.name, invalid.message], ['ValidationException', 'Invalid NextToken']);
});

// ---- parameters ------------------------------------------------------------------------------

test('parameters bind in order, through the document client too', async () => {
  await t.doc.send(
    new DocExecuteStatementCommand({
      Statement: `INSERT INTO "${music}" VALUE {'Artist': ?, 'Song': ?, 'plays': ?, 'meta': ?, 'data': ?}`,
      Parameters: ['Param', 'One', 7, { nested: [1, 'a'] }, new Uint8Array([1, 2, 3])],
    }),
  );
  const read = await t.doc.send(new DocExecuteStatementCommand({ Statement: `SELECT * FROM "${music}" WHERE Artist = ? AND plays > ?`, Parameters: ['Param', 5] }));
  assert.equal(read.Items?.length, 1);
  assert.deepEqual(read.Items![0]!.meta, { nested: [1, 'a'] });
  assert.deepEqual(read.Items![0]!.data, new Uint8Array([1, 2, 3]));
  await t.doc.send(new DocExecuteStatementCommand({ Statement: `UPDATE "${music}" SET plays = ? WHERE Artist = ? AND Song = ?`, Parameters: [8, 'Param', 'One'] }));
  assert.equal((await t.doc.send(new GetCommand({ TableName: music, Key: { Artist: 'Param', Song: 'One' } }))).Item?.plays, 8);
});

test('parameters must match the ? of the statement, and be at least one when given', async () => {
  for (const Parameters of [[], [{ S: 'a' }, { S: 'b' }]]) {
    const error = await refusal(`SELECT * FROM "${music}" WHERE Artist = ?`, { Parameters: Parameters as AttributeValue[] });
    assert.equal(error.name, 'ValidationException');
    assert.equal(
      error.message,
      Parameters.length === 0
        ? "1 validation error detected: Value '[]' at 'parameters' failed to satisfy constraint: Member must have length greater than or equal to 1"
        : "Number of parameters in request and statement don't match.",
    );
  }
  const missing = await refusal(`SELECT * FROM "${music}" WHERE Artist = ?`);
  assert.equal(missing.message, "Number of parameters in request and statement don't match.");
});

// ---- nested paths ----------------------------------------------------------------------------

test('nested paths select, filter and update inside maps and lists', async () => {
  await run(`INSERT INTO "${music}" VALUE {'Artist': 'Nest', 'Song': 'One', 'a': {'b': [{'c': 1}, {'c': 2}], 'name': 'x'}, 'l': [10, 20, 30]}`);
  const projected = await run(`SELECT a.b[1].c, l[2], a."name" FROM "${music}" WHERE Artist = 'Nest' AND a.b[0].c = 1`);
  // Each selected value answers under its last map key and the list indexes after it.
  assert.deepEqual(projected.Items, [{ c: { N: '2' }, 'l[2]': { N: '30' }, name: { S: 'x' } }]);
  await run(`UPDATE "${music}" SET a.b[0].c = 5, a['new'] = 'n' REMOVE l[0] WHERE Artist = 'Nest' AND Song = 'One'`);
  const read = await run(`SELECT a, l FROM "${music}" WHERE Artist = 'Nest' AND Song = 'One'`);
  assert.deepEqual(read.Items, [
    { a: { M: { b: { L: [{ M: { c: { N: '5' } } }, { M: { c: { N: '2' } } }] }, name: { S: 'x' }, new: { S: 'n' } } }, l: { L: [{ N: '20' }, { N: '30' }] } },
  ]);
  const duplicate = await refusal(`SELECT a.name, b.name FROM "${music}" WHERE Artist = 'Nest'`);
  assert.equal(duplicate.message, 'Duplicate identifiers in select clause: name');
});

test('IS MISSING, IS NULL, IS <type>, functions and NOT filter as DynamoDB conditions do', async () => {
  await run(`INSERT INTO "${music}" VALUE {'Artist': 'Fn', 'Song': '1', 'title': 'hello world', 'z': NULL, 'n': 12}`);
  await run(`INSERT INTO "${music}" VALUE {'Artist': 'Fn', 'Song': '2', 'title': 'bye', 'n': 'twelve'}`);
  const songs = async (where: string) => (await run(`SELECT Song FROM "${music}" WHERE Artist = 'Fn' AND ${where}`)).Items!.map((item) => item.Song!.S);
  assert.deepEqual(await songs('z IS MISSING'), ['2']);
  assert.deepEqual(await songs('z IS NOT MISSING'), ['1']);
  assert.deepEqual(await songs('z IS NULL'), ['1']);
  assert.deepEqual(await songs('n IS NUMERIC'), ['1']);
  assert.deepEqual(await songs('n IS STRING'), ['2']);
  assert.deepEqual(await songs(`contains(title, 'world')`), ['1']);
  assert.deepEqual(await songs(`begins_with(title, 'by')`), ['2']);
  assert.deepEqual(await songs(`attribute_type(n, 'N')`), ['1']);
  assert.deepEqual(await songs('size(title) > 5'), ['1']);
  assert.deepEqual(await songs(`NOT title = 'bye'`), ['1']);
  assert.deepEqual(await songs(`title IN ['bye', 'other']`), ['2']);
  assert.deepEqual(await songs(`title <> 'bye'`), ['1']);
  assert.deepEqual(await songs(`title != 'bye'`), ['1']);
});

// ---- RETURNING -------------------------------------------------------------------------------

test('UPDATE RETURNING ALL OLD / ALL NEW / MODIFIED OLD / MODIFIED NEW', async () => {
  await run(`INSERT INTO "${music}" VALUE {'Artist': 'Ret', 'Song': 'One', 'a': 1, 'b': 'keep'}`);
  const update = (returning: string) => run(`UPDATE "${music}" SET a = a + 1 WHERE Artist = 'Ret' AND Song = 'One' RETURNING ${returning}`);
  assert.deepEqual((await update('ALL OLD *')).Items, [{ Artist: { S: 'Ret' }, Song: { S: 'One' }, a: { N: '1' }, b: { S: 'keep' } }]);
  assert.deepEqual((await update('ALL NEW *')).Items, [{ Artist: { S: 'Ret' }, Song: { S: 'One' }, a: { N: '3' }, b: { S: 'keep' } }]);
  assert.deepEqual((await update('MODIFIED OLD *')).Items, [{ a: { N: '3' } }]);
  assert.deepEqual((await update('MODIFIED NEW *')).Items, [{ a: { N: '5' } }]);
  // Nothing modified that existed before: an empty MODIFIED OLD is Items: [].
  const added = await run(`UPDATE "${music}" SET c = 1 WHERE Artist = 'Ret' AND Song = 'One' RETURNING MODIFIED OLD *`);
  assert.deepEqual(added.Items, []);
});

test('DELETE RETURNING ALL OLD * answers the deleted item; the other variants are refused', async () => {
  await run(`INSERT INTO "${music}" VALUE {'Artist': 'Ret', 'Song': 'Del', 'a': 1}`);
  for (const variant of ['MODIFIED OLD *', 'ALL NEW *', 'MODIFIED NEW *']) {
    const error = await refusal(`DELETE FROM "${music}" WHERE Artist = 'Ret' AND Song = 'Del' RETURNING ${variant}`);
    assert.equal(error.message, `Invalid returning clause: RETURNING ${variant}. Only RETURNING ALL OLD * is allowed in DELETE statements.`);
  }
  const deleted = await run(`DELETE FROM "${music}" WHERE Artist = 'Ret' AND Song = 'Del' RETURNING ALL OLD *`);
  assert.deepEqual(deleted.Items, [{ Artist: { S: 'Ret' }, Song: { S: 'Del' }, a: { N: '1' } }]);
  // Deleting an item that is not there is no error, and returns nothing.
  assert.deepEqual((await run(`DELETE FROM "${music}" WHERE Artist = 'Ret' AND Song = 'Del' RETURNING ALL OLD *`)).Items, []);
  const insert = await refusal(`INSERT INTO "${music}" VALUE {'Artist': 'Ret', 'Song': 'Ins'} RETURNING ALL OLD *`);
  assert.equal(insert.message, 'RETURNING is not supported in INSERT');
});

// ---- conflicts and conditions ----------------------------------------------------------------

test('INSERT of an existing key is a DuplicateItemException and changes nothing', async () => {
  await run(`INSERT INTO "${simple}" VALUE {'id': 1, 'v': 'first'}`);
  const error = await errorOf<{ name: string; message: string; $metadata: { httpStatusCode?: number } }>(run(`INSERT INTO "${simple}" VALUE {'id': 1.0, 'v': 'second'}`));
  assert.equal(error.name, 'DuplicateItemException');
  assert.equal(error.message, 'Duplicate primary key exists in table');
  assert.equal(error.$metadata.httpStatusCode, 400);
  assert.deepEqual((await run(`SELECT v FROM "${simple}" WHERE id = 1`)).Items, [{ v: { S: 'first' } }]);
});

test('UPDATE of a missing item, or under a false condition, is a ConditionalCheckFailedException', async () => {
  const missing = await refusal(`UPDATE "${simple}" SET v = 'x' WHERE id = 404`);
  assert.deepEqual([missing.name, missing.message], ['ConditionalCheckFailedException', 'The conditional request failed']);
  assert.deepEqual((await run(`SELECT * FROM "${simple}" WHERE id = 404`)).Items, []);
  await run(`INSERT INTO "${simple}" VALUE {'id': 2, 'v': 'old', 'n': 1}`);
  const failed = await errorOf<{ name: string; message: string; Item?: Record<string, AttributeValue> }>(
    run(`UPDATE "${simple}" SET v = 'new' WHERE id = 2 AND n > 5`, { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }),
  );
  assert.equal(failed.name, 'ConditionalCheckFailedException');
  assert.deepEqual(failed.Item, { id: { N: '2' }, v: { S: 'old' }, n: { N: '1' } });
  await run(`UPDATE "${simple}" SET v = 'new' WHERE id = 2 AND n < 5`);
  assert.deepEqual((await run(`SELECT v FROM "${simple}" WHERE id = 2`)).Items, [{ v: { S: 'new' } }]);
  const deleteFailed = await refusal(`DELETE FROM "${simple}" WHERE id = 2 AND v = 'other'`);
  assert.equal(deleteFailed.name, 'ConditionalCheckFailedException');
  await run(`DELETE FROM "${simple}" WHERE id = 2 AND v = 'new'`);
  assert.deepEqual((await run(`SELECT * FROM "${simple}" WHERE id = 2`)).Items, []);
});

test('a write must name the full key, by equality, once', async () => {
  for (const statement of [
    `UPDATE "${music}" SET a = 1 WHERE Artist = 'x'`,
    `UPDATE "${music}" SET a = 1`,
    `DELETE FROM "${music}" WHERE Artist = 'x' AND Song > 'a'`,
    `DELETE FROM "${music}"`,
  ]) {
    assert.equal((await refusal(statement)).message, 'Where clause does not contain a mandatory equality on all key attributes', statement);
  }
  const twice = await refusal(`UPDATE "${music}" SET a = 1 WHERE Artist = 'x' AND Song = 'y' AND Artist = 'z'`);
  assert.equal(twice.message, 'Multiple conditions on same key Artist. Only single item Update/Insert/Delete are supported');
  const typed = await refusal(`DELETE FROM "${music}" WHERE Artist = 1 AND Song = 'y'`);
  assert.equal(typed.message, "Key attribute's data type should match its data type in table's schema: Key Artist");
  const notScalar = await refusal(`DELETE FROM "${music}" WHERE Artist = TRUE AND Song = 'y'`);
  assert.equal(notScalar.message, 'Key value must be of type S, N, or B. Key name: Artist, Key type: BOOL');
  const absent = await refusal(`INSERT INTO "${music}" VALUE {'Artist': 'x'}`);
  assert.equal(absent.message, 'Key attribute should be present in the item: Key Song');
  const keyUpdate = await refusal(`UPDATE "${music}" SET Artist = 'b' WHERE Artist = 'Acme' AND Song = 'x'`);
  assert.equal(keyUpdate.message, 'One or more parameter values were invalid: Cannot update attribute Artist. This attribute is part of the key');
});

// ---- indexes ---------------------------------------------------------------------------------

test('SELECT from "table"."index" queries a GSI or LSI with its own key', async () => {
  await run(`INSERT INTO "${music}" VALUE {'Artist': 'Idx', 'Song': 'One', 'genre': 'jazz', 'plays': 5, 'year': 1999, 'other': 'o'}`);
  await run(`INSERT INTO "${music}" VALUE {'Artist': 'Idx', 'Song': 'Two', 'genre': 'jazz', 'plays': 9, 'year': 2005}`);
  const gsi = await run(`SELECT * FROM "${music}"."byGenre" WHERE genre = 'jazz' AND plays > 6`, { ReturnConsumedCapacity: 'INDEXES' });
  assert.deepEqual(gsi.Items, [{ Artist: { S: 'Idx' }, Song: { S: 'Two' }, genre: { S: 'jazz' }, plays: { N: '9' } }]);
  assert.ok(gsi.ConsumedCapacity?.GlobalSecondaryIndexes?.byGenre);
  const lsi = await run(`SELECT Song, other FROM "${music}"."byYear" WHERE Artist = 'Idx' AND "year" < 2000`);
  assert.deepEqual(lsi.Items, [{ Song: { S: 'One' }, other: { S: 'o' } }]);
  // A filter on an attribute the index does not hold: refused on a keyed read, and on a scan
  // of the index the attribute is simply absent (pinned against DynamoDB).
  const keyed = await refusal(`SELECT Song FROM "${music}"."byGenre" WHERE genre = 'jazz' AND other = 'o'`);
  assert.equal(keyed.message, 'One or more parameter values were invalid: Secondary index byGenre does not project one or more filter attributes: [other]');
  assert.deepEqual((await run(`SELECT Song FROM "${music}"."byGenre" WHERE other = 'o'`)).Items, []);
  const negated = await run(`SELECT Song FROM "${music}"."byGenre" WHERE NOT other = 'o' AND Artist = 'Idx'`);
  assert.deepEqual(negated.Items?.map((item) => item.Song!.S).sort(), ['One', 'Two']);
  const consistent = await refusal(`SELECT * FROM "${music}"."byGenre" WHERE genre = 'jazz'`, { ConsistentRead: true });
  assert.equal(consistent.message, 'Strongly consistent read is not supported on Global Secondary Indexes');
  const noIndex = await refusal(`SELECT * FROM "${music}"."nope" WHERE Artist = 'Idx'`);
  assert.equal(noIndex.message, 'The table does not have the specified index');
  const write = await refusal(`UPDATE "${music}"."byYear" SET a = 1 WHERE Artist = 'Idx' AND Song = 'One'`);
  assert.equal(write.message, 'This operation is not supported on an index');
});

// ---- request texts and limits ----------------------------------------------------------------

test('syntax errors are "Statement wasn\'t well formed"', async () => {
  for (const [statement, detail] of [
    [`SLECT * FROM "${music}"`, 'Expected data manipulation'],
    [`SELECT * FROM "${music}" WHERE key = 1`, 'Unexpected keyword'],
    [`SELECT * FROM "${music}" WHERE Artist = 'x' )`, 'Unexpected token'],
    [`SELECT * FROM "${music}" WHERE`, ''],
    [`SELECT * FROM "${music}`, ''],
  ]) {
    const error = await refusal(statement);
    assert.deepEqual([error.name, error.message], ['ValidationException', `Statement wasn't well formed, can't be processed: ${detail}`], statement);
  }
});

test('WHERE clause texts come without the expression name DynamoDB uses inside', async () => {
  await run(`INSERT INTO "${music}" VALUE {'Artist': 'Op', 'Song': 'One', 'val': 1}`);
  const error = await refusal(`SELECT Song FROM "${music}" WHERE Artist = 'Op' AND val < ?`, { Parameters: [{ BOOL: true }] });
  assert.equal(error.message, 'Incorrect operand type for operator or function; operator or function: <, operand type: BOOL');
  assert.equal((await refusal(`SELECT * FROM "${music}" WHERE val + 1 > 2`)).message, 'Unsupported operator in Condition Expression. Operator: +');
  assert.equal((await refusal(`SELECT * FROM "${music}" WHERE val`)).message, 'WHERE clause must contain an expression that resolves to a boolean');
  assert.equal((await refusal(`SELECT * FROM "${music}" WHERE nope(val)`)).message, 'Unrecognized function: nope');
});

test('a missing table is a ResourceNotFoundException', async () => {
  for (const statement of [`SELECT * FROM "no_such_table" WHERE a = 1`, `INSERT INTO "no_such_table" VALUE {'a': 1}`, `DELETE FROM "no_such_table" WHERE a = 1`]) {
    const error = await refusal(statement);
    assert.deepEqual([error.name, error.message], ['ResourceNotFoundException', 'Requested resource not found'], statement);
  }
});

test('a statement of 8,192 characters runs, one of 8,193 is refused', async () => {
  const prefix = `SELECT * FROM "${simple}" WHERE id = 1 AND v = '`;
  const at = `${prefix}${'x'.repeat(8192 - prefix.length - 1)}'`;
  assert.equal(at.length, 8192);
  assert.deepEqual((await run(at)).Items, []);
  const past = `${prefix}${'x'.repeat(8193 - prefix.length - 1)}'`;
  const error = await refusal(past);
  assert.equal(
    error.message,
    `1 validation error detected: Value '${past}' at 'statement' failed to satisfy constraint: Member must have length less than or equal to 8192`,
  );
});

test('Limit is at least 1; NextToken is at most 32,768 characters; the enums are checked', async () => {
  const statement = `SELECT * FROM "${simple}" WHERE id = 1`;
  assert.deepEqual((await run(statement, { Limit: 1 })).Items?.length, 1);
  assert.equal(
    (await refusal(statement, { Limit: 0 })).message,
    "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
  );
  assert.equal((await refusal(statement, { NextToken: 'x'.repeat(32768) })).message, 'Invalid NextToken');
  const long = await refusal(statement, { NextToken: 'x'.repeat(32769) });
  assert.match(long.message, /at 'nextToken' failed to satisfy constraint: Member must have length less than or equal to 32768$/);
  const enums = await refusal(statement, { ReturnConsumedCapacity: 'ALL' as 'TOTAL', ReturnValuesOnConditionCheckFailure: 'SOME' as 'NONE' });
  assert.equal(
    enums.message,
    "2 validation errors detected: Value 'ALL' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; " +
      "Value 'SOME' at 'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]",
  );
});

test('EXISTS is only for ExecuteTransaction', async () => {
  const error = await refusal(`EXISTS(SELECT * FROM "${simple}" WHERE id = 1 AND v = 'x')`);
  assert.equal(error.message, 'EXISTS can only be used in ExecuteTransaction write requests.');
});
