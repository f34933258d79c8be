// The condition keys IAM reads from a request's expressions through the parse cache agree with
// what the full prepareExpressions finds (the operation's own compile), for every expression
// form; and a malformed request carries exactly prepareExpressions' ValidationException.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareExpressions, type ExpressionInput } from '../../src/expressions/index.js';
import { expressionKeys } from '../../src/iam/expression-keys.js';

const inputs: Array<Record<string, unknown>> = [
  { ProjectionExpression: 'a, b.c, #n[2].d, e[0]', ExpressionAttributeNames: { '#n': 'named' } },
  {
    UpdateExpression: 'SET a = if_not_exists(b, :z) + :one, #l = list_append(#l, :list) REMOVE c[1], d.e ADD f :one DELETE g :set',
    ConditionExpression: 'attribute_exists(h) AND NOT (size(i) > :one OR j IN (:one, :z)) AND k BETWEEN :z AND :one AND begins_with(l, :s) AND contains(m, :s)',
    ExpressionAttributeNames: { '#l': 'list' },
    ExpressionAttributeValues: { ':z': { N: '0' }, ':one': { N: '1' }, ':list': { L: [] }, ':set': { SS: ['x'] }, ':s': { S: 's' } },
  },
  {
    KeyConditionExpression: '#p = :p AND begins_with(sk, :s)',
    FilterExpression: 'attribute_type(x, :t) OR y <> :s',
    ProjectionExpression: 'x, y',
    ExpressionAttributeNames: { '#p': 'pk' },
    ExpressionAttributeValues: { ':p': { S: 'alice' }, ':s': { S: 'a' }, ':t': { S: 'S' } },
  },
  { KeyConditionExpression: '(:p = pk) AND sk > :s', ExpressionAttributeValues: { ':p': { N: '7' }, ':s': { N: '1' } } },
  { KeyConditionExpression: 'sk = :s AND pk = :p', ExpressionAttributeValues: { ':p': { B: 'AAE=' }, ':s': { N: '1' } } },
  { ConditionExpression: 'attribute_not_exists(pk)' },
];

function keysFromPrepare(input: Record<string, unknown>) {
  const prepared = prepareExpressions(input as ExpressionInput);
  const part = prepared.keyCondition?.parts.find((candidate) => candidate.attributeName === 'pk' && candidate.op === 'EQ');
  return { attributes: new Set([...prepared.attributesRead, ...prepared.attributesWritten]), partitionValue: part?.values[0] };
}

test('the cached-parse keys agree with prepareExpressions for every expression form', () => {
  for (const input of inputs) {
    const fast = expressionKeys(input, 'pk');
    const full = keysFromPrepare(input);
    assert.deepEqual(new Set(fast.attributes), full.attributes, JSON.stringify(input));
    assert.deepEqual(fast.partitionValue, full.partitionValue, JSON.stringify(input));
  }
});

test('a malformed request throws prepareExpressions\' own ValidationException', () => {
  const malformed: Array<Record<string, unknown>> = [
    { ProjectionExpression: 'a, #missing' },
    { ProjectionExpression: 'a,, b' },
    { ProjectionExpression: '' },
    { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':q': { S: 'x' } } },
  ];
  for (const input of malformed) {
    let expected: unknown;
    try {
      prepareExpressions(input as ExpressionInput);
    } catch (error) {
      expected = error;
    }
    assert.ok(expected instanceof Error, JSON.stringify(input));
    assert.throws(() => expressionKeys(input, 'pk'), (error: Error) => error.name === expected.name && error.message === expected.message);
  }
});

test('a :value the request does not define is left to the operation (it throws there); the keys are complete', () => {
  for (const input of [{ ConditionExpression: 'a = :v', ExpressionAttributeValues: {} }, { UpdateExpression: 'SET a = :v' }]) {
    assert.deepEqual(expressionKeys(input, 'pk').attributes, ['a']);
    assert.throws(() => prepareExpressions(input as ExpressionInput), /ExpressionAttributeValues must not be empty|An expression attribute value used in expression is not defined/);
  }
});

test('legacy parameters go through prepareExpressions too', () => {
  const input = { AttributesToGet: ['a', 'b'], KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p' }] } } };
  const keys = expressionKeys(input, 'pk');
  assert.deepEqual(keys.partitionValue, { S: 'p' });
  assert.deepEqual(new Set(keys.attributes), keysFromPrepare(input).attributes);
});
