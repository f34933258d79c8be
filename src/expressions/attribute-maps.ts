// ExpressionAttributeNames and ExpressionAttributeValues: their checks, in DynamoDB's order,
// and the "unused" errors. Where DynamoDB lists several keys it lists them in the iteration
// order of a Java HashSet, which javaHashSetOrder reproduces.
import type { AttributeValue } from '../model/attribute-value.js';
import { DynamoError, validationError } from '../model/errors.js';
import { attributeNameTooLarge, attributeNameTooLargeMessage, checkAttributeValue } from '../model/values.js';

// Keys of both maps are at most 255 bytes.
const mapKeyBytesMax = 255;
const nameKeyPattern = /^#[A-Za-z0-9_]+$/;
const valueKeyPattern = /^:[A-Za-z0-9_]+$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function serializationError(value: unknown): DynamoError {
  return new DynamoError(
    'SerializationException',
    Array.isArray(value) ? 'Start of list found where not expected' : 'Expected map or null', // unverified
  );
}

/** Reads ExpressionAttributeNames (undefined/null: not given). */
export function readAttributeNames(input: unknown): Map<string, string> | undefined {
  if (input === undefined || input === null) return undefined;
  if (!isPlainObject(input)) throw serializationError(input);
  for (const key in input) {
    const name = input[key];
    if (typeof name !== 'string') throw new DynamoError('SerializationException', 'STRING_VALUE cannot be converted to String'); // unverified
  }
  // The names' length is checked with the request's shape, before the map's own rules
  // (unverified order; the text is captured: "SET #n = :v" with #n over 65,535 bytes).
  for (const key in input) if (attributeNameTooLarge(input[key] as string)) throw validationError(attributeNameTooLargeMessage);
  const names = new Map<string, string>();
  for (const key in input) {
    const name = input[key] as string;
    const keyBytes = Buffer.byteLength(key);
    if (keyBytes > mapKeyBytesMax) {
      throw validationError(
        `ExpressionAttributeNames contains invalid key: The expression attribute map contains a key that is too long; size of key: ${keyBytes}`,
      );
    }
    if (!nameKeyPattern.test(key)) throw validationError(`ExpressionAttributeNames contains invalid key: Syntax error; key: "${key}"`);
    if (name === '') throw validationError(`ExpressionAttributeNames contains invalid value: Empty attribute name for key ${key}`);
    names.set(key, name);
  }
  if (names.size === 0) throw validationError('ExpressionAttributeNames must not be empty');
  return names;
}

/** Reads ExpressionAttributeValues, validating and normalizing each value. */
export function readAttributeValues(input: unknown): Map<string, AttributeValue> | undefined {
  if (input === undefined || input === null) return undefined;
  if (!isPlainObject(input)) throw serializationError(input);
  const keys = Object.keys(input);
  if (keys.length === 0) throw validationError('ExpressionAttributeValues must not be empty');
  for (const key of keys) {
    if (Buffer.byteLength(key) > mapKeyBytesMax) {
      throw validationError('ExpressionAttributeValues contains invalid key: The expression attribute map contains a key that is too long;');
    }
    if (!valueKeyPattern.test(key)) throw validationError(`ExpressionAttributeValues contains invalid key: Syntax error; key: "${key}"`);
  }
  // Values are checked in the map's Java iteration order; the first invalid one is reported.
  const checked = new Map<string, AttributeValue>();
  for (const key of keys.length > 1 ? javaHashSetOrder(keys) : keys) {
    try {
      checked.set(key, checkAttributeValue(input[key]));
    } catch (error) {
      // A map key over the name limit is reported bare, as everywhere (captured).
      if (error instanceof DynamoError && error.name === 'ValidationException' && error.message !== attributeNameTooLargeMessage) {
        throw validationError(`ExpressionAttributeValues contains invalid value: ${error.message} for key ${key}`);
      }
      throw error;
    }
  }
  // Keep the request's order for everything else.
  const values = new Map<string, AttributeValue>();
  for (const key of keys) values.set(key, checked.get(key)!);
  return values;
}

/** Java's String.hashCode (over UTF-16 code units), as a signed 32-bit integer. */
export function javaStringHash(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(31, hash) + text.charCodeAt(i)) | 0;
  return hash;
}

/**
 * The iteration order of a java.util.HashSet built from `total` keys (default: keys.length):
 * by bucket (hash spread as HashMap does, masked to the table size), then insertion order.
 */
export function javaHashSetOrder(keys: readonly string[], total = keys.length): string[] {
  const wanted = Math.max(Math.floor(total / 0.75) + 1, 16);
  let capacity = 1;
  while (capacity < wanted) capacity *= 2;
  const mask = capacity - 1;
  return keys
    .map((key, index) => {
      const hash = javaStringHash(key);
      return { key, index, bucket: (hash ^ (hash >>> 16)) & mask };
    })
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((entry) => entry.key);
}

/** Throws the "unused" error for names, then for values, as DynamoDB does. */
export function checkAllUsed(
  names: ReadonlyMap<string, string> | undefined,
  usedNames: ReadonlySet<string>,
  values: ReadonlyMap<string, AttributeValue> | undefined,
  usedValues: ReadonlySet<string>,
): void {
  const report = (map: ReadonlyMap<string, unknown> | undefined, used: ReadonlySet<string>, label: string): void => {
    if (map === undefined || used.size === map.size) return;
    const unused: string[] = [];
    for (const key of map.keys()) if (!used.has(key)) unused.push(key);
    if (unused.length === 0) return;
    const ordered = javaHashSetOrder(unused, map.size).join(', ');
    throw validationError(`Value provided in ${label} unused in expressions: keys: {${ordered}}`);
  };
  report(names, usedNames, 'ExpressionAttributeNames');
  report(values, usedValues, 'ExpressionAttributeValues');
}
