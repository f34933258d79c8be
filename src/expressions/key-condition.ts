// Key conditions (Query): the rules a KeyConditionExpression must follow beyond any
// condition's (AND only, one condition per key, the key attribute as an operand), then, once
// the table or index is known, the match against its key schema.
import type { AttributeValue } from '../model/attribute-value.js';
import { typeOf } from '../model/attribute-value.js';
import { validationError } from '../model/errors.js';
import { hashElements, isMultiAttribute, rangeElements, type KeyElement, type KeySchema } from '../engine/table-spec.js';
import type { CompiledKeyCondition, Condition, KeyConditionPart, KeyOperator, Operand } from './compiled.js';

const operatorNames: Record<string, KeyOperator> = { '=': 'EQ', '<': 'LT', '<=': 'LE', '>': 'GT', '>=': 'GE' };
// With the key attribute on the right, the comparison turns around.
const mirrored: Record<KeyOperator, KeyOperator> = {
  EQ: 'EQ', LT: 'GT', LE: 'GE', GT: 'LT', GE: 'LE', BETWEEN: 'BETWEEN', BEGINS_WITH: 'BEGINS_WITH',
};

const functionNames: Record<string, string> = {
  exists: 'attribute_exists', notExists: 'attribute_not_exists', type: 'attribute_type', contains: 'contains',
};

/** Splits a bound KeyConditionExpression into per-key parts, with DynamoDB's errors. */
export function compileKeyCondition(root: Condition): CompiledKeyCondition {
  const parts: KeyConditionPart[] = [];
  const visit = (node: Condition): void => {
    switch (node.kind) {
      case 'and':
        visit(node.left);
        visit(node.right);
        return;
      case 'or':
      case 'not':
      case 'in':
        throw validationError(`Invalid operator used in KeyConditionExpression: ${node.kind.toUpperCase()}`);
      case 'exists':
      case 'notExists':
      case 'type':
      case 'contains':
        throw validationError(`Invalid operator used in KeyConditionExpression: ${functionNames[node.kind]}`);
      case 'compare':
        if (node.op === '<>') throw validationError('Invalid operator used in KeyConditionExpression: <>');
        parts.push(leaf(operatorNames[node.op]!, [node.left, node.right], parts));
        return;
      case 'between':
        if (node.operand.kind !== 'path') {
          throw validationError('Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand');
        }
        parts.push(leaf('BETWEEN', [node.operand, node.low, node.high], parts));
        return;
      case 'beginsWith':
        if (node.left.kind !== 'path') {
          throw validationError('Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand');
        }
        parts.push(leaf('BEGINS_WITH', [node.left, node.right], parts));
        return;
      default:
        throw new Error(`invariant broken: ${node.kind} in a key condition`);
    }
  };
  visit(root);
  return { parts, attributeNames: parts.map((part) => part.attributeName) };
}

function leaf(op: KeyOperator, operands: Operand[], seen: KeyConditionPart[]): KeyConditionPart {
  let attributeName: string | undefined;
  let attributeAt = 0;
  const values: AttributeValue[] = [];
  operands.forEach((operand, index) => {
    if (operand.kind === 'path') {
      if (attributeName !== undefined) {
        throw validationError('Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition');
      }
      if (operand.path.length > 1) throw validationError('KeyConditionExpressions cannot have conditions on nested attributes');
      attributeName = operand.path[0] as string;
      attributeAt = index;
    } else if (operand.kind === 'size') {
      throw validationError('KeyConditionExpressions cannot contain nested operations');
    } else {
      values.push(operand.value);
    }
  });
  if (attributeName === undefined) throw validationError('Invalid condition in KeyConditionExpression: No key attribute specified');
  if (seen.some((part) => part.attributeName === attributeName)) {
    throw validationError('KeyConditionExpressions must only contain one condition per key');
  }
  return { attributeName, op: attributeAt === 0 ? op : mirrored[op], values };
}

export interface KeyConditionPlan {
  /** The first HASH attribute's value (the only one but for a multi-attribute GSI key). */
  partitionValue: AttributeValue;
  /** Every HASH attribute's value, in key schema order. */
  partitionValues: AttributeValue[];
  /** Multi-attribute keys: the values of the leading RANGE attributes given with `=` before `sort`'s. */
  sortPrefix: AttributeValue[];
  /** The condition on the last RANGE attribute used (the sortPrefix.length-th). */
  sort?: { op: KeyOperator; values: AttributeValue[] };
}

function checkKeyValues(values: readonly AttributeValue[], key: KeyElement): void {
  for (const value of values) {
    if (typeOf(value) !== key.type) {
      throw validationError('One or more parameter values were invalid: Condition parameter type does not match schema type');
    }
    if (('S' in value && value.S === '') || ('B' in value && value.B === '')) {
      throw validationError(
        `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${'S' in value ? 'string' : 'binary'} value. Key: ${key.name}`,
      );
    }
  }
}

