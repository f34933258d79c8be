// Attribute values: DynamoDB's ordering and equality, and the check of a client value.
// checkAttributeValue runs on every request, so it walks each value once and allocates only
// where it must return a normalized copy (numbers in canonical form).
import type { AttributeValue, Item } from './attribute-value.js';
import { typeOf } from './attribute-value.js';
import { compareNumbers, normalizeNumber, type ValidationLayer } from './decimal.js';
import { DynamoError, validationError } from './errors.js';
import { attributeNameBytesMax, nestingDepthMax } from './limits.js';

// ---------------------------------------------------------------- ordering and equality

/**
 * Orders two JS strings by their UTF-8 bytes, which is code point order. UTF-16 code unit order
 * differs only when a surrogate (U+D800..DFFF, i.e. a code point above U+FFFF) meets a code unit
 * in U+E000..FFFF: the surrogate must sort after it. No encoding, no allocation.
 */
export function compareStringsUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const unitA = a.charCodeAt(i);
    const unitB = b.charCodeAt(i);
    if (unitA !== unitB) return codePointRank(unitA) < codePointRank(unitB) ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

// Lifts surrogates above U+E000..FFFF so that code unit rank follows code point order.
function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit < 0xe000 ? unit + 0x2000 : unit - 0x800;
}

/** Orders two base64 texts by their decoded bytes. */
export function compareBinaries(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a, 'base64'), Buffer.from(b, 'base64'));
}

/**
 * DynamoDB's order for two values of the same scalar type: S by UTF-8 bytes, N numerically,
 * B by bytes. Returns -1, 0 or 1. Other types (or mixed types) are not ordered: a caller bug.
 */
export function compareValues(a: AttributeValue, b: AttributeValue): number {
  if ('S' in a && 'S' in b) return compareStringsUtf8(a.S, b.S);
  if ('N' in a && 'N' in b) return compareNumbers(a.N, b.N);
  if ('B' in a && 'B' in b) return compareBinaries(a.B, b.B);
  throw new Error(`compareValues: ${typeOf(a)} and ${typeOf(b)} are not comparable`);
}

/** DynamoDB's "=": same type and same value; numbers numerically, sets in any order. */
export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  if ('S' in a) return 'S' in b && a.S === b.S;
  if ('N' in a) return 'N' in b && compareNumbers(a.N, b.N) === 0;
  if ('B' in a) return 'B' in b && binariesEqual(a.B, b.B);
  if ('BOOL' in a) return 'BOOL' in b && a.BOOL === b.BOOL;
  if ('NULL' in a) return 'NULL' in b;
  if ('M' in a) return 'M' in b && mapsEqual(a.M, b.M);
  if ('L' in a) return 'L' in b && listsEqual(a.L, b.L);
  if ('SS' in a) return 'SS' in b && setsEqual(a.SS, b.SS, stringKey);
  if ('NS' in a) return 'NS' in b && setsEqual(a.NS, b.NS, stringKey); // members are canonical
  if ('BS' in a) return 'BS' in b && setsEqual(a.BS, b.BS, binaryKey);
  return false;
}

function binariesEqual(a: string, b: string): boolean {
  return a === b || compareBinaries(a, b) === 0;
}

function mapsEqual(a: Item, b: Item): boolean {
  let count = 0;
  for (const name in a) {
    const other = b[name];
    if (other === undefined || !valuesEqual(a[name]!, other)) return false;
    count++;
  }
  for (const _ in b) count--;
  return count === 0;
}

function listsEqual(a: AttributeValue[], b: AttributeValue[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i]!, b[i]!)) return false;
  return true;
}

const stringKey = (member: string): string => member;
// Canonical base64 of the decoded bytes, so "YQ" and "YQ==" compare alike.
const binaryKey = (member: string): string => Buffer.from(member, 'base64').toString('base64');

// Sets hold no duplicates (checked on input), so equal sizes plus inclusion means equality.
function setsEqual(a: string[], b: string[], keyOf: (member: string) => string): boolean {
  if (a.length !== b.length) return false;
  const keys = new Set<string>();
  for (const member of a) keys.add(keyOf(member));
  for (const member of b) if (!keys.has(keyOf(member))) return false;
  return true;
}

// ---------------------------------------------------------------- checking client values

export type { ValidationLayer } from './decimal.js';

// Texts verified against captures of DynamoDB (dynalite's and ScyllaDB's suites, and the
// paritysuite conformance suite, 2026-10); the "1 validation error detected: " envelope some
// operations add, and the "ExpressionAttributeValues contains invalid value: ... for key :v"
// wrapper, are the caller's.
const invalidPrefix = 'One or more parameter values were invalid: ';
const emptyValueMessage =
  'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes';
const severalTypesMessage =
  'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes';
const nullNotTrueMessage = `${invalidPrefix}Null attribute value types must have the value of true`;
// Sic: DynamoDB's own wording, with "An string" and the double space.
const emptyStringSetMessage = `${invalidPrefix}An string set  may not be empty`;
const emptyNumberSetMessage = `${invalidPrefix}An number set  may not be empty`;
const emptyBinarySetMessage = `${invalidPrefix}Binary sets should not be empty`;
const nestingTooDeepMessage =
  'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';
