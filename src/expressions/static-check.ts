// Checks that depend on the expression text alone, made in the order the text is written:
// reserved words, list index range, function names, where each function may appear, and
// (conditions) operand counts. Their outcome is cached with the parse.
import type { ConditionNode, OperandNode, PathNode, SetValueNode, UpdateNode } from './ast.js';
import { conditionFunctions, functionArity, updateFunctions } from './functions.js';
import { isReservedWord } from './reserved-words.js';

/** A static check failed; the message lacks the "Invalid XExpression: " prefix. */
export class StaticFailure extends Error {}

// A list index must fit a signed 32-bit integer.
const listIndexMax = 2147483647;

export function checkPathStatic(path: PathNode): void {
  for (const part of path.parts) {
    if (part.kind === 'index') {
      if (part.text.length > 10 || Number(part.text) > listIndexMax) {
        throw new StaticFailure(`List index is not within the allowable range; index: [${part.text}]`);
      }
    } else if (!part.placeholder && isReservedWord(part.text)) {
      throw new StaticFailure(`Attribute name is a reserved keyword; reserved keyword: ${part.text}`);
    }
  }
}

function arityFailure(name: string, count: number): StaticFailure {
  return new StaticFailure(
    `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${count}`,
  );
}

export function checkArity(name: string, count: number): void {
  if (functionArity(name) !== count) throw arityFailure(name, count);
}

const misplacedFunction = (name: string): StaticFailure =>
  new StaticFailure(`The function is not allowed to be used this way in an expression; function: ${name}`);

/** `asCondition`: the node stands where a condition is expected (not inside a comparison). */
function checkConditionOperand(node: OperandNode, asCondition: boolean): void {
  switch (node.k) {
    case 'path':
      checkPathStatic(node);
      return;
    case 'value':
      return;
    case 'paren':
      checkConditionOperand(node.inner, asCondition);
      return;
    case 'call': {
      if (functionArity(node.name) === undefined) throw new StaticFailure(`Invalid function name; function: ${node.name}`);
      if (updateFunctions.has(node.name)) {
        throw new StaticFailure(`The function is not allowed in a condition expression; function: ${node.name}`);
      }
      if (asCondition !== conditionFunctions.has(node.name)) throw misplacedFunction(node.name);
      checkArity(node.name, node.args.length);
      for (const arg of node.args) checkConditionOperand(arg, false);
      return;
    }
  }
}

export function checkConditionStatic(node: ConditionNode): void {
  switch (node.k) {
    case 'or':
    case 'and':
      checkConditionStatic(node.left);
      checkConditionStatic(node.right);
      return;
    case 'not':
      checkConditionStatic(node.operand);
      return;
    case 'paren':
      checkConditionStatic(node.inner);
      return;
    case 'compare':
      checkConditionOperand(node.left, false);
      checkConditionOperand(node.right, false);
      return;
    case 'between':
      checkConditionOperand(node.operand, false);
      checkConditionOperand(node.low, false);
      checkConditionOperand(node.high, false);
      return;
    case 'in':
      checkConditionOperand(node.operand, false);
      for (const item of node.list) checkConditionOperand(item, false);
      return;
    case 'call':
      checkConditionOperand(node, true);
      return;
  }
}

/** `nested`: inside another function's operands. */
function checkUpdateOperand(node: OperandNode, nested: boolean): void {
  switch (node.k) {
    case 'path':
      checkPathStatic(node);
      return;
    case 'value':
      return;
    case 'paren':
      checkUpdateOperand(node.inner, nested);
      return;
    case 'call':
      if (functionArity(node.name) === undefined) throw new StaticFailure(`Invalid function name; function: ${node.name}`);
      if (!updateFunctions.has(node.name)) {
        throw new StaticFailure(`The function is not allowed in an update expression; function: ${node.name}`);
      }
      // DynamoDB refuses list_append as another function's operand (ScyllaDB's tests record
      // "list_append(list_append(...), ...)" failing). unverified: the same for if_not_exists' fallback.
      if (nested && node.name === 'list_append') throw misplacedFunction(node.name);
      for (const arg of node.args) checkUpdateOperand(arg, true);
      return;
  }
}

function checkSetValue(node: SetValueNode): void {
  if (node.k === 'arith') {
    checkUpdateOperand(node.left, false);
    checkUpdateOperand(node.right, false);
  } else if (node.k === 'paren' && node.inner.k === 'arith') {
    checkSetValue(node.inner);
  } else {
    checkUpdateOperand(node as OperandNode, false);
  }
}

/**
 * An update is checked a section at a time, in the order sections first appear; each of SET,
 * REMOVE, ADD and DELETE may appear once, which is checked after its actions.
 */
export function checkUpdateStatic(update: UpdateNode): void {
  const order: string[] = [];
  for (const clause of update.clauses) if (!order.includes(clause.section)) order.push(clause.section);
  for (const section of order) {
    let count = 0;
    for (const clause of update.clauses) {
      if (clause.section !== section) continue;
      count++;
      for (const action of clause.actions) {
        checkPathStatic(action.path);
        if (action.section === 'SET') checkSetValue(action.value);
      }
    }
    if (count > 1) throw new StaticFailure(`The "${section}" section can only be used once in an update expression;`);
  }
}

export function checkProjectionStatic(paths: PathNode[]): void {
  for (const path of paths) checkPathStatic(path);
}
