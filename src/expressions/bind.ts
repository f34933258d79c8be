// Binding: resolves an expression's #names and :values for one request and checks what the
// values make checkable (types, BETWEEN bounds, operand counts), in DynamoDB's order, while
// building the compiled form. Runs once per request; the parse it starts from is cached.
import type { AttributeType, AttributeValue } from '../model/attribute-value.js';
import { typeOf } from '../model/attribute-value.js';
import { validationError } from '../model/errors.js';
import { nestingDepthMax } from '../model/limits.js';
import { compareValues } from '../model/values.js';
import type { ConditionNode, OperandNode, PathNode, SetValueNode, UpdateNode, ValueNode } from './ast.js';
import { unwrap } from './ast.js';
import type {
  Condition, CompiledUpdate, DocumentPath, Operand, PathElement, UpdateAction, UpdateOperand, UpdateValue,
} from './compiled.js';
import { attributeTypeNames } from './functions.js';
import { findPathClash, formatPath } from './overlap.js';
import { checkArity, StaticFailure } from './static-check.js';

export interface BindContext {
  names: ReadonlyMap<string, string> | undefined;
  values: ReadonlyMap<string, AttributeValue> | undefined;
  usedNames: Set<string>;
  usedValues: Set<string>;
  /** "Invalid ConditionExpression: " and so on. */
  prefix: string;
}

// DynamoDB's IN takes at most 100 operands in all: the left operand and 99 listed.
// (ScyllaDB's suite, run against DynamoDB, records 99 listed values as the most accepted.)
const inOperandsMax = 100;

/** Paths without placeholders resolve the same way in every request: resolve them once. */
const literalPaths = new WeakMap<PathNode, DocumentPath>();

function fail(context: BindContext, message: string): never {
  throw validationError(context.prefix + message);
}

function undefinedName(context: BindContext, name: string): never {
  fail(context, `An expression attribute name used in the document path is not defined; attribute name: ${name}`);
}

/** Throws if a #placeholder of the path is not defined (without marking it used). */
export function checkPathNames(path: PathNode, context: BindContext): void {
  for (const part of path.parts) {
    if (part.kind === 'name' && part.placeholder && context.names?.get(part.text) === undefined) {
      undefinedName(context, part.text);
    }
  }
}

export function bindPath(path: PathNode, context: BindContext): DocumentPath {
  const cached = literalPaths.get(path);
  if (cached !== undefined) return cached;
  const elements: PathElement[] = new Array(path.parts.length);
  let literal = true;
  for (let i = 0; i < path.parts.length; i++) {
    const part = path.parts[i]!;
    if (part.kind === 'index') {
      elements[i] = Number(part.text);
    } else if (part.placeholder) {
      literal = false;
      const name = context.names?.get(part.text);
      if (name === undefined) undefinedName(context, part.text);
      context.usedNames.add(part.text);
      elements[i] = name;
    } else {
      elements[i] = part.text;
    }
  }
  if (elements.length > nestingDepthMax) {
    fail(context, `The document path has too many nesting levels; nesting levels: ${elements.length}`);
  }
  if (literal) literalPaths.set(path, elements);
  return elements;
}

function bindValue(node: ValueNode, context: BindContext): AttributeValue {
  const value = context.values?.get(node.name);
  if (value === undefined) {
    fail(context, `An expression attribute value used in expression is not defined; attribute value: ${node.name}`);
  }
  context.usedValues.add(node.name);
  return value;
}

function operandTypeFailure(context: BindContext, operator: string, type: string): never {
  fail(context, `Incorrect operand type for operator or function; operator or function: ${operator}, operand type: ${type}`);
}

/** The type an operand has whatever the item: a value's type, N for size(). */
function staticType(operand: Operand | UpdateOperand): AttributeType | undefined {
  if (operand.kind === 'value') return typeOf(operand.value);
  if (operand.kind === 'size') return 'N';
  return undefined;
}

function samePath(a: DocumentPath, b: DocumentPath): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** DynamoDB refuses an operator whose first operand is a path repeated among the others. */
function checkDistinct(context: BindContext, operator: string, first: Operand | UpdateOperand, rest: readonly (Operand | UpdateOperand)[]): void {
  if (first.kind !== 'path') return;
  for (const other of rest) {
    if (other.kind === 'path' && samePath(first.path, other.path)) {
      fail(
        context,
        `The first operand must be distinct from the remaining operands for this operator or function; operator: ${operator}, first operand: ${formatPath(first.path)}`,
      );
    }
  }
}

