// Planning a SELECT: which operation reads it. The full primary key pinned by equality and
// nothing else is a GetItem; the partition key pinned (by `=`, or by IN / OR for several
// partitions, one Query each) is a Query with the sort key condition as its key condition and
// the rest as its filter; anything else is a Scan filtered by the whole WHERE clause. As in
// DynamoDB, a WHERE the key extraction cannot use (two conditions on the sort key, a key under
// NOT or OR) is not an error: the statement becomes a Scan.
import type { AttributeValue, Item } from '../model/attribute-value.js';
import { compareValues, valuesEqual } from '../model/values.js';
import { partiqlPartitionValuesMax } from '../model/limits.js';
import type { Expr, Path, SelectStatement } from './ast.js';
import { attributeComparison, attributesOf, conjoin, conjuncts, extractItemKey, isBareAttribute } from './keys.js';
import { messages, semantic } from './messages.js';
import { Placeholders, renderCondition } from './render.js';
import { allKeyNames, keyNamesOf, type KeyNames, type SchemaReader, type TableSchema } from './schema.js';
import { sourceComponents } from './source.js';
import { identifierOf, isValueExpr, toAttributeValue, typeOf } from './values.js';

/** A condition on one sort key attribute, in Query's terms. */
export interface SortCondition {
  name: string;
  op: '=' | '<' | '<=' | '>' | '>=' | 'BETWEEN' | 'begins_with';
  values: AttributeValue[];
}

interface PlanBase {
  tableName: string;
  indexName: string | undefined;
  /** The index is a GSI (strongly consistent reads refused). */
  globalIndex: boolean;
  /** The projected paths; undefined for `*`. */
  projection: Path[] | undefined;
}

export type SelectPlan =
  | (PlanBase & { kind: 'get'; key: Item })
  | (PlanBase & {
      kind: 'query';
      hashNames: string[];
      /** One Query per partition (tuple of HASH values), in the order they are read. */
      partitions: AttributeValue[][];
      sort: SortCondition[];
      filter: Expr | undefined;
      forward: boolean;
    })
  | (PlanBase & {
      kind: 'scan';
      filter: Expr | undefined;
      reverse: boolean;
      /**
       * The filter reads attributes the scanned index does not hold: evaluated here, where they
       * are simply absent (DynamoDB answers such a scan, pinned, where Scan itself refuses it).
       */
      filterHere: boolean;
    });

/** SELECT syntax DynamoDB refuses, in its order; then the FROM components and the projection. */
function checkSelectShape(select: SelectStatement): { components: string[]; projection: Path[] | undefined } {
  if (select.unsupportedClause !== undefined) throw semantic(messages.unsupportedClause(select.unsupportedClause));
  if (select.distinct) throw semantic(messages.unsupportedToken('DISTINCT'));
  const components = sourceComponents(select.from);
  if (select.value) throw semantic(messages.selectValue);
  return { components, projection: projectionPaths(select) };
}

function projectionPaths(select: SelectStatement): Path[] | undefined {
  const items = select.projection;
  if (items.some((item) => item.kind === 'star')) {
    if (items.length > 1) throw semantic(messages.starAndOthers);
    return undefined;
  }
  const paths: Path[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    if (item.kind !== 'expr') continue;
    if (item.aliased) throw semantic(messages.aliasing);
    if (item.expr.kind !== 'path') throw semantic(messages.unexpectedPathComponent);
    const path = item.expr.path;
    if (path.root === '') throw semantic(messages.emptyPathComponent);
    const name = collapsedName(path);
    if (seen.has(name)) throw semantic(messages.duplicateProjection(name));
    seen.add(name);
    paths.push(path);
  }
  return paths;
}

/** The name a projected path answers under: its last map key and any list indexes after it. */
export function collapsedName(path: Path): string {
  let name = path.root;
  for (const step of path.steps) name = step.kind === 'field' ? step.name : `${name}[${step.index}]`;
  return name;
}

