// The legacy (pre-expression) parameters through the real SDK: Expected with every
// ComparisonOperator and the Exists/Value forms, AttributeUpdates (PUT, ADD, DELETE),
// AttributesToGet on every read, KeyConditions, QueryFilter and ScanFilter with
// ConditionalOperator, and DynamoDB's texts for their errors and for mixing them with
// expressions. Each case is written so it could run unchanged against DynamoDB.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchGetItemCommand, DeleteItemCommand, GetItemCommand, PutItemCommand, QueryCommand, ScanCommand,
  UpdateItemCommand, type AttributeValue, type Condition, type ExpectedAttributeValue, type QueryCommandInput,
  type ScanCommandInput, type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { startTestServer, uniqueTableName, type TestServer } from '../support/server.js';
import { errorOf } from '../support/errors.js';
import { createTable } from '../support/tables.js';

let t: TestServer;
let hash: string; // p S
let range: string; // p S, c N

type Item = Record<string, AttributeValue>;
const S = (text: string): AttributeValue => ({ S: text });
const N = (text: string): AttributeValue => ({ N: text });
const B = (text: string): AttributeValue => ({ B: Buffer.from(text) });
const invalid = 'One or more parameter values were invalid: ';

before(async () => {
  t = await startTestServer();
  hash = uniqueTableName('legacy_h');
  range = uniqueTableName('legacy_r');
  await createTable(t.client, { name: hash, partitionKey: ['p', 'S'] });
  await createTable(t.client, { name: range, partitionKey: ['p', 'S'], sortKey: ['c', 'N'] });
  for (let c = 0; c < 10; c++) {
    const item: Item = { p: S('q'), c: N(String(c)), a: N(String(c * 10)), s: S(`s${c}`) };
    if (c % 2 === 0) item.even = { BOOL: true };
    await t.client.send(new PutItemCommand({ TableName: range, Item: item }));
  }
});
after(() => t.close());

async function expectError(promise: Promise<unknown>, message: string, name = 'ValidationException'): Promise<void> {
  const error = await errorOf(promise);
  assert.equal(error.message, message);
  assert.equal(error.name, name);
}

async function itemOf(p: string): Promise<Item | undefined> {
  return (await t.client.send(new GetItemCommand({ TableName: hash, Key: { p: S(p) }, ConsistentRead: true }))).Item;
}

function update(p: string, input: Partial<UpdateItemCommandInput>): Promise<unknown> {
  return t.client.send(new UpdateItemCommand({ TableName: hash, Key: { p: S(p) }, ...input }));
}

/** UpdateItem guarded by one Expected entry on an item with a, b, c, d, l, ns set: true if it ran. */
async function holds(expected: Record<string, ExpectedAttributeValue>): Promise<boolean> {
  const p = 'expected-subject';
  await t.client.send(
    new PutItemCommand({
      TableName: hash,
      Item: {
        p: S(p), a: N('2'), b: S('cat'), c: B('cat'), d: B('hi there'), h: S('hello'),
        l: { L: [N('2'), N('4'), N('7')] }, ns: { NS: ['2', '4', '7'] }, nul: { NULL: true },
      },
    }),
  );
  try {
    await update(p, { AttributeUpdates: { z: { Action: 'PUT', Value: N('1') } }, Expected: expected });
    return true;
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    return false;
  }
}

const op = (ComparisonOperator: string, ...AttributeValueList: AttributeValue[]): ExpectedAttributeValue => ({
  ComparisonOperator: ComparisonOperator as ExpectedAttributeValue['ComparisonOperator'],
  AttributeValueList,
});

