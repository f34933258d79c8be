// Applying updates: SET (arithmetic, if_not_exists, list_append, list elements), REMOVE (list
// shifting), ADD and DELETE on numbers and sets, runtime errors in DynamoDB's order, key
// attribute protection, and that the existing item is never mutated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyUpdate, checkKeyUpdate, prepareExpressions, projectUpdatedPaths } from '../../src/expressions/index.js';
import type { AttributeValue, Item } from '../../src/model/attribute-value.js';
import { assertThrowsValidation, N, S } from './helpers.js';

function update(expression: string, item: Item | undefined, values: Record<string, AttributeValue> = {}, names?: Record<string, string>): Item {
  const prepared = prepareExpressions({
    UpdateExpression: expression,
    ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
    ...(names !== undefined ? { ExpressionAttributeNames: names } : {}),
  });
  const frozen = item === undefined ? undefined : structuredClone(item);
  const result = applyUpdate(prepared.update!, item, { p: S('key') });
  if (item !== undefined) assert.deepEqual(item, frozen, 'existing item mutated');
  return result.item;
}

const wrongType = 'An operand in the update expression has an incorrect data type';
const missing = 'The provided expression refers to an attribute that does not exist in the item';
const badPath = 'The document path provided in the update expression is invalid for update';

test('SET values, copies read before writing, arithmetic exact', () => {
  assert.deepEqual(update('SET b = :v', undefined, { ':v': N('4') }), { p: S('key'), b: N('4') });
  const item = { p: S('key'), a: S('hello') };
  assert.deepEqual(update('REMOVE a SET b = a', item), { p: S('key'), b: S('hello') });
  assert.deepEqual(update('SET #one = #two', item, {}, { '#one': 'c', '#two': 'a' }).c, S('hello'));
  assertThrowsValidation(() => update('SET x = :v, y = x', item, { ':v': N('4') }), missing);
  assertThrowsValidation(() => update('SET c = z', item), missing);
  assert.deepEqual(update('SET b = :x + :y', undefined, { ':x': N('4'), ':y': N('3') }).b, N('7'));
  assert.deepEqual(update('SET b = :x - a', { p: S('key'), a: N('0.1') }, { ':x': N('0.3') }).b, N('0.2'));
  assert.deepEqual(update('SET #k = #p', undefined, {}, { '#k': 'k', '#p': 'p' }).k, S('key'));
  assertThrowsValidation(() => update('SET e = a + :n', item, { ':n': N('1') }), wrongType);
});

test('if_not_exists and list_append', () => {
  assert.deepEqual(update('SET a = if_not_exists(a, :v)', undefined, { ':v': N('2') }).a, N('2'));
  assert.deepEqual(update('SET a = if_not_exists(a, :v)', { p: S('key'), a: N('1') }, { ':v': N('2') }).a, N('1'));
  const list = { p: S('key'), a: { L: [S('hi'), N('2')] } };
  assert.deepEqual(update('SET a = list_append(a, :v)', list, { ':v': { L: [N('4')] } }).a, { L: [S('hi'), N('2'), N('4')] });
  assert.deepEqual(update('SET a = list_append(:v, a)', list, { ':v': { L: [S('dog')] } }).a, { L: [S('dog'), S('hi'), N('2')] });
  assert.deepEqual(
    update('SET r = list_append(if_not_exists(r, :e), :v)', undefined, { ':e': { L: [] }, ':v': { L: [N('1')] } }).r,
    { L: [N('1')] },
  );
  assertThrowsValidation(() => update('SET e = list_append(b, :v)', { p: S('key'), b: N('7') }, { ':v': { L: [] } }), wrongType);
  assertThrowsValidation(() => update('SET e = list_append(b, :v)', { p: S('key') }, { ':v': { L: [] } }), missing);
});

test('list elements: replace, append past the end in index order, remove with shifting', () => {
  const item = { p: S('key'), l: { L: [N('0'), N('1'), N('2'), N('3')] } };
  assert.deepEqual(update('SET l[1] = :v', item, { ':v': S('x') }).l, { L: [N('0'), S('x'), N('2'), N('3')] });
  assert.deepEqual(update('SET l[20] = :v, l[10] = :w', item, { ':v': S('x'), ':w': S('w') }).l, { L: [N('0'), N('1'), N('2'), N('3'), S('w'), S('x')] });
  assert.deepEqual(update('REMOVE l[1], l[2]', item).l, { L: [N('0'), N('3')] });
  assert.deepEqual(update('REMOVE l[9]', item).l, item.l);
  assert.deepEqual(update('REMOVE l[0] SET l[3] = :v', item, { ':v': S('x') }).l, { L: [N('1'), N('2'), S('x')] });
  const nested = { p: S('key'), m: { M: { l: { L: [{ L: [N('1'), N('2')] }, N('9')] } } } };
  assert.deepEqual(update('REMOVE m.l[0][0], m.l[1]', nested).m, { M: { l: { L: [{ L: [N('2')] }] } } });
});

test('nested SET and REMOVE copy only the changed containers', () => {
  const shared = { M: { deep: S('x') } };
  const item = { p: S('key'), a: { M: { x: N('3'), c: { M: { y: N('3') } }, keep: shared } }, b: { M: { x: N('1'), y: N('2') } } };
  const result = update('SET a.b = :v, a.c.d = :w, b.x = :z REMOVE a.x, b.y', item, { ':v': N('10'), ':w': S('dog'), ':z': N('17') });
  assert.deepEqual(result, { p: S('key'), a: { M: { c: { M: { y: N('3'), d: S('dog') } }, keep: shared, b: N('10') } }, b: { M: { x: N('17') } } });
  assert.equal((result.a as { M: Item }).M.keep, shared);
});

