// Projections (nested maps, list elements, compaction) and key conditions: the expression
// rules checked before the table is known, and the match against a key schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeKeyCondition, checkKeyAttributeUsage, prepareExpressions, projectItem } from '../../src/expressions/index.js';
import type { KeySchema } from '../../src/engine/table-spec.js';
import type { AttributeValue } from '../../src/model/attribute-value.js';
import { assertInvalid, assertThrowsValidation, N, S } from './helpers.js';

test('projection keeps nested paths and list elements, dropping what is missing', () => {
  const item = {
    a: { M: { b: N('1'), c: { L: [N('0'), N('1'), N('2')] }, d: S('x') } },
    e: { L: [{ M: { f: N('1'), g: N('2') } }, S('s')] },
    h: S('h'),
  };
  const project = (expression: string, names?: Record<string, string>) =>
    projectItem(item, prepareExpressions({ ProjectionExpression: expression, ...(names ? { ExpressionAttributeNames: names } : {}) }).projection!);
  assert.deepEqual(project('h, a.b'), { h: S('h'), a: { M: { b: N('1') } } });
  assert.deepEqual(project('a.c[2], a.c[0]'), { a: { M: { c: { L: [N('0'), N('2')] } } } });
  assert.deepEqual(project('e[0].g'), { e: { L: [{ M: { g: N('2') } }] } });
  assert.deepEqual(project('e[5], a.z, z, h.x, e[1].f'), {});
  assert.deepEqual(project('#x', { '#x': 'h' }), { h: S('h') });
});

const tableSchema: KeySchema = { partitionKey: { name: 'p', type: 'S' }, sortKey: { name: 'c', type: 'N' } };
const hashSchema: KeySchema = { partitionKey: { name: 'p', type: 'S' } };

function keyCondition(expression: string, values: Record<string, AttributeValue>) {
  return prepareExpressions({ KeyConditionExpression: expression, ExpressionAttributeValues: values }).keyCondition!;
}

test('key conditions: operators and shapes DynamoDB refuses before looking at the table', () => {
  const cases: Array<[string, Record<string, AttributeValue>, string]> = [
    ['p = :p OR c = :c', { ':p': S('x'), ':c': N('1') }, 'Invalid operator used in KeyConditionExpression: OR'],
    ['NOT p = :p', { ':p': S('x') }, 'Invalid operator used in KeyConditionExpression: NOT'],
    ['p IN (:p)', { ':p': S('x') }, 'Invalid operator used in KeyConditionExpression: IN'],
    ['p <> :p', { ':p': S('x') }, 'Invalid operator used in KeyConditionExpression: <>'],
    ['attribute_exists(p)', {}, 'Invalid operator used in KeyConditionExpression: attribute_exists'],
    ['contains(p, :p)', { ':p': S('x') }, 'Invalid operator used in KeyConditionExpression: contains'],
    ['size(p) = :c', { ':c': N('1') }, 'KeyConditionExpressions cannot contain nested operations'],
    [':c BETWEEN c AND :d', { ':c': N('1'), ':d': N('2') }, 'Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand'],
    ['begins_with(:p, p)', { ':p': S('x') }, 'Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand'],
    ['p = c', {}, 'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition'],
    ['p.a = :p', { ':p': S('x') }, 'KeyConditionExpressions cannot have conditions on nested attributes'],
    [':p = :p', { ':p': S('x') }, 'Invalid condition in KeyConditionExpression: No key attribute specified'],
    ['p = :p AND p = :p', { ':p': S('x') }, 'KeyConditionExpressions must only contain one condition per key'],
  ];
  for (const [expression, vals, message] of cases) {
    assertInvalid({ KeyConditionExpression: expression, ...(Object.keys(vals).length ? { ExpressionAttributeValues: vals } : {}) }, message);
  }
});

test('key conditions against the key schema', () => {
  const plan = analyzeKeyCondition(keyCondition(':c <= c AND p = :p', { ':p': S('x'), ':c': N('1') }), tableSchema);
  assert.deepEqual(plan, { partitionValue: S('x'), partitionValues: [S('x')], sortPrefix: [], sort: { op: 'GE', values: [N('1')] } });
  assert.deepEqual(analyzeKeyCondition(keyCondition('p = :p', { ':p': S('x') }), tableSchema), { partitionValue: S('x'), partitionValues: [S('x')], sortPrefix: [] });
  assert.deepEqual(
    analyzeKeyCondition(keyCondition('p = :p AND c BETWEEN :a AND :b', { ':p': S('x'), ':a': N('1'), ':b': N('2') }), tableSchema).sort,
    { op: 'BETWEEN', values: [N('1'), N('2')] },
  );
  const fails: Array<[string, Record<string, AttributeValue>, KeySchema, string]> = [
    ['c = :c', { ':c': N('1') }, tableSchema, 'Query condition missed key schema element: p'],
    ['p = :p AND x = :c', { ':p': S('x'), ':c': N('1') }, tableSchema, 'Query condition missed key schema element: c'],
    ['p = :p AND x = :c', { ':p': S('x'), ':c': N('1') }, hashSchema, 'Query key condition not supported'],
    ['p > :p', { ':p': S('x') }, hashSchema, 'Query key condition not supported'],
    ['p = :c', { ':c': N('1') }, hashSchema, 'One or more parameter values were invalid: Condition parameter type does not match schema type'],
    ['p = :p AND begins_with(c, :s)', { ':p': S('x'), ':s': S('1') }, tableSchema, 'One or more parameter values were invalid: Condition parameter type does not match schema type'],
    ['p = :p', { ':p': S('') }, hashSchema, 'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: p'],
  ];
  for (const [expression, values, schema, message] of fails) {
    assertThrowsValidation(() => analyzeKeyCondition(keyCondition(expression, values), schema), message);
  }
});

test('key attributes: no nested paths into them, no Query filter on them', () => {
  const filter = prepareExpressions({ FilterExpression: 'c > :v', ExpressionAttributeValues: { ':v': N('1') } });
  assertThrowsValidation(() => checkKeyAttributeUsage(filter, tableSchema, { query: true }), 'Filter Expression can only contain non-primary key attributes: Primary key attribute: c');
  checkKeyAttributeUsage(filter, tableSchema); // a Scan may filter on keys
  const nested = prepareExpressions({ ConditionExpression: 'attribute_exists(p.x)' });
  assertThrowsValidation(
    () => checkKeyAttributeUsage(nested, tableSchema),
    "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: p",
  );
});
