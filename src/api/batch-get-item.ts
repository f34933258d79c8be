// BatchGetItem: up to 100 keys over one or more tables, each table with its own projection
// and consistency. Everything is validated before anything is read; items are returned until
// the 16 MB response limit, the remaining keys come back in UnprocessedKeys.
import type { Item } from '../model/attribute-value.js';
import type { Database } from '../engine/database.js';
import { readUnits } from '../engine/consumed-capacity.js';
import { itemKey } from '../engine/storage-keys.js';
import { readStored } from '../engine/stored-item.js';
import { checkParameterMixing, mixedParametersMessage, prepareExpressions, projectItem, type PreparedExpressions } from '../expressions/index.js';
import { DynamoError, validationError } from '../model/errors.js';
import { checkKeyArgument } from '../model/keys.js';
import { batchGetKeysMax, batchGetResponseBytesMax } from '../model/limits.js';
import { checkItem } from '../model/values.js';
import { CapacityByTable, addRawFailure, isValidMapTableName, mapKeysConstraint, tableOfRequest } from './batch-write-item.js';
import { ConstraintErrors } from './validate/common.js';
import { optionalEnum, returnConsumedCapacityValues } from './validate/request.js';

interface TableRequest {
  tableName: string;
  /** The request's KeysAndAttributes, echoed in UnprocessedKeys. */
  request: Record<string, unknown>;
  keys: Item[];
  /** The projection (ProjectionExpression or AttributesToGet). */
  expressions: PreparedExpressions;
  consistent: boolean;
}

const duplicateKeysMessage = 'Provided list of item keys contains duplicates';
const tooManyKeysMessage = 'Too many items requested for the BatchGetItem call';

export function batchGetItem(input: Record<string, unknown>, db: Database): unknown {
  const map = checkBatchGetShape(input);
  const requests = checkBatchGetRequests(map);
  const tables = requests.map((request) => tableOfRequest(db, request.tableName));
  const keysByTable = requests.map((request, i) => request.keys.map((key) => checkKeyArgument(key, tables[i]!.spec.keySchema)));

  const responses: Record<string, Item[]> = {};
  const unprocessed: Record<string, Record<string, unknown>> = {};
  const capacity = new CapacityByTable();
  let responseBytes = 0;
  let returned = 0;
  requests.forEach((request, i) => {
    const table = tables[i]!;
    const items: Item[] = (responses[request.tableName] = []);
    let units = 0;
    keysByTable[i]!.forEach((key, k) => {
      if (responseBytes >= batchGetResponseBytesMax) {
        addUnprocessed(unprocessed, request, request.keys[k]!);
        return;
      }
      const stored = readStored((storageKey) => db.store.get(storageKey), itemKey(table.tableNumber, table.spec.keySchema, key));
      const size = stored?.[0] ?? 0;
      // The 16 MB limit: the item that would cross it, and every key after it, is left for
      // the client to ask again (at least one item is always returned).
      if (responseBytes + size > batchGetResponseBytesMax && returned > 0) {
        responseBytes = batchGetResponseBytesMax;
        addUnprocessed(unprocessed, request, request.keys[k]!);
        return;
      }
      // Each item is charged on its own, rounded up to 4 KB (ScyllaDB's capacity tests).
      units += readUnits(size, request.consistent);
      if (!stored) return;
      responseBytes += size;
      returned++;
      items.push(project(stored[1], request));
    });
    capacity.add(request.tableName, 'read', { table: units });
  });
  const result: Record<string, unknown> = { Responses: responses, UnprocessedKeys: unprocessed };
  const consumed = capacity.toList(input.ReturnConsumedCapacity);
  if (consumed) result.ConsumedCapacity = consumed;
  return result;
}

function addUnprocessed(unprocessed: Record<string, Record<string, unknown>>, request: TableRequest, key: Item): void {
  const entry = (unprocessed[request.tableName] ??= { ...request.request, Keys: [] });
  (entry.Keys as Item[]).push(key);
}

function project(item: Item, request: TableRequest): Item {
  return request.expressions.projection ? projectItem(item, request.expressions.projection) : item;
}

/**
 * The shape pass: the RequestItems map (its keys, each Keys list), then the enum, in one
 * message. Texts and order captured against us-east-1 / eu-west-2 (paritysuite, 2026-10):
 * the map is echoed as JSON, the Keys lengths name the member without echoing it.
 */
