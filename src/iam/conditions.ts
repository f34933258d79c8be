// Condition operators, compiled once per policy. The rules follow the IAM reference
// ("Condition operators" and "Single-valued vs. multivalued context keys"):
// - a key's policy values are ORed; keys and operators in one Condition block are ANDed;
// - a negated operator (StringNotEquals, NotIpAddress, ...) holds when the request value
//   matches none of the policy values;
// - a missing key: ...IfExists holds; ForAllValues holds; ForAnyValue fails; a plain positive
//   operator fails and a plain negated one holds; Null tests presence itself;
// - a multivalued key without a set qualifier holds for a positive operator when any value
//   matches, and for a negated operator when no value matches.
import { isIP } from 'node:net';
import { lookupKey, type EvaluationContext } from './context.js';
import { malformedPolicy } from './errors.js';
import { arnMatcher, globMatcher, parseTemplate, resolveTemplate, type Matcher, type Template } from './matching.js';

export interface CompiledCondition {
  /** The operator as written, for audit records. */
  operator: string;
  key: string;
  set: 'all' | 'any' | undefined;
  ifExists: boolean;
  negated: boolean;
  /** Null: the policy values ("true" = must be absent). */
  nullValues?: boolean[];
  /** Whether one request value matches any of the policy values (the positive test). */
  test: Matcher;
}

type ValueTest = (requestValue: string, policyValue: string) => boolean;

interface OperatorSpec {
  negated: boolean;
  /** Builds the positive test for one policy value. */
  build: (template: Template) => Matcher;
}

function exact(compare: ValueTest): (template: Template) => Matcher {
  return (template) => (value, context) => {
    const policyValue = resolveTemplate(template, context);
    return policyValue !== undefined && compare(value, policyValue);
  };
}

const stringEquals = exact((a, b) => a === b);
const stringEqualsIgnoreCase = exact((a, b) => a.length === b.length && a.toLowerCase() === b.toLowerCase());
const stringLike = (template: Template): Matcher => globMatcher(template, false);

function numeric(compare: (a: number, b: number) => boolean): (template: Template) => Matcher {
  return exact((a, b) => {
    const left = parseNumber(a);
    const right = parseNumber(b);
    return left !== undefined && right !== undefined && compare(left, right);
  });
}

function date(compare: (a: number, b: number) => boolean): (template: Template) => Matcher {
  return exact((a, b) => {
    const left = parseDate(a);
    const right = parseDate(b);
    return left !== undefined && right !== undefined && compare(left, right);
  });
}

const numberPattern = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function parseNumber(text: string): number | undefined {
  return numberPattern.test(text.trim()) ? Number(text) : undefined;
}

