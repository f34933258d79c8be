// PartiQL clauses as DynamoDB expressions. Every attribute name becomes a #name placeholder
// and every value a :value placeholder, so reserved words and odd characters never matter and
// the existing expression validator and evaluator do the rest. DynamoDB translates PartiQL the
// same way (its WHERE becomes the tree a ConditionExpression compiles to), so validator texts
// reach the client with the "Invalid ...Expression: " prefix removed (see errors.ts).
import type { AttributeValue } from '../model/attribute-value.js';
import type { Expr, Path } from './ast.js';
import { messages, semantic } from './messages.js';
import { identifierOf, isValueExpr, toAttributeValue } from './values.js';

/** The placeholders of one request: names and values, each rendered once. */
export class Placeholders {
  private readonly names = new Map<string, string>();
  private readonly values: Record<string, AttributeValue> = {};
  private valueCount = 0;

  constructor(readonly parameters: readonly AttributeValue[]) {}

  name(attribute: string): string {
    let placeholder = this.names.get(attribute);
    if (placeholder === undefined) {
      placeholder = `#n${this.names.size}`;
      this.names.set(attribute, placeholder);
    }
    return placeholder;
  }

  value(value: AttributeValue): string {
    const placeholder = `:v${this.valueCount++}`;
    this.values[placeholder] = value;
    return placeholder;
  }

  /** ExpressionAttributeNames / ExpressionAttributeValues for the request (only when used). */
  attach(input: Record<string, unknown>): Record<string, unknown> {
    if (this.names.size > 0) input.ExpressionAttributeNames = Object.fromEntries([...this.names].map(([name, placeholder]) => [placeholder, name]));
    if (this.valueCount > 0) input.ExpressionAttributeValues = this.values;
    return input;
  }
}

export function renderPath(path: Path, placeholders: Placeholders): string {
  if (path.root === '') throw semantic(messages.emptyPathComponent);
  let text = placeholders.name(path.root);
  for (const step of path.steps) {
    if (step.kind === 'index') text += `[${step.index}]`;
    else {
      if (step.name === '') throw semantic(messages.emptyPathComponent);
      text += `.${placeholders.name(step.name)}`;
    }
  }
  return text;
}

// The functions DynamoDB's expressions know; any other name is "Unrecognized function".
const dynamoFunctions = new Set(['attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains', 'size', 'list_append', 'if_not_exists']);

/** Whether an expression yields a boolean (an operator or function node other than size). */
export function isBoolean(expr: Expr): boolean {
  switch (expr.kind) {
    case 'compare':
    case 'and':
    case 'or':
    case 'not':
    case 'between':
    case 'in':
    case 'is':
      return true;
    case 'call':
      return expr.name !== 'size';
    case 'unsupported':
    case 'arithmetic':
      return true; // refused when rendered, with the operator's name
    default:
      return false;
  }
}

/** A WHERE clause (or part of one) as ConditionExpression / FilterExpression text. */
export function renderCondition(expr: Expr, placeholders: Placeholders): string {
  switch (expr.kind) {
    case 'and':
    case 'or': {
      if (!isBoolean(expr.left) || !isBoolean(expr.right)) throw semantic(messages.andOrOperands);
      const op = expr.kind === 'and' ? 'AND' : 'OR';
      return `(${renderCondition(expr.left, placeholders)}) ${op} (${renderCondition(expr.right, placeholders)})`;
    }
    case 'not':
      if (!isBoolean(expr.operand)) throw semantic(messages.notOperand);
      return `NOT (${renderCondition(expr.operand, placeholders)})`;
    case 'compare':
      return `${renderOperand(expr.left, placeholders)} ${expr.op} ${renderOperand(expr.right, placeholders)}`;
    case 'between': {
      const text = `${renderOperand(expr.operand, placeholders)} BETWEEN ${renderOperand(expr.low, placeholders)} AND ${renderOperand(expr.high, placeholders)}`;
      return expr.negated ? `NOT (${text})` : text;
    }
    case 'in': {
      if ((expr.list.kind !== 'list' && expr.list.kind !== 'bag') || expr.list.items.length === 0) throw semantic(messages.inOperands);
      const operand = renderOperand(expr.operand, placeholders);
      const text = `${operand} IN (${expr.list.items.map((item) => renderOperand(item, placeholders)).join(', ')})`;
      return expr.negated ? `NOT (${text})` : text;
    }
    case 'is':
      return renderIs(expr, placeholders);
    case 'call':
      if (expr.name === 'size') throw semantic(messages.booleanWhere);
      return renderCall(expr, placeholders);
    case 'arithmetic':
      throw semantic(messages.conditionOperator(expr.op));
    case 'unsupported':
      throw semantic(messages.conditionOperator(expr.op));
    case 'missing':
      throw semantic(messages.missingLiteral);
    default:
      throw semantic(messages.booleanWhere);
  }
}

/** A comparison operand: a path, a value, or a function (size). */
function renderOperand(expr: Expr, placeholders: Placeholders): string {
  if (expr.kind === 'path') return renderPath(expr.path, placeholders);
  if (expr.kind === 'missing') throw semantic(messages.missingLiteral);
  if (isValueExpr(expr)) return placeholders.value(toAttributeValue(expr, placeholders.parameters));
  if (expr.kind === 'call') return renderCall(expr, placeholders);
  if (expr.kind === 'arithmetic' || expr.kind === 'unsupported') throw semantic(messages.conditionOperator(expr.op));
  // A boolean used as a value: the expression validator answers it.
  return `(${renderCondition(expr, placeholders)})`;
}

