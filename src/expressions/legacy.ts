// The legacy (pre-expression) parameters: Expected, AttributeUpdates, AttributesToGet,
// KeyConditions, QueryFilter, ScanFilter and ConditionalOperator. They are checked with
// DynamoDB's texts and converted to the compiled forms the expressions produce, so nothing
// downstream knows which syntax a request used. Also here: the rules on mixing them with
// expressions, which DynamoDB checks before anything else of the request's values.
//
// Sources for the texts: dynalite's suite (recorded against DynamoDB), ScyllaDB's alternator
// suite (run against DynamoDB) and a dual-target conformance suite (extenddb, 2026) for the
// ConditionalOperator and mixing rules; DynamoDB Local where those say nothing.
import type { AttributeType, AttributeValue } from '../model/attribute-value.js';
import { typeOf } from '../model/attribute-value.js';
import { assert, DynamoError, validationError } from '../model/errors.js';
import { attributeNameTooLarge, attributeNameTooLargeMessage, checkAttributeValue, compareValues, type ValidationLayer } from '../model/values.js';
import type {
  CompiledCondition, CompiledKeyCondition, CompiledProjection, CompiledUpdate, Condition, KeyConditionPart, KeyOperator,
  LegacyOperator, UpdateAction,
} from './compiled.js';

/** The operations that take legacy parameters (DynamoDB ignores them anywhere else). */
export type LegacyOperation = 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'GetItem' | 'BatchGetItem' | 'Query' | 'Scan';

export interface LegacyInput {
  Expected?: unknown;
  ConditionalOperator?: unknown;
  AttributeUpdates?: unknown;
  AttributesToGet?: unknown;
  KeyConditions?: unknown;
  QueryFilter?: unknown;
  ScanFilter?: unknown;
}

/** The legacy parameters of a request other than KeyConditions, compiled. */
export interface LegacyPrepared {
  /** Expected. */
  condition?: CompiledCondition;
  /** QueryFilter or ScanFilter. */
  filter?: CompiledCondition;
  /** AttributeUpdates. */
  update?: CompiledUpdate;
  /** AttributesToGet. */
  projection?: CompiledProjection;
}

const invalidPrefix = 'One or more parameter values were invalid: ';
const invalid = (detail: string): DynamoError => validationError(invalidPrefix + detail);

/** A member counts as given when present and not JSON null (DynamoDB reads null as absent). */
const given = (value: unknown): boolean => value !== undefined && value !== null;

// ---------------------------------------------------------------- mixing with expressions

type LegacyName = 'AttributeUpdates' | 'AttributesToGet' | 'Expected' | 'QueryFilter' | 'ScanFilter' | 'ConditionalOperator';
type ExpressionName = 'UpdateExpression' | 'ProjectionExpression' | 'ConditionExpression' | 'FilterExpression' | 'KeyConditionExpression';

interface OperationParameters {
  /** In the order DynamoDB lists them in the mixing message. */
  legacy: readonly LegacyName[];
  expressions: readonly ExpressionName[];
  /** The map ConditionalOperator combines. */
  conditions?: 'Expected' | 'QueryFilter' | 'ScanFilter';
}

// The orders are DynamoDB's: AttributeUpdates, AttributesToGet, Expected, QueryFilter,
// ScanFilter, ConditionalOperator (then KeyConditions); UpdateExpression,
// ProjectionExpression, ConditionExpression, FilterExpression, KeyConditionExpression.
const writeParameters: OperationParameters = { legacy: ['Expected', 'ConditionalOperator'], expressions: ['ConditionExpression'], conditions: 'Expected' };
const getParameters: OperationParameters = { legacy: ['AttributesToGet'], expressions: ['ProjectionExpression'] };
const operationParameters: Record<LegacyOperation, OperationParameters> = {
  PutItem: writeParameters,
  DeleteItem: writeParameters,
  UpdateItem: {
    legacy: ['AttributeUpdates', 'Expected', 'ConditionalOperator'],
    expressions: ['UpdateExpression', 'ConditionExpression'],
    conditions: 'Expected',
  },
  GetItem: getParameters,
  BatchGetItem: getParameters,
  Query: {
    legacy: ['AttributesToGet', 'QueryFilter', 'ConditionalOperator'],
    expressions: ['ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'],
    conditions: 'QueryFilter',
  },
  Scan: { legacy: ['AttributesToGet', 'ScanFilter', 'ConditionalOperator'], expressions: ['ProjectionExpression', 'FilterExpression'], conditions: 'ScanFilter' },
};