test('Expected: every ComparisonOperator, true and false', async () => {
  const cases: [string, Record<string, ExpectedAttributeValue>, boolean][] = [
    ['EQ', { a: op('EQ', N('2')) }, true],
    ['EQ other value', { a: op('EQ', N('3')) }, false],
    ['EQ other type', { a: op('EQ', S('2')) }, false],
    ['EQ set in any order', { ns: op('EQ', { NS: ['7', '2', '4'] }) }, true],
    ['NE', { a: op('NE', N('3')) }, true],
    ['NE same', { a: op('NE', N('2')) }, false],
    ['NE other type', { a: op('NE', S('2')) }, true],
    ['NE missing', { q: op('NE', N('2')) }, true],
    ['LE', { a: op('LE', N('2')) }, true],
    ['LE string', { b: op('LE', S('dog')) }, true],
    ['LE binary', { c: op('LE', B('aardvark')) }, false],
    ['LE other type', { a: op('LE', S('9')) }, false],
    ['LT', { a: op('LT', N('2')) }, false],
    ['LT string', { b: op('LT', S('dog')) }, true],
    ['GE', { a: op('GE', N('2')) }, true],
    ['GE binary', { c: op('GE', B('aardvark')) }, true],
    ['GT', { a: op('GT', N('1')) }, true],
    ['GT string', { b: op('GT', S('dog')) }, false],
    ['NOT_NULL', { nul: op('NOT_NULL') }, true],
    ['NOT_NULL missing', { q: op('NOT_NULL') }, false],
    ['NULL missing', { q: op('NULL') }, true],
    ['NULL of a NULL value', { nul: op('NULL') }, false],
    ['CONTAINS substring', { h: op('CONTAINS', S('ell')) }, true],
    ['CONTAINS set member', { ns: op('CONTAINS', N('4')) }, true],
    ['CONTAINS list element', { l: op('CONTAINS', N('4')) }, true],
    ['CONTAINS binary', { d: op('CONTAINS', B('here')) }, true],
    ['CONTAINS absent member', { ns: op('CONTAINS', N('1')) }, false],
    ['CONTAINS number in string', { h: op('CONTAINS', N('1')) }, false],
    ['CONTAINS missing', { q: op('CONTAINS', N('1')) }, false],
    ['NOT_CONTAINS', { h: op('NOT_CONTAINS', S('dog')) }, true],
    ['NOT_CONTAINS number in string', { h: op('NOT_CONTAINS', N('1')) }, true],
    ['NOT_CONTAINS set member', { ns: op('NOT_CONTAINS', N('4')) }, false],
    ['NOT_CONTAINS list', { l: op('NOT_CONTAINS', N('1')) }, true],
    ['NOT_CONTAINS missing', { q: op('NOT_CONTAINS', N('1')) }, false],
    ['BEGINS_WITH', { h: op('BEGINS_WITH', S('hell')) }, true],
    ['BEGINS_WITH binary', { d: op('BEGINS_WITH', B('hi')) }, true],
    ['BEGINS_WITH other', { h: op('BEGINS_WITH', S('dog')) }, false],
    ['BEGINS_WITH on a number', { a: op('BEGINS_WITH', S('2')) }, false],
    ['IN', { a: op('IN', N('1'), N('2'), N('8')) }, true],
    ['IN absent', { a: op('IN', N('1'), N('3')) }, false],
    ['IN is not set membership', { ns: op('IN', N('2')) }, false],
    ['BETWEEN', { a: op('BETWEEN', N('1'), N('3')) }, true],
    ['BETWEEN inclusive', { a: op('BETWEEN', N('2'), N('2')) }, true],
    ['BETWEEN strings', { b: op('BETWEEN', S('aardvark'), S('dog')) }, true],
    ['BETWEEN outside', { a: op('BETWEEN', N('3'), N('4')) }, false],
    ['BETWEEN missing', { q: op('BETWEEN', N('0'), N('100')) }, false],
  ];
  for (const [name, expected, outcome] of cases) assert.equal(await holds(expected), outcome, name);
});

test('Expected: the Exists and Value forms, ConditionalOperator AND and OR', async () => {
  assert.equal(await holds({ a: { Value: N('2') } }), true);
  assert.equal(await holds({ a: { Value: N('3') } }), false);
  assert.equal(await holds({ q: { Value: N('2') } }), false);
  assert.equal(await holds({ a: { Exists: true, Value: N('2') } }), true);
  assert.equal(await holds({ q: { Exists: false } }), true);
  assert.equal(await holds({ a: { Exists: false } }), false);
  const three = { a: { Exists: true, Value: N('2') }, b: op('EQ', S('cat')), q: { Exists: false } };
  assert.equal(await holds(three), true);
  assert.equal(await holds({ ...three, b: op('EQ', S('dog')) }), false);
  const p = 'expected-subject';
  const orWrite = (expected: Record<string, ExpectedAttributeValue>) =>
    update(p, { AttributeUpdates: { z: { Value: N('5') } }, Expected: expected, ConditionalOperator: 'OR' });
  await orWrite({ a: { Value: N('74') }, b: op('EQ', S('dog')), q: { Exists: false } });
  assert.deepEqual((await itemOf(p))?.z, N('5'));
  await expectError(orWrite({ a: { Value: N('74') }, b: op('EQ', S('dog')) }), 'The conditional request failed', 'ConditionalCheckFailedException');
  // An empty Expected is no condition.
  await update(p, { AttributeUpdates: { z: { Value: N('6') } }, Expected: {} });
  assert.deepEqual((await itemOf(p))?.z, N('6'));
});

