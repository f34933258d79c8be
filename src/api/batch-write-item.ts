// BatchWriteItem: up to 25 PutRequest / DeleteRequest entries over one or more tables, no
// conditions. Every request is validated (as DynamoDB does, before any write), then all
// writes run in one store transaction, so UnprocessedItems is always empty.
// The helpers at the end are shared with BatchGetItem and the transaction operations.
import type { AttributeValue, Item } from '../model/attribute-value.js';
import type { KeySchema } from '../engine/table-spec.js';
import type { Database } from '../engine/database.js';
import type { TableRecord } from '../engine/catalog.js';
import { chargeFromIndexWrites, writeUnits, type CapacityCharge } from '../engine/consumed-capacity.js';
import { collectionBytes } from '../engine/item-collection.js';
import { itemKey } from '../engine/storage-keys.js';
import { commitWrite, prepareWrite, type PreparedWrite, type WritePlan } from '../engine/write-plan.js';
import { DynamoError, validationError } from '../model/errors.js';
import { itemSize } from '../model/item-size.js';
import { checkKeyArgument } from '../model/keys.js';
import { batchWriteRequestsMax } from '../model/limits.js';
import { checkItem } from '../model/values.js';
import { checkIndexKeys, checkItemSize, itemCollectionMetrics } from './item-support.js';
import { ConstraintErrors, namePatternText, parseResourceArn } from './validate/common.js';
import { optionalEnum, returnConsumedCapacityValues, returnItemCollectionMetricsValues } from './validate/request.js';

interface BatchWrite {
  tableName: string;
  request: Record<string, unknown>;
  kind: 'put' | 'delete';
  /** The checked item (put) or key (delete). */
  value: Item;
  size: number;
  table?: TableRecord;
  plan?: WritePlan;
}

export async function batchWriteItem(input: Record<string, unknown>, db: Database): Promise<unknown> {
  const requestItems = checkBatchWriteShape(input);
  const writes = checkBatchWriteRequests(requestItems);
  // Tables are looked up once every request is known valid, then keys against each schema.
  const tables = new Map<string, TableRecord>();
  for (const tableName of Object.keys(requestItems)) tables.set(tableName, tableOfRequest(db, tableName));
  const seen = new Set<string>();
  for (const write of writes) {
    const table = tables.get(write.tableName)!;
    write.table = table;
    write.plan = planBatchWrite(write, table);
    const identity = write.plan.storageKey.toString('base64');
    if (seen.has(identity)) throw validationError(duplicateKeysMessage);
    seen.add(identity);
  }
  const committed = await db.store.transact((tx) => {
    // No conditions and no updates: preparing cannot fail, and items are distinct.
    const prepared: PreparedWrite[] = [];
    for (const write of writes) {
      const outcome = prepareWrite(tx, write.plan!);
      if (!outcome.ok) throw new Error('invariant broken: unconditional batch write failed a condition');
      prepared.push(outcome.prepared);
    }
    return prepared.map((item) => ({ prepared: item, indexWrites: commitWrite(tx, item, db.catalog) }));
  });
  const result: Record<string, unknown> = { UnprocessedItems: {} };
  if (input.ReturnConsumedCapacity === 'TOTAL' || input.ReturnConsumedCapacity === 'INDEXES') {
    const capacity = new CapacityByTable();
    committed.forEach(({ prepared, indexWrites }, i) => {
      const units = writeUnits(Math.max(prepared.afterSize, prepared.before?.[0] ?? 0));
      capacity.add(writes[i]!.tableName, 'write', chargeFromIndexWrites(units, indexWrites, prepared.plan.table));
    });
    result.ConsumedCapacity = capacity.toList(input.ReturnConsumedCapacity);
  }
  const metrics = collectionMetricsByTable(input.ReturnItemCollectionMetrics, db, writes.map((w) => [w.tableName, w.plan!]));
  if (metrics) result.ItemCollectionMetrics = metrics;
  return result;
}

// unverified: the text for a batch whose tables hold more than 25 requests together (each
// table's list is within 25); DynamoDB's BatchGetItem counterpart is verified.
const tooManyRequestsMessage = 'Too many items requested for the BatchWriteItem call';
const duplicateKeysMessage = 'Provided list of item keys contains duplicates';
// unverified for a request holding both members; verified (dynalite, recorded against
// DynamoDB) for a request holding neither: DynamoDB reuses the AttributeValue wording.
const notExactlyOneRequestMessage =
  'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes';