/** The mixing text; BatchGetItem also builds it for two tables of one request. */
export function mixedParametersMessage(legacy: readonly string[], expressions: readonly string[]): string {
  return `Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {${legacy.join(', ')}} Expression parameters: {${expressions.join(', ')}}`;
}

/**
 * The rules DynamoDB checks first, before any value of the request: legacy and expression
 * parameters may not be mixed (KeyConditions only counts next to a KeyConditionExpression),
 * the expression maps need an expression, and ConditionalOperator needs two or more
 * conditions to combine.
 */
export function checkParameterMixing(input: Record<string, unknown>, operation: LegacyOperation): void {
  const parameters = operationParameters[operation];
  const legacy: string[] = parameters.legacy.filter((name) => given(input[name]));
  const expressions = parameters.expressions.filter((name) => given(input[name]));
  if (given(input.KeyConditionExpression) && given(input.KeyConditions) && operation === 'Query') legacy.push('KeyConditions');
  if (legacy.length > 0 && expressions.length > 0) throw validationError(mixedParametersMessage(legacy, expressions));
  if (expressions.length === 0 && given(input.ExpressionAttributeNames)) {
    throw validationError('ExpressionAttributeNames can only be specified when using expressions');
  }
  // A ProjectionExpression uses no values; GetItem and BatchGetItem have no such member.
  const valueUsers = parameters.expressions.filter((name) => name !== 'ProjectionExpression');
  if (valueUsers.length > 0 && given(input.ExpressionAttributeValues) && !valueUsers.some((name) => given(input[name]))) {
    const verb = valueUsers.length > 1 ? 'are' : 'is';
    throw validationError(`ExpressionAttributeValues can only be specified when using expressions: ${valueUsers.join(' and ')} ${verb} null`);
  }
  if (parameters.conditions !== undefined && given(input.ConditionalOperator)) {
    const conditions = input[parameters.conditions];
    const count = typeof conditions === 'object' && conditions !== null ? Object.keys(conditions).length : 0;
    if (count === 0) throw validationError('ConditionalOperator cannot be used without Filter or Expected');
    if (count === 1) throw validationError('ConditionalOperator can only be used when Filter or Expected has two or more elements');
  }
}

// ---------------------------------------------------------------- JSON shapes

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// unverified: the SerializationException texts for a legacy map or member of the wrong JSON
// type (Jackson's wording, as the rest of the server words them).
/** Reads a map keyed by attribute names (Expected, AttributeUpdates, the filters, KeyConditions). */
function readMap(value: unknown): Record<string, unknown> | undefined {
  if (!given(value)) return undefined;
  if (isPlainObject(value)) {
    for (const name in value) if (attributeNameTooLarge(name)) throw validationError(attributeNameTooLargeMessage);
    return value;
  }
  throw new DynamoError('SerializationException', Array.isArray(value) ? 'Start of list found where not expected' : 'Expected map or null');
}

function readStructure(value: unknown): Record<string, unknown> {
  if (!given(value)) return {};
  if (isPlainObject(value)) return value;
  throw new DynamoError('SerializationException', Array.isArray(value) ? 'Start of list found where not expected' : 'Expected null');
}

function readValueList(value: unknown, layer: ValidationLayer): AttributeValue[] {
  if (!given(value)) return [];
  if (!Array.isArray(value)) {
    throw new DynamoError('SerializationException', isPlainObject(value) ? 'Start of structure or map found where not expected.' : 'Expected list or null');
  }
  return value.map((element) => checkAttributeValue(element, layer));
}

function readBoolean(value: unknown): boolean | undefined {
  if (!given(value)) return undefined;
  if (typeof value === 'boolean') return value;
  throw new DynamoError('SerializationException', `${typeof value === 'string' ? 'STRING_VALUE' : 'NUMBER_VALUE'} cannot be converted to Boolean`); // unverified
}

// ---------------------------------------------------------------- ComparisonOperator

