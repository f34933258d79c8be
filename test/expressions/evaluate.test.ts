// Condition and filter semantics: comparisons across types (false, never an error), missing
// attributes, BETWEEN, IN, functions, nested paths, and AND/OR/NOT precedence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateCondition, prepareExpressions } from '../../src/expressions/index.js';
import type { AttributeValue, Item } from '../../src/model/attribute-value.js';
import { N, S } from './helpers.js';

function holds(condition: string, item: Item | undefined, values: Record<string, AttributeValue> = {}, names?: Record<string, string>): boolean {
  const prepared = prepareExpressions({
    ConditionExpression: condition,
    ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
    ...(names !== undefined ? { ExpressionAttributeNames: names } : {}),
  });
  return evaluateCondition(prepared.condition!, item);
}

const everyType: AttributeValue[] = [
  N('1'), S('hello'), { BOOL: true }, { B: 'eHl6' }, { NULL: true }, { L: [S('hello'), N('42')] },
  { M: { hello: S('world') } }, { SS: ['hello', 'world'] }, { NS: ['1', '2', '3'] }, { BS: ['eHl6', 'aGk='] },
];

test('= and <> compare type and value; sets in any order; numbers numerically', () => {
  for (const a of everyType) {
    for (const b of everyType) {
      assert.equal(holds('a = :v', { a }, { ':v': b }), a === b);
      assert.equal(holds('a <> :v', { a }, { ':v': b }), a !== b);
    }
  }
  assert.equal(holds('a = :v', { a: { SS: ['dog', 'cat'] } }, { ':v': { SS: ['cat', 'dog'] } }), true);
  assert.equal(holds('a = :v', { a: N('1.0') }, { ':v': N('1') }), true);
  assert.equal(holds('a = b', { a: N('1'), b: N('1') }), true);
});

test('missing attributes: never equal, always unequal, never ordered', () => {
  assert.equal(holds('q = :v', { a: N('1') }, { ':v': N('1') }), false);
  assert.equal(holds('q = z', {}), false);
  assert.equal(holds('q <> z', {}), true);
  assert.equal(holds('q <> :v', undefined, { ':v': N('1') }), true);
  assert.equal(holds('q >= :v', {}, { ':v': N('1') }), false);
  assert.equal(holds(':v >= q', {}, { ':v': N('1') }), false);
});

test('< <= > >= order S by bytes, N numerically, B by bytes; other types are false', () => {
  const item = { a: N('1'), b: S('cat'), c: { B: 'Y2F0' }, x: { L: [N('1')] } };
  assert.equal(holds('a < :v', item, { ':v': N('2') }), true);
  assert.equal(holds('a < :v', item, { ':v': N('1') }), false);
  assert.equal(holds('a <= :v', item, { ':v': N('1') }), true);
  assert.equal(holds('b > :v', item, { ':v': S('aardvark') }), true);
  assert.equal(holds('c < :v', item, { ':v': { B: 'ZG9n' } }), true);
  assert.equal(holds('a >= :v', item, { ':v': S('0') }), false);
  assert.equal(holds('x > :v', item, { ':v': N('1') }), false);
  assert.equal(holds('a < :v', { a: N('-10') }, { ':v': N('-9.5') }), true);
  assert.equal(holds('b < :v', { b: S('z') }, { ':v': S('¿') }), true); // UTF-8 byte order
});

test('BETWEEN includes its bounds; mixed types are false', () => {
  const item = { a: N('1'), two: N('2'), x: { L: [] }, y: { L: [] } };
  assert.equal(holds('a BETWEEN :l AND :h', item, { ':l': N('0'), ':h': N('2') }), true);
  assert.equal(holds('a between :l and :h', item, { ':l': N('1'), ':h': N('1') }), true);
  assert.equal(holds('a BETWEEN :l AND :h', item, { ':l': N('2'), ':h': N('7') }), false);
  assert.equal(holds('a BETWEEN :l AND :h', item, { ':l': S('0'), ':h': S('2') }), false);
  assert.equal(holds('a BETWEEN two AND :h', item, { ':h': N('1') }), false);
  assert.equal(holds('a BETWEEN x AND y', item), false);
  assert.equal(holds('q BETWEEN :l AND :h', item, { ':l': N('0'), ':h': N('2') }), false);
});

test('IN: equality with any listed operand, mixed types allowed', () => {
  const item = { a: N('174') };
  assert.equal(holds('a IN (:x, :y)', item, { ':x': S('dog'), ':y': N('174') }), true);
  assert.equal(holds('a IN (:x)', item, { ':x': S('dog') }), false);
  assert.equal(holds('q IN (:x)', item, { ':x': N('174') }), false);
  for (const value of everyType) assert.equal(holds('a IN (b)', { a: value, b: value }), true);
});

test('attribute_exists, attribute_not_exists, attribute_type', () => {
  const item = { a: N('1'), b: { M: { x: N('1'), y: { L: [N('-1'), N('2')] } } } };
  assert.equal(holds('attribute_exists (a)', item), true);
  assert.equal(holds('attribute_exists (z)', item), false);
  assert.equal(holds('attribute_exists (b.x)', item), true);
  assert.equal(holds('attribute_exists (b.y[1])', item), true);
  assert.equal(holds('attribute_exists (b.y[2])', item), false);
  assert.equal(holds('attribute_exists (a.x)', item), false);
  assert.equal(holds('attribute_not_exists (z)', item), true);
  assert.equal(holds('attribute_exists (a)', undefined), false);
  const types = ['N', 'S', 'BOOL', 'B', 'NULL', 'L', 'M', 'SS', 'NS', 'BS'];
  everyType.forEach((value, i) => {
    assert.equal(holds('attribute_type(a, :t)', { a: value }, { ':t': S(types[i]!) }), true);
    assert.equal(holds('attribute_type(a, :t)', { a: value }, { ':t': S(types[(i + 1) % types.length]!) }), false);
  });
  assert.equal(holds('attribute_type(:v, :t)', {}, { ':v': N('0'), ':t': S('N') }), true);
});