/** Renders the WHERE clause once so its errors come before the table is looked up (DynamoDB's order). */
function checkWhere(where: Expr | undefined, parameters: readonly AttributeValue[]): void {
  if (where !== undefined) renderCondition(where, new Placeholders(parameters));
}

/** A SELECT of ExecuteStatement: GetItem, Query or Scan. */
export async function planSelect(select: SelectStatement, parameters: readonly AttributeValue[], schemas: SchemaReader): Promise<SelectPlan> {
  const { components, projection } = checkSelectShape(select);
  checkWhere(select.where, parameters);
  const [tableName, indexName] = components as [string, string | undefined];
  const table = await schemas.table(tableName);
  const keys = keyNamesOf(table, indexName);
  const ordering = select.orderBy === undefined ? undefined : checkOrderBy(select, keys);
  const base = { tableName, indexName, globalIndex: indexName !== undefined && table.indexes.get(indexName)!.global, projection };
  const analysis = analyzeKeys(select.where, keys, table, parameters);
  if (analysis === undefined) {
    const projected = indexName === undefined ? 'ALL' : table.indexes.get(indexName)!.projected;
    const filterHere = projected !== 'ALL' && [...attributesOf(select.where)].some((name) => !projected.has(name));
    const reverse = ordering !== undefined && (ordering.hash === 'DESC' || ordering.range === 'DESC');
    return { ...base, kind: 'scan', filter: select.where, reverse, filterHere };
  }
  let partitions = analysis.partitions;
  if (ordering !== undefined && partitions.length > 1) {
    if (ordering.hash === undefined) throw semantic(messages.orderByNeedsHashKey);
    partitions = [...partitions].sort((a, b) => compareValues(a[0]!, b[0]!) * (ordering.hash === 'DESC' ? -1 : 1));
  }
  const fullKey = indexName === undefined && partitions.length === 1 && analysis.filter === undefined &&
    table.range.every((name) => analysis.sort.some((condition) => condition.name === name && condition.op === '='));
  if (fullKey) {
    const key: Item = {};
    keys.hash.forEach((name, i) => (key[name] = partitions[0]![i]!));
    for (const condition of analysis.sort) key[condition.name] = condition.values[0]!;
    return { ...base, kind: 'get', key };
  }
  return { ...base, kind: 'query', hashNames: keys.hash, partitions, sort: analysis.sort, filter: analysis.filter, forward: ordering?.range !== 'DESC' };
}

/**
 * A SELECT of BatchExecuteStatement or ExecuteTransaction: it must name one item by its full
 * primary key and nothing else (DynamoDB's SelectUseCase BATCH / TRANSACTION).
 */
export async function planKeyedSelect(
  select: SelectStatement,
  parameters: readonly AttributeValue[],
  schemas: SchemaReader,
  use: 'batch' | 'transaction',
): Promise<PlanBase & { kind: 'get'; key: Item }> {
  const { components, projection } = checkSelectShape(select);
  checkWhere(select.where, parameters);
  const refusal = use === 'transaction' ? messages.transactionReadKey : messages.batchReadKey;
  if (components.length > 1) throw semantic(use === 'transaction' ? messages.transactionReadOnIndex : refusal);
  const tableName = components[0]!;
  const table = await schemas.table(tableName);
  if (select.orderBy !== undefined) checkOrderBy(select, table);
  let extracted;
  try {
    extracted = extractItemKey(select.where, table, table.types, parameters);
  } catch (error) {
    // A key of the wrong type is still named as such; any other failure to find the key is the refusal.
    if (error instanceof Error && error.message.startsWith(messages.keyTypeMismatch(''))) throw error;
    throw semantic(refusal);
  }
  if (extracted.rest !== undefined) throw semantic(refusal);
  return { tableName, indexName: undefined, globalIndex: false, projection, kind: 'get', key: extracted.key };
}

// ---------------------------------------------------------------- ORDER BY