const operators: ReadonlySet<string> = new Set<LegacyOperator>([
  'EQ', 'NE', 'LE', 'LT', 'GE', 'GT', 'NOT_NULL', 'NULL', 'CONTAINS', 'NOT_CONTAINS', 'BEGINS_WITH', 'IN', 'BETWEEN',
]);

function readOperator(value: unknown): LegacyOperator {
  // The shape pass of every operation refuses other values with DynamoDB's enum text.
  assert(typeof value === 'string' && operators.has(value), 'ComparisonOperator checked by the shape pass');
  return value as LegacyOperator;
}

const scalars: ReadonlySet<AttributeType> = new Set<AttributeType>(['S', 'N', 'B']);
// What each operator accepts in AttributeValueList (dynalite's suite lists the refused types
// per operator); EQ and NE accept every type, NULL and NOT_NULL take no values.
const allowedTypes: Partial<Record<LegacyOperator, ReadonlySet<AttributeType>>> = {
  LE: scalars,
  LT: scalars,
  GE: scalars,
  GT: scalars,
  IN: scalars,
  BETWEEN: scalars,
  BEGINS_WITH: new Set<AttributeType>(['S', 'B']),
  CONTAINS: new Set<AttributeType>(['S', 'N', 'B', 'BOOL', 'NULL']),
  NOT_CONTAINS: new Set<AttributeType>(['S', 'N', 'B', 'BOOL', 'NULL']),
};

function argumentCountFits(op: LegacyOperator, count: number): boolean {
  switch (op) {
    case 'NULL':
    case 'NOT_NULL':
      return count === 0;
    case 'IN':
      return count > 0;
    case 'BETWEEN':
      return count === 2;
    default:
      return count === 1;
  }
}

/**
 * The AttributeValueList rules of one comparison, in DynamoDB's order: the number of values,
 * one type for all of them, a type the operator accepts, BETWEEN's bounds in order.
 */
function checkArguments(op: LegacyOperator, values: readonly AttributeValue[]): void {
  if (!argumentCountFits(op, values.length)) throw invalid(`Invalid number of argument(s) for the ${op} ComparisonOperator`);
  if (values.length === 0) return;
  const type = typeOf(values[0]!);
  // unverified for Expected: the same-type and per-operator type texts (dynalite records
  // them for filters; ScyllaDB's suite shows DynamoDB refuses the same lists in Expected).
  if (values.some((value) => typeOf(value) !== type)) throw invalid('AttributeValues inside AttributeValueList must be of same type');
  const allowed = allowedTypes[op];
  if (allowed !== undefined && !allowed.has(type)) throw invalid(`ComparisonOperator ${op} is not valid for ${type} AttributeValue type`);
  if (op === 'BETWEEN' && compareValues(values[0]!, values[1]!) > 0) {
    throw validationError('The BETWEEN condition was provided a range where the lower bound is greater than the upper bound');
  }
}

type Comparison = Extract<Condition, { kind: 'legacy' }>;

function comparison(name: string, op: LegacyOperator, values: AttributeValue[]): Comparison {
  return { kind: 'legacy', op, path: [name], values };
}

/** ANDs (default) or ORs the conditions of one map, in the map's order. */
function combine(conditions: Comparison[], conditionalOperator: unknown): CompiledCondition | undefined {
  if (conditions.length === 0) return undefined;
  const kind = conditionalOperator === 'OR' ? 'or' : 'and';
  let root: Condition = conditions[0]!;
  for (let i = 1; i < conditions.length; i++) root = { kind, left: root, right: conditions[i]! };
  const names = conditions.map((condition) => condition.path[0] as string);
  return { root, attributeNames: [...new Set(names)] };
}

// ---------------------------------------------------------------- Expected

