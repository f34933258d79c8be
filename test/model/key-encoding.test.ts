// Covers src/model/key-encoding.ts: for seeded random S, N and B values, memcmp order of the
// encodings equals DynamoDB's order (compareValues) in both modes, decoding gives the value
// back with the right length even when more bytes follow; fixed byte vectors pin the format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AttributeValue, ScalarType } from '../../src/model/attribute-value.js';
import {
  decodeSortKey,
  encodeSortKey,
  numberEncodedBytesMax,
  partitionKeyDigest,
  sortKeyEncodedBytesMax,
} from '../../src/model/key-encoding.js';
import { compareValues } from '../../src/model/values.js';
import { normalizeNumber } from '../../src/model/decimal.js';
import { sortKeyBytesMax, storageKeyBytesMax } from '../../src/model/limits.js';
import { randomBinary, randomNumberText, randomSource, randomString } from './random.js';

const generators: Record<ScalarType, (random: () => number) => AttributeValue> = {
  S: (random) => ({ S: randomString(random) }),
  N: (random) => ({ N: normalizeNumber(randomNumberText(random)) }),
  B: (random) => ({ B: randomBinary(random) }),
};

const hex = (value: AttributeValue, selfDelimiting: boolean): string => encodeSortKey(value, selfDelimiting).toString('hex');

for (const type of ['S', 'N', 'B'] as const) {
  for (const selfDelimiting of [false, true]) {
    test(`${type}, selfDelimiting=${selfDelimiting}: byte order equals DynamoDB order; decode inverts encode`, () => {
      const random = randomSource(type.charCodeAt(0) + (selfDelimiting ? 100 : 0));
      const suffix = Buffer.from([0x00, 0xff, 0x01]);
      for (let i = 0; i < 4000; i++) {
        const a = generators[type](random);
        const b = random() < 0.1 ? a : generators[type](random);
        const encodedA = encodeSortKey(a, selfDelimiting);
        const encodedB = encodeSortKey(b, selfDelimiting);
        assert.equal(Math.sign(Buffer.compare(encodedA, encodedB)), compareValues(a, b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
        const decoded = decodeSortKey(encodedA, type, selfDelimiting);
        assert.deepEqual(decoded, { value: a, length: encodedA.length });
        if (selfDelimiting || type === 'N') {
          // More bytes may follow a self-delimiting component, and it may start mid-buffer.
          const framed = Buffer.concat([suffix, encodedA, suffix]);
          assert.deepEqual(decodeSortKey(framed, type, selfDelimiting, suffix.length), { value: a, length: encodedA.length });
          // Order holds with whatever follows each component.
          const withTailA = Buffer.concat([encodedA, Buffer.from([random() * 256])]);
          const withTailB = Buffer.concat([encodedB, Buffer.from([random() * 256])]);
          if (compareValues(a, b) !== 0) assert.equal(Math.sign(Buffer.compare(withTailA, withTailB)), compareValues(a, b));
        }
      }
    });
  }
}

test('fixed vectors: S and B', () => {
  assert.equal(hex({ S: 'ab' }, false), '6162');
  assert.equal(hex({ S: 'ab' }, true), '61620000');
  assert.equal(hex({ S: 'a\u0000' }, true), '6100ff0000');
  assert.equal(hex({ S: '' }, true), '0000');
  assert.equal(hex({ S: 'é😀' }, false), 'c3a9f09f9880');
  assert.equal(hex({ B: 'AP8=' }, false), '00ff');
  assert.equal(hex({ B: 'AP8=' }, true), '00ffff0000');
});

test('fixed vectors: N (the same bytes in both modes)', () => {
  const vectors: [string, string][] = [
    ['0', '02'],
    ['1', '03820b00'],
    ['-1', '017d5aff'],
    ['0.5', '03813300'],
    ['100', '03840b00'],
    ['12.5', '03830d3300'],
    ['-12.5', '017c5832ff'],
    ['3.14159', '0382202a3c00'],
    ['1e125', '03ff0b00'],
    ['1e-130', '03000b00'],
    ['-1e125', '01005aff'],
    ['-1e-130', '01ff5aff'],
  ];
  for (const [number, expected] of vectors) {
    assert.equal(hex({ N: normalizeNumber(number) }, false), expected, number);
    assert.equal(hex({ N: normalizeNumber(number) }, true), expected, number);
  }
});

test('worst-case sizes: documented bound reached and never exceeded', () => {
  assert.equal(sortKeyEncodedBytesMax(false), sortKeyBytesMax);
  assert.equal(sortKeyEncodedBytesMax(true), 2 * sortKeyBytesMax + 2);
  const allZeros = { B: Buffer.alloc(sortKeyBytesMax).toString('base64') };
  assert.equal(encodeSortKey(allZeros, true).length, sortKeyEncodedBytesMax(true));
  assert.equal(encodeSortKey(allZeros, false).length, sortKeyEncodedBytesMax(false));
  const widestNumber = normalizeNumber('-1.' + '1'.repeat(37) + 'e-130');
  assert.equal(encodeSortKey({ N: widestNumber }, true).length, numberEncodedBytesMax);
  assert.equal(numberEncodedBytesMax, 22);
  // Two digests, a self-delimiting sort key and a raw one fit the store's key limit.
  assert.ok(16 + sortKeyEncodedBytesMax(true) + 16 + sortKeyEncodedBytesMax(false) <= storageKeyBytesMax);
});

test('partition key digest: 16 bytes, numbers canonical, types distinct', () => {
  const one = partitionKeyDigest({ N: '1' });
  assert.equal(one.length, 16);
  assert.deepEqual(partitionKeyDigest({ N: '1.0' }), one);
  assert.deepEqual(partitionKeyDigest({ N: '1E0' }), one);
  assert.notDeepEqual(partitionKeyDigest({ S: '1' }), one);
  assert.notDeepEqual(partitionKeyDigest({ S: 'a' }), partitionKeyDigest({ B: 'YQ==' }));
  assert.equal(partitionKeyDigest({ S: 'abc' }).toString('hex'), partitionKeyDigest({ S: 'abc' }).toString('hex'));
  // Fixed vector so a change of the digest input shows as a diff.
  assert.equal(partitionKeyDigest({ S: 'abc' }).toString('hex'), FIXED_S_ABC);
  assert.equal(one.readBigUInt64BE(0) >= 0n, true);
});

// SHA-256 of 01 61 62 63, first 16 bytes.
const FIXED_S_ABC = '1e18834c426d00e57788444cb3ccd62c';
