// Parsing: DynamoDB's syntax error texts (token and the "near" window), empty and oversized
// expressions, redundant parentheses, keywords, reserved words, and the parse cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expressionCacheSize, isReservedWord } from '../../src/expressions/index.js';
import { assertInvalid, prepare, N, S } from './helpers.js';

test('syntax errors name the token and the text from the token before to the token after', () => {
  assertInvalid({ ConditionExpression: 'foo' }, 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "foo"');
  assertInvalid(
    { ConditionExpression: 'a+:delta<b', ExpressionAttributeValues: { ':delta': N('3') } },
    'Invalid ConditionExpression: Syntax error; token: "+", near: "a+:delta"',
  );
  assertInvalid({ UpdateExpression: 'SET _123 = :v', ExpressionAttributeValues: { ':v': N('3') } }, 'Invalid UpdateExpression: Syntax error; token: "_", near: "SET _123"');
  assertInvalid({ KeyConditionExpression: '[object Object]' }, 'Invalid KeyConditionExpression: Syntax error; token: "[", near: "[object"');
  assertInvalid({ ProjectionExpression: 'first-name' }, 'Invalid ProjectionExpression: Syntax error; token: "-", near: "first-name"');
  assertInvalid({ FilterExpression: 'a IN ()' }, 'Invalid FilterExpression: Syntax error; token: ")", near: "()"');
  assertInvalid({ UpdateExpression: 'HELLO b = :v' }, 'Invalid UpdateExpression: Syntax error; token: "HELLO", near: "HELLO b"');
  assertInvalid({ UpdateExpression: 'SET a' }, 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "a"');
});

test('update grammar: one + or -, :values only on the right, clauses without commas', () => {
  for (const text of [
    'whatever', 'set a', 'add a', 'delete a', 'set a=set', 'remove a = b', 'add a = b', 'delete a = b', 'delete a b',
    'remove a b', 'set a b', 'set :a = b', 'add :a b', 'remove :a', 'set a = b / c', 'set a = b * c',
    'set a[1] = "eight"', 'set a = b + c + d', 'set (a = (b + c))', 'set a = (b.c).d + e', 'SET a = _f(b)',
    'SET c = if_not_exists(c, :v1+:v2)', 'SET # = :v', 'SET a = :', 'SET a[-1] = :v', 'SET a[1.5] = :v',
  ]) {
    assertInvalid({ UpdateExpression: text }, /^Invalid UpdateExpression: Syntax error; token: /);
  }
  // A parenthesised sum is accepted.
  prepare({ UpdateExpression: 'SET a = (b + c)' });
  prepare({ UpdateExpression: 'SET a = if_not_exists(b, :v)+:w', ExpressionAttributeValues: { ':v': N('1'), ':w': N('2') } });
  prepare({ UpdateExpression: 'sEt b = c REMOVE d ADD e :n DELETE f :s', ExpressionAttributeValues: { ':n': N('1'), ':s': { SS: ['x'] } } });
});

test('keywords are case-insensitive tokens in every expression', () => {
  prepare({ ConditionExpression: 'a < b aNd b < c oR NOT c between d and e' });
  assertInvalid({ ConditionExpression: 'set = b' }, 'Invalid ConditionExpression: Syntax error; token: "set", near: "set ="');
  assertInvalid({ ConditionExpression: 'a' }, 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "a"');
});

test('empty expressions, and expressions over 4 KB', () => {
  assertInvalid({ UpdateExpression: '' }, 'Invalid UpdateExpression: The expression can not be empty;');
  assertInvalid({ ConditionExpression: '' }, 'Invalid ConditionExpression: The expression can not be empty;');
  assertInvalid({ ProjectionExpression: '' }, 'Invalid ProjectionExpression: The expression can not be empty;');
  const atLimit = 'a'.repeat(4096);
  prepare({ ProjectionExpression: atLimit });
  assertInvalid({ ProjectionExpression: atLimit + 'b' }, 'Invalid ProjectionExpression: Expression size has exceeded the maximum allowed size; expression size: 4097');
  // Bytes, not characters: 2,049 two-byte characters exceed the limit.
  assertInvalid({ FilterExpression: 'é'.repeat(2049) }, 'Invalid FilterExpression: Expression size has exceeded the maximum allowed size; expression size: 4098');
});

test('300 operators and functions accepted, the 301st refused as it is read', () => {
  const tooMany = (count: number) => `The expression contains too many operators; operator count: ${count}`;
  // ScyllaDB's test_deeply_nested_expression_2: 299 "<" and "or" pass, 454 levels fail at 301.
  const nested = (depth: number) => 'a<b ' + 'or (a<b '.repeat(depth) + ')'.repeat(depth);
  prepare({ ConditionExpression: nested(149) });
  assertInvalid({ ConditionExpression: nested(454) }, `Invalid ConditionExpression: ${tooMany(301)}`);
  // Chains (read in loops, not recursion) count the same.
  prepare({ FilterExpression: 'a<b' + ' or a<b'.repeat(149) });
  assertInvalid({ FilterExpression: 'a<b' + ' or a<b'.repeat(150) }, `Invalid FilterExpression: ${tooMany(301)}`);
  prepare({ ConditionExpression: 'not '.repeat(299) + 'a<b' });
  assertInvalid({ ConditionExpression: 'not '.repeat(1000) + 'a<b' }, `Invalid ConditionExpression: ${tooMany(301)}`);
  // BETWEEN, IN and known functions count once each; an unknown function is refused by name.
  prepare({ ConditionExpression: 'a BETWEEN b AND c' + ' AND a IN (b, c)'.repeat(149) });
  assertInvalid({ ConditionExpression: 'a BETWEEN b AND c' + ' AND a IN (b, c)'.repeat(150) }, `Invalid ConditionExpression: ${tooMany(301)}`);
  assertInvalid({ ConditionExpression: 'a < ' + 'size('.repeat(680) + 'b' + ')'.repeat(680) }, `Invalid ConditionExpression: ${tooMany(301)}`);
  assertInvalid({ ConditionExpression: 'a < ' + 'f('.repeat(1355) + 'b' + ')'.repeat(1355) }, 'Invalid ConditionExpression: Invalid function name; function: f');
  // Updates: + and - and the functions.
  const values = { ':v': N('1') };
  const sums = 'SET ' + Array.from({ length: 299 }, (_, i) => `a${i}=:v+:v`).join(',');
  prepare({ UpdateExpression: `${sums},z=if_not_exists(z,:v)`, ExpressionAttributeValues: values });
  assertInvalid({ UpdateExpression: `${sums},z=if_not_exists(z,:v)+:v`, ExpressionAttributeValues: values }, `Invalid UpdateExpression: ${tooMany(301)}`);
});

test('deep nesting within 4 KB is refused cleanly, never by exhausting the stack', () => {
  // ScyllaDB's test_deeply_nested_expression_1 and _3.
  assertInvalid({ ConditionExpression: '('.repeat(4096) }, 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "("');
  assertInvalid({ ConditionExpression: '('.repeat(2046) + 'a<b' + ')'.repeat(2046) }, 'Invalid ConditionExpression: The expression has redundant parentheses;');
  assertInvalid({ ConditionExpression: '('.repeat(2046) + 'a<b' + ')'.repeat(2047) }, 'Invalid ConditionExpression: The expression has redundant parentheses;');
  assertInvalid({ ConditionExpression: 'a = ' + '('.repeat(4000) + 'b' }, 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "b"');
  assertInvalid({ ConditionExpression: 'a = ' + '('.repeat(2000) + 'b' + ')'.repeat(2000) }, 'Invalid ConditionExpression: The expression has redundant parentheses;');
  assertInvalid({ UpdateExpression: 'SET a = ' + '('.repeat(4000) }, 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "("');
  assertInvalid({ UpdateExpression: 'SET a = ' + 'f('.repeat(1360) + 'b' + ')'.repeat(1360) }, 'Invalid UpdateExpression: Invalid function name; function: f');
  // Nesting the budget lets through parses as before.
  assertInvalid({ ConditionExpression: '('.repeat(500) + 'a<b' + ')'.repeat(500) }, 'Invalid ConditionExpression: The expression has redundant parentheses;');
  assertInvalid({ ConditionExpression: '('.repeat(600) }, 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "("');
});

test('redundant parentheses', () => {
  assertInvalid({ ConditionExpression: '((a = b))' }, 'Invalid ConditionExpression: The expression has redundant parentheses;');
  assertInvalid({ ConditionExpression: '((a)) = b' }, 'Invalid ConditionExpression: The expression has redundant parentheses;');
  prepare({ ConditionExpression: '(a = b) AND ((c = d) OR (e = f))' });
  prepare({ ConditionExpression: '(a) = (b)' });
});

test('reserved words: literal names only, case-insensitive, the written form in the message', () => {
  assertInvalid({ UpdateExpression: ' set #c = :c set abOrt = true ', ExpressionAttributeNames: { '#c': 'c' } }, 'Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: abOrt');
  assertInvalid({ UpdateExpression: ' remove Absolute ' }, 'Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: Absolute');
  assertInvalid({ ProjectionExpression: 'a.name' }, 'Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name');
  assertInvalid({ ConditionExpression: 'attribute_exists(status)' }, 'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status');
  prepare({ ProjectionExpression: '#n', ExpressionAttributeNames: { '#n': 'name' } });
  assert.equal(isReservedWord('zone'), true);
  assert.equal(isReservedWord('size'), false);
  assert.equal(isReservedWord('alpha'), false);
});

test('list indexes: digits only, within a signed 32-bit range', () => {
  prepare({ ProjectionExpression: 'a[2147483647]' });
  assertInvalid({ ProjectionExpression: 'a[2147483648]' }, 'Invalid ProjectionExpression: List index is not within the allowable range; index: [2147483648]');
  assertInvalid({ ProjectionExpression: 'a[99999999999]' }, 'Invalid ProjectionExpression: List index is not within the allowable range; index: [99999999999]');
});

test('document paths nest at most 32 levels', () => {
  prepare({ ProjectionExpression: Array.from({ length: 32 }, (_, i) => `a${i}`).join('.') });
  assertInvalid(
    { ProjectionExpression: Array.from({ length: 33 }, (_, i) => `a${i}`).join('.') },
    'Invalid ProjectionExpression: The document path has too many nesting levels; nesting levels: 33',
  );
});

test('parsing is cached per text', () => {
  const before = expressionCacheSize();
  const text = `cached_${Date.now()} = :v`;
  prepare({ ConditionExpression: text, ExpressionAttributeValues: { ':v': S('x') } });
  prepare({ ConditionExpression: text, ExpressionAttributeValues: { ':v': N('1') } });
  assert.equal(expressionCacheSize(), before + 1);
});
