// Recursive-descent parsers for the three expression grammars (condition, update,
// projection). They only recognise structure; every semantic check happens later, in the
// order DynamoDB makes them. A failure is reported as DynamoDB does: the token where reading
// stopped, and the text from the token before it to the token after it.
// Two limits keep the recursion bounded: DynamoDB's 300 operators (counted as they are read,
// so "a<b or (a<b or (..." stops at the 301st), and a nesting budget for what the operator
// count does not bound (runs of parentheses, calls of unknown functions), past which the
// parse gives way to a flat scan of the tokens that names DynamoDB's likely failure.
import type {
  ArithNode, CallNode, Comparator, ConditionNode, OperandNode, ParenNode, PathNode, PathPart,
  SetValueNode, UpdateActionNode, UpdateClause, UpdateNode, UpdateSection, ValueNode,
} from './ast.js';
import { functionArity } from './functions.js';
import { expressionOperatorsMax } from '../model/limits.js';
import { tokenize, type Token, type TokenKind } from './tokenizer.js';

/** A problem found while parsing; `message` lacks the "Invalid XExpression: " prefix. */
export class ParseFailure extends Error {
  /** Index of the token where parsing stopped: alternatives keep the furthest failure. */
  readonly tokenIndex: number;
  constructor(message: string, tokenIndex: number) {
    super(message);
    this.tokenIndex = tokenIndex;
  }
}

/** Not a syntax error: two parentheses straight around one thing. Reported at once. */
class RedundantParentheses extends Error {
  constructor() {
    super('The expression has redundant parentheses;');
  }
}

/** Not a syntax error: the 301st operator (or function). Reported at once. */
class TooManyOperators extends Error {
  constructor(count: number) {
    super(`The expression contains too many operators; operator count: ${count}`);
  }
}

/** The nesting budget ran out: the flat scan of `run` takes over. */
class NestingTooDeep extends Error {}

// Stack cost of one nesting level, in budget units, measured on Node 20's default stack
// (about 9,400 operand parentheses, 4,700 calls or 1,550 condition parentheses fit in it).
// The budget spends at most ~42% of the stack, so it holds whatever the caller already uses.
// Within 4 KB it lets through any run of calls (2,046 at most) and stops only long runs of
// parentheses, which DynamoDB refuses anyway. (A limit of this parser, not of DynamoDB, which
// has none besides the expression size and the operator count.)
const conditionParenCost = 6;
const callCost = 2;
const operandParenCost = 1;
export const nestingBudget = 4000;

const comparators: ReadonlySet<TokenKind> = new Set<TokenKind>(['=', '<>', '<', '<=', '>', '>=']);

class Parser {
  readonly tokens: Token[];
  private position = 0;
  /** Operators and functions read so far (DynamoDB allows 300). */
  private operators = 0;
  /** Nesting budget spent on the current path (see nestingBudget). */
  private depth = 0;

  constructor(readonly text: string) {
    this.tokens = tokenize(text);
  }

  /** Counts one operator or function against DynamoDB's limit. */
  private countOperator(): void {
    this.operators++;
    if (this.operators > expressionOperatorsMax) throw new TooManyOperators(this.operators);
  }