/** One Expected entry: the Exists/Value form or the ComparisonOperator form. */
function expectedCondition(name: string, raw: unknown, layer: ValidationLayer): Comparison {
  const entry = readStructure(raw);
  const hasValue = given(entry.Value);
  const hasList = given(entry.AttributeValueList);
  const exists = readBoolean(entry.Exists);
  if (hasValue && hasList) throw invalid(`Value and AttributeValueList cannot be used together for Attribute: ${name}`);
  if (given(entry.ComparisonOperator)) {
    if (exists !== undefined) throw invalid(`Exists and ComparisonOperator cannot be used together for Attribute: ${name}`);
    const op = readOperator(entry.ComparisonOperator);
    if (op !== 'NULL' && op !== 'NOT_NULL' && !hasValue && !hasList) {
      throw invalid(`Value or AttributeValueList must be used with ComparisonOperator: ${op} for Attribute: ${name}`);
    }
    const values = hasList ? readValueList(entry.AttributeValueList, layer) : hasValue ? [checkAttributeValue(entry.Value, layer)] : [];
    checkArguments(op, values);
    return comparison(name, op, values);
  }
  if (hasList) throw invalid(`AttributeValueList can only be used with a ComparisonOperator for Attribute: ${name}`);
  if (exists === false) {
    if (hasValue) throw invalid(`Value cannot be used when Exists is false for Attribute: ${name}`);
    return comparison(name, 'NULL', []);
  }
  if (!hasValue) throw invalid(`Value must be provided when Exists is ${exists === undefined ? 'null' : 'true'} for Attribute: ${name}`);
  return comparison(name, 'EQ', [checkAttributeValue(entry.Value, layer)]);
}

function convertExpected(expected: unknown, conditionalOperator: unknown, layer: ValidationLayer): CompiledCondition | undefined {
  const map = readMap(expected);
  if (map === undefined) return undefined;
  const conditions: Comparison[] = [];
  for (const name in map) conditions.push(expectedCondition(name, map[name], layer));
  return combine(conditions, conditionalOperator);
}

// ---------------------------------------------------------------- QueryFilter, ScanFilter, KeyConditions

/** One filter entry; its values are checked before its argument rules (dynalite's suite). */
function filterEntry(raw: unknown, layer: ValidationLayer): { op: LegacyOperator; values: AttributeValue[] } {
  const entry = readStructure(raw);
  const op = readOperator(entry.ComparisonOperator);
  const values = readValueList(entry.AttributeValueList, layer);
  checkArguments(op, values);
  return { op, values };
}

function convertFilter(filter: unknown, conditionalOperator: unknown, layer: ValidationLayer): CompiledCondition | undefined {
  const map = readMap(filter);
  if (map === undefined) return undefined;
  const conditions: Comparison[] = [];
  for (const name in map) {
    const { op, values } = filterEntry(map[name], layer);
    conditions.push(comparison(name, op, values));
  }
  return combine(conditions, conditionalOperator);
}

const indexableOperators: ReadonlySet<string> = new Set<KeyOperator>(['EQ', 'LE', 'LT', 'GE', 'GT', 'BEGINS_WITH', 'BETWEEN']);

/**
 * KeyConditions, as the parts a KeyConditionExpression compiles to. Operators a key cannot
 * be searched with (NE, IN, CONTAINS, ...) are recorded in legacyOperators and refused once
 * the key schema is known.
 */
export function convertKeyConditions(keyConditions: unknown, layer: ValidationLayer = 'current'): CompiledKeyCondition | undefined {
  const map = readMap(keyConditions);
  if (map === undefined) return undefined;
  const parts: KeyConditionPart[] = [];
  const legacyOperators: Record<string, string> = {};
  for (const name in map) {
    const { op, values } = filterEntry(map[name], layer);
    if (indexableOperators.has(op)) {
      parts.push({ attributeName: name, op: op as KeyOperator, values });
    } else {
      parts.push({ attributeName: name, op: 'EQ', values });
      legacyOperators[name] = op;
    }
  }
  return { parts, attributeNames: parts.map((part) => part.attributeName), legacyOperators };
}

// ---------------------------------------------------------------- AttributeUpdates

const addTypes: ReadonlySet<AttributeType> = new Set<AttributeType>(['N', 'SS', 'NS', 'BS', 'L']);
const deleteTypes: ReadonlySet<AttributeType> = new Set<AttributeType>(['SS', 'NS', 'BS']);

/**
 * AttributeUpdates: PUT sets the attribute; DELETE without a value removes it, with a set
 * removes those members; ADD adds to a number, joins a set, appends to a list (a missing
 * attribute counts as 0, the empty set, the empty list). Action defaults to PUT.
 */
