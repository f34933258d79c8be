// Order-preserving binary encodings of key values, used as components of storage keys.
//
// SORT KEY COMPONENT — encodeSortKey(value, selfDelimiting)
// Byte-wise (memcmp) order of encodings equals DynamoDB's order of values of one type:
// S by UTF-8 bytes, B by bytes, N numerically. The type is known from the key schema, so no
// type tag is written.
//
//   S, B, last in the key (selfDelimiting = false)
//       the raw bytes (UTF-8 of the string, decoded binary). 1..1024 bytes.
//       "ab" -> 61 62
//   S, B, followed by more bytes (selfDelimiting = true)
//       each 0x00 becomes 0x00 0xFF, then the terminator 0x00 0x00. A value that is a prefix of
//       another sorts first, because its terminator (00 00) is below any continuation
//       (a byte >= 01, or 00 FF). At most 2 * 1024 + 2 bytes.
//       "ab" -> 61 62 00 00        "a\0" -> 61 00 FF 00 00
//   N (always self-delimiting; the same bytes in both modes)
//       zero       02
//       positive   03, E + 130, digit pairs as 1 + 10*d1 + d2 (1..100), terminator 00
//       negative   01, 125 - E, digit pairs as 100 - 10*d1 - d2 (1..100), terminator FF
//       where E (-130..125) is the power of ten of the first significant digit and the digits
//       (1..38, no leading or trailing zeros) are padded with a 0 to an even count. A shorter
//       digit string is a smaller magnitude (trailing zeros are never stored), hence 00 ends a
//       positive and FF ends a negative. At most 1 + 1 + 19 + 1 = 22 bytes.
//       1 -> 03 82 0B 00      -1 -> 01 7D 5A FF      0.5 -> 03 81 33 00      100 -> 03 84 0B 00
//
// PARTITION KEY DIGEST — partitionKeyDigest(value)
// 16 bytes: SHA-256, truncated, of a type tag byte (S 01, N 02, B 03) followed by the value's
// canonical bytes (UTF-8; decoded binary; the N sort encoding above, so 1, 1.0 and 1E0 hash
// alike). Partition order carries no meaning, as in DynamoDB, whose Scan order is by hash too.
// The first 8 bytes, read as a big-endian uint64, place an item in a parallel-scan segment.

import { createHash } from 'node:crypto';
import type { AttributeValue, ScalarType } from './attribute-value.js';
import { formatNumber, parseNumberText, type DecimalParts } from './decimal.js';
import { numberExponentMax, numberExponentMin, numberPrecisionDigitsMax, sortKeyBytesMax } from './limits.js';
import { assert } from './errors.js';

const escapeByte = 0x00;
const escapedZeroFollower = 0xff;
const terminatorFollower = 0x00;
const negativeClass = 0x01;
const zeroClass = 0x02;
const positiveClass = 0x03;
const positiveTerminator = 0x00;
const negativeTerminator = 0xff;
const exponentBias = -numberExponentMin; // 130: maps E to 0..255 for positives
const pairBytesMax = Math.ceil(numberPrecisionDigitsMax / 2);
/** Longest N encoding: class, exponent, 19 digit pairs, terminator. */
export const numberEncodedBytesMax = 1 + 1 + pairBytesMax + 1;
const partitionDigestBytes = 16;
const typeTags: Record<ScalarType, number> = { S: 0x01, N: 0x02, B: 0x03 };

assert(numberExponentMax + exponentBias <= 0xff, 'number exponent fits one byte');

/** Worst-case size of a sort key component, for checking keys fit the store's limit. */
export function sortKeyEncodedBytesMax(selfDelimiting: boolean, rawBytesMax = sortKeyBytesMax): number {
  const stringOrBinaryMax = selfDelimiting ? 2 * rawBytesMax + 2 : rawBytesMax;
  return Math.max(stringOrBinaryMax, numberEncodedBytesMax);
}

/** Bytes whose memcmp order is DynamoDB's order for values of the value's type. */
export function encodeSortKey(value: AttributeValue, selfDelimiting: boolean): Buffer {
  if ('N' in value) return encodeNumber(parseNumberText(value.N));
  const raw = 'S' in value ? Buffer.from(value.S, 'utf8') : 'B' in value ? Buffer.from(value.B, 'base64') : undefined;
  assert(raw !== undefined, 'sort key value is S, N or B');
  return selfDelimiting ? escapeAndTerminate(raw) : raw;
}

function escapeAndTerminate(raw: Buffer): Buffer {
  let zeroCount = 0;
  for (const byte of raw) if (byte === escapeByte) zeroCount++;
  const encoded = Buffer.allocUnsafe(raw.length + zeroCount + 2);
  let at = 0;
  for (const byte of raw) {
    encoded[at++] = byte;
    if (byte === escapeByte) encoded[at++] = escapedZeroFollower;
  }
  encoded[at++] = escapeByte;
  encoded[at] = terminatorFollower;
  return encoded;
}

