// Evaluates a compiled condition against an item. Comparisons of different types, or with a
// missing attribute, are false rather than errors, as in DynamoDB; the checks that make a
// request invalid were all made when the expression was bound.
import type { AttributeValue, Item } from '../model/attribute-value.js';
import { compareNumbers } from '../model/decimal.js';
import { compareValues, valuesEqual } from '../model/values.js';
import type { Condition, DocumentPath, LegacyOperator, Operand } from './compiled.js';

/** The value at a document path, or undefined when any step is missing or of the wrong type. */
export function resolvePath(item: Item | undefined, path: DocumentPath): AttributeValue | undefined {
  if (item === undefined) return undefined;
  let current: AttributeValue | undefined = item[path[0] as string];
  for (let i = 1; i < path.length && current !== undefined; i++) {
    const element = path[i]!;
    if (typeof element === 'number') {
      current = 'L' in current ? current.L[element] : undefined;
    } else {
      current = 'M' in current ? current.M[element] : undefined;
    }
  }
  return current;
}

// Numbers produced by size() are small integers: cache their wire form.
const smallNumbers: AttributeValue[] = [];
function numberValue(n: number): AttributeValue {
  if (n < 1024) return (smallNumbers[n] ??= { N: String(n) });
  return { N: String(n) };
}

/** DynamoDB's size(): characters of a string, bytes of a binary, members of a set/list/map. */
export function sizeOf(value: AttributeValue): number | undefined {
  // unverified: DynamoDB counts a string in UTF-16 code units (Java's String.length()).
  if ('S' in value) return value.S.length;
  if ('B' in value) return Buffer.byteLength(value.B, 'base64');
  if ('SS' in value) return value.SS.length;
  if ('NS' in value) return value.NS.length;
  if ('BS' in value) return value.BS.length;
  if ('L' in value) return value.L.length;
  if ('M' in value) {
    let count = 0;
    for (const _ in value.M) count++;
    return count;
  }
  return undefined;
}

function operandValue(operand: Operand, item: Item | undefined): AttributeValue | undefined {
  switch (operand.kind) {
    case 'value':
      return operand.value;
    case 'path':
      return resolvePath(item, operand.path);
    case 'size': {
      const value = operandValue(operand.operand, item);
      if (value === undefined) return undefined;
      const size = sizeOf(value);
      return size === undefined ? undefined : numberValue(size);
    }
  }
}

function sameScalarType(a: AttributeValue, b: AttributeValue): boolean {
  return ('S' in a && 'S' in b) || ('N' in a && 'N' in b) || ('B' in a && 'B' in b);
}

/** -1/0/1 for two values of the same scalar type, undefined when they cannot be ordered. */
function order(a: AttributeValue | undefined, b: AttributeValue | undefined): number | undefined {
  if (a === undefined || b === undefined || !sameScalarType(a, b)) return undefined;
  return compareValues(a, b);
}

function bytesOf(base64: string): Buffer {
  return Buffer.from(base64, 'base64');
}

function beginsWith(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  if ('S' in a) return 'S' in b && a.S.startsWith(b.S);
  if ('B' in a) {
    if (!('B' in b)) return false;
    const bytes = bytesOf(a.B);
    const prefix = bytesOf(b.B);
    return bytes.length >= prefix.length && bytes.subarray(0, prefix.length).equals(prefix);
  }
  return false;
}

function canonicalBinary(base64: string): string {
  return bytesOf(base64).toString('base64');
}

/** contains(): substring of S or B, member of a set, element of a list. */
export function contains(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  if ('S' in a) return 'S' in b && a.S.includes(b.S);
  if ('SS' in a) return 'S' in b && a.SS.includes(b.S);
  if ('NS' in a) return 'N' in b && a.NS.some((member) => compareNumbers(member, b.N) === 0);
  if ('BS' in a) {
    if (!('B' in b)) return false;
    const wanted = canonicalBinary(b.B);
    return a.BS.some((member) => canonicalBinary(member) === wanted);
  }
  if ('L' in a) return a.L.some((element) => valuesEqual(element, b));
  if ('B' in a) return 'B' in b && bytesOf(a.B).includes(bytesOf(b.B));
  return false;
}