/** ISO 8601 dates or epoch seconds, as AWS accepts both in Date conditions. */
function parseDate(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

const boolTest = exact((a, b) => a.toLowerCase() === b.toLowerCase());
const binaryTest = exact((a, b) => a === b);

function ipTest(template: Template): Matcher {
  return (value, context) => {
    const range = resolveTemplate(template, context);
    return range !== undefined && ipInRange(value, range);
  };
}

const arnTest = (template: Template): Matcher => arnMatcher(template);

const lt = (a: number, b: number) => a < b;
const le = (a: number, b: number) => a <= b;
const gt = (a: number, b: number) => a > b;
const ge = (a: number, b: number) => a >= b;
const eq = (a: number, b: number) => a === b;

// Operator names are matched without regard to case, as IAM's parser does.
const operators = new Map<string, OperatorSpec>(
  Object.entries({
    StringEquals: { negated: false, build: stringEquals },
    StringNotEquals: { negated: true, build: stringEquals },
    StringEqualsIgnoreCase: { negated: false, build: stringEqualsIgnoreCase },
    StringNotEqualsIgnoreCase: { negated: true, build: stringEqualsIgnoreCase },
    StringLike: { negated: false, build: stringLike },
    StringNotLike: { negated: true, build: stringLike },
    NumericEquals: { negated: false, build: numeric(eq) },
    NumericNotEquals: { negated: true, build: numeric(eq) },
    NumericLessThan: { negated: false, build: numeric(lt) },
    NumericLessThanEquals: { negated: false, build: numeric(le) },
    NumericGreaterThan: { negated: false, build: numeric(gt) },
    NumericGreaterThanEquals: { negated: false, build: numeric(ge) },
    DateEquals: { negated: false, build: date(eq) },
    DateNotEquals: { negated: true, build: date(eq) },
    DateLessThan: { negated: false, build: date(lt) },
    DateLessThanEquals: { negated: false, build: date(le) },
    DateGreaterThan: { negated: false, build: date(gt) },
    DateGreaterThanEquals: { negated: false, build: date(ge) },
    Bool: { negated: false, build: boolTest },
    BinaryEquals: { negated: false, build: binaryTest },
    IpAddress: { negated: false, build: ipTest },
    NotIpAddress: { negated: true, build: ipTest },
    ArnEquals: { negated: false, build: arnTest },
    ArnLike: { negated: false, build: arnTest },
    ArnNotEquals: { negated: true, build: arnTest },
    ArnNotLike: { negated: true, build: arnTest },
  }).map(([name, spec]) => [name.toLowerCase(), spec]),
);

/** Compiles one "Operator": { "key": values } entry of a Condition block. */
export function compileConditions(operatorText: string, block: unknown, variablesAllowed: boolean): CompiledCondition[] {
  if (block === null || typeof block !== 'object' || Array.isArray(block)) {
    throw malformedPolicy('Syntax errors in policy.');
  }
  let name = operatorText;
  let set: CompiledCondition['set'];
  const colon = name.indexOf(':');
  if (colon >= 0) {
    const qualifier = name.slice(0, colon).toLowerCase();
    if (qualifier === 'forallvalues') set = 'all';
    else if (qualifier === 'foranyvalue') set = 'any';
    else throw malformedPolicy(`Invalid Condition type : ${operatorText}.`);
    name = name.slice(colon + 1);
  }
  let lower = name.toLowerCase();
  const ifExists = lower.endsWith('ifexists') && lower !== 'ifexists';
  if (ifExists) lower = lower.slice(0, -'ifexists'.length);
  const conditions: CompiledCondition[] = [];
  for (const [key, raw] of Object.entries(block as Record<string, unknown>)) {
    const values = policyValues(raw);
    if (lower === 'null' && !ifExists) {
      conditions.push({
        operator: operatorText, key: key.toLowerCase(), set, ifExists: false, negated: false,
        nullValues: values.map((value) => value.toLowerCase() === 'true'), test: () => false,
      });
      continue;
    }
    const spec = operators.get(lower);
    if (spec === undefined) throw malformedPolicy(`Invalid Condition type : ${operatorText}.`);
    const tests = values.map((value) => spec.build(parseTemplate(value, variablesAllowed)));
    const test: Matcher =
      tests.length === 1
        ? tests[0]!
        : (value, context) => {
            for (const one of tests) if (one(value, context)) return true;
            return false;
          };
    conditions.push({ operator: operatorText, key: key.toLowerCase(), set, ifExists, negated: spec.negated, test });
  }
  return conditions;
}

function policyValues(raw: unknown): string[] {
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((value) => {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw malformedPolicy('Syntax errors in policy.');
  });
}

/** Whether one compiled condition holds for the request. */
export function conditionHolds(condition: CompiledCondition, context: EvaluationContext): boolean {
  const raw = lookupKey(context, condition.key);
  const values: readonly string[] = raw === undefined ? [] : typeof raw === 'string' ? [raw] : raw;
  if (condition.nullValues !== undefined) {
    const absent = values.length === 0;
    return condition.nullValues.some((wantAbsent) => wantAbsent === absent);
  }
  if (values.length === 0) {
    if (condition.ifExists || condition.set === 'all') return true;
    if (condition.set === 'any') return false;
    return condition.negated;
  }
  const negated = condition.negated;
  const test = condition.test;
  if (condition.set === 'all') {
    for (const value of values) if (test(value, context) === negated) return false;
    return true;
  }
  if (condition.set === 'any') {
    for (const value of values) if (test(value, context) !== negated) return true;
    return false;
  }
  // Plain operator: positive holds if any value matches; negated holds if none does.
  for (const value of values) if (test(value, context)) return !negated;
  return negated;
}

// ------------------------------------------------------------------ IP ranges

function ipInRange(address: string, range: string): boolean {
  const slash = range.indexOf('/');
  const base = slash < 0 ? range : range.slice(0, slash);
  const value = ipToBigInt(normalizeIp(address));
  const start = ipToBigInt(normalizeIp(base));
  if (value === undefined || start === undefined || value.bits !== start.bits) return false;
  const prefix = slash < 0 ? start.bits : Number(range.slice(slash + 1));
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > start.bits) return false;
  const shift = BigInt(start.bits - prefix);
  return value.value >> shift === start.value >> shift;
}

/** IPv4-mapped IPv6 addresses (::ffff:1.2.3.4, as Node reports IPv4 peers) become IPv4. */
function normalizeIp(address: string): string {
  const trimmed = address.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  return mapped ? mapped[1]! : trimmed;
}

function ipToBigInt(address: string): { value: bigint; bits: number } | undefined {
  const family = isIP(address);
  if (family === 4) {
    let value = 0n;
    for (const octet of address.split('.')) value = (value << 8n) | BigInt(Number(octet));
    return { value, bits: 32 };
  }
  if (family === 6) {
    let text = address;
    // An embedded IPv4 tail (::1.2.3.4) becomes two hextets.
    const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
    if (v4) {
      const octets = v4[1]!.split('.').map(Number);
      text = text.slice(0, v4.index) + `${((octets[0]! << 8) | octets[1]!).toString(16)}:${((octets[2]! << 8) | octets[3]!).toString(16)}`;
    }
    const [head, tail] = text.split('::') as [string, string | undefined];
    const headParts = head === '' ? [] : head.split(':');
    const tailParts = tail === undefined || tail === '' ? [] : tail.split(':');
    const missing = 8 - headParts.length - tailParts.length;
    const parts = tail === undefined ? headParts : [...headParts, ...Array(missing).fill('0'), ...tailParts];
    let value = 0n;
    for (const part of parts) value = (value << 16n) | BigInt(parseInt(part, 16));
    return { value, bits: 128 };
  }
  return undefined;
}