/**
 * The shape pass. DynamoDB reports unknown enums first and alone; then a missing or empty
 * RequestItems; then the map's key and value constraints and the nested required members,
 * together in one message. (Captured against us-east-1 / eu-west-2, paritysuite 2026-10.)
 */
function checkBatchWriteShape(input: Record<string, unknown>): Record<string, unknown[]> {
  const enums = new ConstraintErrors();
  optionalEnum(enums, 'returnConsumedCapacity', input.ReturnConsumedCapacity, returnConsumedCapacityValues);
  optionalEnum(enums, 'returnItemCollectionMetrics', input.ReturnItemCollectionMetrics, returnItemCollectionMetricsValues);
  const requestItems = input.RequestItems;
  if (requestItems === undefined || requestItems === null) enums.notNull('requestItems', requestItems);
  enums.throwIfAny();
  if (typeof requestItems !== 'object' || Array.isArray(requestItems)) {
    throw new DynamoError('SerializationException', 'Start of list found where not expected');
  }
  const map = requestItems as Record<string, unknown>;
  const tableNames = Object.keys(map);
  // One of two wordings, depending on the region's validation framework; this is the one
  // most regions gave in 2026-10 (paritysuite captures).
  if (tableNames.length === 0) throw validationError('The requestItems parameter is required for BatchWriteItem');
  const errors = new ConstraintErrors();
  if (tableNames.some((name) => !isValidMapTableName(name))) {
    addRawFailure(errors, `Value '${renderWriteRequestMap(map)}' at 'requestItems' failed to satisfy constraint: ${mapKeysConstraint}`);
  }
  if (tableNames.some((name) => !Array.isArray(map[name]) || (map[name] as unknown[]).length === 0 || (map[name] as unknown[]).length > batchWriteRequestsMax)) {
    addRawFailure(
      errors,
      `Value '${renderWriteRequestMap(map)}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to ${batchWriteRequestsMax}, Member must have length greater than or equal to 1]`,
    );
  }
  for (const name of tableNames) {
    const list = map[name];
    if (!Array.isArray(list)) continue;
    list.forEach((entry, i) => {
      const request = (entry ?? {}) as Record<string, unknown>;
      const path = `requestItems.${name}.member.${i + 1}.member`;
      const deleteRequest = request.DeleteRequest as Record<string, unknown> | undefined | null;
      const putRequest = request.PutRequest as Record<string, unknown> | undefined | null;
      if (deleteRequest) errors.notNull(`${path}.deleteRequest.key`, deleteRequest.Key);
      if (putRequest) errors.notNull(`${path}.putRequest.item`, putRequest.Item);
    });
  }
  errors.throwIfAny();
  return map as Record<string, unknown[]>;
}

/** The custom pass over every request, before any table is looked up. */
function checkBatchWriteRequests(map: Record<string, unknown[]>): BatchWrite[] {
  const writes: BatchWrite[] = [];
  let total = 0;
  for (const [tableName, list] of Object.entries(map)) {
    for (const entry of list) {
      const request = (entry ?? {}) as Record<string, unknown>;
      const put = request.PutRequest as Record<string, unknown> | undefined | null;
      const del = request.DeleteRequest as Record<string, unknown> | undefined | null;
      if ((put && del) || (!put && !del)) throw validationError(notExactlyOneRequestMessage);
      if (put) {
        const item = checkItem(put.Item);
        const size = itemSize(item);
        checkItemSize(size);
        writes.push({ tableName, request, kind: 'put', value: item, size });
      } else {
        writes.push({ tableName, request, kind: 'delete', value: checkItem(del!.Key), size: 0 });
      }
      total++;
      if (total > batchWriteRequestsMax) throw validationError(tooManyRequestsMessage);
    }
  }
  return writes;
}

/**
 * A request's plan. A PutRequest item's key is checked like a Key argument: BatchWriteItem
 * answers "The provided key element does not match the schema" where PutItem names the
 * missing or mistyped key (captured, four regions).
 */
