// Request-time checks after parsing: ExpressionAttributeNames/Values maps, undefined and
// unused placeholders (with DynamoDB's key order), functions and their operands, operand
// types, BETWEEN bounds, IN operand count, overlapping and conflicting paths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { javaHashSetOrder } from '../../src/expressions/attribute-maps.js';
import { assertInvalid, prepare, N, S } from './helpers.js';

test('ExpressionAttributeNames: empty, key syntax, empty value', () => {
  assertInvalid({ ConditionExpression: 'a = b', ExpressionAttributeNames: {} }, 'ExpressionAttributeNames must not be empty');
  assertInvalid({ ConditionExpression: 'a = b', ExpressionAttributeNames: { a: 'a' } }, 'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"');
  assertInvalid({ ConditionExpression: '#a = b', ExpressionAttributeNames: { '#a': '' } }, 'ExpressionAttributeNames contains invalid value: Empty attribute name for key #a');
});

test('ExpressionAttributeValues: empty, key syntax, invalid values named by key', () => {
  assertInvalid({ ConditionExpression: 'a = b', ExpressionAttributeValues: {} }, 'ExpressionAttributeValues must not be empty');
  assertInvalid({ ConditionExpression: 'a = b', ExpressionAttributeValues: { ':b': { a: '' }, b: S('a') } }, 'ExpressionAttributeValues contains invalid key: Syntax error; key: "b"');
  assertInvalid(
    { ConditionExpression: 'a = :b', ExpressionAttributeValues: { ':b': {} } },
    'ExpressionAttributeValues contains invalid value: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes for key :b',
  );
  assertInvalid(
    { ConditionExpression: 'a = :b', ExpressionAttributeValues: { ':b': { SS: [] } } },
    'ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :b',
  );
  assertInvalid(
    { ConditionExpression: 'a = :b', ExpressionAttributeValues: { ':b': { N: 'b' } } },
    'ExpressionAttributeValues contains invalid value: The parameter cannot be converted to a numeric value: b for key :b',
  );
  // Names are checked before values.
  assertInvalid({ ConditionExpression: 'a = b', ExpressionAttributeNames: {}, ExpressionAttributeValues: {} }, 'ExpressionAttributeNames must not be empty');
});

test('undefined placeholders', () => {
  assertInvalid({ ConditionExpression: 'foo=:foo' }, 'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :foo');
  assertInvalid(
    { UpdateExpression: 'SET #c = if_not_exists(:c)', ExpressionAttributeNames: { '#a': 'a' } },
    'Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #c',
  );
  assertInvalid(
    { UpdateExpression: 'SET #a = if_not_exists(:c)', ExpressionAttributeNames: { '#a': 'a' }, ExpressionAttributeValues: { ':a': S('a') } },
    'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :c',
  );
});

test('unused placeholders, listed in Java HashSet order, names before values', () => {
  assertInvalid(
    {
      UpdateExpression: 'remove a set b = list_append(b, if_not_exists(a, :a))',
      ConditionExpression: 'a = :b',
      ExpressionAttributeValues: { ':a': { L: [] }, ':b': S('a') },
      ExpressionAttributeNames: { '#a': 'a', '#b': 'b' },
    },
    'Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}',
  );
  assertInvalid(
    { UpdateExpression: 'remove a', ConditionExpression: 'a = :b', ExpressionAttributeValues: { ':a': S('a'), ':b': S('a'), ':c': S('a') } },
    /^Value provided in ExpressionAttributeValues unused in expressions: keys: \{(:c, :a|:a, :c)\}$/,
  );
  // Placeholders used by any of the request's expressions count.
  prepare({ ConditionExpression: '#a = :a', ProjectionExpression: '#b', ExpressionAttributeNames: { '#a': 'x', '#b': 'y' }, ExpressionAttributeValues: { ':a': S('v') } });
  // Hash order, not request order: ":b" (hash 1851) comes before ":a" (hash 1850)? Both fall in
  // consecutive buckets, so order follows the buckets.
  assert.deepEqual(javaHashSetOrder([':b', ':a']), [':a', ':b']);
  assert.deepEqual(javaHashSetOrder(['#zz', '#a']), javaHashSetOrder(['#a', '#zz']));
});

