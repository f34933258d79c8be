// Item size as DynamoDB measures it, for the 400 KB item limit and for capacity units
// (1 KB per write unit, 4 KB per read unit). The rules, per the developer guide
// ("Item sizes and formats") and captures against DynamoDB:
//   attribute name   UTF-8 bytes (top level and inside maps)
//   S                UTF-8 bytes
//   B                decoded bytes, not the base64 text
//   N                1 byte + the base-100 digit pairs of the significant digits, aligned on
//                    the decimal point, + 1 byte if negative; zero is 1 byte (see numberSize)
//   BOOL, NULL       1 byte
//   SS, NS, BS       sum of the members' sizes
//   M                3 bytes + per entry (1 byte + name + value)
//   L                3 bytes + per element (1 byte + value)
// Values are assumed checked (checkAttributeValue): numbers canonical, base64 padded.

import type { AttributeValue, Item } from './attribute-value.js';

const documentOverheadBytes = 3;
const elementOverheadBytes = 1;
const scalarFlagBytes = 1;
const zeroCharCode = 48;

/** Bytes of the UTF-8 encoding, without encoding. */
export function utf8Size(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Decoded length of padded base64 text, without decoding. */
export function base64DecodedSize(text: string): number {
  const length = text.length;
  if (length === 0) return 0;
  const padding = text.charCodeAt(length - 1) !== 61 ? 0 : text.charCodeAt(length - 2) === 61 ? 2 : 1;
  return (length / 4) * 3 - padding;
}

/**
 * A number's size: 1 byte of exponent, the significant digits packed two per byte in pairs
 * aligned on the decimal point (base 100), and 1 more byte for a negative number. Matches
 * all 23 literals captured against DynamoDB in paritysuite's numberByteSize test ("1.5" costs
 * 3, "15" costs 2, "100" costs 2, "1E125" costs 2, "-42" costs 3) and dynalite's formula.
 * `text` is in canonical form (plain digits, no exponent, as normalizeNumber returns).
 */
export function numberSize(text: string): number {
  const negative = text.charCodeAt(0) === 45; // '-'
  const start = negative ? 1 : 0;
  const point = text.indexOf('.');
  let significantDigits: number;
  let leadingExponent: number; // power of ten of the first significant digit
  if (point < 0) {
    let end = text.length;
    while (end > start + 1 && text.charCodeAt(end - 1) === zeroCharCode) end--;
    if (end === start + 1 && text.charCodeAt(start) === zeroCharCode) return 1; // zero
    significantDigits = end - start;
    leadingExponent = text.length - start - 1;
  } else if (point === start + 1 && text.charCodeAt(start) === zeroCharCode) {
    let first = point + 1;
    while (text.charCodeAt(first) === zeroCharCode) first++;
    significantDigits = text.length - first;
    leadingExponent = point - first;
  } else {
    significantDigits = text.length - start - 1;
    leadingExponent = point - start - 1;
  }
  // A leading digit at an even power of ten starts its own base-100 pair.
  const alignment = leadingExponent % 2 === 0 ? 1 : 0;
  return 1 + Math.ceil((significantDigits + alignment) / 2) + (negative ? 1 : 0);
}

/** The size of one value, without its attribute name. */
export function attributeValueSize(value: AttributeValue): number {
  if ('S' in value) return utf8Size(value.S);
  if ('N' in value) return numberSize(value.N);
  if ('B' in value) return base64DecodedSize(value.B);
  if ('BOOL' in value || 'NULL' in value) return scalarFlagBytes;
  if ('M' in value) return documentOverheadBytes + mapEntriesSize(value.M);
  if ('L' in value) return documentOverheadBytes + listElementsSize(value.L);
  if ('SS' in value) return sumSizes(value.SS, utf8Size);
  if ('NS' in value) return sumSizes(value.NS, numberSize);
  return sumSizes(value.BS, base64DecodedSize);
}

function mapEntriesSize(map: Item): number {
  let total = 0;
  for (const name in map) total += elementOverheadBytes + utf8Size(name) + attributeValueSize(map[name]!);
  return total;
}

function listElementsSize(list: AttributeValue[]): number {
  let total = 0;
  for (const element of list) total += elementOverheadBytes + attributeValueSize(element);
  return total;
}

function sumSizes(members: string[], sizeOf: (member: string) => number): number {
  let total = 0;
  for (const member of members) total += sizeOf(member);
  return total;
}

/** An item's size: each attribute's name plus its value (the 400 KB limit counts this). */
export function itemSize(item: Item): number {
  let total = 0;
  for (const name in item) total += utf8Size(name) + attributeValueSize(item[name]!);
  return total;
}