function planBatchWrite(write: BatchWrite, table: TableRecord): WritePlan {
  const schema = table.spec.keySchema;
  if (write.kind === 'delete') {
    const key = checkKeyArgument(write.value, schema);
    return { kind: 'delete', table, storageKey: itemKey(table.tableNumber, schema, key), key };
  }
  const key = checkItemKeysOrMismatch(write.value, schema);
  checkIndexKeys(write.value, table);
  return { kind: 'put', table, storageKey: itemKey(table.tableNumber, schema, key), key: write.value, item: write.value, size: write.size };
}

/**
 * The key of a PutRequest item: its schema attributes, checked as a Key argument is (missing
 * or mistyped: "The provided key element does not match the schema"; empty or too long: the
 * key value texts). Returns the key alone.
 */
function checkItemKeysOrMismatch(item: Item, schema: KeySchema): Item {
  const key: Item = {};
  const partition = item[schema.partitionKey.name];
  if (partition !== undefined) key[schema.partitionKey.name] = partition;
  if (schema.sortKey) {
    const sort = item[schema.sortKey.name];
    if (sort !== undefined) key[schema.sortKey.name] = sort;
  }
  return checkKeyArgument(key, schema);
}

// ---- shared by the batch and transaction operations ----------------------------------------

/** The data-plane not-found text of batch and transaction operations (captured, four regions). */
export function requestedResourceNotFound(): DynamoError {
  return new DynamoError('ResourceNotFoundException', 'Requested resource not found');
}

/** The table a batch or transaction names (a name or a table ARN), or ResourceNotFoundException. */
export function tableOfRequest(db: Database, nameOrArn: string): TableRecord {
  let name = nameOrArn;
  if (nameOrArn.startsWith('arn:')) {
    const arn = parseResourceArn(nameOrArn);
    if (arn.resourceType !== 'table' || arn.indexName !== undefined || arn.region !== db.region || arn.account !== db.accountId) {
      throw requestedResourceNotFound();
    }
    name = arn.tableName;
  }
  const table = db.catalog.find(name);
  if (!table) throw requestedResourceNotFound();
  return table;
}

const namePattern = /^[a-zA-Z0-9_.-]+$/;
/** How DynamoDB states the key constraint of a RequestItems map, always all three parts. */
export const mapKeysConstraint = `Map keys must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: ${namePatternText}]`;

/** A RequestItems key: a table name (3..255 of the pattern) or a table ARN. */
export function isValidMapTableName(name: string): boolean {
  if (name.startsWith('arn:')) return name.length <= 1024;
  return name.length >= 3 && name.length <= 255 && namePattern.test(name);
}

/** Adds a failure whose text does not follow the "Value <v> at '<path>'" pattern. */
export function addRawFailure(errors: ConstraintErrors, text: string): void {
  // ConstraintErrors caps the list at DynamoDB's 10; reuse its cap through add's guard.
  if (errors.failures.length < 10) errors.failures.push(text);
}

// unverified in detail: DynamoDB echoes the map in Java's toString form; the captures pin the
// envelope "{<table>=[WriteRequest(putRequest=PutRequest(item={<name>=...}...)]}" only.
function renderWriteRequestMap(map: Record<string, unknown>): string {
  const tables = Object.entries(map).map(([name, list]) => {
    if (!Array.isArray(list)) return `${name}=${renderJava(list)}`;
    return `${name}=[${list.map(renderWriteRequest).join(', ')}]`;
  });
  return `{${tables.join(', ')}}`;
}

function renderWriteRequest(entry: unknown): string {
  const request = (entry ?? {}) as Record<string, unknown>;
  const put = request.PutRequest as Record<string, unknown> | undefined | null;
  const del = request.DeleteRequest as Record<string, unknown> | undefined | null;
  const putText = put ? `PutRequest(item=${renderAttributeMap(put.Item)})` : 'null';
  const deleteText = del ? `DeleteRequest(key=${renderAttributeMap(del.Key)})` : 'null';
  return `WriteRequest(putRequest=${putText}, deleteRequest=${deleteText})`;
}