const isScalarType = (type: AttributeType | undefined): boolean => type === undefined || type === 'S' || type === 'N' || type === 'B';

function checkScalarOperands(context: BindContext, operator: string, operands: readonly Operand[]): void {
  for (const operand of operands) {
    const type = staticType(operand);
    if (!isScalarType(type)) operandTypeFailure(context, operator, type!);
  }
}

// How DynamoDB prints a BETWEEN bound in its error (a Java AttributeValue's toString).
function boundText(value: AttributeValue): string {
  if ('S' in value) return `AttributeValue: {S:${value.S}}`;
  if ('N' in value) return `AttributeValue: {N:${value.N}}`;
  if ('B' in value) {
    const length = Buffer.byteLength(value.B, 'base64');
    return `AttributeValue: {B:java.nio.HeapByteBuffer[pos=0 lim=${length} cap=${length}]}`;
  }
  return `AttributeValue: {${typeOf(value)}:${JSON.stringify(value)}}`;
}

// ---------------------------------------------------------------- conditions

// Types size() accepts from a value (an item attribute of another type makes it absent).
const sizedTypes: ReadonlySet<AttributeType> = new Set<AttributeType>(['S', 'B', 'SS', 'NS', 'BS', 'L', 'M']);

// unverified: DynamoDB lists every type it knows when attribute_type's second operand is a path.
const anyTypeText = '{SS,M,DECIMAL,DOUBLESET,HDS,N,B,DICT,INTSET,BOOL,HD,BS,INT,DECIMALSET,NULL,FLOAT,FS,S,L,NS,DOUBLE}';
// The valid names as DynamoDB lists them (a Java set's order).
const typeNamesText = '{N,BS,L,B,NULL,M,S,SS,NS,BOOL}';

function bindOperand(node: OperandNode, context: BindContext): Operand {
  switch (node.k) {
    case 'path':
      return { kind: 'path', path: bindPath(node, context) };
    case 'value':
      return { kind: 'value', value: bindValue(node, context) };
    case 'paren':
      return bindOperand(node.inner, context);
    case 'call': {
      // Only size() is an operand (static checks refused the others here).
      const operand = bindOperand(node.args[0]!, context);
      const type = staticType(operand);
      if (type !== undefined && !sizedTypes.has(type)) operandTypeFailure(context, 'size', type);
      return { kind: 'size', operand };
    }
  }
}

function bindFunctionCondition(node: Extract<ConditionNode, { k: 'call' }>, context: BindContext): Condition {
  const args = node.args.map((arg) => bindOperand(arg, context));
  const first = args[0]!;
  const name = node.name;
  // attribute_type works on a :value too (ScyllaDB's suite, run against DynamoDB).
  if ((name === 'attribute_exists' || name === 'attribute_not_exists') && first.kind !== 'path') {
    fail(context, `Operator or function requires a document path; operator or function: ${name}`);
  }
  checkDistinct(context, name, first, args.slice(1));
  switch (name) {
    case 'attribute_exists':
      return { kind: 'exists', path: (first as { path: DocumentPath }).path };
    case 'attribute_not_exists':
      return { kind: 'notExists', path: (first as { path: DocumentPath }).path };
    case 'begins_with':
      for (const arg of args) {
        const type = staticType(arg);
        if (type !== undefined && type !== 'S' && type !== 'B') operandTypeFailure(context, name, type);
      }
      return { kind: 'beginsWith', left: first, right: args[1]! };
    case 'contains':
      return { kind: 'contains', left: first, right: args[1]! };
    default: {
      // attribute_type
      const second = args[1]!;
      if (second.kind !== 'value') operandTypeFailure(context, name, second.kind === 'size' ? 'N' : anyTypeText);
      if (!('S' in second.value)) operandTypeFailure(context, name, typeOf(second.value));
      const typeName = second.value.S;
      if (!attributeTypeNames.has(typeName)) {
        fail(context, `Invalid attribute type name found; type: ${typeName}, valid types: ${typeNamesText}`);
      }
      return { kind: 'type', operand: first, type: typeName as AttributeType };
    }
  }
}

