// Recursive-descent parsers for the three expression grammars (condition, update,
// projection). They only recognise structure; every semantic check happens later, in the
// order DynamoDB makes them. A failure is reported as DynamoDB does: the token where reading
// stopped, and the text from the token before it to the token after it.
import type {
  ArithNode, CallNode, Comparator, ConditionNode, OperandNode, ParenNode, PathNode, PathPart,
  SetValueNode, UpdateActionNode, UpdateClause, UpdateNode, UpdateSection, ValueNode,
} from './ast.js';
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

const comparators: ReadonlySet<TokenKind> = new Set<TokenKind>(['=', '<>', '<', '<=', '>', '>=']);

class Parser {
  private readonly tokens: Token[];
  private position = 0;

  constructor(private readonly text: string) {
    this.tokens = tokenize(text);
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
    let furthest: ParseFailure | undefined;
    for (const alternative of alternatives) {
      this.position = start;
      try {
        return alternative();
      } catch (error) {
        if (!(error instanceof ParseFailure)) throw error;
        if (furthest === undefined || error.tokenIndex > furthest.tokenIndex) furthest = error;
      }
    }
    this.position = start;
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
      left = { k: 'or', left, right: this.conjunction() };
    }
    return left;
  }

  private conjunction(): ConditionNode {
    let left = this.negation();
    while (this.is('AND')) {
      this.next();
      left = { k: 'and', left, right: this.negation() };
    }
    return left;
  }

  private negation(): ConditionNode {
    if (this.is('NOT')) {
      this.next();
      return { k: 'not', operand: this.negation() };
    }
    if (this.is('(')) {
      // "(" opens either a parenthesised condition or a parenthesised operand.
      return this.choose<ConditionNode>([
        () => {
          this.next();
          const inner = this.condition();
          this.expect(')');
          return this.paren(inner);
        },
        () => this.comparison(),
      ]);
    }
    return this.comparison();
  }

  private comparison(): ConditionNode {
    const left = this.operand();
    const token = this.peek();
    if (comparators.has(token.kind)) {
      this.next();
      return { k: 'compare', op: token.kind as Comparator, left, right: this.operand() };
    }
    if (token.kind === 'BETWEEN') {
      this.next();
      const low = this.operand();
      this.expect('AND');
      return { k: 'between', operand: left, low, high: this.operand() };
    }
    if (token.kind === 'IN') {
      this.next();
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
        this.next();
        const inner = this.operand();
        this.expect(')');
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
    this.expect('(');
    const args = [this.operand()];
    while (this.is(',')) {
      this.next();
      args.push(this.operand());
    }
    this.expect(')');
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
    if (error instanceof RedundantParentheses) throw new ParseFailure(error.message, -1);
    throw error;
  }
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
