// Covers src/model/keys.ts: key checks of PutItem items and of Key parameters against a key
// schema, with DynamoDB's exact texts, and the 2048-byte partition / 1024-byte sort key
// limits at and one past the boundary for strings (UTF-8 bytes) and binaries (decoded bytes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkItemKeys, checkKeyArgument } from '../../src/model/keys.js';
import type { KeySchema } from '../../src/engine/table-spec.js';
import type { Item } from '../../src/model/attribute-value.js';

const hashOnly: KeySchema = { partitionKey: { name: 'p', type: 'S' } };
const composite: KeySchema = { partitionKey: { name: 'p', type: 'S' }, sortKey: { name: 'c', type: 'N' } };
const binary: KeySchema = { partitionKey: { name: 'p', type: 'B' }, sortKey: { name: 'c', type: 'B' } };
const stringSort: KeySchema = { partitionKey: { name: 'p', type: 'S' }, sortKey: { name: 'c', type: 'S' } };

const invalid = 'One or more parameter values were invalid: ';
const mismatch = 'The provided key element does not match the schema';
const hashTooLong = `${invalid}Size of hashkey has exceeded the maximum size limit of2048 bytes`;
const rangeTooLong = `${invalid}Aggregated size of all range keys has exceeded the size limit of 1024 bytes`;
const bytesOf = (length: number): string => Buffer.alloc(length, 0x7b).toString('base64');

function itemRejects(item: Item, schema: KeySchema, message: string): void {
  assert.throws(() => checkItemKeys(item, schema), { name: 'ValidationException', message });
}

function keyRejects(key: Item, schema: KeySchema, message: string): void {
  assert.throws(() => checkKeyArgument(key, schema), { name: 'ValidationException', message });
}

test('item keys: missing, wrong type, empty', () => {
  itemRejects({ x: { S: 'a' } }, hashOnly, `${invalid}Missing the key p in the item`);
  itemRejects({ p: { S: 'a' } }, composite, `${invalid}Missing the key c in the item`);
  itemRejects({ p: { N: '1' } }, hashOnly, `${invalid}Type mismatch for key p expected: S actual: N`);
  itemRejects({ p: { S: 'a' }, c: { SS: ['1'] } }, composite, `${invalid}Type mismatch for key c expected: N actual: SS`);
  itemRejects({ p: { S: '' } }, hashOnly,
    'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: p');
  itemRejects({ p: { B: bytesOf(1) }, c: { B: '' } }, binary,
    'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: c');
  // The partition key is checked completely before the sort key.
  itemRejects({ p: { S: '' } }, composite,
    'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: p');
  checkItemKeys({ p: { S: 'a' }, c: { N: '1' }, other: { S: '' } }, composite);
});

test('partition key length: 2048 bytes accepted, 2049 refused (UTF-8 and decoded binary)', () => {
  checkItemKeys({ p: { S: 'x'.repeat(2048) } }, hashOnly);
  itemRejects({ p: { S: 'x'.repeat(2049) } }, hashOnly, hashTooLong);
  checkItemKeys({ p: { S: 'é'.repeat(1024) } }, hashOnly); // 2048 UTF-8 bytes
  itemRejects({ p: { S: 'é'.repeat(1024) + 'x' } }, hashOnly, hashTooLong);
  checkItemKeys({ p: { B: bytesOf(2048) }, c: { B: bytesOf(1) } }, binary);
  itemRejects({ p: { B: bytesOf(2049) }, c: { B: bytesOf(1) } }, binary, hashTooLong);
  checkKeyArgument({ p: { S: 'x'.repeat(2048) } }, hashOnly);
  keyRejects({ p: { S: 'x'.repeat(2049) } }, hashOnly, hashTooLong);
});

test('sort key length: 1024 bytes accepted, 1025 refused (UTF-8 and decoded binary)', () => {
  checkItemKeys({ p: { S: 'a' }, c: { S: 'x'.repeat(1024) } }, stringSort);
  itemRejects({ p: { S: 'a' }, c: { S: 'x'.repeat(1025) } }, stringSort, rangeTooLong);
  checkItemKeys({ p: { B: bytesOf(1) }, c: { B: bytesOf(1024) } }, binary);
  itemRejects({ p: { B: bytesOf(1) }, c: { B: bytesOf(1025) } }, binary, rangeTooLong);
  checkKeyArgument({ p: { B: bytesOf(1) }, c: { B: bytesOf(1024) } }, binary);
  keyRejects({ p: { B: bytesOf(1) }, c: { B: bytesOf(1025) } }, binary, rangeTooLong);
  // Both keys at their limits together are fine.
  checkItemKeys({ p: { S: 'x'.repeat(2048) }, c: { S: 'y'.repeat(1024) } }, stringSort);
});

test('numbers as keys have no length limit of their own', () => {
  checkItemKeys({ p: { S: 'a' }, c: { N: '1' + '0'.repeat(125) } }, composite);
});

test('Key argument: exact attributes and types, else "does not match the schema"', () => {
  assert.deepEqual(checkKeyArgument({ p: { S: 'a' } }, hashOnly), { p: { S: 'a' } });
  assert.deepEqual(checkKeyArgument({ c: { N: '1' }, p: { S: 'a' } }, composite), { p: { S: 'a' }, c: { N: '1' } });
  keyRejects({}, hashOnly, mismatch);
  keyRejects({ p: { S: 'a' } }, composite, mismatch);
  keyRejects({ p: { S: 'a' }, x: { N: '1' } }, composite, mismatch);
  keyRejects({ p: { S: 'a' }, c: { N: '1' }, x: { S: 'b' } }, composite, mismatch);
  keyRejects({ p: { S: 'a' }, c: { N: '1' } }, hashOnly, mismatch);
  keyRejects({ p: { N: '1' } }, hashOnly, mismatch);
  keyRejects({ p: { S: 'a' }, c: { S: '1' } }, composite, mismatch);
  keyRejects({ q: { S: 'a' } }, hashOnly, mismatch);
});

test('Key argument: empty values', () => {
  keyRejects({ p: { S: '' } }, hashOnly,
    'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: p');
  keyRejects({ p: { B: '' }, c: { B: bytesOf(1) } }, binary,
    'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: p');
});