  /**
   * Goes one nesting level deeper; the caller gives the cost back when the level is read.
   * (A failure inside needs no refund: choose restores the depth, anything else ends the parse.)
   */
  private enter(cost: number): void {
    this.depth += cost;
    if (this.depth > nestingBudget) throw new NestingTooDeep();
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.position + offset, this.tokens.length - 1)]!;
  }

  private is(kind: TokenKind): boolean {
    return this.peek().kind === kind;
  }

  private next(): Token {
    return this.tokens[this.position++]!;
  }

  private fail(at = this.position): never {
    const token = this.tokens[at]!;
    const from = at > 0 ? this.tokens[at - 1]!.start : 0;
    const to = at + 1 < this.tokens.length ? this.tokens[at + 1]!.end : token.end;
    throw new ParseFailure(`Syntax error; token: "${token.text}", near: "${this.text.slice(from, to)}"`, at);
  }

  private expect(kind: TokenKind): Token {
    if (!this.is(kind)) this.fail();
    return this.next();
  }

  expectEnd(): void {
    if (!this.is('EOF')) this.fail();
  }

  /** Tries alternatives in order; the first that parses wins, else the furthest failure. */
  private choose<T>(alternatives: Array<() => T>): T {
    const start = this.position;
    const operators = this.operators;
    const depth = this.depth;
    let furthest: ParseFailure | undefined;
    for (const alternative of alternatives) {
      this.position = start;
      this.operators = operators;
      this.depth = depth;
      try {
        return alternative();
      } catch (error) {
        if (!(error instanceof ParseFailure)) throw error;
        if (furthest === undefined || error.tokenIndex > furthest.tokenIndex) furthest = error;
      }
    }
    this.position = start;
    this.operators = operators;
    this.depth = depth;
    throw furthest!;
  }

  private paren<T extends { k: string }>(inner: T): ParenNode<T> {
    if (inner.k === 'paren') throw new RedundantParentheses();
    return { k: 'paren', inner };
  }

  // ---- conditions: OR < AND < NOT < comparison, parentheses anywhere

  condition(): ConditionNode {
    let left = this.conjunction();
    while (this.is('OR')) {
      this.next();
      this.countOperator();
      left = { k: 'or', left, right: this.conjunction() };
    }
    return left;
  }

  private conjunction(): ConditionNode {
    let left = this.negation();
    while (this.is('AND')) {
      this.next();
      this.countOperator();
      left = { k: 'and', left, right: this.negation() };
    }
    return left;
  }

  private negation(): ConditionNode {
    // A run of NOTs is read in a loop (each counts as an operator), then wrapped inside out.
    let nots = 0;
    while (this.is('NOT')) {
      this.next();
      this.countOperator();
      nots++;
    }
    let node: ConditionNode;
    if (this.is('(')) {
      // "(" opens either a parenthesised condition or a parenthesised operand.
      node = this.choose<ConditionNode>([
        () => {
          this.enter(conditionParenCost);
          this.next();
          const inner = this.condition();
          this.expect(')');
          this.depth -= conditionParenCost;
          return this.paren(inner);
        },
        () => this.comparison(),
      ]);
    } else {
      node = this.comparison();
    }
    for (let i = 0; i < nots; i++) node = { k: 'not', operand: node };
    return node;
  }

  private comparison(): ConditionNode {
    const left = this.operand();
    const token = this.peek();
    if (comparators.has(token.kind)) {
      this.next();
      this.countOperator();
      return { k: 'compare', op: token.kind as Comparator, left, right: this.operand() };
    }
    if (token.kind === 'BETWEEN') {
      this.next();
      this.countOperator();
      const low = this.operand();
      this.expect('AND');
      return { k: 'between', operand: left, low, high: this.operand() };
    }
    if (token.kind === 'IN') {
      this.next();
      this.countOperator();
      this.expect('(');
      const list = [this.operand()];
      while (this.is(',')) {
        this.next();
        list.push(this.operand());
      }
      this.expect(')');
      return { k: 'in', operand: left, list };
    }
    if (left.k === 'call') return left; // a function on its own is a condition
    return this.fail();
  }

  private operand(): OperandNode {
    const token = this.peek();
    switch (token.kind) {
      case 'value':
        this.next();
        return { k: 'value', name: token.text } satisfies ValueNode;
      case '(': {
        this.enter(operandParenCost);
        this.next();
        const inner = this.operand();
        this.expect(')');
        this.depth -= operandParenCost;
        return this.paren(inner);
      }
      case 'id':
        if (this.peek(1).kind === '(') return this.call();
        return this.path();
      case 'name':
        return this.path();
      default:
        return this.fail();
    }
  }

  private call(): CallNode {
    const name = this.next().text;
    // Functions count with the operators; an unknown name is refused after parsing
    // ("Invalid function name"), so it is not counted (DynamoDB reports that name even
    // for f(f(f(...))) nested 1,355 deep, per ScyllaDB's suite).
    if (functionArity(name) !== undefined) this.countOperator();
    this.enter(callCost);
    this.expect('(');
    const args = [this.operand()];
    while (this.is(',')) {
      this.next();
      args.push(this.operand());
    }
    this.expect(')');
    this.depth -= callCost;
    return { k: 'call', name, args };
  }

  path(): PathNode {
    const first = this.peek();
    if (first.kind !== 'id' && first.kind !== 'name') this.fail();
    this.next();
    const parts: PathPart[] = [{ kind: 'name', text: first.text, placeholder: first.kind === 'name' }];
    for (;;) {
      if (this.is('.')) {
        this.next();
        const part = this.peek();
        if (part.kind !== 'id' && part.kind !== 'name') this.fail();
        this.next();
        parts.push({ kind: 'name', text: part.text, placeholder: part.kind === 'name' });
      } else if (this.is('[')) {
        this.next();
        const index = this.expect('int');
        this.expect(']');
        parts.push({ kind: 'index', text: index.text });
      } else {
        return { k: 'path', parts };
      }
    }
  }

  // ---- updates: clauses of SET / REMOVE / ADD / DELETE actions

  update(): UpdateNode {
    const clauses: UpdateClause[] = [];
    do {
      const keyword = this.peek().kind;
      let section: UpdateSection;
      let read: () => UpdateActionNode;
      switch (keyword) {
        case 'SET':
          section = 'SET';
          read = () => this.setAction();
          break;
        case 'REMOVE':
          section = 'REMOVE';
          read = () => ({ section: 'REMOVE', path: this.path() });
          break;
        case 'ADD':
        case 'DELETE':
          section = keyword;
          read = () => {
            const path = this.path();
            const value = this.expect('value');
            return { section: keyword, path, value: { k: 'value', name: value.text } };
          };
          break;
        default:
          return this.fail();
      }
      this.next();
      const actions = [read()];
      while (this.is(',')) {
        this.next();
        actions.push(read());
      }
      clauses.push({ section, actions });
    } while (!this.is('EOF'));
    return { clauses };
  }

  private setAction(): UpdateActionNode {
    const path = this.path();
    this.expect('=');
    let value: SetValueNode;
    if (this.is('(')) {
      // "(a + b)" is accepted around a whole sum; "(a)" is an operand in parentheses.
      value = this.choose<SetValueNode>([
        () => {
          this.next();
          const sum = this.arithmetic();
          if (sum.k !== 'arith') this.fail();
          this.expect(')');
          return this.paren(sum as ArithNode);
        },
        () => this.arithmetic(),
      ]);
    } else {
      value = this.arithmetic();
    }
    return { section: 'SET', path, value };
  }

  private arithmetic(): OperandNode | ArithNode {
    const left = this.operand();
    if (this.is('+') || this.is('-')) {
      const op = this.next().kind as '+' | '-';
      this.countOperator();
      return { k: 'arith', op, left, right: this.operand() };
    }
    return left;
  }

  // ---- projections: a comma-separated list of paths

  projection(): PathNode[] {
    const paths = [this.path()];
    while (this.is(',')) {
      this.next();
      paths.push(this.path());
    }
    return paths;
  }
}