function checkBatchGetShape(input: Record<string, unknown>): Record<string, Record<string, unknown>> {
  const errors = new ConstraintErrors();
  const requestItems = input.RequestItems;
  let map: Record<string, Record<string, unknown>> = {};
  if (errors.notNull('requestItems', requestItems)) {
    if (typeof requestItems !== 'object' || Array.isArray(requestItems)) {
      throw new DynamoError('SerializationException', 'Start of list found where not expected');
    }
    map = requestItems as Record<string, Record<string, unknown>>;
    const names = Object.keys(map);
    if (names.length === 0) {
      addRawFailure(errors, "Value at 'RequestItems' failed to satisfy constraint: Member must have length greater than or equal to 1");
    }
    if (names.some((name) => !isValidMapTableName(name))) {
      addRawFailure(errors, `Value '${JSON.stringify(map)}' at 'requestItems' failed to satisfy constraint: ${mapKeysConstraint}`);
    }
    for (const name of names) {
      const entry = (map[name] ?? {}) as Record<string, unknown>;
      const keys = entry.Keys;
      if (keys !== undefined && keys !== null && !Array.isArray(keys)) {
        throw new DynamoError('SerializationException', 'Start of structure or map found where not expected');
      }
      const path = `RequestItems.${name}.member.Keys`;
      // unverified: the null wording under the newer framework (modelled on the length texts).
      if (keys === undefined || keys === null) addRawFailure(errors, `Value at '${path}' failed to satisfy constraint: Member must not be null`);
      else if (Array.isArray(keys) && keys.length < 1) {
        addRawFailure(errors, `Value at '${path}' failed to satisfy constraint: Member must have length greater than or equal to 1`);
      } else if (Array.isArray(keys) && keys.length > batchGetKeysMax) {
        addRawFailure(errors, `Value at '${path}' failed to satisfy constraint: Member must have length less than or equal to ${batchGetKeysMax}`);
      }
      const attributesToGet = entry.AttributesToGet;
      // unverified: path and wording of an empty AttributesToGet (shape AttributeNameList, min 1).
      if (Array.isArray(attributesToGet) && attributesToGet.length === 0) {
        errors.add(`requestItems.${name}.member.attributesToGet`, attributesToGet, 'Member must have length greater than or equal to 1');
      }
    }
  }
  optionalEnum(errors, 'returnConsumedCapacity', input.ReturnConsumedCapacity, returnConsumedCapacityValues);
  errors.throwIfAny();
  return map;
}

/**
 * The custom pass, table by table, before any table is looked up: projection parameters
 * (legacy and expression forms may not mix, even across tables), key values, duplicate keys
 * within a table, and the 100-key total.
 */
function checkBatchGetRequests(map: Record<string, Record<string, unknown>>): TableRequest[] {
  const entries = Object.entries(map);
  const given = (value: unknown): boolean => value !== undefined && value !== null;
  // unverified: the exact text when the two forms sit on different tables (the same-table
  // text is captured); DynamoDB refuses both.
  if (entries.some(([, entry]) => given(entry.ProjectionExpression)) && entries.some(([, entry]) => given(entry.AttributesToGet))) {
    throw validationError(mixedParametersMessage(['AttributesToGet'], ['ProjectionExpression']));
  }
  const requests: TableRequest[] = [];
  let total = 0;
  for (const [tableName, entry] of entries) {
    checkParameterMixing(entry, 'BatchGetItem');
    // The AttributesToGet duplicates come before the keys (captured: they win over duplicate keys).
    const expressions = prepareExpressions({
      ProjectionExpression: entry.ProjectionExpression as string | undefined,
      ExpressionAttributeNames: entry.ExpressionAttributeNames,
      AttributesToGet: entry.AttributesToGet,
    });
    const keys: Item[] = [];
    const seen = new Set<string>();
    for (const raw of entry.Keys as unknown[]) {
      const key = checkItem(raw);
      const identity = keyIdentity(key);
      if (seen.has(identity)) throw validationError(duplicateKeysMessage);
      seen.add(identity);
      keys.push(key);
      total++;
      if (total > batchGetKeysMax) throw validationError(tooManyKeysMessage);
    }
    requests.push({ tableName, request: entry, keys, expressions, consistent: entry.ConsistentRead === true });
  }
  return requests;
}

/** A key's identity independent of attribute order (values are already normalized). */
function keyIdentity(key: Item): string {
  return JSON.stringify(Object.keys(key).sort().map((name) => [name, key[name]]));
}
