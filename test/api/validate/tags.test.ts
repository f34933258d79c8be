// Covers tag validation for TagResource, UntagResource and CreateTable: key and value
// lengths at and past their limits, characters, the 'aws:' prefix, duplicates, empty
// lists and the 50-tag limit on the merged set, with DynamoDB's exact texts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTagCount, checkTagKeys, checkTags } from '../../../src/api/validate/tags.js';

function rejects(run: () => unknown, message: string): void {
  assert.throws(run, (error: any) => {
    assert.equal(error.name, 'ValidationException');
    assert.equal(error.message, message);
    return true;
  });
}

const tags = (count: number, from = 0) => Array.from({ length: count }, (_, i) => ({ Key: `k${from + i}`, Value: `v${i}` }));

test('key length: 128 passes, 129 and empty fail', () => {
  assert.deepEqual(checkTags([{ Key: 'k'.repeat(128), Value: 'v' }]), [{ Key: 'k'.repeat(128), Value: 'v' }]);
  rejects(() => checkTags([{ Key: 'k'.repeat(129), Value: 'v' }]), `The Tag Key provided is invalid, Key: ${'k'.repeat(129)}`);
  rejects(() => checkTags([{ Key: '', Value: 'v' }]), 'The Tag Key provided is invalid, Key: ');
});

test('value length: 0 and 256 pass, 257 fails', () => {
  assert.equal(checkTags([{ Key: 'k', Value: '' }])[0]?.Value, '');
  assert.equal(checkTags([{ Key: 'k', Value: 'v'.repeat(256) }])[0]?.Value.length, 256);
  rejects(() => checkTags([{ Key: 'k', Value: 'v'.repeat(257) }]), `The Tag Value provided is invalid, Value: ${'v'.repeat(257)}`);
});

test('missing members print as null', () => {
  rejects(() => checkTags([{}]), 'The Tag Key provided is invalid, Key: null');
  rejects(() => checkTags([{ Value: 'v' }]), 'The Tag Key provided is invalid, Key: null');
  rejects(() => checkTags([{ Key: 'k' }]), 'The Tag Value provided is invalid, Value: null');
});

test('characters: any script and + - = . _ : / @ pass; other punctuation fails', () => {
  assert.equal(checkTags([{ Key: 'ключ 表', Value: 'a+b-c=d.e_f:g/h@i' }]).length, 1);
  rejects(() => checkTags([{ Key: 'ok', Value: '#!%%^$$&' }]), 'The Tag Value provided is invalid, Value: #!%%^$$&');
  rejects(() => checkTags([{ Key: 'a,b', Value: 'ok' }]), 'The Tag Key provided is invalid, Key: a,b');
});

test('aws: prefix and duplicate keys', () => {
  rejects(() => checkTags([{ Key: 'good', Value: '1' }, { Key: 'aws:zzz', Value: '2' }]), 'Tag Key cannot be prefixed with aws:, Key: aws:zzz');
  rejects(() => checkTags([{ Key: 'dup', Value: '1' }, { Key: 'dup', Value: '2' }]),
    'Duplicate Tag Keys provided as input: Duplicate Tag Key found dup');
});

test('empty lists: TagResource and UntagResource refuse, CreateTable accepts', () => {
  rejects(() => checkTags([]), 'Atleast one Tag needs to be provided as Input.');
  assert.deepEqual(checkTags([], { requireNonEmpty: false }), []);
  assert.deepEqual(checkTags(undefined, { requireNonEmpty: false }), []);
  rejects(() => checkTagKeys([]), 'Atleast one Tag Key needs to be provided as Input.');
  rejects(() => checkTagKeys(['']), 'The Tag Key provided is invalid, Key: ');
});

test('50 tags per resource: at the limit and one past it, on the merged set', () => {
  assert.equal(checkTagCount([], tags(50)).length, 50);
  rejects(() => checkTagCount([], tags(51)), 'Number of Tags exceed the current limit for the provided ResourceArn');
  assert.equal(checkTagCount(tags(30), tags(20, 20)).length, 40); // 10 overwritten
  rejects(() => checkTagCount(tags(40), tags(11, 40)), 'Number of Tags exceed the current limit for the provided ResourceArn');
  assert.deepEqual(checkTagCount([{ Key: 'a', Value: '1' }], [{ Key: 'a', Value: '2' }]), [{ Key: 'a', Value: '2' }]);
});

test('UntagResource keys: 50 pass, 51 fail', () => {
  assert.equal(checkTagKeys(tags(50).map((t) => t.Key)).length, 50);
  rejects(() => checkTagKeys(tags(51).map((t) => t.Key)), 'Number of Tags exceed the current limit for the provided ResourceArn');
});