test('Expected on PutItem and DeleteItem', async () => {
  await t.client.send(new PutItemCommand({ TableName: hash, Item: { p: S('pd'), a: N('1') } }));
  await t.client.send(new PutItemCommand({ TableName: hash, Item: { p: S('pd'), a: N('2') }, Expected: { a: { Value: N('1') } } }));
  await expectError(
    t.client.send(new PutItemCommand({ TableName: hash, Item: { p: S('pd'), a: N('3') }, Expected: { a: { Value: N('1') } } })),
    'The conditional request failed',
    'ConditionalCheckFailedException',
  );
  await expectError(
    t.client.send(new DeleteItemCommand({ TableName: hash, Key: { p: S('pd') }, Expected: { a: { Value: N('1') } } })),
    'The conditional request failed',
    'ConditionalCheckFailedException',
  );
  await t.client.send(new DeleteItemCommand({ TableName: hash, Key: { p: S('pd') }, Expected: { a: { Value: N('2') }, b: { Exists: false } }, ConditionalOperator: 'AND' }));
  assert.equal(await itemOf('pd'), undefined);
  // A missing item has no attributes: Exists false holds, a Value does not.
  await t.client.send(new PutItemCommand({ TableName: hash, Item: { p: S('pd') }, Expected: { p: { Exists: false } } }));
  await expectError(
    t.client.send(new PutItemCommand({ TableName: hash, Item: { p: S('pd2') }, Expected: { a: op('NOT_NULL') } })),
    'The conditional request failed',
    'ConditionalCheckFailedException',
  );
});

test('Expected validation texts', async () => {
  const cases: [Record<string, ExpectedAttributeValue>, string][] = [
    [{ a: {} }, `${invalid}Value must be provided when Exists is null for Attribute: a`],
    [{ a: { Exists: true } }, `${invalid}Value must be provided when Exists is true for Attribute: a`],
    [{ a: { Exists: false, Value: N('1') } }, `${invalid}Value cannot be used when Exists is false for Attribute: a`],
    [{ a: { Value: N('1'), AttributeValueList: [N('1')] } }, `${invalid}Value and AttributeValueList cannot be used together for Attribute: a`],
    [{ a: { AttributeValueList: [N('1')] } }, `${invalid}AttributeValueList can only be used with a ComparisonOperator for Attribute: a`],
    [{ a: { Exists: false, ComparisonOperator: 'EQ', AttributeValueList: [N('3')] } }, `${invalid}Exists and ComparisonOperator cannot be used together for Attribute: a`],
    [{ a: { ComparisonOperator: 'EQ' } }, `${invalid}Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: a`],
    [{ a: { ComparisonOperator: 'BETWEEN', Value: S('a') } }, `${invalid}Invalid number of argument(s) for the BETWEEN ComparisonOperator`],
    [{ a: { ComparisonOperator: 'NULL', Value: S('a') } }, `${invalid}Invalid number of argument(s) for the NULL ComparisonOperator`],
    [{ a: op('EQ', N('2'), N('3')) }, `${invalid}Invalid number of argument(s) for the EQ ComparisonOperator`],
    [{ a: op('NOT_NULL', N('2')) }, `${invalid}Invalid number of argument(s) for the NOT_NULL ComparisonOperator`],
    [{ a: op('CONTAINS') }, `${invalid}Invalid number of argument(s) for the CONTAINS ComparisonOperator`],
    [{ a: op('IN') }, `${invalid}Invalid number of argument(s) for the IN ComparisonOperator`],
    [{ a: op('IN', N('3'), S('dog')) }, `${invalid}AttributeValues inside AttributeValueList must be of same type`],
    [{ a: op('IN', { L: [N('1')] }, { L: [N('2')] }) }, `${invalid}ComparisonOperator IN is not valid for L AttributeValue type`],
    [{ a: op('CONTAINS', { L: [N('1')] }) }, `${invalid}ComparisonOperator CONTAINS is not valid for L AttributeValue type`],
    [{ a: op('BEGINS_WITH', N('3')) }, `${invalid}ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type`],
    [{ a: op('BETWEEN', { NS: ['1'] }, { NS: ['2'] }) }, `${invalid}ComparisonOperator BETWEEN is not valid for NS AttributeValue type`],
    [{ a: op('BETWEEN', N('4'), N('3')) }, 'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound'],
  ];
  for (const [expected, message] of cases) {
    await expectError(update('ev', { AttributeUpdates: { z: { Value: N('1') } }, Expected: expected }), message);
  }
  await expectError(
    update('ev', { Expected: { a: { ComparisonOperator: 'eq' as never, AttributeValueList: [N('1')] } } }),
    "1 validation error detected: Value 'eq' at 'expected.a.member.comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]",
  );
  assert.equal(await itemOf('ev'), undefined);
});

