// Checks key attributes against a table's (or index's) key schema, with DynamoDB's texts:
// checkItemKeys for a PutItem item, checkKeyArgument for the Key parameter of
// GetItem / UpdateItem / DeleteItem. Values are assumed already checked by values.ts.
import type { AttributeValue, Item } from './attribute-value.js';
import { typeOf } from './attribute-value.js';
import { validationError } from './errors.js';
import { base64DecodedSize, utf8Size } from './item-size.js';
import { partitionKeyBytesMax, sortKeyBytesMax } from './limits.js';
import type { KeyElement, KeySchema } from '../engine/table-spec.js';

const invalidPrefix = 'One or more parameter values were invalid: ';
const keyMismatchMessage = 'The provided key element does not match the schema';
// Sic: no space in "of2048" (captured on DynamoDB; moto pins the same text).
const partitionKeyTooLongMessage = `${invalidPrefix}Size of hashkey has exceeded the maximum size limit of${partitionKeyBytesMax} bytes`;
// Sic: "all range keys", though a table has one (ScyllaDB test_limits.py records the text).
const sortKeyTooLongMessage = `${invalidPrefix}Aggregated size of all range keys has exceeded the size limit of ${sortKeyBytesMax} bytes`;

// Note the different opening ("are not valid." rather than "were invalid:"), as DynamoDB has it.
function emptyKeyMessage(element: KeyElement): string {
  const kind = element.type === 'S' ? 'string' : 'binary';
  return `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${kind} value. Key: ${element.name}`;
}

/** Byte length DynamoDB limits: UTF-8 for S, decoded bytes for B; numbers have no length limit. */
function keyValueBytes(value: AttributeValue): number {
  if ('S' in value) return utf8Size(value.S);
  if ('B' in value) return base64DecodedSize(value.B);
  return 0;
}

/** Empty-value and length checks shared by items and Key arguments. */
function checkKeyValue(value: AttributeValue, element: KeyElement, isPartitionKey: boolean): void {
  if (element.type === 'N') return;
  const bytes = keyValueBytes(value);
  if (bytes === 0) throw validationError(emptyKeyMessage(element));
  if (isPartitionKey && bytes > partitionKeyBytesMax) throw validationError(partitionKeyTooLongMessage);
  if (!isPartitionKey && bytes > sortKeyBytesMax) throw validationError(sortKeyTooLongMessage);
}

function checkItemKey(item: Item, element: KeyElement, isPartitionKey: boolean): void {
  const value = item[element.name];
  if (value === undefined) throw validationError(`${invalidPrefix}Missing the key ${element.name} in the item`);
  const actual = typeOf(value);
  if (actual !== element.type) {
    throw validationError(`${invalidPrefix}Type mismatch for key ${element.name} expected: ${element.type} actual: ${actual}`);
  }
  checkKeyValue(value, element, isPartitionKey);
}

/** Checks the key attributes of a PutItem item; partition key first, each fully, as DynamoDB. */
export function checkItemKeys(item: Item, schema: KeySchema): void {
  checkItemKey(item, schema.partitionKey, true);
  if (schema.sortKey !== undefined) checkItemKey(item, schema.sortKey, false);
}

function checkKeyElement(key: Item, element: KeyElement, isPartitionKey: boolean): AttributeValue {
  const value = key[element.name];
  if (value === undefined || typeOf(value) !== element.type) throw validationError(keyMismatchMessage);
  checkKeyValue(value, element, isPartitionKey);
  return value;
}

function attributeCount(key: Item): number {
  let count = 0;
  for (const _ in key) count++;
  return count;
}

/**
 * Checks a Key parameter: exactly the schema's attributes with the schema's types, none empty
 * or too long. Returns a fresh key holding just those attributes, partition key first.
 */
export function checkKeyArgument(key: Item, schema: KeySchema): Item {
  const expectedCount = schema.sortKey === undefined ? 1 : 2;
  if (attributeCount(key) !== expectedCount) throw validationError(keyMismatchMessage);
  const checked: Item = {};
  checked[schema.partitionKey.name] = checkKeyElement(key, schema.partitionKey, true);
  if (schema.sortKey !== undefined) checked[schema.sortKey.name] = checkKeyElement(key, schema.sortKey, false);
  return checked;
}
