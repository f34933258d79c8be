// Key conditions (Query): the rules a KeyConditionExpression must follow beyond any
// condition's (AND only, one condition per key, the key attribute as an operand), then, once
// the table or index is known, the match against its key schema.
import type { AttributeValue } from '../model/attribute-value.js';
import { typeOf } from '../model/attribute-value.js';
import { validationError } from '../model/errors.js';
import type { KeySchema } from '../engine/table-spec.js';
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
  partitionValue: AttributeValue;
  sort?: { op: KeyOperator; values: AttributeValue[] };
}

/** Matches the key condition against the key schema of the table or index queried. */
export function analyzeKeyCondition(keyCondition: CompiledKeyCondition, schema: KeySchema): KeyConditionPlan {
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
      plan = { partitionValue: part.values[0]! };
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