type Direction = 'ASC' | 'DESC';

/** ORDER BY's checks (DynamoDB's texts) and the directions it asks of the hash and range keys. */
function checkOrderBy(select: SelectStatement, keys: KeyNames): { hash?: Direction; range?: Direction } {
  if (select.where === undefined) throw semantic(messages.orderByWithoutWhere);
  if (!pinsHashKey(select.where, keys.hash[0]!)) throw semantic(messages.orderByWithoutHashKey);
  const ordering: { hash?: Direction; range?: Direction } = {};
  const seen = new Set<string>();
  for (const spec of select.orderBy!) {
    if (!isBareAttribute(spec.expr)) throw semantic(messages.orderByArgument(identifierOf(spec.expr)));
    const name = spec.expr.path.root;
    if (seen.has(name)) continue;
    if (!allKeyNames(keys).includes(name)) throw semantic(messages.orderByNotKey(name));
    seen.add(name);
    const direction: Direction = spec.descending ? 'DESC' : 'ASC';
    if (keys.hash.includes(name)) ordering.hash = direction;
    else ordering.range = direction;
  }
  return ordering;
}

/** DynamoDB's "non-optional hash key condition": one on every OR branch, on either AND side. */
function pinsHashKey(expr: Expr, hashName: string): boolean {
  switch (expr.kind) {
    case 'and':
      return pinsHashKey(expr.left, hashName) || pinsHashKey(expr.right, hashName);
    case 'or':
      return pinsHashKey(expr.left, hashName) && pinsHashKey(expr.right, hashName);
    case 'compare':
      return attributeComparison(expr)?.name === hashName;
    case 'between':
      return isAttribute(expr.operand, hashName) && (isValueExpr(expr.low) || isValueExpr(expr.high));
    case 'in':
      return isAttribute(expr.operand, hashName);
    case 'call':
      return expr.args.length > 1 && isAttribute(expr.args[0]!, hashName) && expr.args.slice(1).some(isValueExpr);
    case 'is':
      return isAttribute(expr.operand, hashName) && expr.type !== 'missing';
    default:
      return false;
  }
}

function isAttribute(expr: Expr, name: string): boolean {
  return isBareAttribute(expr) && expr.path.root === name;
}

// ---------------------------------------------------------------- key conditions

interface KeyAnalysis {
  partitions: AttributeValue[][];
  sort: SortCondition[];
  filter: Expr | undefined;
}

/** The Query a WHERE clause allows on `keys`, or undefined when it must be a Scan. */
function analyzeKeys(where: Expr | undefined, keys: KeyNames, table: TableSchema, parameters: readonly AttributeValue[]): KeyAnalysis | undefined {
  const pinned = new Map<string, AttributeValue>();
  let partitionList: AttributeValue[] | undefined;
  const sort = new Map<string, SortCondition>();
  const rest: Expr[] = [];
  const value = (expr: Expr): AttributeValue => toAttributeValue(expr, parameters);
  for (const part of conjuncts(where)) {
    const comparison = attributeComparison(part);
    if (comparison !== undefined && keys.hash.includes(comparison.name)) {
      if (comparison.op !== '=') return undefined;
      const known = pinned.get(comparison.name);
      const given = value(comparison.value);
      if (known !== undefined && !valuesEqual(known, given)) return undefined;
      pinned.set(comparison.name, given);
      continue;
    }
    const list = keys.hash.length === 1 ? partitionValuesOf(part, keys.hash[0]!) : undefined;
    if (list !== undefined) {
      if (partitionList !== undefined) return undefined;
      partitionList = list.map(value);
      continue;
    }
    const condition = sortConditionOf(part, keys.range, value);
    if (condition !== undefined) {
      if (condition === 'refused' || sort.has(condition.name)) return undefined;
      sort.set(condition.name, condition);
      continue;
    }
    rest.push(part);
  }
  let partitions: AttributeValue[][];
  if (partitionList !== undefined) {
    if (pinned.size > 0) return undefined;
    partitions = distinct(partitionList).map((v) => [v]);
    if (partitions.length > partiqlPartitionValuesMax) throw semantic(messages.tooManyReads);
  } else {
    if (!keys.hash.every((name) => pinned.has(name))) return undefined;
    partitions = [keys.hash.map((name) => pinned.get(name)!)];
  }
  // Several sort key attributes (multi-attribute GSI keys): `=` on a leading run, then one condition.
  const conditions = keys.range.filter((name) => sort.has(name)).map((name) => sort.get(name)!);
  if (conditions.some((condition, i) => condition.name !== keys.range[i] || (i < conditions.length - 1 && condition.op !== '='))) return undefined;
  // A Query's filter may not read its key attributes; such a WHERE is scanned.
  const filter = conjoin(rest);
  const read = attributesOf(filter);
  if (allKeyNames(keys).some((name) => read.has(name))) return undefined;
  for (const tuple of partitions) tuple.forEach((v, i) => checkKeyType(keys.hash[i]!, v, table));
  for (const condition of conditions) checkKeyType(condition.name, condition.values[0]!, table);
  return { partitions, sort: conditions, filter };
}

