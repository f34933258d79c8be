// PartiQL values to DynamoDB AttributeValues: 'text' is S, numbers N, TRUE/FALSE BOOL, NULL
// NULL, [..] L, {'k': ..} M, <<..>> SS or NS (strings or numbers, never empty), `?` the
// request's parameter at that position. Binary has no literal: it comes only as a parameter.
// Texts follow DynamoDB's PartiQLToAttributeValueConverterBase; `under` is its descriptive
// path ("root", "root.a", "root.a[2]").
import type { AttributeValue, Item } from '../model/attribute-value.js';
import type { Expr } from './ast.js';
import { checkAttributeValue } from '../model/values.js';
import { messages, semantic } from './messages.js';

const root = 'root';

/** Whether an expression is a value (as opposed to a path, an operator or a function). */
export function isValueExpr(expr: Expr): boolean {
  switch (expr.kind) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'null':
    case 'parameter':
    case 'list':
    case 'bag':
    case 'struct':
      return true;
    default:
      return false;
  }
}

export function toAttributeValue(expr: Expr, parameters: readonly AttributeValue[], under = root): AttributeValue {
  switch (expr.kind) {
    case 'string':
      return { S: expr.value };
    case 'number':
      // An Ion decimal -0.0 keeps its sign, which DynamoDB refuses; the integer -0 is 0.
      if (/^-0*\.0*$/.test(expr.text)) throw semantic(messages.negativeZero(under));
      // Range and precision are checked here, so the text never names a placeholder.
      // unverified: DynamoDB's wording for an out-of-range literal (the AttributeValue one here).
      return checkAttributeValue({ N: expr.text });
    case 'boolean':
      return { BOOL: expr.value };
    case 'null':
      return { NULL: true };
    case 'parameter':
      return parameters[expr.position - 1]!;
    case 'list':
      return { L: expr.items.map((item, i) => toAttributeValue(item, parameters, `${under}[${i}]`)) };
    case 'struct':
      return { M: structToItem(expr, parameters, under) };
    case 'bag':
      return bagToSet(expr.items);
    default:
      throw semantic(messages.unsupportedDataType(typeNameOf(expr), under));
  }
}

/** A `{...}` tuple as a map: string keys, each once. */
export function structToItem(expr: Extract<Expr, { kind: 'struct' }>, parameters: readonly AttributeValue[], under = root): Item {
  const item: Item = {};
  for (const field of expr.fields) {
    const name = attributeName(field.name, under);
    if (Object.hasOwn(item, name)) throw semantic(messages.duplicateTupleKey(name, under));
    item[name] = toAttributeValue(field.value, parameters, `${under}.${name}`);
  }
  return item;
}

function attributeName(expr: Expr, under: string): string {
  if (expr.kind !== 'string') throw semantic(messages.tupleKeyType(typeNameOf(expr), under));
  if (expr.value === '') throw semantic(messages.emptyPathComponent);
  return expr.value;
}

/** A bag of number or string literals as NS or SS; parameters are not literals here. */
function bagToSet(items: readonly Expr[]): AttributeValue {
  if (items.length === 0) throw semantic(messages.emptyBag);
  const first = items[0]!;
  // Checked as a whole (numbers, duplicates) so no text names a placeholder.
  if (first.kind === 'number') {
    return checkAttributeValue({ NS: items.map((item) => (item.kind === 'number' ? item.text : failBag())) });
  }
  if (first.kind === 'string') {
    return checkAttributeValue({ SS: items.map((item) => (item.kind === 'string' ? item.value : failBag())) });
  }
  return failBag();
}

function failBag(): never {
  throw semantic(messages.bagType);
}

/**
 * How DynamoDB names an expression's type in its texts: a literal by its Ion type, anything
 * else by its AST class.
 */
export function typeNameOf(expr: Expr): string {
  switch (expr.kind) {
    case 'string':
      return 'STRING';
    case 'number':
      return /[eE]/.test(expr.text) ? 'FLOAT' : expr.text.includes('.') ? 'DECIMAL' : 'INT';
    case 'boolean':
      return 'BOOL';
    case 'null':
      return 'NULL';
    case 'missing':
      return 'LiteralMissing';
    case 'parameter':
      return 'Parameter';
    case 'path':
      return expr.path.steps.length === 0 ? 'VariableReference' : 'Path';
    case 'list':
    case 'bag':
      return 'Seq';
    case 'struct':
      return 'Struct';
    default:
      return 'NAry';
  }
}

/** DynamoDB's short name of an expression in texts such as "Unrecognized assignment target: %s". */
export function identifierOf(expr: Expr): string {
  switch (expr.kind) {
    case 'string':
      return JSON.stringify(expr.value);
    case 'number':
      return expr.text;
    case 'boolean':
      return String(expr.value);
    case 'null':
      return 'null';
    case 'missing':
      return 'MISSING';
    case 'parameter':
      return 'PARAMETER';
    case 'path':
      return expr.path.steps.length === 0 ? expr.path.root : 'PATH';
    case 'list':
      return 'LIST';
    case 'bag':
      return 'BAG';
    case 'struct':
      return 'STRUCT';
    case 'call':
      return expr.name;
    case 'compare':
    case 'arithmetic':
      return expr.op;
    case 'unsupported':
      return expr.op;
    case 'and':
    case 'or':
    case 'not':
    case 'between':
    case 'in':
      return expr.kind;
    case 'is':
      return 'is';
  }
}

/** The attribute type letters of a value (S, N, B, BOOL, NULL, M, L, SS, NS, BS). */
export function typeOf(value: AttributeValue): string {
  return Object.keys(value)[0] ?? '';
}
