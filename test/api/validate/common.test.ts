// Covers the shared control-plane checks: the "N validation error(s) detected" builder,
// table and index names at and past their limits, and the tag operations' ARN checks,
// asserting DynamoDB's exact error names and texts on plain inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ConstraintErrors,
  checkIndexName,
  checkTableName,
  checkTableNameOrArn,
  checkTaggableArn,
  parseResourceArn,
  validationErrorsMessage,
} from '../../../src/api/validate/common.js';

function rejects(run: () => unknown, name: string, message: string): void {
  assert.throws(run, (error: any) => {
    assert.equal(error.name, name);
    assert.equal(error.message, message);
    return true;
  });
}

const lengthMin = (value: string, path = 'tableName') =>
  `Value '${value}' at '${path}' failed to satisfy constraint: Member must have length greater than or equal to 3`;
const lengthMax = (value: string, path = 'tableName') =>
  `Value '${value}' at '${path}' failed to satisfy constraint: Member must have length less than or equal to 255`;
const pattern = (value: string, path = 'tableName') =>
  `Value '${value}' at '${path}' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+`;

test('validationErrorsMessage: singular, plural, and at most 10 listed', () => {
  assert.equal(validationErrorsMessage(['a']), '1 validation error detected: a');
  assert.equal(validationErrorsMessage(['a', 'b']), '2 validation errors detected: a; b');
  const eleven = Array.from({ length: 11 }, (_, i) => `e${i}`);
  assert.equal(validationErrorsMessage(eleven), `10 validation errors detected: ${eleven.slice(0, 10).join('; ')}`);
});

test('ConstraintErrors: renders null bare, values quoted, and stops listing at 10', () => {
  const errors = new ConstraintErrors();
  errors.notNull('limit', undefined);
  errors.minValue('limit', 0, 1);
  errors.enumOf('select', 'X', ['ALL_ATTRIBUTES', 'COUNT']);
  assert.deepEqual(errors.failures, [
    "Value null at 'limit' failed to satisfy constraint: Member must not be null",
    "Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    "Value 'X' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [ALL_ATTRIBUTES, COUNT]",
  ]);
  for (let i = 0; i < 20; i++) errors.notNull(`m${i}`, null);
  assert.equal(errors.size, 10);
  rejects(() => errors.throwIfAny(), 'ValidationException', validationErrorsMessage(errors.failures));
});

test('checkTableName: missing, too short, empty, bad characters', () => {
  rejects(() => checkTableName(undefined), 'ValidationException',
    "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null");
  rejects(() => checkTableName('ab'), 'ValidationException', `1 validation error detected: ${lengthMin('ab')}`);
  rejects(() => checkTableName(''), 'ValidationException', `2 validation errors detected: ${lengthMin('')}; ${pattern('')}`);
  rejects(() => checkTableName('nyh@test'), 'ValidationException', `1 validation error detected: ${pattern('nyh@test')}`);
  rejects(() => checkTableName('a;'), 'ValidationException', `2 validation errors detected: ${lengthMin('a;')}; ${pattern('a;')}`);
  rejects(() => checkTableName(5), 'SerializationException', 'class java.lang.Integer can not be converted to an String');
});

test('checkTableName: 3 and 255 characters pass, 256 fails; the path is the caller\'s', () => {
  assert.equal(checkTableName('abc'), 'abc');
  assert.equal(checkTableName('.a-_'), '.a-_');
  assert.equal(checkTableName('n'.repeat(255)), 'n'.repeat(255));
  const long = 'n'.repeat(256);
  rejects(() => checkTableName(long), 'ValidationException', `1 validation error detected: ${lengthMax(long)}`);
  rejects(() => checkTableName('ab', 'transactItems.1.member.put.tableName'), 'ValidationException',
    `1 validation error detected: ${lengthMin('ab', 'transactItems.1.member.put.tableName')}`);
});

test('checkTableNameOrArn: data-plane names and table ARNs', () => {
  assert.deepEqual(checkTableNameOrArn('ab'), { tableName: 'ab' });
  rejects(() => checkTableNameOrArn(''), 'ValidationException',
    "1 validation error detected: Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 1");
  const arn = 'arn:aws:dynamodb:us-east-1:123456789012:table/things';
  assert.equal(checkTableNameOrArn(arn).tableName, 'things');
  rejects(() => checkTableNameOrArn(`${arn}/index/i1`), 'ValidationException',
    `One or more parameter values were invalid: Invalid resource arn provided, only table or stream is accepted. Provided resource arn: ${arn}/index/i1`);
});

test('checkIndexName: absent allowed, 3..255, pattern', () => {
  assert.equal(checkIndexName(undefined), undefined);
  assert.equal(checkIndexName('abc'), 'abc');
  assert.equal(checkIndexName('i'.repeat(255)), 'i'.repeat(255));
  rejects(() => checkIndexName('i'.repeat(256)), 'ValidationException',
    `1 validation error detected: ${lengthMax('i'.repeat(256), 'indexName')}`);
  rejects(() => checkIndexName('ab'), 'ValidationException', `1 validation error detected: ${lengthMin('ab', 'indexName')}`);
});

test('parseResourceArn and checkTaggableArn', () => {
  const scope = { region: 'us-east-1', account: '123456789012' };
  const arn = 'arn:aws:dynamodb:us-east-1:123456789012:table/things';
  assert.equal(parseResourceArn(arn).tableName, 'things');
  assert.equal(checkTaggableArn(arn, scope).tableName, 'things');
  assert.equal(checkTaggableArn(`${arn}/stream/2024-01-01T00:00:00.000`, scope).streamLabel, '2024-01-01T00:00:00.000');
  rejects(() => checkTaggableArn('I_do_not_exist', scope), 'ValidationException',
    "One or more parameter values were invalid: ARNs must start with 'arn:': I_do_not_exist");
  rejects(() => checkTaggableArn('arn:aws:s3:::bucket/x', scope), 'ValidationException',
    'One or more parameter values were invalid: Provided Arn is not a DynamoDB resource arn: arn:aws:s3:::bucket/x');
  rejects(() => checkTaggableArn(`${arn}/index/gsi`, scope), 'ValidationException',
    `One or more parameter values were invalid: Invalid resource arn provided, only table or stream is accepted. Provided resource arn: ${arn}/index/gsi`);
  const other = 'arn:aws:dynamodb:eu-west-1:123456789012:table/things';
  rejects(() => checkTaggableArn(other, scope), 'ValidationException', `Invalid TableArn: Invalid ResourceArn provided as input ${other}`);
  rejects(() => checkTaggableArn(undefined, scope), 'ValidationException',
    "1 validation error detected: Value null at 'resourceArn' failed to satisfy constraint: Member must not be null");
  const longArn = `${arn}${'x'.repeat(1283 - arn.length)}`;
  assert.equal(checkTaggableArn(longArn, scope).arn.length, 1283);
  rejects(() => checkTaggableArn(`${longArn}x`, scope), 'ValidationException',
    `1 validation error detected: Value '${longArn}x' at 'resourceArn' failed to satisfy constraint: Member must have length less than or equal to 1283`);
});
