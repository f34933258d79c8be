// Covers src/model/values.ts: DynamoDB's ordering (S by UTF-8 bytes, N numerically, B by
// bytes) checked against Buffer.compare and a BigInt oracle on seeded random values;
// equality as "=" has it; and client value checks with DynamoDB's exact texts in both
// validation layers, including the 32-level nesting limit at and past its boundary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AttributeValue } from '../../src/model/attribute-value.js';
import {
  checkAttributeValue,
  checkItem,
  compareStringsUtf8,
  compareValues,
  valuesEqual,
  type ValidationLayer,
} from '../../src/model/values.js';
import { normalizeNumber } from '../../src/model/decimal.js';
import { compareNumberTextsExactly, randomBinary, randomNumberText, randomSource, randomString } from './random.js';

const invalid = 'One or more parameter values were invalid: ';
const nesting =
  'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';

function rejects(value: unknown, name: string, message: string, layer: ValidationLayer = 'current'): void {
  assert.throws(() => checkAttributeValue(value, layer), { name, message }, `${layer} ${JSON.stringify(value)}`);
}

function nestedMaps(wraps: number, leaf: AttributeValue = { S: 'leaf' }): AttributeValue {
  let value = leaf;
  for (let i = 0; i < wraps; i++) value = { M: { n: value } };
  return value;
}

test('strings order by UTF-8 bytes, not UTF-16 code units', () => {
  assert.equal(compareValues({ S: '\uffff' }, { S: '\u{1f600}' }), -1); // JS '<' says the opposite
  assert.equal(compareValues({ S: '\ue000' }, { S: '\ud7ff' }), 1);
  assert.equal(compareValues({ S: 'a' }, { S: 'ab' }), -1);
  assert.equal(compareValues({ S: '' }, { S: '' }), 0);
  const random = randomSource();
  for (let i = 0; i < 5000; i++) {
    const a = randomString(random);
    const b = randomString(random);
    assert.equal(compareStringsUtf8(a, b), Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b))), `${escape(a)} vs ${escape(b)}`);
  }
});

test('binaries order by decoded bytes; numbers numerically', () => {
  const random = randomSource(3);
  for (let i = 0; i < 3000; i++) {
    const a = randomBinary(random);
    const b = randomBinary(random);
    const expected = Math.sign(Buffer.compare(Buffer.from(a, 'base64'), Buffer.from(b, 'base64')));
    assert.equal(compareValues({ B: a }, { B: b }), expected);
    const x = randomNumberText(random);
    const y = randomNumberText(random);
    assert.equal(compareValues({ N: normalizeNumber(x) }, { N: normalizeNumber(y) }), compareNumberTextsExactly(x, y));
  }
  assert.throws(() => compareValues({ S: 'a' }, { N: '1' }));
});

test('valuesEqual follows "=": numbers numerically, sets in any order, documents deeply', () => {
  assert.ok(valuesEqual({ N: '1' }, { N: '1.0' }));
  assert.ok(valuesEqual({ SS: ['a', 'b'] }, { SS: ['b', 'a'] }));
  assert.ok(valuesEqual({ NS: ['1', '2.5'] }, { NS: ['2.5', '1'] })); // members canonical, as checked values are
  assert.ok(valuesEqual({ BS: ['AA==', '/w=='] }, { BS: ['/w==', 'AA=='] }));
  assert.ok(!valuesEqual({ SS: ['a', 'b'] }, { SS: ['a', 'c'] }));
  assert.ok(!valuesEqual({ SS: ['a'] }, { SS: ['a', 'b'] }));
  assert.ok(valuesEqual({ M: { a: { L: [{ N: '1' }, { NULL: true }] } } }, { M: { a: { L: [{ N: '1.00' }, { NULL: true }] } } }));
  assert.ok(!valuesEqual({ M: { a: { N: '1' } } }, { M: { a: { N: '1' }, b: { N: '1' } } }));
  assert.ok(!valuesEqual({ M: { a: { N: '1' }, b: { N: '1' } } }, { M: { a: { N: '1' } } }));
  assert.ok(!valuesEqual({ L: [{ S: 'a' }, { S: 'b' }] }, { L: [{ S: 'b' }, { S: 'a' }] }));
  assert.ok(!valuesEqual({ S: '1' }, { N: '1' }));
  assert.ok(!valuesEqual({ SS: ['1'] }, { NS: ['1'] }));
  assert.ok(!valuesEqual({ BOOL: true }, { BOOL: false }));
  assert.ok(valuesEqual({ B: 'YQ==' }, { B: 'YQ==' }));
});

