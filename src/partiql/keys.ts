// Finding the key in a WHERE clause. Only the top-level AND chain is searched, as DynamoDB's
// KeyAndConditionExpressionExtractor does: `key = value` conjuncts become the item key (writes,
// keyed reads) or the Query key condition (SELECT); what is left stays a condition or filter.
import type { AttributeValue, Item } from '../model/attribute-value.js';
import { valuesEqual } from '../model/values.js';
import type { ComparisonOperator, Expr } from './ast.js';
import { messages, semantic } from './messages.js';
import type { KeyNames } from './schema.js';
import { isValueExpr, toAttributeValue, typeOf } from './values.js';

/** The conjuncts of a top-level AND chain, in statement order. */
export function conjuncts(expr: Expr | undefined): Expr[] {
  if (expr === undefined) return [];
  if (expr.kind === 'and') return [...conjuncts(expr.left), ...conjuncts(expr.right)];
  return [expr];
}

/** Conjuncts joined back with AND; undefined when none is left. */
export function conjoin(parts: readonly Expr[]): Expr | undefined {
  if (parts.length === 0) return undefined;
  return parts.reduce((left, right) => ({ kind: 'and', left, right }));
}

/** `name op value` with a bare top-level attribute (either side); the operator as if the attribute came first. */
export function attributeComparison(expr: Expr): { name: string; op: ComparisonOperator; value: Expr } | undefined {
  if (expr.kind !== 'compare') return undefined;
  if (isBareAttribute(expr.left) && isValueExpr(expr.right)) return { name: expr.left.path.root, op: expr.op, value: expr.right };
  if (isBareAttribute(expr.right) && isValueExpr(expr.left)) return { name: expr.right.path.root, op: flipped[expr.op], value: expr.left };
  return undefined;
}

const flipped: Record<ComparisonOperator, ComparisonOperator> = { '=': '=', '<>': '<>', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

export function isBareAttribute(expr: Expr): expr is Extract<Expr, { kind: 'path' }> {
  return expr.kind === 'path' && expr.path.steps.length === 0;
}

/** The item key pinned by a write's (or keyed read's) WHERE, and the conditions left over. */
export interface ExtractedKey {
  key: Item;
  rest: Expr | undefined;
}

/**
 * Every key attribute must be pinned by `key = value` in the top-level AND chain; a second,
 * different equality on one key is refused; key values must be S, N or B of the schema's type.
 */
export function extractItemKey(where: Expr | undefined, keys: KeyNames, types: ReadonlyMap<string, string>, parameters: readonly AttributeValue[]): ExtractedKey {
  const names = [...keys.hash, ...keys.range];
  const key: Item = {};
  const rest: Expr[] = [];
  for (const part of conjuncts(where)) {
    const comparison = attributeComparison(part);
    if (comparison === undefined || comparison.op !== '=' || !names.includes(comparison.name)) {
      rest.push(part);
      continue;
    }
    const value = toAttributeValue(comparison.value, parameters);
    const known = key[comparison.name];
    if (known !== undefined && !valuesEqual(known, value)) throw semantic(messages.multipleKeyConditions(comparison.name));
    key[comparison.name] = value;
  }
  if (!names.every((name) => key[name] !== undefined)) throw semantic(messages.incompleteKey);
  for (const name of names) checkKeyValue(name, key[name]!, types);
  return { key, rest: conjoin(rest) };
}

/** A key value is S, N or B, and of the type the table defines for it. */
export function checkKeyValue(name: string, value: AttributeValue, types: ReadonlyMap<string, string>): void {
  const type = typeOf(value);
  if (type !== 'S' && type !== 'N' && type !== 'B') throw semantic(messages.keyValueType(name, type));
  if (types.get(name) !== type) throw semantic(messages.keyTypeMismatch(name));
}

/** The top-level attribute names a condition reads. */
export function attributesOf(expr: Expr | undefined, into = new Set<string>()): Set<string> {
  if (expr === undefined) return into;
  switch (expr.kind) {
    case 'path':
      into.add(expr.path.root);
      break;
    case 'compare':
    case 'arithmetic':
    case 'and':
    case 'or':
      attributesOf(expr.left, into);
      attributesOf(expr.right, into);
      break;
    case 'unsupported':
      expr.operands.forEach((operand) => attributesOf(operand, into));
      break;
    case 'not':
      attributesOf(expr.operand, into);
      break;
    case 'between':
      [expr.operand, expr.low, expr.high].forEach((operand) => attributesOf(operand, into));
      break;
    case 'in':
      attributesOf(expr.operand, into);
      attributesOf(expr.list, into);
      break;
    case 'is':
      attributesOf(expr.operand, into);
      break;
    case 'call':
    case 'list':
    case 'bag':
      (expr.kind === 'call' ? expr.args : expr.items).forEach((operand) => attributesOf(operand, into));
      break;
    case 'struct':
      expr.fields.forEach((field) => attributesOf(field.value, into));
      break;
    default:
      break;
  }
  return into;
}