test('functions: names, places, operand counts', () => {
  assertInvalid({ ConditionExpression: 'dog(a) = :v', ExpressionAttributeValues: { ':v': N('1') } }, 'Invalid ConditionExpression: Invalid function name; function: dog');
  assertInvalid({ ConditionExpression: 'size(a)' }, 'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size');
  assertInvalid({ ConditionExpression: 'attribute_exists(a) < :v', ExpressionAttributeValues: { ':v': N('1') } }, 'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: attribute_exists');
  assertInvalid({ ConditionExpression: 'if_not_exists(a, a) = :v', ExpressionAttributeValues: { ':v': N('1') } }, 'Invalid ConditionExpression: The function is not allowed in a condition expression; function: if_not_exists');
  assertInvalid({ UpdateExpression: 'SET a = size(b)' }, 'Invalid UpdateExpression: The function is not allowed in an update expression; function: size');
  assertInvalid({ UpdateExpression: 'set #c = if_not_exist(:c) set c = d' }, 'Invalid UpdateExpression: Invalid function name; function: if_not_exist');
  assertInvalid({ UpdateExpression: 'SET a = LIST_APPEND(:a, :b)' }, 'Invalid UpdateExpression: Invalid function name; function: LIST_APPEND');
  assertInvalid({ ConditionExpression: 'size(a, a) = :v', ExpressionAttributeValues: { ':v': N('1') } }, 'Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: size, number of operands: 2');
  assertInvalid({ UpdateExpression: 'set a = if_not_exists(c)' }, 'Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: if_not_exists, number of operands: 1');
  assertInvalid({ UpdateExpression: 'set a = list_append(c)' }, 'Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1');
  assertInvalid({ ConditionExpression: 'attribute_exists (:v)', ExpressionAttributeValues: { ':v': N('1') } }, 'Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists');
  assertInvalid({ UpdateExpression: 'set a = if_not_exists(:a, c)', ExpressionAttributeValues: { ':a': S('a') } }, 'Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists');
  assertInvalid({ UpdateExpression: 'set a = if_not_exists(if_not_exists(a, b), c)' }, 'Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists');
  assertInvalid({ UpdateExpression: 'SET a = list_append(list_append(:a, :b), :c)' }, 'Invalid UpdateExpression: The function is not allowed to be used this way in an expression; function: list_append');
  prepare({ UpdateExpression: 'SET a = list_append(if_not_exists(a, :e), :v)', ExpressionAttributeValues: { ':e': { L: [] }, ':v': { L: [N('1')] } } });
  prepare({ ConditionExpression: 'attribute_type(:v, :t)', ExpressionAttributeValues: { ':v': N('0'), ':t': S('N') } });
});