test('checkAttributeValue returns values normalized', () => {
  assert.deepEqual(checkAttributeValue({ N: '01.50' }), { N: '1.5' });
  assert.deepEqual(checkAttributeValue({ NS: ['1e2', '5'] }), { NS: ['100', '5'] });
  assert.deepEqual(
    checkAttributeValue({ M: { a: { N: '1e3' }, b: { L: [{ NS: ['2', '1e1'] }, { S: '' }, { B: '' }] } } }),
    { M: { a: { N: '1000' }, b: { L: [{ NS: ['2', '10'] }, { S: '' }, { B: '' }] } } },
  );
  assert.deepEqual(checkAttributeValue({ S: null, N: '5' }), { N: '5' }); // JSON null is "not set"
  assert.deepEqual(checkAttributeValue({ SS: ['', 'a'] }), { SS: ['', 'a'] }); // empty members are allowed
  assert.deepEqual(checkAttributeValue({ NULL: true }), { NULL: true });
  assert.deepEqual(checkItem({ a: { S: 'x' }, b: { N: '2.0' } }), { a: { S: 'x' }, b: { N: '2' } });
});

test('empty values and several types', () => {
  const empty = 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes';
  for (const value of [{}, { a: '' }, { M: { a: {} } }, { L: [{}] }, { L: [{ a: {} }] }])
    rejects(value, 'ValidationException', empty);
  rejects({ S: 'a', N: '1' }, 'ValidationException',
    'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
  // The number is read first, as DynamoDB does.
  rejects({ S: '', N: '' }, 'ValidationException', 'The parameter cannot be converted to a numeric value: ');
  rejects({ S: 'a', N: 'b' }, 'ValidationException', 'The parameter cannot be converted to a numeric value: b');
});

test('NULL must be true', () => {
  rejects({ NULL: false }, 'ValidationException', `${invalid}Null attribute value types must have the value of true`);
});

test('empty sets', () => {
  for (const layer of ['current', 'legacy'] as const) {
    rejects({ SS: [] }, 'ValidationException', `${invalid}An string set  may not be empty`, layer);
    rejects({ NS: [] }, 'ValidationException', `${invalid}An number set  may not be empty`, layer);
    rejects({ BS: [] }, 'ValidationException', `${invalid}Binary sets should not be empty`, layer);
  }
});

test('duplicate set members, in each layer\'s wording', () => {
  // Captured on DynamoDB (paritysuite valueLayers.test.ts).
  rejects({ SS: ['b', 'a', 'b'] }, 'ValidationException', `${invalid}Input collection ["a", "b", "b"] contains duplicates.`);
  rejects({ BS: ['/w==', 'AA==', 'AA=='] }, 'ValidationException', `${invalid}Input collection ["AA==","/w==","AA=="]of type BS contains duplicates.`);
  rejects({ NS: ['2', '1', '2'] }, 'ValidationException', `${invalid}Input collection contains duplicates.`);
  rejects({ SS: ['b', 'a', 'b'] }, 'ValidationException', `${invalid}Input collection [b, a, b] contains duplicates.`, 'legacy');
  rejects({ BS: ['/w==', 'AA==', 'AA=='] }, 'ValidationException', `${invalid}Input collection [/w==, AA==, AA==]of type BS contains duplicates.`, 'legacy');
  rejects({ NS: ['2', '1', '2'] }, 'ValidationException', 'Input collection contains duplicates', 'legacy');
  rejects({ SS: ['a', 'a'] }, 'ValidationException', `${invalid}Input collection [a, a] contains duplicates.`, 'legacy');
  // Members before the first repeat are sorted; the repeat and the rest stay as sent.
  rejects({ SS: ['c', 'a', 'c', 'b'] }, 'ValidationException', `${invalid}Input collection ["a", "c", "c", "b"] contains duplicates.`);
  rejects({ SS: ['', ''] }, 'ValidationException', `${invalid}Input collection ["", ""] contains duplicates.`);
  // Numbers are compared by value.
  rejects({ NS: ['1', '1.0'] }, 'ValidationException', `${invalid}Input collection contains duplicates.`);
  // A bad member is reported before duplicates.
  rejects({ NS: ['1', '1', 'x'] }, 'ValidationException', 'The parameter cannot be converted to a numeric value: x');
  rejects({ NS: ['1', ''] }, 'ValidationException', 'The parameter cannot be converted to a numeric value', 'legacy');
});

test('JSON of the wrong shape is a SerializationException', () => {
  rejects({ S: 5 }, 'SerializationException', 'NUMBER_VALUE cannot be converted to String');
  rejects({ N: 123 }, 'SerializationException', 'NUMBER_VALUE cannot be converted to String');
  rejects({ M: { sth: { N: 5 } } }, 'SerializationException', 'NUMBER_VALUE cannot be converted to String');
  rejects({ S: { S: 'asdf' } }, 'SerializationException', 'Start of structure or map found where not expected');
  rejects({ S: ['a'] }, 'SerializationException', 'Start of list found where not expected');
  rejects({ SS: [1] }, 'SerializationException', 'NUMBER_VALUE cannot be converted to String');
  rejects({ B: 'not base64!' }, 'SerializationException', "'not base64!' can not be converted to a Blob");
  // Serialization faults win over validation faults anywhere in the value.
  rejects({ L: [{ SS: [] }, { S: 1 }] }, 'SerializationException', 'NUMBER_VALUE cannot be converted to String');
  assert.throws(() => checkItem([]), { name: 'SerializationException' });
});

test('the first validation fault in document order is reported', () => {
  rejects({ L: [{ N: 'x' }, { SS: [] }] }, 'ValidationException', 'The parameter cannot be converted to a numeric value: x');
  rejects({ L: [{ SS: [] }, { N: 'x' }] }, 'ValidationException', `${invalid}An string set  may not be empty`);
  rejects({ M: { d: nestedMaps(40), bad: { N: 'abc' } } }, 'ValidationException', nesting);
  rejects({ M: { bad: { N: 'abc' }, d: nestedMaps(40) } }, 'ValidationException', 'The parameter cannot be converted to a numeric value: abc');
  rejects(nestedMaps(40, { N: 'abc' }), 'ValidationException', nesting);
});

test('nesting limit: a leaf at level 32 is accepted, at level 33 refused', () => {
  // Captured on DynamoDB: 31 map wrappers around a leaf are accepted, 32 are refused.
  assert.deepEqual(checkAttributeValue(nestedMaps(31)), nestedMaps(31));
  assert.deepEqual(checkItem({ data: nestedMaps(31) }), { data: nestedMaps(31) });
  rejects(nestedMaps(32), 'ValidationException', nesting);
  assert.throws(() => checkItem({ data: nestedMaps(32) }), { message: nesting });
  let list: AttributeValue = { S: 'leaf' };
  for (let i = 0; i < 31; i++) list = { L: [list] };
  assert.deepEqual(checkAttributeValue(list), list);
  rejects({ L: [list] }, 'ValidationException', nesting);
  // An empty document at level 32 is fine; one at level 33 is not.
  assert.ok(checkAttributeValue(nestedMaps(31, { M: {} })));
  rejects(nestedMaps(32, { M: {} }), 'ValidationException', nesting);
});

test('hostile depth does not exhaust the stack', () => {
  let value: unknown = { S: 'leaf' };
  for (let i = 0; i < 200_000; i++) value = { L: [value] };
  assert.throws(() => checkAttributeValue(value), { name: 'ValidationException', message: nesting });
});

test('numbers are read in the requested layer', () => {
  rejects({ N: '' }, 'ValidationException', 'The parameter cannot be converted to a numeric value: ');
  rejects({ N: '' }, 'ValidationException', 'The parameter cannot be converted to a numeric value', 'legacy');
  rejects({ N: '1e2147483647' }, 'ValidationException',
    'Number overflow. Attempting to store a number with magnitude larger than supported range');
  rejects({ N: '1e2147483647' }, 'ValidationException',
    'Number underflow. Attempting to store a number with magnitude smaller than supported range', 'legacy');
  rejects({ NS: ['1', '1e126'] }, 'ValidationException',
    'Number overflow. Attempting to store a number with magnitude larger than supported range');
  rejects({ N: '1234567890123456789012345678901234567890' }, 'ValidationException',
    'Attempting to store more than 38 significant digits in a Number');
});

test('a failed check leaves no state behind for the next one', () => {
  rejects({ SS: [] }, 'ValidationException', `${invalid}An string set  may not be empty`);
  assert.deepEqual(checkAttributeValue({ S: 'ok' }), { S: 'ok' });
});