test('ADD: numbers add (exactly), sets unite, missing attributes start from the value', () => {
  assert.deepEqual(update('ADD n :v', undefined, { ':v': N('5') }).n, N('5'));
  assert.deepEqual(update('ADD n :v', { p: S('key'), n: N('1') }, { ':v': N('3') }).n, N('4'));
  assert.deepEqual(update('ADD n :v', { p: S('key'), n: N('1E+37') }, { ':v': N('1') }).n, N('10000000000000000000000000000000000001'));
  assert.deepEqual(update('ADD s :v', { p: S('key'), s: { SS: ['a', 'b'] } }, { ':v': { SS: ['b', 'c'] } }).s, { SS: ['a', 'b', 'c'] });
  assert.deepEqual(update('ADD s :v', { p: S('key'), s: { NS: ['1', '2'] } }, { ':v': { NS: ['2', '3'] } }).s, { NS: ['1', '2', '3'] });
  assert.deepEqual(update('ADD m.x :v', { p: S('key'), m: { M: {} } }, { ':v': N('1') }).m, { M: { x: N('1') } });
  assertThrowsValidation(() => update('ADD d :v', { p: S('key'), d: { NS: ['1'] } }, { ':v': N('1') }), wrongType);
  assertThrowsValidation(() => update('ADD b :v', { p: S('key'), b: { M: {} } }, { ':v': { NS: ['1'] } }), wrongType);
  assertThrowsValidation(() => update('ADD n :v', { p: S('key'), n: N('9E+125') }, { ':v': N('9E+125') }), /^Number overflow/);
});

test('DELETE: removes members, the last member removes the attribute, missing is a no-op', () => {
  const item = { p: S('key'), s: { NS: ['1', '2', '3'] }, b: { BS: ['YQ==', 'Yg=='] } };
  assert.deepEqual(update('DELETE s :v', item, { ':v': { NS: ['1', '4'] } }).s, { NS: ['2', '3'] });
  assert.equal(update('DELETE s :v', item, { ':v': { NS: ['1', '2', '3'] } }).s, undefined);
  assert.deepEqual(update('DELETE b :v', item, { ':v': { BS: ['Yg=='] } }).b, { BS: ['YQ=='] });
  assert.deepEqual(update('DELETE z :v', item, { ':v': { NS: ['1'] } }), item);
  assertThrowsValidation(() => update('DELETE s :v', item, { ':v': { SS: ['1'] } }), wrongType);
});

test('paths that cannot be written', () => {
  const item = { p: S('key'), b: S('a'), c: { M: { '1': S('a') } }, d: { L: [S('a'), S('b')] } };
  for (const expression of [
    'set b.a = :a, #1 = :a', 'set b[1] = :a, #1 = :a', 'set y.a = :a, #1 = :a', 'set y[1] = :a, #1 = :a',
    'set c[1] = :a, #1 = :a', 'set d.#1 = :a', 'remove b.a set #1 = :a', 'remove y[1] set #1 = :a',
    'delete c[1] :a set #1 = :a', 'add y.a :a set #1 = :a', 'add d.#1 :a',
  ]) {
    assertThrowsValidation(() => update(expression, item, { ':a': { SS: ['a'] } }, { '#1': '1' }), badPath);
  }
  assertThrowsValidation(() => update('set b.a = a', undefined), badPath);
});

test('no item yet: a REMOVE of a nested path is ignored, other unwritable paths still fail', () => {
  // ScyllaDB's test_nested_attribute_remove_from_missing_item (recorded on DynamoDB).
  assert.deepEqual(update('REMOVE x.y', undefined), { p: S('key') });
  assert.deepEqual(update('REMOVE x[0]', undefined), { p: S('key') });
  assert.deepEqual(update('REMOVE x.y SET a = :v', undefined, { ':v': N('1') }), { p: S('key'), a: N('1') });
  assertThrowsValidation(() => update('REMOVE x.y SET c.c = :v', undefined, { ':v': N('1') }), badPath);
  assertThrowsValidation(() => update('ADD x.y :v', undefined, { ':v': N('1') }), badPath);
  // An item without the parent attribute is another matter.
  assertThrowsValidation(() => update('REMOVE x.y', { p: S('key') }), badPath);
});

test('key attributes cannot be updated', () => {
  const prepared = prepareExpressions({ UpdateExpression: 'remove d set b = :a, a = :a', ExpressionAttributeValues: { ':a': N('1') } });
  assertThrowsValidation(() => checkKeyUpdate(prepared.update!, ['a']), 'One or more parameter values were invalid: Cannot update attribute a. This attribute is part of the key');
  checkKeyUpdate(prepared.update!, ['p']);
});

test('UPDATED_OLD / UPDATED_NEW keep only the updated paths', () => {
  const prepared = prepareExpressions({ UpdateExpression: 'SET a.b = :v, c = :v', ExpressionAttributeValues: { ':v': N('1') } });
  const before = { p: S('key'), a: { M: { b: N('0'), other: N('5') } }, d: N('9') };
  const { item, updatedPaths } = applyUpdate(prepared.update!, before);
  assert.deepEqual(projectUpdatedPaths(before, updatedPaths), { a: { M: { b: N('0') } } });
  assert.deepEqual(projectUpdatedPaths(item, updatedPaths), { a: { M: { b: N('1') } }, c: N('1') });
});