/**
 * A multi-attribute GSI key: equality on every HASH attribute; conditions on a prefix of the
 * RANGE attributes in key schema order, `=` on all but the last one used. Structure is
 * checked before value types. unverified: DynamoDB's exact texts.
 */
function analyzeMultiAttribute(keyCondition: CompiledKeyCondition, schema: KeySchema): KeyConditionPlan {
  const parts = keyCondition.parts;
  const hashes = hashElements(schema);
  const ranges = rangeElements(schema);
  const known = new Set([...hashes, ...ranges].map((key) => key.name));
  if (parts.some((part) => !known.has(part.attributeName))) throw validationError('Query key condition not supported');
  const partOf = (key: KeyElement) => parts.find((part) => part.attributeName === key.name);
  for (const key of hashes) {
    const part = partOf(key);
    if (part === undefined || part.op !== 'EQ') {
      throw validationError(
        `Query key condition not supported: every HASH key attribute of the index must be given with an equality condition; missing or not equality: ${key.name}`,
      );
    }
  }
  const used = ranges.map(partOf);
  let usedCount = used.length;
  while (usedCount > 0 && used[usedCount - 1] === undefined) usedCount--;
  for (let i = 0; i < usedCount; i++) {
    const part = used[i];
    if (part === undefined) {
      throw validationError(
        `Query key condition not supported: RANGE key attributes must be used in order, with an equality condition on each one before the last used; missing: ${ranges[i]!.name}`,
      );
    }
    if (i < usedCount - 1 && part.op !== 'EQ') {
      throw validationError(
        `Query key condition not supported: only the last RANGE key attribute used may have a condition other than equality; ${ranges[i]!.name} needs one`,
      );
    }
  }
  for (const key of [...hashes, ...ranges.slice(0, usedCount)]) {
    if (keyCondition.legacyOperators?.[key.name] !== undefined) throw validationError('Attempted conditional constraint is not an indexable operation');
    checkKeyValues(partOf(key)!.values, key);
  }
  const partitionValues = hashes.map((key) => partOf(key)!.values[0]!);
  const plan: KeyConditionPlan = { partitionValue: partitionValues[0]!, partitionValues, sortPrefix: [] };
  if (usedCount === 0) return plan;
  plan.sortPrefix = used.slice(0, usedCount - 1).map((part) => part!.values[0]!);
  const last = used[usedCount - 1]!;
  plan.sort = { op: last.op, values: last.values };
  return plan;
}

/** Matches the key condition against the key schema of the table or index queried. */
export function analyzeKeyCondition(keyCondition: CompiledKeyCondition, schema: KeySchema): KeyConditionPlan {
  if (isMultiAttribute(schema)) return analyzeMultiAttribute(keyCondition, schema);
  const parts = keyCondition.parts;
  const count = parts.length;
  let plan: KeyConditionPlan | undefined;
  let sort: KeyConditionPlan['sort'];
  const keys = schema.sortKey === undefined ? [schema.partitionKey] : [schema.partitionKey, schema.sortKey];
  for (const key of keys) {
    const isPartition = key === schema.partitionKey;
    if (isPartition && schema.sortKey === undefined && count > 1) throw validationError('Query key condition not supported');
    const part = parts.find((candidate) => candidate.attributeName === key.name);
    if (part === undefined) {
      if (isPartition || count > 1) throw validationError(`Query condition missed key schema element: ${key.name}`);
      continue;
    }
    const legacyOperator = keyCondition.legacyOperators?.[key.name];
    if (legacyOperator !== undefined) throw validationError('Attempted conditional constraint is not an indexable operation');
    for (const value of part.values) {
      if (typeOf(value) !== key.type) {
        throw validationError('One or more parameter values were invalid: Condition parameter type does not match schema type');
      }
      if (('S' in value && value.S === '') || ('B' in value && value.B === '')) {
        throw validationError(
          `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${'S' in value ? 'string' : 'binary'} value. Key: ${key.name}`,
        );
      }
    }
    if (isPartition) {
      if (part.op !== 'EQ') throw validationError('Query key condition not supported');
      plan = { partitionValue: part.values[0]!, partitionValues: [part.values[0]!], sortPrefix: [] };
    } else {
      sort = { op: part.op, values: part.values };
    }
  }
  // unverified: a third condition (on a non-key attribute) next to both keys.
  if (parts.some((part) => part.attributeName !== schema.partitionKey.name && part.attributeName !== schema.sortKey?.name)) {
    throw validationError('Query key condition not supported');
  }
  return sort === undefined ? plan! : { ...plan!, sort };
}