test('operand types known from the values', () => {
  const values = {
    ':a': S('a'), ':b': N('1'), ':c': { B: 'YQ==' }, ':d': { BOOL: true }, ':e': { NULL: true as const },
    ':f': { SS: ['a'] }, ':g': { NS: ['1'] }, ':h': { BS: ['YQ=='] }, ':i': { M: {} }, ':j': { L: [] },
  };
  const only = (keys: string[]) => Object.fromEntries(keys.map((key) => [key, values[key as keyof typeof values]]));
  const cases: Array<[string, string[], string, string]> = [
    ['set a = list_append(:a, a)', [':a'], 'list_append', 'S'],
    ['set a = list_append(a, :b)', [':b'], 'list_append', 'N'],
    ['set a = list_append(:i, a)', [':i'], 'list_append', 'M'],
    ['set a = a + :a', [':a'], '+', 'S'],
    ['set a = :c + a', [':c'], '+', 'B'],
    ['set a = a - :j', [':j'], '-', 'L'],
    ['set a = a - :g', [':g'], '-', 'NS'],
  ];
  for (const [expression, keys, operator, type] of cases) {
    assertInvalid(
      { UpdateExpression: expression, ExpressionAttributeValues: only(keys) },
      `Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: ${operator}, operand type: ${type}`,
    );
  }
  const addDelete: Array<[string, string, string, string]> = [
    ['delete a.b :a', ':a', 'DELETE', 'STRING'],
    ['add a.b :e', ':e', 'ADD', 'NULL'],
    ['add a.b :d', ':d', 'ADD', 'BOOLEAN'],
    ['delete a.b :c', ':c', 'DELETE', 'BINARY'],
    ['add a.b :i', ':i', 'ADD', 'MAP'],
    ['add a.b :j', ':j', 'ADD', 'LIST'],
    ['delete a.b :b', ':b', 'DELETE', 'NUMBER'],
  ];
  for (const [expression, key, operator, type] of addDelete) {
    assertInvalid(
      { UpdateExpression: expression, ExpressionAttributeValues: only([key]) },
      `Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ${operator}, operand type: ${type}, typeSet: ALLOWED_FOR_${operator}_OPERAND`,
    );
  }
  assertInvalid({ ConditionExpression: 'a >= :j', ExpressionAttributeValues: only([':j']) }, 'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: >=, operand type: L');
  assertInvalid({ ConditionExpression: 'a BETWEEN :j AND :j', ExpressionAttributeValues: only([':j']) }, 'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: L');
  assertInvalid({ ConditionExpression: 'begins_with(a, :b)', ExpressionAttributeValues: only([':b']) }, 'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N');
  assertInvalid({ ConditionExpression: 'size(:b) = :b', ExpressionAttributeValues: only([':b']) }, 'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: size, operand type: N');
  assertInvalid({ ConditionExpression: 'attribute_type(a, :b)', ExpressionAttributeValues: only([':b']) }, 'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N');
  assertInvalid({ ConditionExpression: 'attribute_type(a, :t)', ExpressionAttributeValues: { ':t': S('DOG') } }, 'Invalid ConditionExpression: Invalid attribute type name found; type: DOG, valid types: {N,BS,L,B,NULL,M,S,SS,NS,BOOL}');
  assertInvalid({ ConditionExpression: 'attribute_type(a, b)' }, /^Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: \{/);
  // = and <> take any type; a comparison with an item attribute is only known at run time.
  prepare({ ConditionExpression: 'a = :j AND b <> :i AND c < d', ExpressionAttributeValues: only([':j', ':i']) });
});

test('operands that repeat the first path', () => {
  assertInvalid({ ConditionExpression: 'a = a' }, 'Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]');
  assertInvalid({ ConditionExpression: 'contains(#a, a)', ExpressionAttributeNames: { '#a': 'a' } }, 'Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: [a]');
  assertInvalid({ ConditionExpression: 'x.y[1] BETWEEN a AND x.y[1]' }, 'Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: BETWEEN, first operand: [x, y, [1]]');
  prepare({ ConditionExpression: 'contains(a, a1)' });
});

test('BETWEEN bounds from values: same type, low <= high', () => {
  assertInvalid(
    { ConditionExpression: 'a BETWEEN :x AND :y', ExpressionAttributeValues: { ':x': N('2'), ':y': S('dog') } },
    'Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:2}, upper bound operand: AttributeValue: {S:dog}',
  );
  assertInvalid(
    { ConditionExpression: 'a BETWEEN :x AND :y', ExpressionAttributeValues: { ':x': N('2'), ':y': N('1') } },
    'Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:2}, upper bound operand: AttributeValue: {N:1}',
  );
  prepare({ ConditionExpression: 'a BETWEEN two AND :y', ExpressionAttributeValues: { ':y': S('dog') } });
});

test('IN takes at most 100 operands with its left operand', () => {
  const values = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`:v${i}`, N(String(i))]));
  const list = (count: number) => Array.from({ length: count }, (_, i) => `:v${i}`).join(',');
  prepare({ ConditionExpression: `a IN (${list(99)})`, ExpressionAttributeValues: values(99) });
  assertInvalid({ ConditionExpression: `a IN (${list(100)})`, ExpressionAttributeValues: values(100) }, 'Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101');
});

