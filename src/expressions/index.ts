// DynamoDB expressions: the public interface of src/expressions/. Plain data and functions:
// prepareExpressions checks a request's expressions exactly as DynamoDB does and compiles
// them; the other functions run the compiled forms against items.
import type { AttributeValue, Item } from '../model/attribute-value.js';
import { validationError } from '../model/errors.js';
import type { KeySchema } from '../engine/table-spec.js';
import type { ConditionNode, PathNode, UpdateNode } from './ast.js';
import { checkAllUsed, readAttributeNames, readAttributeValues } from './attribute-maps.js';
import { bindCondition, bindPath, bindUpdate, conditionAttributeNames, forEachPathIn, type BindContext } from './bind.js';
import { parseCached, type Grammar } from './cache.js';
import type {
  CompiledCondition, CompiledKeyCondition, CompiledProjection, CompiledUpdate, DocumentPath, UpdateValue,
} from './compiled.js';
import { evaluate } from './evaluate.js';
import { compileKeyCondition } from './key-condition.js';
import { convertKeyConditions, hasLegacyParameters, prepareLegacy, type LegacyInput, type LegacyPrepared } from './legacy.js';
import { findPathClash } from './overlap.js';
import { projectPaths } from './projection.js';

export type * from './compiled.js';
export { analyzeKeyCondition, type KeyConditionPlan } from './key-condition.js';
export { applyUpdate, checkKeyUpdate, type UpdateResult } from './update.js';
export { resolvePath } from './evaluate.js';
export { isReservedWord } from './reserved-words.js';
export { expressionCacheSize, expressionCacheEntriesMax } from './cache.js';
export {
  checkParameterMixing, mixedParametersMessage, prepareLegacy, type LegacyInput, type LegacyOperation, type LegacyPrepared,
} from './legacy.js';

/**
 * A request's expression parameters and its legacy ones (Expected, AttributeUpdates, ...),
 * which compile to the same forms. Call checkParameterMixing first, where DynamoDB does: the
 * two kinds are never both given for the same purpose, except KeyConditions next to a
 * FilterExpression or ProjectionExpression.
 */
export interface ExpressionInput extends LegacyInput {
  ConditionExpression?: string;
  FilterExpression?: string;
  KeyConditionExpression?: string;
  ProjectionExpression?: string;
  UpdateExpression?: string;
  ExpressionAttributeNames?: unknown;
  ExpressionAttributeValues?: unknown;
}

export interface PreparedExpressions {
  condition?: CompiledCondition;
  filter?: CompiledCondition;
  keyCondition?: CompiledKeyCondition;
  projection?: CompiledProjection;
  update?: CompiledUpdate;
  /** Top-level attributes any expression reads (dynamodb:Attributes). */
  attributesRead: string[];
  /** Top-level attributes the update writes (dynamodb:Attributes). */
  attributesWritten: string[];
}

type ExpressionField = 'UpdateExpression' | 'ConditionExpression' | 'FilterExpression' | 'ProjectionExpression' | 'KeyConditionExpression';

// DynamoDB checks a request's expressions in this order (UpdateItem: update, then condition;
// Query: filter, projection, then key condition).
const checkOrder: ReadonlyArray<[ExpressionField, Grammar]> = [
  ['UpdateExpression', 'update'],
  ['ConditionExpression', 'condition'],
  ['FilterExpression', 'condition'],
  ['ProjectionExpression', 'projection'],
  ['KeyConditionExpression', 'condition'],
];

/**
 * Checks and compiles the expressions of one request. Throws a ValidationException with
 * DynamoDB's text for the first problem, in DynamoDB's order: the legacy parameters (unless
 * `legacy` already holds them, converted earlier where an operation checks them earlier),
 * the expressions, then KeyConditions. Parsing is cached per text.
 */