test('AttributeUpdates: PUT, DELETE of attributes and set members, ADD to numbers, sets and lists', async () => {
  await update('au', { AttributeUpdates: { a: { Value: S('hello'), Action: 'PUT' }, b: { Value: S('hi') } } });
  assert.deepEqual(await itemOf('au'), { p: S('au'), a: S('hello'), b: S('hi') });
  await update('au', { AttributeUpdates: { a: { Action: 'DELETE' }, missing: { Action: 'DELETE' } } });
  assert.deepEqual(await itemOf('au'), { p: S('au'), b: S('hi') });
  await update('au', { AttributeUpdates: { n: { Action: 'ADD', Value: N('7') } } });
  await update('au', { AttributeUpdates: { n: { Action: 'ADD', Value: N('-3.5') } } });
  assert.deepEqual((await itemOf('au'))?.n, N('3.5'));
  await update('au', { AttributeUpdates: { s: { Action: 'ADD', Value: { NS: ['1', '2'] } } } });
  await update('au', { AttributeUpdates: { s: { Action: 'ADD', Value: { NS: ['2', '3'] } } } });
  assert.deepEqual(new Set((await itemOf('au'))?.s?.NS), new Set(['1', '2', '3']));
  await update('au', { AttributeUpdates: { s: { Action: 'DELETE', Value: { NS: ['2', '9'] } } } });
  assert.deepEqual(new Set((await itemOf('au'))?.s?.NS), new Set(['1', '3']));
  await update('au', { AttributeUpdates: { s: { Action: 'DELETE', Value: { NS: ['1', '3'] } } } });
  assert.equal((await itemOf('au'))?.s, undefined, 'deleting every member removes the set');
  await update('au', { AttributeUpdates: { l: { Action: 'ADD', Value: { L: [N('1'), N('2')] } } } });
  await update('au', { AttributeUpdates: { l: { Action: 'ADD', Value: { L: [S('x')] } } } });
  assert.deepEqual((await itemOf('au'))?.l, { L: [N('1'), N('2'), S('x')] });
  const returned = (await update('au', {
    AttributeUpdates: { n: { Action: 'ADD', Value: N('1') }, b: { Action: 'DELETE' }, gone: { Action: 'DELETE', Value: { SS: ['a'] } } },
    ReturnValues: 'UPDATED_NEW',
  })) as { Attributes?: Item };
  assert.deepEqual(returned.Attributes, { n: N('4.5') });
  // ADD creates a missing item; an update of nothing creates the key alone.
  await update('au-new', { AttributeUpdates: { c: { Action: 'ADD', Value: { SS: ['a', 'b'] } } } });
  assert.deepEqual(await itemOf('au-new'), { p: S('au-new'), c: { SS: ['a', 'b'] } });
  await update('au-empty', { AttributeUpdates: {} });
  assert.deepEqual(await itemOf('au-empty'), { p: S('au-empty') });
});

test('AttributeUpdates validation and type mismatch texts', async () => {
  const cases: [UpdateItemCommandInput['AttributeUpdates'], string][] = [
    [{ a: { Action: 'PUT' } }, `${invalid}Only DELETE action is allowed when no attribute value is specified`],
    [{ a: { Action: 'ADD' } }, `${invalid}Only DELETE action is allowed when no attribute value is specified`],
    [{ a: { Action: 'DELETE', Value: S('1') } }, `${invalid}DELETE action with value is not supported for the type S`],
    [{ a: { Action: 'DELETE', Value: N('1') } }, `${invalid}DELETE action with value is not supported for the type N`],
    [{ a: { Action: 'DELETE', Value: { L: [] } } }, `${invalid}DELETE action with value is not supported for the type L`],
    [{ a: { Action: 'ADD', Value: S('1') } }, `${invalid}ADD action is not supported for the type S`],
    [{ a: { Action: 'ADD', Value: { M: {} } } }, `${invalid}ADD action is not supported for the type M`],
    [{ a: { Action: 'ADD', Value: { BOOL: true } } }, `${invalid}ADD action is not supported for the type BOOL`],
    [{ a: { Action: 'PUT', Value: { NS: [] } } }, `${invalid}An number set  may not be empty`],
    [{ p: { Action: 'PUT', Value: S('other') } }, `${invalid}Cannot update attribute p. This attribute is part of the key`],
  ];
  for (const [updates, message] of cases) await expectError(update('aut', { AttributeUpdates: updates }), message);
  await expectError(
    update('aut', { AttributeUpdates: { a: { Action: 'NONEXISTENT' as never, Value: N('1') } } }),
    "1 validation error detected: Value 'NONEXISTENT' at 'attributeUpdates.a.member.action' failed to satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]",
  );
  await update('aut', { AttributeUpdates: { ss: { Value: { SS: ['dog'] } }, n: { Value: N('2') }, l: { Value: { L: [] } } } });
  const mismatches: UpdateItemCommandInput['AttributeUpdates'][] = [
    { ss: { Action: 'ADD', Value: N('2') } },
    { ss: { Action: 'ADD', Value: { L: [S('cat')] } } },
    { ss: { Action: 'ADD', Value: { NS: ['1'] } } },
    { ss: { Action: 'DELETE', Value: { NS: ['1'] } } },
    { n: { Action: 'ADD', Value: { SS: ['dog'] } } },
    { n: { Action: 'DELETE', Value: { NS: ['2'] } } },
    { l: { Action: 'ADD', Value: N('3') } },
  ];
  for (const updates of mismatches) await expectError(update('aut', { AttributeUpdates: updates }), 'Type mismatch for attribute to update');
});