test('update paths may not overlap or conflict', () => {
  const names = { '#c': 'c', '#d': '[3]' };
  const overlaps: Array<[string, string, string]> = [
    ['set d[1] = a, d.b = a, c[1].a = a, #c = if_not_exists(a)', '[c, [1], a]', '[c]'],
    ['set c.b.#c = a, c = a, #d = a', '[c, b, c]', '[c]'],
    ['set a = b remove a, #c, #d', '[a]', '[a]'],
    ['set #c[3].#d = a, #c[3] = a', '[c, [3], [3]]', '[c, [3]]'],
    ['remove c, #c.a, #d', '[c]', '[c, a]'],
    ['remove a, #c, a, #d', '[a]', '[a]'],
  ];
  for (const [expression, one, two] of overlaps) {
    assertInvalid(
      { UpdateExpression: expression, ExpressionAttributeNames: names },
      `Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${one}, path two: ${two}`,
    );
  }
  const conflicts: Array<[string, string, string]> = [
    ['set #c[3].#d = a, #c.#d[3] = if_not_exists(a)', '[c, [3], [3]]', '[c, [3], [3]]'],
    ['remove a.#c set a[1] = #d', '[a, c]', '[a, [1]]'],
  ];
  for (const [expression, one, two] of conflicts) {
    assertInvalid(
      { UpdateExpression: expression, ExpressionAttributeNames: names },
      `Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: ${one}, path two: ${two}`,
    );
  }
  assertInvalid({ UpdateExpression: 'SET #a1 = :v, #a2 = :v', ExpressionAttributeNames: { '#a1': 'a', '#a2': 'a' }, ExpressionAttributeValues: { ':v': N('1') } }, /overlap.*path one: \[a\], path two: \[a\]$/);
  prepare({ UpdateExpression: 'SET a.b = :v, a.c.d = :v, b.x = :v REMOVE a.x, b.y', ExpressionAttributeValues: { ':v': N('1') } });
});

test('projection paths may not overlap', () => {
  assertInvalid({ ProjectionExpression: 'a, a.b' }, 'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]');
  assertInvalid({ ProjectionExpression: 'a.b, a[0]' }, 'Invalid ProjectionExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [0]]');
  assertInvalid({ ProjectionExpression: 'a, #a', ExpressionAttributeNames: { '#a': 'a' } }, /overlap.*path one: \[a\], path two: \[a\]$/);
});

test('sections can be used once, checked after their actions', () => {
  assertInvalid({ UpdateExpression: 'set a = #c set c = :d' }, /^Invalid UpdateExpression: (An expression attribute name|The "SET" section)/);
  assertInvalid({ UpdateExpression: 'remove #d set a = b remove e' }, 'Invalid UpdateExpression: The "REMOVE" section can only be used once in an update expression;');
  assertInvalid({ UpdateExpression: 'add #d :e set a = b add e :f' }, 'Invalid UpdateExpression: The "ADD" section can only be used once in an update expression;');
  assertInvalid({ UpdateExpression: 'delete #d :e set a = b delete #e :f' }, 'Invalid UpdateExpression: The "DELETE" section can only be used once in an update expression;');
});

test('attributes read and written, for dynamodb:Attributes', () => {
  const prepared = prepare({
    UpdateExpression: 'SET a.b = c + :one REMOVE d',
    ConditionExpression: 'attribute_exists(e.f) AND size(g) > :one',
    ProjectionExpression: 'h[1]',
    ExpressionAttributeValues: { ':one': N('1') },
  });
  assert.deepEqual(prepared.attributesWritten.sort(), ['a', 'd']);
  assert.deepEqual(prepared.attributesRead.sort(), ['c', 'e', 'g', 'h']);
});