export function bindCondition(node: ConditionNode, context: BindContext): Condition {
  switch (node.k) {
    case 'or':
    case 'and': {
      const left = bindCondition(node.left, context);
      return { kind: node.k, left, right: bindCondition(node.right, context) };
    }
    case 'not':
      return { kind: 'not', operand: bindCondition(node.operand, context) };
    case 'paren':
      return bindCondition(node.inner, context);
    case 'compare': {
      const left = bindOperand(node.left, context);
      const right = bindOperand(node.right, context);
      checkDistinct(context, node.op, left, [right]);
      if (node.op !== '=' && node.op !== '<>') checkScalarOperands(context, node.op, [left, right]);
      return { kind: 'compare', op: node.op, left, right };
    }
    case 'between': {
      const operand = bindOperand(node.operand, context);
      const low = bindOperand(node.low, context);
      const high = bindOperand(node.high, context);
      checkDistinct(context, 'BETWEEN', operand, [low, high]);
      checkScalarOperands(context, 'BETWEEN', [operand, low, high]);
      if (low.kind === 'value' && high.kind === 'value') {
        const lowType = typeOf(low.value);
        const bounds = `lower bound operand: ${boundText(low.value)}, upper bound operand: ${boundText(high.value)}`;
        if (lowType !== typeOf(high.value)) {
          fail(context, `The BETWEEN operator requires same data type for lower and upper bounds; ${bounds}`);
        }
        if (compareValues(low.value, high.value) > 0) {
          fail(context, `The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ${bounds}`);
        }
      }
      return { kind: 'between', operand, low, high };
    }
    case 'in': {
      const operand = bindOperand(node.operand, context);
      const list = node.list.map((item) => bindOperand(item, context));
      // unverified: the text, and whether the count includes the left operand.
      if (list.length + 1 > inOperandsMax) {
        fail(context, `The IN operator is provided with too many operands; number of operands: ${list.length + 1}`);
      }
      checkDistinct(context, 'IN', operand, list);
      return { kind: 'in', operand, list };
    }
    case 'call':
      return bindFunctionCondition(node, context);
  }
}

// ---------------------------------------------------------------- updates

function updateOperandTypeFailure(context: BindContext, operator: string, operand: UpdateOperand, allowed: AttributeType): void {
  const type = staticType(operand);
  if (type !== undefined && type !== allowed) operandTypeFailure(context, operator, type);
}

function bindUpdateOperand(node: OperandNode, context: BindContext): UpdateOperand {
  switch (node.k) {
    case 'path':
      return { kind: 'path', path: bindPath(node, context) };
    case 'value':
      return { kind: 'value', value: bindValue(node, context) };
    case 'paren':
      return bindUpdateOperand(node.inner, context);
    case 'call': {
      // An update's functions are counted once their operands are bound: an undefined
      // :value inside is reported first (dynalite's suite, run against DynamoDB).
      const args = node.args.map((arg) => bindUpdateOperand(arg, context));
      try {
        checkArity(node.name, node.args.length);
      } catch (error) {
        if (error instanceof StaticFailure) fail(context, error.message);
        throw error;
      }
      if (node.name === 'if_not_exists') {
        const first = args[0]!;
        if (first.kind !== 'path') fail(context, 'Operator or function requires a document path; operator or function: if_not_exists');
        checkDistinct(context, 'if_not_exists', first, [args[1]!]);
        return { kind: 'ifNotExists', path: first.path, fallback: args[1]! };
      }
      for (const arg of args) updateOperandTypeFailure(context, 'list_append', arg, 'L');
      return { kind: 'listAppend', left: args[0]!, right: args[1]! };
    }
  }
}

function bindSetValue(node: SetValueNode, context: BindContext): UpdateValue {
  if (node.k === 'paren' && node.inner.k === 'arith') return bindSetValue(node.inner, context);
  if (node.k === 'arith') {
    const left = bindUpdateOperand(node.left, context);
    const right = bindUpdateOperand(node.right, context);
    updateOperandTypeFailure(context, node.op, left, 'N');
    updateOperandTypeFailure(context, node.op, right, 'N');
    return { kind: node.op === '+' ? 'plus' : 'minus', left, right };
  }
  return bindUpdateOperand(node as OperandNode, context);
}

function checkValueNames(node: SetValueNode, context: BindContext): void {
  switch (node.k) {
    case 'path':
      checkPathNames(node, context);
      return;
    case 'value':
      return;
    case 'paren':
      checkValueNames(node.inner, context);
      return;
    case 'arith':
      checkValueNames(node.left, context);
      checkValueNames(node.right, context);
      return;
    case 'call':
      for (const arg of node.args) checkValueNames(arg, context);
      return;
  }
}