test('AttributesToGet on GetItem, Query, Scan and BatchGetItem', async () => {
  await t.client.send(new PutItemCommand({ TableName: hash, Item: { p: S('atg'), a: S('hello'), b: S('hi'), 'x.y': S('dotted') } }));
  const get = (names: string[]) => t.client.send(new GetItemCommand({ TableName: hash, Key: { p: S('atg') }, AttributesToGet: names, ConsistentRead: true }));
  assert.deepEqual((await get(['a'])).Item, { a: S('hello') });
  assert.deepEqual((await get(['p', 'b', 'x.y'])).Item, { p: S('atg'), b: S('hi'), 'x.y': S('dotted') });
  assert.deepEqual((await get(['nonexistent'])).Item, {});
  await expectError(get(['a', 'a']), `${invalid}Duplicate value in attribute name: a`);
  await expectError(get([]), "1 validation error detected: Value '[]' at 'attributesToGet' failed to satisfy constraint: Member must have length greater than or equal to 1");
  const query = await t.client.send(
    new QueryCommand({ TableName: range, KeyConditions: { p: { ComparisonOperator: 'EQ', AttributeValueList: [S('q')] } }, AttributesToGet: ['c', 'even'], Limit: 2 }),
  );
  assert.deepEqual(query.Items, [{ c: N('0'), even: { BOOL: true } }, { c: N('1') }]);
  const scan = await t.client.send(new ScanCommand({ TableName: hash, AttributesToGet: ['b'], ScanFilter: { a: { ComparisonOperator: 'EQ', AttributeValueList: [S('hello')] } } }));
  assert.deepEqual(scan.Items, [{ b: S('hi') }]);
  const batch = await t.client.send(new BatchGetItemCommand({ RequestItems: { [hash]: { Keys: [{ p: S('atg') }], AttributesToGet: ['b'] } } }));
  assert.deepEqual(batch.Responses?.[hash], [{ b: S('hi') }]);
  await expectError(
    t.client.send(new BatchGetItemCommand({ RequestItems: { [hash]: { Keys: [{ p: S('atg') }], AttributesToGet: ['b', 'b'] } } })),
    `${invalid}Duplicate value in attribute name: b`,
  );
  await expectError(
    t.client.send(new ScanCommand({ TableName: hash, AttributesToGet: ['a'], Select: 'COUNT' })),
    'Cannot specify the AttributesToGet when choosing to get only the Count',
  );
});

function query(input: Partial<QueryCommandInput>): Promise<{ Items?: Item[]; Count?: number }> {
  return t.client.send(new QueryCommand({ TableName: range, ...input }));
}

const cond = (ComparisonOperator: string, ...AttributeValueList: AttributeValue[]): Condition => ({
  ComparisonOperator: ComparisonOperator as Condition['ComparisonOperator'],
  AttributeValueList,
});
const sortKeys = (items: Item[] | undefined): number[] => (items ?? []).map((item) => Number(item.c!.N));