function run<T>(text: string, read: (parser: Parser) => T): T {
  const parser = new Parser(text);
  try {
    const result = read(parser);
    parser.expectEnd();
    return result;
  } catch (error) {
    if (error instanceof RedundantParentheses || error instanceof TooManyOperators) throw new ParseFailure(error.message, -1);
    // A stack overflow is not expected within the budget; it is answered the same way.
    if (error instanceof NestingTooDeep || error instanceof RangeError) throw deepNestingFailure(parser.tokens, text);
    throw error;
  }
}

/**
 * The failure of an expression nested past the parser's budget, found by a flat scan of its
 * tokens, in the order a full parse would meet them: two grouping parentheses that close
 * together (redundant) or the first unbalanced parenthesis (a syntax error; an unclosed one
 * at the end of the text), whichever comes first, then a call of an unknown function.
 * unverified: an expression nested this deep that has none of these (it would need more than
 * 300 operators, refused before the budget runs out); it is given the end-of-text error.
 */
function deepNestingFailure(tokens: readonly Token[], text: string): ParseFailure {
  const match = new Array<number>(tokens.length).fill(-1);
  const open: number[] = [];
  let strayClose = -1;
  for (let i = 0; i < tokens.length && strayClose < 0; i++) {
    const kind = tokens[i]!.kind;
    if (kind === '(') open.push(i);
    else if (kind === ')') {
      const start = open.pop();
      if (start === undefined) strayClose = i;
      else match[start] = i;
    }
  }
  const eof = tokens.length - 1;
  const syntaxAt = strayClose >= 0 ? strayClose : open.length > 0 ? eof : -1;
  // A "(" after a name opens a call's operands, after IN a list: neither groups.
  const grouping = (i: number): boolean => i === 0 || (tokens[i - 1]!.kind !== 'id' && tokens[i - 1]!.kind !== 'IN');
  let redundantAt = -1;
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (tokens[i]!.kind !== '(' || tokens[i + 1]!.kind !== '(' || !grouping(i) || !grouping(i + 1)) continue;
    const inner = match[i + 1]!;
    if (inner >= 0 && match[i] === inner + 1 && (redundantAt < 0 || inner + 1 < redundantAt)) redundantAt = inner + 1;
  }
  if (redundantAt >= 0 && (syntaxAt < 0 || redundantAt < syntaxAt)) return new ParseFailure(new RedundantParentheses().message, -1);
  if (syntaxAt < 0) {
    for (let i = 0; i + 1 < tokens.length; i++) {
      const token = tokens[i]!;
      if (token.kind === 'id' && tokens[i + 1]!.kind === '(' && functionArity(token.text) === undefined) {
        return new ParseFailure(`Invalid function name; function: ${token.text}`, -1);
      }
    }
  }
  const at = syntaxAt >= 0 ? syntaxAt : eof;
  const token = tokens[at]!;
  const from = at > 0 ? tokens[at - 1]!.start : 0;
  const to = at + 1 < tokens.length ? tokens[at + 1]!.end : token.end;
  return new ParseFailure(`Syntax error; token: "${token.text}", near: "${text.slice(from, to)}"`, at);
}
/** Parses a condition, filter or key condition. Throws ParseFailure. */
export function parseCondition(text: string): ConditionNode {
  return run(text, (parser) => parser.condition());
}

/** Parses an update expression. Throws ParseFailure. */
export function parseUpdate(text: string): UpdateNode {
  return run(text, (parser) => parser.update());
}

/** Parses a projection expression. Throws ParseFailure. */
export function parseProjection(text: string): PathNode[] {
  return run(text, (parser) => parser.projection());
}