function convertAttributeUpdates(updates: unknown, layer: ValidationLayer): CompiledUpdate | undefined {
  const map = readMap(updates);
  if (map === undefined) return undefined;
  const actions: UpdateAction[] = [];
  for (const name in map) {
    const entry = readStructure(map[name]);
    // The shape pass checks Action against [ADD, PUT, DELETE].
    const action = given(entry.Action) ? entry.Action : 'PUT';
    const value = given(entry.Value) ? checkAttributeValue(entry.Value, layer) : undefined;
    const path = [name];
    if (value === undefined) {
      if (action !== 'DELETE') throw invalid('Only DELETE action is allowed when no attribute value is specified');
      actions.push({ kind: 'REMOVE', clause: 0, path });
      continue;
    }
    const type = typeOf(value);
    if (action === 'DELETE') {
      if (!deleteTypes.has(type)) throw invalid(`DELETE action with value is not supported for the type ${type}`);
      actions.push({ kind: 'LEGACY_DELETE', clause: 0, path, value });
    } else if (action === 'ADD') {
      if (!addTypes.has(type)) throw invalid(`ADD action is not supported for the type ${type}`);
      actions.push({ kind: 'LEGACY_ADD', clause: 0, path, value });
    } else {
      actions.push({ kind: 'SET', clause: 0, path, value: { kind: 'value', value } });
    }
  }
  if (actions.length === 0) return undefined;
  const written = actions.map((action) => action.path[0] as string);
  return { actions, clauseCount: 1, attributesWritten: written, attributesRead: [] };
}

// ---------------------------------------------------------------- AttributesToGet

/** AttributesToGet: top-level names, taken literally (a dot is part of the name). */
function convertAttributesToGet(attributesToGet: unknown): CompiledProjection | undefined {
  if (!given(attributesToGet)) return undefined;
  if (!Array.isArray(attributesToGet)) {
    throw new DynamoError('SerializationException', isPlainObject(attributesToGet) ? 'Start of structure or map found where not expected.' : 'Expected list or null');
  }
  const seen = new Set<string>();
  for (const name of attributesToGet) {
    if (typeof name !== 'string') throw new DynamoError('SerializationException', 'NUMBER_VALUE cannot be converted to String'); // unverified
  }
  // unverified: AttributesToGet (shape AttributeName, max 65535) given the captured item text.
  for (const name of attributesToGet as string[]) if (attributeNameTooLarge(name)) throw validationError(attributeNameTooLargeMessage);
  for (const name of attributesToGet as string[]) {
    if (seen.has(name)) throw invalid(`Duplicate value in attribute name: ${name}`);
    seen.add(name);
  }
  // An empty list is refused by the shape pass (length >= 1).
  if (seen.size === 0) return undefined;
  const names = [...seen];
  return { paths: names.map((name) => [name]), attributeNames: names };
}

// ---------------------------------------------------------------- all of them

/**
 * Checks and converts the legacy parameters other than KeyConditions, in DynamoDB's order
 * (AttributeUpdates before Expected; QueryFilter before the AttributesToGet duplicates, those
 * before ScanFilter). Values are read with the operation's validation layer.
 */
export function prepareLegacy(input: LegacyInput, layer: ValidationLayer = 'current'): LegacyPrepared {
  const prepared: LegacyPrepared = {};
  const update = convertAttributeUpdates(input.AttributeUpdates, layer);
  if (update !== undefined) prepared.update = update;
  const condition = convertExpected(input.Expected, input.ConditionalOperator, layer);
  if (condition !== undefined) prepared.condition = condition;
  const queryFilter = convertFilter(input.QueryFilter, input.ConditionalOperator, layer);
  if (queryFilter !== undefined) prepared.filter = queryFilter;
  const projection = convertAttributesToGet(input.AttributesToGet);
  if (projection !== undefined) prepared.projection = projection;
  const scanFilter = convertFilter(input.ScanFilter, input.ConditionalOperator, layer);
  if (scanFilter !== undefined) prepared.filter = scanFilter;
  return prepared;
}

/** Whether a request carries any legacy parameter (a cheap test before converting). */
export function hasLegacyParameters(input: LegacyInput): boolean {
  return (
    given(input.Expected) || given(input.AttributeUpdates) || given(input.AttributesToGet) || given(input.KeyConditions) ||
    given(input.QueryFilter) || given(input.ScanFilter)
  );
}