test('KeyConditions: every key operator on the sort key', async () => {
  const p = { p: cond('EQ', S('q')) };
  assert.deepEqual(sortKeys((await query({ KeyConditions: p })).Items), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(sortKeys((await query({ KeyConditions: { ...p, c: cond('EQ', N('3')) } })).Items), [3]);
  assert.deepEqual(sortKeys((await query({ KeyConditions: { ...p, c: cond('LT', N('3')) } })).Items), [0, 1, 2]);
  assert.deepEqual(sortKeys((await query({ KeyConditions: { ...p, c: cond('LE', N('3')) } })).Items), [0, 1, 2, 3]);
  assert.deepEqual(sortKeys((await query({ KeyConditions: { ...p, c: cond('GT', N('7')) } })).Items), [8, 9]);
  assert.deepEqual(sortKeys((await query({ KeyConditions: { ...p, c: cond('GE', N('7')) } })).Items), [7, 8, 9]);
  assert.deepEqual(sortKeys((await query({ KeyConditions: { ...p, c: cond('BETWEEN', N('4'), N('6')) } })).Items), [4, 5, 6]);
  assert.deepEqual(sortKeys((await query({ KeyConditions: { c: cond('LT', N('3')), ...p }, ScanIndexForward: false })).Items), [2, 1, 0]);
  // KeyConditions may go with a FilterExpression or a ProjectionExpression.
  const filtered = await query({ KeyConditions: p, FilterExpression: 'a > :a', ExpressionAttributeValues: { ':a': N('70') }, ProjectionExpression: 'c' });
  assert.deepEqual(filtered.Items, [{ c: N('8') }, { c: N('9') }]);
});

test('KeyConditions validation texts', async () => {
  const p = { p: cond('EQ', S('q')) };
  const cases: [Record<string, Condition>, string][] = [
    [{ p: cond('LE', S('q')) }, 'Query key condition not supported'],
    [{ p: cond('BEGINS_WITH', S('q')) }, 'Query key condition not supported'],
    [{ p: cond('EQ') }, `${invalid}Invalid number of argument(s) for the EQ ComparisonOperator`],
    [{ p: cond('EQ', S('q'), S('q')) }, `${invalid}Invalid number of argument(s) for the EQ ComparisonOperator`],
    [{ c: cond('EQ', N('3')) }, 'Query condition missed key schema element: p'],
    [{ ...p, a: cond('EQ', N('5')) }, 'Query condition missed key schema element: c'],
    [{ ...p, c: cond('BEGINS_WITH', N('3')) }, `${invalid}ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type`],
    [{ ...p, c: cond('BETWEEN', N('6'), N('4')) }, 'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound'],
    [{ p: cond('EQ', N('3')) }, `${invalid}Condition parameter type does not match schema type`],
    [{ ...p, c: cond('EQ', S('3')) }, `${invalid}Condition parameter type does not match schema type`],
    [{ ...p, c: cond('NE', N('3')) }, 'Attempted conditional constraint is not an indexable operation'],
    [{ ...p, c: cond('NOT_NULL') }, 'Attempted conditional constraint is not an indexable operation'],
    [{ p: cond('IN', S('q')) }, 'Attempted conditional constraint is not an indexable operation'],
    [{ ...p, c: cond('EQ', N('3')), a: cond('EQ', N('5')) }, 'Conditions can be of length 1 or 2 only'],
    [{}, 'Conditions can be of length 1 or 2 only'],
  ];
  for (const [keyConditions, message] of cases) await expectError(query({ KeyConditions: keyConditions }), message);
  await expectError(
    query({ KeyConditions: { p: cond('eq', S('q')) } }),
    "1 validation error detected: Value 'eq' at 'keyConditions.p.member.comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]",
  );
});

test('QueryFilter: operators, AND and OR, key attributes refused', async () => {
  const p = { p: cond('EQ', S('q')) };
  const filtered = async (filter: Record<string, Condition>, conditionalOperator?: 'AND' | 'OR') => {
    const result = await query({ KeyConditions: p, QueryFilter: filter, ...(conditionalOperator ? { ConditionalOperator: conditionalOperator } : {}) });
    return sortKeys(result.Items);
  };
  assert.deepEqual(await filtered({ a: cond('GE', N('70')) }), [7, 8, 9]);
  assert.deepEqual(await filtered({ even: cond('NULL') }), [1, 3, 5, 7, 9]);
  assert.deepEqual(await filtered({ even: cond('NOT_NULL'), a: cond('LT', N('40')) }), [0, 2]);
  assert.deepEqual(await filtered({ even: cond('NOT_NULL'), a: cond('LT', N('40')) }, 'OR'), [0, 1, 2, 3, 4, 6, 8]);
  assert.deepEqual(await filtered({ s: cond('IN', S('s1'), S('s9')) }), [1, 9]);
  assert.deepEqual(await filtered({ s: cond('BEGINS_WITH', S('s5')) }), [5]);
  assert.deepEqual(await filtered({ a: cond('BETWEEN', N('15'), N('35')) }), [2, 3]);
  assert.deepEqual(await filtered({ s: cond('NE', S('s0')), a: cond('LE', N('20')) }), [1, 2]);
  assert.deepEqual(await filtered({}), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const counted = await query({ KeyConditions: p, QueryFilter: { a: cond('GT', N('80')) } });
  assert.equal(counted.Count, 1);
  await expectError(query({ KeyConditions: p, QueryFilter: { c: cond('EQ', N('3')) } }), 'QueryFilter can only contain non-primary key attributes: Primary key attribute: c');
  await expectError(query({ QueryFilter: { a: cond('EQ', N('3')) } }), 'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
  await expectError(
    query({ KeyConditions: p, QueryFilter: { a: cond('EQ', N('1')), s: cond('EQ', S('a')) }, ConditionalOperator: 'DOG' as never }),
    "1 validation error detected: Value 'DOG' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [OR, AND]",
  );
});

function scan(input: Partial<ScanCommandInput>): Promise<{ Items?: Item[] }> {
  return t.client.send(new ScanCommand({ TableName: range, ...input }));
}

test('ScanFilter: operators, AND and OR, texts for arguments', async () => {
  const filtered = async (filter: Record<string, Condition>, conditionalOperator?: 'AND' | 'OR') =>
    sortKeys((await scan({ ScanFilter: filter, ...(conditionalOperator ? { ConditionalOperator: conditionalOperator } : {}) })).Items).sort((x, y) => x - y);
  assert.deepEqual(await filtered({ c: cond('LT', N('2')) }), [0, 1]);
  assert.deepEqual(await filtered({ c: cond('LT', N('2')), a: cond('EQ', N('90')) }, 'OR'), [0, 1, 9]);
  assert.deepEqual(await filtered({ s: cond('CONTAINS', S('7')) }), [7]);
  assert.deepEqual(await filtered({ s: cond('NOT_CONTAINS', S('s')) }), []);
  const cases: [Record<string, Condition>, string][] = [
    [{ a: cond('EQ') }, `${invalid}Invalid number of argument(s) for the EQ ComparisonOperator`],
    [{ a: cond('BETWEEN', N('1')) }, `${invalid}Invalid number of argument(s) for the BETWEEN ComparisonOperator`],
    [{ a: cond('NULL', N('1')) }, `${invalid}Invalid number of argument(s) for the NULL ComparisonOperator`],
    [{ a: cond('LT', { BOOL: true }) }, `${invalid}ComparisonOperator LT is not valid for BOOL AttributeValue type`],
    [{ a: cond('GE', { SS: ['a'] }) }, `${invalid}ComparisonOperator GE is not valid for SS AttributeValue type`],
    [{ a: cond('CONTAINS', { M: {} }) }, `${invalid}ComparisonOperator CONTAINS is not valid for M AttributeValue type`],
    [{ a: cond('NOT_CONTAINS', { BS: [new Uint8Array([1])] }) }, `${invalid}ComparisonOperator NOT_CONTAINS is not valid for BS AttributeValue type`],
    [{ a: cond('BEGINS_WITH', { NULL: true }) }, `${invalid}ComparisonOperator BEGINS_WITH is not valid for NULL AttributeValue type`],
    [{ a: cond('BETWEEN', S('a'), N('3')) }, `${invalid}AttributeValues inside AttributeValueList must be of same type`],
    [{ a: cond('BETWEEN', S('b'), S('a')) }, 'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound'],
    [{ a: cond('EQ', N('1'), { SS: ['a', 'a'] }) }, `${invalid}Input collection [a, a] contains duplicates.`],
  ];
  for (const [filter, message] of cases) await expectError(scan({ ScanFilter: filter }), message);
  // EQ takes any type, sets and documents included.
  assert.deepEqual(await filtered({ a: cond('EQ', { SS: ['a'] }) }), []);
  // The ScanFilter is checked before the ExclusiveStartKey, the AttributesToGet duplicates before both.
  await expectError(scan({ ScanFilter: { a: cond('EQ') }, ExclusiveStartKey: { p: {} as AttributeValue } }), `${invalid}Invalid number of argument(s) for the EQ ComparisonOperator`);
  await expectError(scan({ ScanFilter: { a: cond('EQ') }, AttributesToGet: ['a', 'a'] }), `${invalid}Duplicate value in attribute name: a`);
});

test('mixing legacy and expression parameters, and the expression maps without expressions', async () => {
  const mixed = (legacy: string, expressions: string) =>
    `Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {${legacy}} Expression parameters: {${expressions}}`;
  const eq = cond('EQ', S('x'));
  await expectError(
    update('mix', {
      AttributeUpdates: { a: { Value: S('v') } },
      Expected: { a: eq },
      ConditionalOperator: 'AND',
      UpdateExpression: 'SET a = :v',
      ConditionExpression: 'attribute_exists(p)',
      ExpressionAttributeValues: { ':v': S('x') },
    }),
    mixed('AttributeUpdates, Expected, ConditionalOperator', 'UpdateExpression, ConditionExpression'),
  );
  await expectError(update('mix', { Expected: { a: eq, b: eq }, UpdateExpression: 'SET c = :v', ExpressionAttributeValues: { ':v': S('x') } }), mixed('Expected', 'UpdateExpression'));
  await expectError(
    t.client.send(new PutItemCommand({ TableName: hash, Item: { p: S('mix') }, Expected: { a: eq }, ConditionalOperator: 'AND', ConditionExpression: 'attribute_exists(p)' })),
    mixed('Expected, ConditionalOperator', 'ConditionExpression'),
  );
  await expectError(
    t.client.send(new DeleteItemCommand({ TableName: hash, Key: { p: S('mix') }, ConditionalOperator: 'AND', ConditionExpression: 'attribute_exists(p)' })),
    mixed('ConditionalOperator', 'ConditionExpression'),
  );
  await expectError(
    t.client.send(new GetItemCommand({ TableName: hash, Key: { p: S('mix') }, AttributesToGet: ['b'], ProjectionExpression: 'a' })),
    mixed('AttributesToGet', 'ProjectionExpression'),
  );
  await expectError(
    scan({ AttributesToGet: ['a'], ScanFilter: { a: eq }, ConditionalOperator: 'AND', FilterExpression: 'a = :v', ProjectionExpression: 'b', ExpressionAttributeValues: { ':v': S('x') } }),
    mixed('AttributesToGet, ScanFilter, ConditionalOperator', 'ProjectionExpression, FilterExpression'),
  );
  await expectError(
    query({
      KeyConditions: { p: eq },
      QueryFilter: { a: eq },
      ConditionalOperator: 'AND',
      KeyConditionExpression: 'p = :p',
      FilterExpression: 'a = :v',
      ProjectionExpression: 'b',
      ExpressionAttributeValues: { ':p': S('k1'), ':v': S('x') },
    }),
    mixed('QueryFilter, ConditionalOperator, KeyConditions', 'ProjectionExpression, FilterExpression, KeyConditionExpression'),
  );
  // The expression maps need an expression.
  const withNames = 'ExpressionAttributeNames can only be specified when using expressions';
  await expectError(t.client.send(new PutItemCommand({ TableName: hash, Item: { p: S('mix') }, ExpressionAttributeNames: { '#n': 'x' } })), withNames);
  await expectError(t.client.send(new GetItemCommand({ TableName: hash, Key: { p: S('mix') }, ExpressionAttributeNames: { '#n': 'x' } })), withNames);
  await expectError(update('mix', { AttributeUpdates: { a: { Value: S('v') } }, ExpressionAttributeNames: { '#n': 'x' } }), withNames);
  const withValues = 'ExpressionAttributeValues can only be specified when using expressions: ';
  await expectError(t.client.send(new PutItemCommand({ TableName: hash, Item: { p: S('mix') }, ExpressionAttributeValues: { ':v': N('1') } })), `${withValues}ConditionExpression is null`);
  await expectError(t.client.send(new DeleteItemCommand({ TableName: hash, Key: { p: S('mix') }, ExpressionAttributeValues: { ':v': N('1') } })), `${withValues}ConditionExpression is null`);
  await expectError(update('mix', { ExpressionAttributeValues: { ':v': N('1') } }), `${withValues}UpdateExpression and ConditionExpression are null`);
  await expectError(scan({ ProjectionExpression: 'a', ExpressionAttributeValues: { ':v': N('1') } }), `${withValues}FilterExpression is null`);
  // The mixing check comes before the item's own values.
  await expectError(
    t.client.send(new PutItemCommand({ TableName: hash, Item: { p: {} as AttributeValue }, Expected: { a: eq }, ConditionExpression: 'attribute_exists(p)' })),
    mixed('Expected', 'ConditionExpression'),
  );
  assert.equal(await itemOf('mix'), undefined);
});

test('ConditionalOperator needs two or more conditions', async () => {
  const without = 'ConditionalOperator cannot be used without Filter or Expected';
  const one = 'ConditionalOperator can only be used when Filter or Expected has two or more elements';
  const eq = cond('EQ', S('x'));
  await expectError(scan({ ConditionalOperator: 'AND' }), without);
  await expectError(scan({ ConditionalOperator: 'OR', ScanFilter: {} }), without);
  await expectError(scan({ ConditionalOperator: 'AND', AttributesToGet: ['a', 'b'] }), without);
  await expectError(scan({ ConditionalOperator: 'AND', ScanFilter: { a: eq } }), one);
  await expectError(query({ ConditionalOperator: 'AND' }), without);
  await expectError(query({ ConditionalOperator: 'AND', KeyConditions: { p: eq }, QueryFilter: { a: eq } }), one);
  await expectError(t.client.send(new PutItemCommand({ TableName: hash, Item: { p: S('co') }, ConditionalOperator: 'AND' })), without);
  await expectError(t.client.send(new PutItemCommand({ TableName: hash, Item: { p: S('co') }, ConditionalOperator: 'AND', Expected: { a: eq } })), one);
  await expectError(t.client.send(new DeleteItemCommand({ TableName: hash, Key: { p: S('co') }, ConditionalOperator: 'OR' })), without);
  await expectError(update('co', { ConditionalOperator: 'AND', Expected: {}, AttributeUpdates: { a: { Value: S('v') } } }), without);
  await expectError(update('co', { ConditionalOperator: 'AND' }), without);
  assert.equal(await itemOf('co'), undefined);
});