test('begins_with: S and B prefixes, other types false, operands in either order', () => {
  const item = { a: S('hello'), b: { B: 'aGkgdGhlcmU=' }, n: N('12') };
  assert.equal(holds('begins_with(a, :p)', item, { ':p': S('hell') }), true);
  assert.equal(holds('begins_with(a, :p)', item, { ':p': S('dog') }), false);
  assert.equal(holds('begins_with(b, :p)', item, { ':p': { B: 'aGk=' } }), true);
  assert.equal(holds('begins_with(n, :p)', item, { ':p': S('1') }), false);
  assert.equal(holds('begins_with(:s, a)', item, { ':s': S('hellohi') }), true);
  assert.equal(holds('begins_with(:s, a)', item, { ':s': S('help') }), false);
  assert.equal(holds('begins_with(:s, a)', { a: S('he') }, { ':s': S('hellohi') }), true);
  assert.equal(holds('begins_with(z, :p)', item, { ':p': S('x') }), false);
});

test('contains: substrings, set members, list elements', () => {
  const item = {
    a: S('hello'), b: { NS: ['2', '4', '7'] }, c: { L: [N('2'), N('4')] }, d: { B: 'aGkgdGhlcmU=' },
    e: { L: [S('hi'), { NS: ['1', '2'] }, { L: [N('3'), N('4')] }] }, f: { SS: ['x', 'y'] }, g: { BS: ['YQ=='] },
  };
  assert.equal(holds('contains(a, :v)', item, { ':v': S('ell') }), true);
  assert.equal(holds('contains(b, :v)', item, { ':v': N('4') }), true);
  assert.equal(holds('contains(b, :v)', item, { ':v': N('4.0') }), true);
  assert.equal(holds('contains(c, :v)', item, { ':v': N('4') }), true);
  assert.equal(holds('contains(d, :v)', item, { ':v': { B: 'aGVyZQ==' } }), true);
  assert.equal(holds('contains(d, :v)', item, { ':v': { B: 'ZG9n' } }), false);
  assert.equal(holds('contains(d, :v)', item, { ':v': { NS: ['1', '2'] } }), false);
  assert.equal(holds('contains(e, :v)', item, { ':v': { NS: ['2', '1'] } }), true);
  assert.equal(holds('contains(e, :v)', item, { ':v': { L: [N('3'), N('4')] } }), true);
  assert.equal(holds('contains(f, :v)', item, { ':v': S('y') }), true);
  assert.equal(holds('contains(g, :v)', item, { ':v': { B: 'YQ==' } }), true);
  assert.equal(holds('contains(z, :v)', item, { ':v': S('y') }), false);
});

test('size: characters, bytes, members; other types make the comparison false', () => {
  const item: Item = {
    a: S('hello'), b: { NS: ['2', '4', '7'] }, c: { L: [N('2'), S('dog'), N('7')] }, d: { B: 'aGkgdGhlcmU=' },
    e: { M: { x: N('2'), y: { M: { m: N('3') } } } }, f: N('5'), g: { BOOL: true }, h: { NULL: true },
  };
  const expected: Record<string, number> = { a: 5, b: 3, c: 3, d: 8, e: 2 };
  for (const [name, size] of Object.entries(expected)) assert.equal(holds(`size(${name}) = :v`, item, { ':v': N(String(size)) }), true, name);
  for (const name of ['f', 'g', 'h', 'z']) assert.equal(holds(`size(${name}) = :v`, item, { ':v': N('1') }), false, name);
  assert.equal(holds('size(a) = :v', item, { ':v': S('dog') }), false);
  assert.equal(holds('size(a) = f', item), true);
  assert.equal(holds('size(a) < :v AND size(a) >= :w', item, { ':v': N('7'), ':w': N('2') }), true);
});

test('NOT binds tighter than AND, AND tighter than OR; parentheses regroup', () => {
  const item = { a: N('1'), b: N('2'), c: N('3') };
  assert.equal(holds('a < b AND b < c', item), true);
  assert.equal(holds('a > b AND b < c', item), false);
  assert.equal(holds('a > b OR b < c', item), true);
  assert.equal(holds('a > b AND b > c OR a < b', item), true);
  assert.equal(holds('a > b AND (b > c OR a < b)', item), false);
  assert.equal(holds('NOT a > b AND b < c', item), true);
  assert.equal(holds('NOT (a < b AND b < c)', item), false);
  assert.equal(holds('NOT NOT a < b', item), true);
});

test('nested paths and #names', () => {
  const item = { and: { M: { or: N('2') } }, b: { M: { x: N('1'), y: { L: [N('-1'), N('2'), N('0')] } } } };
  assert.equal(holds('#n1.#n2 = :two', item, { ':two': N('2') }, { '#n1': 'and', '#n2': 'or' }), true);
  assert.equal(holds('b.x < b.y[1]', item), true);
  assert.equal(holds('b.x < b.y[0]', item), false);
  assert.equal(holds('b.z < b.y[100]', item), false);
});