/**
 * An attribute name over 65,535 bytes, wherever a request names an attribute: item and map
 * keys at any depth, ExpressionAttributeNames values, AttributesToGet, the legacy maps.
 * Captured on DynamoDB (2026-09, PutItem and UpdateItem with "SET #n"); it comes with its own
 * envelope, also inside ExpressionAttributeValues. Sic: "less than 65536" for 65,535 allowed.
 */
export const attributeNameTooLargeMessage = `1 validation error detected: Attribute name is too large, must be less than ${attributeNameBytesMax + 1} bytes`;

/** Whether an attribute name exceeds 65,535 UTF-8 bytes (only long names are measured). */
export function attributeNameTooLarge(name: string): boolean {
  // A UTF-16 code unit is at most 3 UTF-8 bytes.
  return name.length * 3 > attributeNameBytesMax && Buffer.byteLength(name) > attributeNameBytesMax;
}

// SerializationException texts come from DynamoDB's JSON reader. Verified: a number where a
// string belongs ("NUMBER_VALUE cannot be converted to String"), an object or an array where
// a scalar belongs. unverified: the string and boolean token names, modelled on NUMBER_VALUE.
const structureNotExpected = 'Start of structure or map found where not expected';
const listNotExpected = 'Start of list found where not expected';
const tokenNames: Record<string, string> = { string: 'STRING_VALUE', number: 'NUMBER_VALUE', boolean: 'BOOLEAN_VALUE' };

function serializationError(message: string): DynamoError {
  return new DynamoError('SerializationException', message);
}

