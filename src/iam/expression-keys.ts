// The condition keys a request's expressions give (dynamodb:Attributes, and the partition key
// value of a KeyConditionExpression for dynamodb:LeadingKeys), read straight from the parsed
// expressions in src/expressions' parse cache: the operation then finds the same parse there,
// so a non-root request parses each expression text once and binds it once (the operation's
// binding), instead of running the whole prepareExpressions twice.
// Anything unusual (legacy parameters, a text that does not parse, a #name or :value that is
// not defined) goes through prepareExpressions itself, so that the request carries exactly the
// ValidationException DynamoDB would answer.
import type { ConditionNode, OperandNode, PathNode, SetValueNode, UpdateNode } from '../expressions/ast.js';
import { parseCached } from '../expressions/cache.js';
import { prepareExpressions, type ExpressionInput } from '../expressions/index.js';

export interface ExpressionKeys {
  /** Top-level attribute names the expressions read or write. */
  attributes: string[];
  /** The partition key's value in the KeyConditionExpression (`key = :v`), as an attribute value. */
  partitionValue?: unknown;
}

/** Thrown inside the fast path when it meets something only prepareExpressions can judge. */
class Unusual extends Error {}

const legacyFields = ['Expected', 'AttributeUpdates', 'AttributesToGet', 'KeyConditions', 'QueryFilter', 'ScanFilter'] as const;
const conditionFields = ['ConditionExpression', 'FilterExpression', 'KeyConditionExpression'] as const;

/**
 * The keys of the request's expressions; throws prepareExpressions' ValidationException for a
 * malformed request. `partitionKey`: the name whose `=` in the key condition gives LeadingKeys.
 */
export function expressionKeys(input: Record<string, unknown>, partitionKey: string | undefined): ExpressionKeys {
  try {
    return fastKeys(input, partitionKey);
  } catch (error) {
    if (!(error instanceof Unusual)) throw error;
  }
  return preparedKeys(input, partitionKey);
}

function fastKeys(input: Record<string, unknown>, partitionKey: string | undefined): ExpressionKeys {
  for (const field of legacyFields) if (input[field] !== undefined && input[field] !== null) throw new Unusual();
  const names = input.ExpressionAttributeNames;
  if (names !== undefined && (names === null || typeof names !== 'object' || Array.isArray(names))) throw new Unusual();
  const walker = new Walker(names as Record<string, unknown> | undefined);
  for (const field of conditionFields) {
    const text = expressionText(input[field]);
    if (text !== undefined) walker.condition(parsed('condition', text));
  }
  const update = expressionText(input.UpdateExpression);
  if (update !== undefined) walker.update(parsed('update', update));
  const projection = expressionText(input.ProjectionExpression);
  if (projection !== undefined) for (const path of parsed('projection', projection)) walker.path(path);
  const keys: ExpressionKeys = { attributes: [...walker.attributes] };
  const keyCondition = expressionText(input.KeyConditionExpression);
  if (keyCondition !== undefined && partitionKey !== undefined) {
    const placeholder = partitionPlaceholder(parsed('condition', keyCondition), partitionKey, walker);
    if (placeholder !== undefined) keys.partitionValue = valueOf(input.ExpressionAttributeValues, placeholder);
  }
  return keys;
}

function expressionText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value === '') throw new Unusual();
  return value;
}

function parsed<G extends 'condition' | 'update' | 'projection'>(grammar: G, text: string) {
  const result = parseCached(grammar, text);
  if (!result.ok) throw new Unusual();
  return result.node;
}

function valueOf(values: unknown, placeholder: string): unknown {
  if (values === null || typeof values !== 'object' || !Object.hasOwn(values, placeholder)) throw new Unusual();
  return (values as Record<string, unknown>)[placeholder];
}

/** Collects top-level attribute names, resolving #placeholders. */
class Walker {
  readonly attributes = new Set<string>();

  constructor(private readonly names: Record<string, unknown> | undefined) {}

  /** The top-level name a path starts with. */
  head(path: PathNode): string {
    const first = path.parts[0];
    if (first === undefined || first.kind !== 'name') throw new Unusual();
    if (!first.placeholder) return first.text;
    const name = this.names?.[first.text];
    if (typeof name !== 'string' || !Object.hasOwn(this.names!, first.text)) throw new Unusual();
    return name;
  }

  path(path: PathNode): void {
    this.attributes.add(this.head(path));
  }

  operand(node: OperandNode | SetValueNode): void {
    switch (node.k) {
      case 'path':
        this.path(node);
        return;
      case 'value':
        return;
      case 'call':
        for (const argument of node.args) this.operand(argument);
        return;
      case 'paren':
        this.operand(node.inner);
        return;
      case 'arith':
        this.operand(node.left);
        this.operand(node.right);
        return;
    }
  }

  condition(node: ConditionNode): void {
    switch (node.k) {
      case 'or':
      case 'and':
        this.condition(node.left);
        this.condition(node.right);
        return;
      case 'not':
        this.condition(node.operand);
        return;
      case 'paren':
        this.condition(node.inner);
        return;
      case 'compare':
        this.operand(node.left);
        this.operand(node.right);
        return;
      case 'between':
        this.operand(node.operand);
        this.operand(node.low);
        this.operand(node.high);
        return;
      case 'in':
        this.operand(node.operand);
        for (const entry of node.list) this.operand(entry);
        return;
      case 'call':
        this.operand(node);
        return;
    }
  }

  update(node: UpdateNode): void {
    for (const clause of node.clauses) {
      for (const action of clause.actions) {
        this.path(action.path);
        if (action.section !== 'REMOVE') this.operand(action.value);
      }
    }
  }
}

/** The :placeholder compared with `=` to the (top-level) partition key, if the key condition has one. */
function partitionPlaceholder(node: ConditionNode, partitionKey: string, walker: Walker): string | undefined {
  switch (node.k) {
    case 'and':
      return partitionPlaceholder(node.left, partitionKey, walker) ?? partitionPlaceholder(node.right, partitionKey, walker);
    case 'paren':
      return partitionPlaceholder(node.inner, partitionKey, walker);
    case 'compare': {
      if (node.op !== '=') return undefined;
      const [path, value] = node.left.k === 'path' ? [node.left, node.right] : [node.right, node.left];
      if (path.k !== 'path' || value.k !== 'value' || path.parts.length !== 1) return undefined;
      return walker.head(path) === partitionKey ? value.name : undefined;
    }
    default:
      return undefined;
  }
}

/** The general path: prepareExpressions judges the request (and throws its ValidationException). */
function preparedKeys(input: Record<string, unknown>, partitionKey: string | undefined): ExpressionKeys {
  const prepared = prepareExpressions(input as ExpressionInput);
  const keys: ExpressionKeys = { attributes: [...new Set([...prepared.attributesRead, ...prepared.attributesWritten])] };
  const keyCondition = prepared.keyCondition;
  if (keyCondition !== undefined && partitionKey !== undefined) {
    // A multi-attribute GSI key: LeadingKeys is checked against its first HASH attribute's value.
    const part = keyCondition.parts.find((candidate) => candidate.attributeName === partitionKey && candidate.op === 'EQ');
    if (part !== undefined) keys.partitionValue = part.values[0];
  }
  return keys;
}