function renderCall(expr: Extract<Expr, { kind: 'call' }>, placeholders: Placeholders): string {
  if (!dynamoFunctions.has(expr.name)) throw semantic(messages.unrecognizedFunction(expr.name));
  return `${expr.name}(${expr.args.map((arg) => renderOperand(arg, placeholders)).join(', ')})`;
}

// `IS <type>` checks the attribute's DynamoDB type (attribute_type); PartiQL's other types have
// no DynamoDB counterpart. Type names as DynamoDB's parser spells them.
const isTypes: Record<string, string> = { boolean: 'BOOL', bool: 'BOOL', string: 'S', numeric: 'N', blob: 'B', struct: 'M', tuple: 'M', list: 'L' };
const sqlTypeNames: Record<string, string> = {
  int: 'INTEGER', integer: 'INTEGER', smallint: 'SMALLINT', float: 'FLOAT', real: 'REAL', double: 'DOUBLE_PRECISION', dec: 'DECIMAL', decimal: 'DECIMAL',
  timestamp: 'TIMESTAMP', char: 'CHARACTER', character: 'CHARACTER', varchar: 'CHARACTER_VARYING', symbol: 'SYMBOL', clob: 'CLOB', sexp: 'SEXP', bag: 'BAG',
  date: 'DATE', time: 'TIME',
};

function renderIs(expr: Extract<Expr, { kind: 'is' }>, placeholders: Placeholders): string {
  const operand = expr.operand;
  if (operand.kind !== 'path' && !['string', 'number', 'boolean', 'null'].includes(operand.kind)) throw semantic(messages.isOperand);
  const subject = renderOperand(operand, placeholders);
  let text: string;
  if (expr.type === 'missing') {
    text = `attribute_not_exists(${subject})`;
  } else if (expr.type === 'null') {
    text = `${subject} = ${placeholders.value({ NULL: true })}`;
  } else if (isTypes[expr.type] !== undefined) {
    text = `attribute_type(${subject}, ${placeholders.value({ S: isTypes[expr.type]! })})`;
  } else {
    throw semantic(messages.isType(sqlTypeNames[expr.type] ?? expr.type.toUpperCase()));
  }
  return expr.negated ? `NOT (${text})` : text;
}

// ---------------------------------------------------------------- updates

/** UPDATE's SET / REMOVE actions as an UpdateExpression (set_add / set_delete become ADD / DELETE). */
export function renderUpdate(actions: readonly ({ kind: 'set'; target: Expr; value: Expr } | { kind: 'remove'; target: Expr })[], placeholders: Placeholders): string {
  const sections: Record<'SET' | 'REMOVE' | 'ADD' | 'DELETE', string[]> = { SET: [], REMOVE: [], ADD: [], DELETE: [] };
  for (const action of actions) {
    const target = renderTarget(action.target, placeholders);
    if (action.kind === 'remove') {
      sections.REMOVE.push(target);
      continue;
    }
    const value = action.value;
    if (value.kind === 'call' && (value.name === 'set_add' || value.name === 'set_delete')) {
      const verb = value.name === 'set_add' ? 'ADD' : 'DELETE';
      sections[verb].push(`${target} ${renderSetFunction(verb, action.target, value, placeholders)}`);
      continue;
    }
    sections.SET.push(`${target} = ${renderUpdateOperand(value, placeholders)}`);
  }
  return (Object.entries(sections) as [string, string[]][])
    .filter(([, parts]) => parts.length > 0)
    .map(([verb, parts]) => `${verb} ${parts.join(', ')}`)
    .join(' ');
}

function renderTarget(target: Expr, placeholders: Placeholders): string {
  if (target.kind !== 'path') throw semantic(messages.assignmentTarget(identifierOf(target)));
  return renderPath(target.path, placeholders);
}

/** set_add(path, <<...>>) / set_delete(path, <<...>>): the path must be the target itself. */
function renderSetFunction(verb: 'ADD' | 'DELETE', target: Expr, call: Extract<Expr, { kind: 'call' }>, placeholders: Placeholders): string {
  if (call.args.length !== 2) throw semantic(messages.setFunctionArity(verb));
  const [path, set] = call.args as [Expr, Expr];
  if (path.kind !== 'path' || target.kind !== 'path' || JSON.stringify(path.path) !== JSON.stringify(target.path)) {
    throw semantic(messages.setFunctionTarget(verb));
  }
  const value = isValueExpr(set) ? toAttributeValue(set, placeholders.parameters) : undefined;
  if (value === undefined || !('SS' in value || 'NS' in value || 'BS' in value)) throw semantic(messages.setFunctionValue(verb));
  return placeholders.value(value);
}

function renderUpdateOperand(expr: Expr, placeholders: Placeholders): string {
  switch (expr.kind) {
    case 'path':
      return renderPath(expr.path, placeholders);
    case 'arithmetic':
      return `${renderUpdateOperand(expr.left, placeholders)} ${expr.op} ${renderUpdateOperand(expr.right, placeholders)}`;
    case 'call':
      if (!dynamoFunctions.has(expr.name)) throw semantic(messages.unrecognizedFunction(expr.name));
      return `${expr.name}(${expr.args.map((arg) => renderUpdateOperand(arg, placeholders)).join(', ')})`;
    case 'is':
      throw semantic(messages.isInUpdate);
    case 'missing':
      throw semantic(messages.missingLiteral);
    case 'compare':
    case 'unsupported':
      throw semantic(messages.updateOperator(expr.op));
    case 'and':
    case 'or':
    case 'not':
    case 'between':
    case 'in':
      throw semantic(messages.updateOperator(expr.kind));
    default:
      return placeholders.value(toAttributeValue(expr, placeholders.parameters));
  }
}
