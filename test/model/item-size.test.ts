// Covers src/model/item-size.ts: DynamoDB's size rules per type, the number sizes captured
// against DynamoDB (paritysuite numberByteSize), and the 400 KB item limit computed exactly
// at and one byte past the boundary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attributeValueSize, base64DecodedSize, itemSize, numberSize } from '../../src/model/item-size.js';
import { normalizeNumber } from '../../src/model/decimal.js';
import { itemBytesMax } from '../../src/model/limits.js';
import { randomNumberText, randomSource } from './random.js';

test('number sizes match the 23 literals captured against DynamoDB', () => {
  const captured: [string, number][] = [
    ['0', 1], ['1', 2], ['12', 2], ['123', 3], ['1234', 3], ['12345678901234567890123456789012345678', 20],
    ['0042', 2], ['100', 2], ['1010', 3], ['0.0000001', 2], ['1E125', 2], ['1E-100', 2], ['1.5', 3], ['15', 2],
    ['1.2', 3], ['1.200', 3], ['1.234', 4], ['3.14159', 5], ['123456', 4], ['100.5', 4], ['0.15', 2], ['-42', 3], ['-0', 1],
  ];
  for (const [literal, bytes] of captured) assert.equal(numberSize(normalizeNumber(literal)), bytes, literal);
});

test('number size is 1 + base-100 pairs aligned on the point (+1 if negative), for random numbers', () => {
  const random = randomSource(11);
  for (let i = 0; i < 3000; i++) {
    const text = normalizeNumber(randomNumberText(random));
    const negative = text.startsWith('-');
    const [integer = '', fraction = ''] = text.replace('-', '').split('.');
    // Independent statement of the rule: pad the integer part to even length on the left and
    // the fraction to even length on the right, then count pairs with a non-zero digit span.
    const paddedInteger = integer.length % 2 ? '0' + integer : integer;
    const paddedFraction = fraction.length % 2 ? fraction + '0' : fraction;
    const pairs = (paddedInteger + paddedFraction).match(/../g) ?? [];
    const first = pairs.findIndex((pair) => pair !== '00');
    let last = pairs.length - 1;
    while (last >= 0 && pairs[last] === '00') last--;
    const expected = first < 0 ? 1 : 1 + (last - first + 1) + (negative ? 1 : 0);
    assert.equal(numberSize(text), expected, text);
  }
});

test('scalar, set and document sizes', () => {
  assert.equal(attributeValueSize({ S: '' }), 0);
  assert.equal(attributeValueSize({ S: 'héllo😀' }), 10); // UTF-8 bytes, not UTF-16 units
  assert.equal(attributeValueSize({ B: '' }), 0);
  assert.equal(attributeValueSize({ B: 'YQ==' }), 1);
  assert.equal(attributeValueSize({ B: 'YWI=' }), 2);
  assert.equal(attributeValueSize({ B: 'YWJj' }), 3);
  assert.equal(attributeValueSize({ BOOL: false }), 1);
  assert.equal(attributeValueSize({ NULL: true }), 1);
  assert.equal(attributeValueSize({ SS: ['ab', 'c'] }), 3);
  assert.equal(attributeValueSize({ NS: ['1', '-42'] }), 2 + 3);
  assert.equal(attributeValueSize({ BS: ['YQ==', 'YWJj'] }), 4);
  assert.equal(attributeValueSize({ M: {} }), 3);
  assert.equal(attributeValueSize({ L: [] }), 3);
  assert.equal(attributeValueSize({ M: { ab: { S: 'xyz' } } }), 3 + 1 + 2 + 3);
  assert.equal(attributeValueSize({ L: [{ S: 'xyz' }, { N: '1' }] }), 3 + (1 + 3) + (1 + 2));
  assert.equal(attributeValueSize({ M: { a: { L: [{ M: {} }] } } }), 3 + 1 + 1 + (3 + 1 + 3));
  for (let length = 0; length < 20; length++) {
    const bytes = Buffer.alloc(length, 7);
    assert.equal(base64DecodedSize(bytes.toString('base64')), length);
  }
});

test('item size counts UTF-8 attribute names plus values', () => {
  assert.equal(itemSize({}), 0);
  assert.equal(itemSize({ pk: { S: 'abc' }, n: { N: '12345' }, é: { BOOL: true } }), 2 + 3 + 1 + 4 + 2 + 1);
});

test('the 400 KB limit: an item of exactly 409600 bytes is at it, one byte more is past it', () => {
  const base = { pk: { S: 'key' } };
  const padding = itemBytesMax - itemSize(base) - 'p'.length;
  const atLimit = { ...base, p: { S: 'x'.repeat(padding) } };
  const pastLimit = { ...base, p: { S: 'x'.repeat(padding + 1) } };
  assert.equal(itemSize(atLimit), 409600);
  assert.equal(itemSize(pastLimit), 409601);
  assert.ok(itemSize(atLimit) <= itemBytesMax);
  assert.ok(itemSize(pastLimit) > itemBytesMax);
});