/** `k IN [..]` or `k = a OR k = b ...` on the partition key: its values. */
function partitionValuesOf(expr: Expr, hashName: string): Expr[] | undefined {
  if (expr.kind === 'in' && !expr.negated && isAttribute(expr.operand, hashName) && (expr.list.kind === 'list' || expr.list.kind === 'bag')) {
    return expr.list.items.every(isValueExpr) && expr.list.items.length > 0 ? expr.list.items : undefined;
  }
  if (expr.kind === 'or') {
    const left = orValues(expr.left, hashName);
    const right = orValues(expr.right, hashName);
    return left === undefined || right === undefined ? undefined : [...left, ...right];
  }
  return undefined;
}

function orValues(expr: Expr, hashName: string): Expr[] | undefined {
  if (expr.kind === 'or') return partitionValuesOf(expr, hashName);
  const comparison = attributeComparison(expr);
  return comparison !== undefined && comparison.op === '=' && comparison.name === hashName ? [comparison.value] : undefined;
}

/** A sort key condition Query accepts; 'refused' for a condition on the sort key it does not. */
function sortConditionOf(expr: Expr, rangeNames: readonly string[], value: (expr: Expr) => AttributeValue): SortCondition | 'refused' | undefined {
  const comparison = attributeComparison(expr);
  if (comparison !== undefined && rangeNames.includes(comparison.name)) {
    if (comparison.op === '<>') return 'refused';
    return { name: comparison.name, op: comparison.op, values: [value(comparison.value)] };
  }
  if (expr.kind === 'between' && !expr.negated && isBareAttribute(expr.operand) && rangeNames.includes(expr.operand.path.root)) {
    if (!isValueExpr(expr.low) || !isValueExpr(expr.high)) return 'refused';
    return { name: expr.operand.path.root, op: 'BETWEEN', values: [value(expr.low), value(expr.high)] };
  }
  if (expr.kind === 'call' && expr.name === 'begins_with' && expr.args.length === 2 && isBareAttribute(expr.args[0]!) && rangeNames.includes(expr.args[0].path.root)) {
    if (!isValueExpr(expr.args[1]!)) return 'refused';
    return { name: expr.args[0].path.root, op: 'begins_with', values: [value(expr.args[1]!)] };
  }
  return undefined;
}

function checkKeyType(name: string, value: AttributeValue, table: TableSchema): void {
  if (table.types.get(name) !== typeOf(value)) throw semantic(messages.keyTypeMismatch(name));
}

function distinct(values: AttributeValue[]): AttributeValue[] {
  const out: AttributeValue[] = [];
  for (const value of values) if (!out.some((known) => valuesEqual(known, value))) out.push(value);
  return out;
}