function typeMatches(value: AttributeValue, type: string): boolean {
  return type in value;
}

function legacyHolds(op: LegacyOperator, value: AttributeValue | undefined, args: AttributeValue[]): boolean {
  switch (op) {
    case 'NULL':
      return value === undefined;
    case 'NOT_NULL':
      return value !== undefined;
    case 'EQ':
      return value !== undefined && valuesEqual(value, args[0]!);
    case 'NE':
      return value === undefined || !valuesEqual(value, args[0]!);
    case 'LT':
    case 'LE':
    case 'GT':
    case 'GE': {
      const comparison = order(value, args[0]);
      if (comparison === undefined) return false;
      return op === 'LT' ? comparison < 0 : op === 'LE' ? comparison <= 0 : op === 'GT' ? comparison > 0 : comparison >= 0;
    }
    case 'BETWEEN': {
      const low = order(args[0], value);
      const high = order(value, args[1]);
      return low !== undefined && high !== undefined && low <= 0 && high <= 0;
    }
    case 'IN':
      return value !== undefined && args.some((arg) => valuesEqual(value, arg));
    case 'BEGINS_WITH':
      return beginsWith(value, args[0]);
    case 'CONTAINS':
      return contains(value, args[0]);
    case 'NOT_CONTAINS':
      // An absent attribute does not "not contain"; any present one that does not contain the
      // value does, whatever its type: "hello" NOT_CONTAINS 1 holds (ScyllaDB's Expected
      // tests, run on DynamoDB; DynamoDB Local negates CONTAINS the same way).
      return value !== undefined && !contains(value, args[0]);
  }
}

/** Whether the condition holds for the item (undefined: no item). */
export function evaluate(condition: Condition, item: Item | undefined): boolean {
  switch (condition.kind) {
    case 'and':
      return evaluate(condition.left, item) && evaluate(condition.right, item);
    case 'or':
      return evaluate(condition.left, item) || evaluate(condition.right, item);
    case 'not':
      return !evaluate(condition.operand, item);
    case 'compare': {
      const left = operandValue(condition.left, item);
      const right = operandValue(condition.right, item);
      switch (condition.op) {
        case '=':
          return left !== undefined && right !== undefined && valuesEqual(left, right);
        case '<>':
          return left === undefined || right === undefined || !valuesEqual(left, right);
        default: {
          const comparison = order(left, right);
          if (comparison === undefined) return false;
          switch (condition.op) {
            case '<':
              return comparison < 0;
            case '<=':
              return comparison <= 0;
            case '>':
              return comparison > 0;
            default:
              return comparison >= 0;
          }
        }
      }
    }
    case 'between': {
      const value = operandValue(condition.operand, item);
      const low = order(operandValue(condition.low, item), value);
      if (low === undefined || low > 0) return false;
      const high = order(value, operandValue(condition.high, item));
      return high !== undefined && high <= 0;
    }
    case 'in': {
      const value = operandValue(condition.operand, item);
      if (value === undefined) return false;
      for (const candidate of condition.list) {
        const other = operandValue(candidate, item);
        if (other !== undefined && valuesEqual(value, other)) return true;
      }
      return false;
    }
    case 'exists':
      return resolvePath(item, condition.path) !== undefined;
    case 'notExists':
      return resolvePath(item, condition.path) === undefined;
    case 'type': {
      const value = operandValue(condition.operand, item);
      return value !== undefined && typeMatches(value, condition.type);
    }
    case 'beginsWith':
      return beginsWith(operandValue(condition.left, item), operandValue(condition.right, item));
    case 'contains':
      return contains(operandValue(condition.left, item), operandValue(condition.right, item));
    case 'legacy':
      return legacyHolds(condition.op, resolvePath(item, condition.path), condition.values);
    case 'true':
      return true;
  }
}