// DynamoDB's long type names in ADD/DELETE operand errors.
const longTypeNames: Record<AttributeType, string> = {
  S: 'STRING', N: 'NUMBER', B: 'BINARY', BOOL: 'BOOLEAN', NULL: 'NULL', L: 'LIST', M: 'MAP',
  SS: 'STRING_SET', NS: 'NUMBER_SET', BS: 'BINARY_SET',
};
const addTypes: ReadonlySet<AttributeType> = new Set<AttributeType>(['N', 'SS', 'NS', 'BS']);
const deleteTypes: ReadonlySet<AttributeType> = new Set<AttributeType>(['SS', 'NS', 'BS']);

/**
 * Binds an update, in DynamoDB's order: #names of the written paths (first to last), the
 * overlap of those paths, then every #name from the last action back to the first, then the
 * values and their types, again from the last action back.
 */
export function bindUpdate(update: UpdateNode, context: BindContext): CompiledUpdate {
  const nodes = update.clauses.flatMap((clause, index) => clause.actions.map((action) => ({ action, clause: index })));
  for (const { action } of nodes) checkPathNames(action.path, context);
  const targets = nodes.map(({ action }) => bindPath(action.path, context));
  const clash = findPathClash(targets);
  if (clash !== undefined) fail(context, clash);
  for (let i = nodes.length - 1; i >= 0; i--) {
    const action = nodes[i]!.action;
    if (action.section === 'SET') checkValueNames(action.value, context);
  }
  const actions: UpdateAction[] = new Array(nodes.length);
  for (let i = nodes.length - 1; i >= 0; i--) {
    const { action, clause } = nodes[i]!;
    const path = targets[i]!;
    switch (action.section) {
      case 'SET':
        actions[i] = { kind: 'SET', clause, path, value: bindSetValue(action.value, context) };
        break;
      case 'REMOVE':
        actions[i] = { kind: 'REMOVE', clause, path };
        break;
      default: {
        const value = bindValue(action.value, context);
        const type = typeOf(value);
        if (!(action.section === 'ADD' ? addTypes : deleteTypes).has(type)) {
          fail(
            context,
            `Incorrect operand type for operator or function; operator: ${action.section}, operand type: ${longTypeNames[type]}, typeSet: ALLOWED_FOR_${action.section}_OPERAND`,
          );
        }
        actions[i] = { kind: action.section, clause, path, value };
      }
    }
  }
  const written = new Set<string>();
  const read = new Set<string>();
  for (const action of actions) {
    written.add(action.path[0] as string);
    if (action.kind === 'SET') collectUpdateReads(action.value, read);
  }
  return { actions, clauseCount: update.clauses.length, attributesWritten: [...written], attributesRead: [...read] };
}

function collectUpdateReads(value: UpdateValue, into: Set<string>): void {
  switch (value.kind) {
    case 'path':
      into.add(value.path[0] as string);
      return;
    case 'value':
      return;
    case 'ifNotExists':
      into.add(value.path[0] as string);
      collectUpdateReads(value.fallback, into);
      return;
    default:
      collectUpdateReads(value.left, into);
      collectUpdateReads(value.right, into);
  }
}

/** Top-level attribute names a condition reads. */
export function conditionAttributeNames(condition: Condition): string[] {
  const names = new Set<string>();
  forEachPathIn(condition, (path) => names.add(path[0] as string));
  return [...names];
}

/** Calls `visit` with every document path a condition reads, size() operands included. */
export function forEachPathIn(condition: Condition, visit: (path: DocumentPath) => void): void {
  const visitOperand = (operand: Operand): void => {
    if (operand.kind === 'path') visit(operand.path);
    else if (operand.kind === 'size') visitOperand(operand.operand);
  };
  const walk = (node: Condition): void => {
    switch (node.kind) {
      case 'and':
      case 'or':
        walk(node.left);
        walk(node.right);
        return;
      case 'not':
        walk(node.operand);
        return;
      case 'compare':
      case 'beginsWith':
      case 'contains':
        visitOperand(node.left);
        visitOperand(node.right);
        return;
      case 'between':
        visitOperand(node.operand);
        visitOperand(node.low);
        visitOperand(node.high);
        return;
      case 'in':
        visitOperand(node.operand);
        node.list.forEach(visitOperand);
        return;
      case 'exists':
      case 'notExists':
      case 'legacy':
        visit(node.path);
        return;
      case 'type':
        visitOperand(node.operand);
        return;
      case 'true':
        return;
    }
  };
  walk(condition);
}

export { unwrap };