/** Why a JSON value cannot be read as the wire type `target` ("String", "Boolean", ...). */
function wrongJsonType(value: unknown, target: string): DynamoError {
  if (Array.isArray(value)) return serializationError(listNotExpected);
  if (typeof value === 'object') return serializationError(structureNotExpected);
  return serializationError(`${tokenNames[typeof value] ?? 'VALUE'} cannot be converted to ${target}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * DynamoDB reads the whole request (SerializationException) before it validates it
 * (ValidationException), and reports the first validation failure in document order. To do
 * both in one walk, the first validation failure is parked here while the walk goes on
 * looking for serialization failures. Checks are synchronous and never re-entered.
 */
let pendingFailure: DynamoError | undefined;
/** A name over the limit is reported before any other validation failure (unverified order). */
let pendingNameFailure: DynamoError | undefined;
let activeLayer: ValidationLayer = 'current';

function fail(message: string): void {
  pendingFailure ??= validationError(message);
}

function failWith(error: unknown): void {
  if (!(error instanceof DynamoError)) throw error;
  pendingFailure ??= error;
}

/**
 * Validates one client value (already JSON-parsed) and returns it normalized: numbers and
 * number-set members in DynamoDB's canonical form. Throws SerializationException for JSON of
 * the wrong shape, else the first ValidationException in document order.
 */
export function checkAttributeValue(value: unknown, layer: ValidationLayer = 'current'): AttributeValue {
  begin(layer);
  return settle(readValue(value, 1));
}

/** Validates a client item (attribute name to value) and returns it normalized. */
export function checkItem(item: unknown, layer: ValidationLayer = 'current'): Item {
  begin(layer);
  return settle(readMap(item, 1));
}

function begin(layer: ValidationLayer): void {
  pendingFailure = undefined;
  pendingNameFailure = undefined;
  activeLayer = layer;
}

function settle<T>(checked: T): T {
  const failure = pendingNameFailure ?? pendingFailure;
  pendingFailure = undefined;
  pendingNameFailure = undefined;
  if (failure !== undefined) throw failure;
  return checked;
}

// The members an AttributeValue may set; any other member is ignored, as DynamoDB does.
const typeNames = ['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS'] as const;
type TypeName = (typeof typeNames)[number];

/**
 * `level` counts documents as DynamoDB does: a top-level attribute is level 1, a value in its
 * M or L level 2, ... Values past level 32 are refused (captured: 31 map wrappers accepted,
 * 32 refused). The walk does not descend past the limit, so hostile depth cannot exhaust
 * the stack; serialization faults below that point go unreported.
 */
function readValue(value: unknown, level: number): AttributeValue {
  if (!isPlainObject(value)) throw wrongJsonType(value, 'AttributeValue');
  if (level > nestingDepthMax) {
    fail(nestingTooDeepMessage);
    return value as AttributeValue;
  }
  let result: AttributeValue | undefined;
  let typeCount = 0;
  for (const type of typeNames) {
    const member = value[type];
    if (member === undefined || member === null) continue; // JSON null means "not set"
    typeCount++;
    result = readMember(type, member, level);
  }
  if (typeCount === 0) fail(emptyValueMessage);
  else if (typeCount > 1) fail(severalTypesMessage);
  return result as AttributeValue; // only returned when no failure is pending
}

function readMember(type: TypeName, member: unknown, level: number): AttributeValue {
  switch (type) {
    case 'S':
      return { S: readString(member) };
    case 'N':
      return { N: readNumber(readString(member)) };
    case 'B':
      return { B: readBinary(member) };
    case 'BOOL':
      return { BOOL: readBoolean(member) };
    case 'NULL':
      if (readBoolean(member) !== true) fail(nullNotTrueMessage);
      return { NULL: true };
    case 'M':
      return { M: readMap(member, level + 1) };
    case 'L':
      return { L: readList(member, level + 1) };
    case 'SS':
      return { SS: readStringSet(member) };
    case 'NS':
      return { NS: readNumberSet(member) };
    case 'BS':
      return { BS: readBinarySet(member) };
  }
}

function readString(member: unknown): string {
  if (typeof member !== 'string') throw wrongJsonType(member, 'String');
  return member;
}

function readBoolean(member: unknown): boolean {
  if (typeof member !== 'boolean') throw wrongJsonType(member, 'Boolean');
  return member;
}

function readNumber(text: string): string {
  try {
    return normalizeNumber(text, activeLayer);
  } catch (error) {
    failWith(error);
    return text;
  }
}

// Standard base64 with padding, as DynamoDB's Blob reader requires.
const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function readBinary(member: unknown): string {
  const text = readString(member);
  // unverified: the exact text of DynamoDB's invalid-base64 SerializationException.
  if (!base64Pattern.test(text)) throw serializationError(`'${text}' can not be converted to a Blob`);
  return text;
}

/** Reads an attribute-name-to-value map whose values sit at `level`. */
function readMap(member: unknown, level: number): Item {
  if (!isPlainObject(member)) throw wrongJsonType(member, 'Map');
  const result: Item = {};
  for (const name in member) {
    if (attributeNameTooLarge(name)) pendingNameFailure ??= validationError(attributeNameTooLargeMessage);
    result[name] = readValue(member[name], level);
  }
  return result;
}

function readList(member: unknown, level: number): AttributeValue[] {
  if (!Array.isArray(member)) throw wrongJsonType(member, 'List');
  const result: AttributeValue[] = new Array(member.length);
  for (let i = 0; i < member.length; i++) result[i] = readValue(member[i], level);
  return result;
}

function readStringArray(member: unknown): string[] {
  if (!Array.isArray(member)) throw wrongJsonType(member, 'List');
  for (const element of member) readString(element);
  return member as string[];
}

function readStringSet(member: unknown): string[] {
  const members = readStringArray(member);
  if (members.length === 0) fail(emptyStringSetMessage);
  else {
    const repeat = firstRepeat(members);
    if (repeat >= 0) fail(duplicateMembersMessage(members, repeat, compareStringsUtf8, ', ', ''));
  }
  return members;
}

function readNumberSet(member: unknown): string[] {
  const members = readStringArray(member);
  if (members.length === 0) {
    fail(emptyNumberSetMessage);
    return members;
  }
  const normalized = members.map(readNumber);
  // 1 and 1.0 are the same number, so duplicates are found among normalized members.
  if (firstRepeat(normalized) >= 0) {
    // Sic: the legacy layer drops the prefix and the full stop; neither names the members.
    fail(activeLayer === 'legacy' ? 'Input collection contains duplicates' : `${invalidPrefix}Input collection contains duplicates.`);
  }
  return normalized;
}

function readBinarySet(member: unknown): string[] {
  const members = readStringArray(member);
  for (const element of members) readBinary(element);
  if (members.length === 0) fail(emptyBinarySetMessage);
  else {
    const repeat = firstRepeat(members.map(binaryKey));
    // Sic: no space before "of type BS" in either layer.
    if (repeat >= 0) fail(duplicateMembersMessage(members, repeat, compareBinaries, ',', 'of type BS'));
  }
  return members;
}

/** Index of the first key equal to an earlier one, or -1. Keys are canonical forms. */
function firstRepeat(keys: string[]): number {
  if (keys.length < 2) return -1;
  const seen = new Set<string>();
  for (let i = 0; i < keys.length; i++) {
    if (seen.has(keys[i]!)) return i;
    seen.add(keys[i]!);
  }
  return -1;
}

/**
 * "Input collection [...] contains duplicates." The legacy layer prints the members as sent,
 * unquoted, ", "-separated. The current layer quotes them and lists the members before the
 * first repeat in byte order, then the repeat, then the rest as sent (it inserts into a
 * sorted set and stops at the first collision); BS members are ","-separated there.
 * unverified: how the current layer escapes quotes or control characters inside members.
 */
function duplicateMembersMessage(
  members: string[],
  repeat: number,
  compare: (a: string, b: string) => number,
  currentSeparator: string,
  typeSuffix: string,
): string {
  const tail = `${typeSuffix === '' ? ' ' : typeSuffix + ' '}contains duplicates.`;
  if (activeLayer === 'legacy') return `${invalidPrefix}Input collection [${members.join(', ')}]${tail}`;
  const sortedPrefix = members.slice(0, repeat).sort(compare);
  const listed = [...sortedPrefix, ...members.slice(repeat)].map((member) => JSON.stringify(member));
  return `${invalidPrefix}Input collection [${listed.join(currentSeparator)}]${tail}`;
}