function renderAttributeMap(map: unknown): string {
  if (map === null || typeof map !== 'object' || Array.isArray(map)) return renderJava(map);
  const entries = Object.entries(map as Record<string, unknown>).map(([name, value]) => `${name}=${renderAttributeValue(value)}`);
  return `{${entries.join(', ')}}`;
}

function renderAttributeValue(value: unknown): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return renderJava(value);
  const members = Object.entries(value as Record<string, unknown>).map(([type, inner]) => {
    if (type === 'M') return `M=${renderAttributeMap(inner)}`;
    if (type === 'L' && Array.isArray(inner)) return `L=[${inner.map(renderAttributeValue).join(', ')}]`;
    return `${type}=${renderJava(inner)}`;
  });
  return `AttributeValue(${members.join(', ')})`;
}

/** Java's toString of plain JSON data: {k=v, ...}, [a, b], bare strings. */
export function renderJava(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(renderJava).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}=${renderJava(v)}`).join(', ')}}`;
  }
  return String(value);
}

/**
 * ConsumedCapacity of an operation touching several tables: one element per table, in the
 * order the tables were first met, read and write units kept apart.
 */
export class CapacityByTable {
  private readonly tables = new Map<string, TableUnits>();

  add(tableName: string, kind: 'read' | 'write', charge: CapacityCharge): void {
    let entry = this.tables.get(tableName);
    if (!entry) {
      entry = { table: { read: 0, write: 0 }, indexes: new Map() };
      this.tables.set(tableName, entry);
    }
    entry.table[kind] += charge.table;
    for (const index of charge.indexes ?? []) {
      let units = entry.indexes.get(index.name);
      if (!units) {
        units = { global: index.global, read: 0, write: 0 };
        entry.indexes.set(index.name, units);
      }
      units[kind] += index.units;
    }
  }

  /** The ConsumedCapacity list for `mode`, or undefined when not asked for. */
  toList(mode: unknown): Record<string, unknown>[] | undefined {
    if (mode !== 'TOTAL' && mode !== 'INDEXES') return undefined;
    const list: Record<string, unknown>[] = [];
    for (const [tableName, entry] of this.tables) {
      const total = { read: entry.table.read, write: entry.table.write };
      for (const units of entry.indexes.values()) {
        total.read += units.read;
        total.write += units.write;
      }
      const element: Record<string, unknown> = { TableName: tableName, ...unitsFields(total) };
      if (mode === 'INDEXES') {
        element.Table = unitsFields(entry.table);
        for (const [name, units] of entry.indexes) {
          const field = units.global ? 'GlobalSecondaryIndexes' : 'LocalSecondaryIndexes';
          ((element[field] ??= {}) as Record<string, unknown>)[name] = unitsFields(units);
        }
      }
      list.push(element);
    }
    return list;
  }
}

interface Units {
  read: number;
  write: number;
}

interface TableUnits {
  table: Units;
  indexes: Map<string, Units & { global: boolean }>;
}

function unitsFields(units: Units): Record<string, number> {
  const fields: Record<string, number> = { CapacityUnits: units.read + units.write };
  if (units.read > 0) fields.ReadCapacityUnits = units.read;
  if (units.write > 0) fields.WriteCapacityUnits = units.write;
  return fields;
}

/**
 * ItemCollectionMetrics of a multi-item write (ReturnItemCollectionMetrics=SIZE): per table
 * with local secondary indexes, one entry per item collection written.
 */
export function collectionMetricsByTable(
  mode: unknown,
  db: Database,
  written: readonly [tableName: string, plan: WritePlan][],
): Record<string, unknown[]> | undefined {
  if (mode !== 'SIZE') return undefined;
  const byTable: Record<string, unknown[]> = {};
  const seen = new Set<string>();
  for (const [tableName, plan] of written) {
    if (plan.kind === 'check') continue;
    const key: Item = plan.key;
    const partitionName = plan.table.spec.keySchema.partitionKey.name;
    const identity = `${tableName}\u0000${JSON.stringify(key[partitionName] as AttributeValue)}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    const metrics = itemCollectionMetrics(mode, plan.table, key, () => collectionBytes(db, plan.table, key));
    if (metrics) (byTable[tableName] ??= []).push(metrics);
  }
  return Object.keys(byTable).length > 0 ? byTable : undefined;
}