export function prepareExpressions(input: ExpressionInput, legacy?: LegacyPrepared): PreparedExpressions {
  const prepared: PreparedExpressions = { attributesRead: [], attributesWritten: [] };
  const converted = legacy ?? (hasLegacyParameters(input) ? prepareLegacy(input) : undefined);
  if (converted !== undefined) Object.assign(prepared, converted);
  const names = readAttributeNames(input.ExpressionAttributeNames);
  const values = readAttributeValues(input.ExpressionAttributeValues);
  const context: BindContext = { names, values, usedNames: new Set(), usedValues: new Set(), prefix: '' };
  let keyConditionRoot: CompiledCondition | undefined;
  for (const [field, grammar] of checkOrder) {
    const text = input[field];
    if (text === undefined || text === null) continue;
    context.prefix = `Invalid ${field}: `;
    if (text === '') throw validationError(`${context.prefix}The expression can not be empty;`);
    const parsed = parseCached(grammar, text);
    if (!parsed.ok) throw validationError(context.prefix + parsed.message);
    switch (field) {
      case 'UpdateExpression':
        prepared.update = bindUpdate(parsed.node as UpdateNode, context);
        break;
      case 'ProjectionExpression': {
        const paths = (parsed.node as PathNode[]).map((path) => bindPath(path, context));
        const clash = findPathClash(paths);
        if (clash !== undefined) throw validationError(context.prefix + clash);
        prepared.projection = { paths, attributeNames: uniqueHeads(paths) };
        break;
      }
      default: {
        const root = bindCondition(parsed.node as ConditionNode, context);
        const compiled: CompiledCondition = { root, attributeNames: conditionAttributeNames(root) };
        if (field === 'ConditionExpression') prepared.condition = compiled;
        else if (field === 'FilterExpression') prepared.filter = compiled;
        else keyConditionRoot = compiled;
      }
    }
  }
  checkAllUsed(names, context.usedNames, values, context.usedValues);
  if (keyConditionRoot !== undefined) prepared.keyCondition = compileKeyCondition(keyConditionRoot.root);
  // KeyConditions are checked after the expressions (dynalite's suite).
  const keyConditions = keyConditionRoot === undefined ? convertKeyConditions(input.KeyConditions) : undefined;
  if (keyConditions !== undefined) prepared.keyCondition = keyConditions;
  const read = new Set<string>();
  for (const compiled of [prepared.condition, prepared.filter, prepared.projection, prepared.keyCondition]) {
    if (compiled !== undefined) for (const name of compiled.attributeNames) read.add(name);
  }
  if (prepared.update !== undefined) {
    for (const name of prepared.update.attributesRead) read.add(name);
    prepared.attributesWritten = prepared.update.attributesWritten;
  }
  prepared.attributesRead = [...read];
  return prepared;
}

function uniqueHeads(paths: readonly DocumentPath[]): string[] {
  return [...new Set(paths.map((path) => path[0] as string))];
}

/** Whether a condition (ConditionExpression or FilterExpression) holds for the item. */
export function evaluateCondition(compiled: CompiledCondition, item: Item | undefined): boolean {
  return evaluate(compiled.root, item);
}

/** The item reduced to a projection's paths. */
export function projectItem(item: Item, projection: CompiledProjection): Item {
  return projectPaths(item, projection.paths);
}

/** The item reduced to the paths an update wrote (ReturnValues UPDATED_OLD / UPDATED_NEW). */
export function projectUpdatedPaths(item: Item, updatedPaths: readonly DocumentPath[]): Item {
  return projectPaths(item, updatedPaths);
}

const scalarKeyMessage = (name: string): string =>
  `Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: ${name}`;

/**
 * Checks, once the key schema is known, how the expressions use key attributes: no path may
 * look inside a key attribute, and a Query's filter may not use the key attributes at all.
 * For an update, call checkKeyUpdate first (DynamoDB reports a written key attribute first).
 */
export function checkKeyAttributeUsage(prepared: PreparedExpressions, schema: KeySchema, options: { query?: boolean } = {}): void {
  const keyNames = schema.sortKey === undefined ? [schema.partitionKey.name] : [schema.partitionKey.name, schema.sortKey.name];
  const nested = (path: DocumentPath): void => {
    if (path.length > 1 && keyNames.includes(path[0] as string)) throw validationError(scalarKeyMessage(path[0] as string));
  };
  if (prepared.update !== undefined) {
    for (const action of prepared.update.actions) if (action.kind === 'SET') forEachUpdatePath(action.value, nested);
  }
  if (prepared.condition !== undefined) forEachConditionPath(prepared.condition, nested);
  if (prepared.filter !== undefined) forEachConditionPath(prepared.filter, nested);
  if (prepared.projection !== undefined) prepared.projection.paths.forEach(nested);
  if (options.query === true && prepared.filter !== undefined) {
    for (const name of prepared.filter.attributeNames) {
      if (keyNames.includes(name)) {
        throw validationError(`Filter Expression can only contain non-primary key attributes: Primary key attribute: ${name}`);
      }
    }
  }
}

function forEachUpdatePath(value: UpdateValue, visit: (path: DocumentPath) => void): void {
  switch (value.kind) {
    case 'path':
      visit(value.path);
      return;
    case 'value':
      return;
    case 'ifNotExists':
      visit(value.path);
      forEachUpdatePath(value.fallback, visit);
      return;
    default:
      forEachUpdatePath(value.left, visit);
      forEachUpdatePath(value.right, visit);
  }
}

/** Calls `visit` with every document path a condition reads. */
export function forEachConditionPath(compiled: CompiledCondition, visit: (path: DocumentPath) => void): void {
  forEachPathIn(compiled.root, visit);
}

export type { AttributeValue, Item };