function encodeNumber(parts: DecimalParts): Buffer {
  if (parts.digits === '') return Buffer.from([zeroClass]);
  const { digits, negative } = parts;
  const pairCount = Math.ceil(digits.length / 2);
  const encoded = Buffer.allocUnsafe(pairCount + 3);
  encoded[0] = negative ? negativeClass : positiveClass;
  // Larger exponents mean larger magnitudes: ascending for positives, descending for negatives.
  encoded[1] = negative ? numberExponentMax - parts.exponent : parts.exponent + exponentBias;
  for (let pair = 0; pair < pairCount; pair++) {
    const high = digits.charCodeAt(2 * pair) - 48;
    const low = 2 * pair + 1 < digits.length ? digits.charCodeAt(2 * pair + 1) - 48 : 0;
    const value = 10 * high + low; // 0..99
    encoded[pair + 2] = negative ? 100 - value : 1 + value;
  }
  encoded[pairCount + 2] = negative ? negativeTerminator : positiveTerminator;
  return encoded;
}

/**
 * Reads a sort key component starting at `offset`. `length` is the number of bytes consumed
 * (to the end of `bytes` for a raw S or B component).
 */
export function decodeSortKey(
  bytes: Buffer,
  type: ScalarType,
  selfDelimiting: boolean,
  offset = 0,
): { value: AttributeValue; length: number } {
  if (type === 'N') return decodeNumber(bytes, offset);
  const { raw, length } = selfDelimiting ? unescape(bytes, offset) : { raw: bytes.subarray(offset), length: bytes.length - offset };
  const value: AttributeValue = type === 'S' ? { S: raw.toString('utf8') } : { B: raw.toString('base64') };
  return { value, length };
}

function unescape(bytes: Buffer, offset: number): { raw: Buffer; length: number } {
  const output = Buffer.allocUnsafe(bytes.length - offset);
  let written = 0;
  for (let at = offset; at < bytes.length; at++) {
    const byte = bytes[at]!;
    if (byte !== escapeByte) {
      output[written++] = byte;
      continue;
    }
    const follower = bytes[++at];
    if (follower === terminatorFollower) return { raw: output.subarray(0, written), length: at + 1 - offset };
    assert(follower === escapedZeroFollower, 'escaped sort key: 00 is followed by 00 or FF');
    output[written++] = escapeByte;
  }
  throw new Error('invariant broken: escaped sort key without terminator');
}

function decodeNumber(bytes: Buffer, offset: number): { value: AttributeValue; length: number } {
  const numberClass = bytes[offset];
  if (numberClass === zeroClass) return { value: { N: '0' }, length: 1 };
  assert(numberClass === positiveClass || numberClass === negativeClass, 'number class byte');
  const negative = numberClass === negativeClass;
  const exponent = negative ? numberExponentMax - bytes[offset + 1]! : bytes[offset + 1]! - exponentBias;
  const terminator = negative ? negativeTerminator : positiveTerminator;
  let digits = '';
  let at = offset + 2;
  for (; bytes[at] !== terminator; at++) {
    assert(at < bytes.length, 'number sort key has a terminator');
    const value = negative ? 100 - bytes[at]! : bytes[at]! - 1;
    digits += value < 10 ? `0${value}` : `${value}`;
  }
  // The padding zero of an odd digit count is the only trailing zero a pair can hold.
  if (digits.endsWith('0')) digits = digits.slice(0, -1);
  return { value: { N: formatNumber({ negative, digits, exponent }) }, length: at + 1 - offset };
}

/** 16-byte digest of a partition key value (see the format notes at the top). */
export function partitionKeyDigest(value: AttributeValue): Buffer {
  const hash = createHash('sha256');
  if ('S' in value) hash.update(tagBytes.S).update(value.S, 'utf8');
  else if ('N' in value) hash.update(tagBytes.N).update(encodeNumber(parseNumberText(value.N)));
  else if ('B' in value) hash.update(tagBytes.B).update(Buffer.from(value.B, 'base64'));
  else assert(false, 'partition key value is S, N or B');
  return hash.digest().subarray(0, partitionDigestBytes);
}

/**
 * The partition digest of a multi-attribute GSI key: the digest of the HASH values' digests in
 * order (fixed-length, so the tuple is unambiguous). One value keeps its plain digest.
 */
export function partitionTupleDigest(values: readonly AttributeValue[]): Buffer {
  if (values.length === 1) return partitionKeyDigest(values[0]!);
  const hash = createHash('sha256');
  for (const value of values) hash.update(partitionKeyDigest(value));
  return hash.digest().subarray(0, partitionDigestBytes);
}

const tagBytes: Record<ScalarType, Buffer> = {
  S: Buffer.from([typeTags.S]),
  N: Buffer.from([typeTags.N]),
  B: Buffer.from([typeTags.B]),
};
