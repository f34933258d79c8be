// A recursive-descent parser for DynamoDB's PartiQL subset. It accepts what PartiQL's grammar
// accepts around that subset (aliases, DISTINCT, GROUP BY, ...) so the translator can refuse it
// with DynamoDB's semantic texts, and answers everything else as "Statement wasn't well formed".
// Precedence, loosest first: OR, AND, NOT, comparison (= <> < <= > >= IS IN BETWEEN LIKE),
// + - ||, * / %, unary minus, primary.
import type { Expr, OrderSpec, ParsedStatement, PathStep, ProjectionItem, Returning, SelectStatement, Source, Statement, UpdateAction } from './ast.js';
import { functionKeywords } from './keywords.js';
import { malformed, messages, semantic } from './messages.js';
import { tokenize, type Token } from './tokenizer.js';

export function parseStatement(text: string): ParsedStatement {
  const parser = new Parser(tokenize(text));
  const statement = parser.statement();
  return { statement, parameterCount: parser.parameterCount };
}

const comparisonOps = new Set(['=', '<>', '!=', '<', '<=', '>', '>=']);

class Parser {
  private position = 0;
  parameterCount = 0;

  constructor(private readonly tokens: Token[]) {}

  statement(): Statement {
    let statement: Statement;
    if (this.eatKeyword('select')) statement = this.select();
    else if (this.eatKeyword('insert')) statement = this.insert();
    else if (this.eatKeyword('update')) statement = this.update();
    else if (this.eatKeyword('delete')) statement = this.delete();
    else if (this.isKeyword('exists') && this.isPunct('(', 1)) statement = this.exists();
    else throw malformed(messages.expectedDataManipulation);
    this.eatPunct(';');
    if (this.peek().kind !== 'end') this.fail();
    return statement;
  }

  // ------------------------------------------------------------------ statements

  private select(): SelectStatement {
    const distinct = this.eatKeyword('distinct');
    if (!distinct) this.eatKeyword('all');
    const value = this.eatKeyword('value');
    const projection: ProjectionItem[] = value ? [{ kind: 'expr', expr: this.expr(), aliased: false }] : this.projection();
    this.expectKeyword('from');
    const from = this.source();
    const select: SelectStatement = { kind: 'select', value, distinct, projection, from };
    if (this.eatKeyword('where')) select.where = this.expr();
    for (;;) {
      if (this.isKeyword('group') || this.isKeyword('having') || this.isKeyword('limit') || this.isKeyword('offset')) {
        select.unsupportedClause ??= this.isKeyword('group') ? 'GROUP BY' : (this.peek() as { text: string }).text.toUpperCase();
        this.position++;
        this.eatKeyword('by');
        this.expr();
        continue;
      }
      if (this.eatKeyword('order')) {
        this.expectKeyword('by');
        select.orderBy = this.orderBy();
        continue;
      }
      return select;
    }
  }

  private projection(): ProjectionItem[] {
    const items: ProjectionItem[] = [];
    do {
      if (this.eatPunct('*')) {
        items.push({ kind: 'star' });
        continue;
      }
      const expr = this.expr();
      items.push({ kind: 'expr', expr, aliased: this.alias() });
    } while (this.eatPunct(','));
    return items;
  }

  private orderBy(): OrderSpec[] {
    const specs: OrderSpec[] = [];
    do {
      const expr = this.expr();
      const descending = this.eatKeyword('desc');
      if (!descending) this.eatKeyword('asc');
      specs.push({ expr, descending });
    } while (this.eatPunct(','));
    return specs;
  }

  private insert(): Statement {
    this.expectKeyword('into');
    const target = this.primary();
    if (this.eatKeyword('value')) {
      const value = this.expr();
      const at = this.eatKeyword('at');
      if (at) this.expr();
      let onConflict = false;
      if (this.eatKeyword('on')) {
        this.expectKeyword('conflict');
        onConflict = true;
        if (this.eatKeyword('where')) this.expr();
        this.expectKeyword('do');
        this.expectKeyword('nothing');
      }
      return { kind: 'insert', target, value, many: false, at, onConflict, returning: this.returning() };
    }
    this.expr(); // INSERT INTO t <<...>>: several items
    return { kind: 'insert', target, many: true, at: false, onConflict: false, returning: this.returning() };
  }

  private update(): Statement {
    const source = this.source();
    const actions: UpdateAction[] = [];
    for (;;) {
      if (this.eatKeyword('set')) {
        do {
          const target = this.primary();
          this.expectPunct('=');
          actions.push({ kind: 'set', target, value: this.expr() });
        } while (this.eatPunct(','));
      } else if (this.eatKeyword('remove')) {
        actions.push({ kind: 'remove', target: this.primary() });
      } else {
        break;
      }
    }
    if (actions.length === 0) {
      if (this.peek().kind === 'end') throw malformed('');
      throw malformed(messages.expectedDataManipulation);
    }
    const where = this.eatKeyword('where') ? this.expr() : undefined;
    return { kind: 'update', source, actions, where, returning: this.returning() };
  }

  private delete(): Statement {
    if (!this.eatKeyword('from')) {
      if (this.peek().kind === 'end') throw malformed('');
      throw malformed(messages.expectedFromAfterDelete);
    }
    const source = this.source();
    const where = this.eatKeyword('where') ? this.expr() : undefined;
    return { kind: 'delete', source, where, returning: this.returning() };
  }

  private exists(): Statement {
    this.position++; // EXISTS
    this.expectPunct('(');
    this.expectKeyword('select');
    const select = this.select();
    this.expectPunct(')');
    return { kind: 'exists', select };
  }

  /** A FROM / UPDATE target: a path and an optional alias (refused later). */
  private source(): Source {
    const components = this.primary();
    let aliased = this.alias();
    if (this.eatKeyword('at') || this.eatKeyword('by')) {
      this.identifier();
      aliased = true;
    }
    return { components, aliased };
  }

  /** `AS x` or a bare `x` after an expression: true when an alias was given. */
  private alias(): boolean {
    if (this.eatKeyword('as')) {
      this.identifier();
      return true;
    }
    const token = this.peek();
    if (token.kind === 'identifier') {
      this.position++;
      return true;
    }
    return false;
  }

  private returning(): Returning | undefined {
    if (!this.eatKeyword('returning')) return undefined;
    const returning = this.returningElement();
    while (this.eatPunct(',')) {
      this.returningElement();
      returning.multiple = true;
    }
    return returning;
  }

  private returningElement(): Returning {
    const all = this.eatKeyword('all');
    if (!all) this.expectKeyword('modified');
    const old = this.eatKeyword('old');
    if (!old) this.expectKeyword('new');
    const star = this.eatPunct('*');
    if (!star) this.expr();
    const mapping = `${all ? 'ALL' : 'MODIFIED'}_${old ? 'OLD' : 'NEW'}` as Returning['mapping'];
    return { mapping, star, multiple: false };
  }

  // ------------------------------------------------------------------ expressions

  expr(): Expr {
    let left = this.and();
    while (this.eatKeyword('or')) left = { kind: 'or', left, right: this.and() };
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.eatKeyword('and')) left = { kind: 'and', left, right: this.not() };
    return left;
  }

  private not(): Expr {
    if (this.eatKeyword('not')) return { kind: 'not', operand: this.not() };
    return this.predicate();
  }

  private predicate(): Expr {
    const left = this.additive();
    const token = this.peek();
    if (token.kind === 'punct' && comparisonOps.has(token.text)) {
      this.position++;
      const op = token.text === '!=' ? '<>' : (token.text as '=' | '<>' | '<' | '<=' | '>' | '>=');
      return { kind: 'compare', op, left, right: this.additive() };
    }
    if (this.eatKeyword('is')) {
      const negated = this.eatKeyword('not');
      return { kind: 'is', operand: left, type: this.typeName(), negated };
    }
    const negated = this.isKeyword('not') && (this.isKeyword('between', 1) || this.isKeyword('in', 1) || this.isKeyword('like', 1));
    if (negated) this.position++;
    if (this.eatKeyword('between')) {
      const low = this.additive();
      this.expectKeyword('and');
      return { kind: 'between', operand: left, low, high: this.additive(), negated };
    }
    if (this.eatKeyword('in')) return { kind: 'in', operand: left, list: this.additive(), negated };
    if (this.eatKeyword('like')) {
      const pattern = this.additive();
      if (this.eatKeyword('escape')) this.additive();
      const like: Expr = { kind: 'unsupported', op: 'like', operands: [left, pattern] };
      return negated ? { kind: 'not', operand: like } : like;
    }
    return left;
  }

  private typeName(): string {
    const token = this.next();
    if (token.kind === 'keyword' || (token.kind === 'identifier' && !token.quoted)) return token.text.toLowerCase();
    this.position--;
    return this.fail();
  }

  private additive(): Expr {
    let left = this.multiplicative();
    for (;;) {
      if (this.eatPunct('+')) left = { kind: 'arithmetic', op: '+', left, right: this.multiplicative() };
      else if (this.eatPunct('-')) left = { kind: 'arithmetic', op: '-', left, right: this.multiplicative() };
      else if (this.eatPunct('||')) left = { kind: 'unsupported', op: '||', operands: [left, this.multiplicative()] };
      else return left;
    }
  }

  private multiplicative(): Expr {
    let left = this.unary();
    for (;;) {
      const token = this.peek();
      if (token.kind !== 'punct' || (token.text !== '*' && token.text !== '/' && token.text !== '%')) return left;
      this.position++;
      left = { kind: 'unsupported', op: token.text, operands: [left, this.unary()] };
    }
  }

  private unary(): Expr {
    if (this.eatPunct('-')) {
      const operand = this.unary();
      if (operand.kind === 'number') return { kind: 'number', text: operand.text.startsWith('-') ? operand.text.slice(1) : `-${operand.text}` };
      return { kind: 'unsupported', op: '-', operands: [operand] };
    }
    if (this.eatPunct('+')) return this.unary();
    return this.primary();
  }

  private primary(): Expr {
    const token = this.next();
    switch (token.kind) {
      case 'string':
        return { kind: 'string', value: token.text };
      case 'number':
        return { kind: 'number', text: token.text };
      case 'identifier':
        if (!token.quoted && this.isPunct('(')) return this.call(token.text);
        return this.pathSteps({ kind: 'path', path: { root: token.text, steps: [] } });
      case 'keyword':
        return this.keywordPrimary(token.text);
      case 'punct':
        return this.punctPrimary(token.text);
      case 'end':
        throw malformed('');
    }
  }

  private keywordPrimary(word: string): Expr {
    switch (word) {
      case 'true':
      case 'false':
        return { kind: 'boolean', value: word === 'true' };
      case 'null':
        return { kind: 'null' };
      case 'missing':
        return { kind: 'missing' };
      case 'values': {
        // VALUES (a, b), (c, d): a bag of rows, i.e. several items.
        const rows: Expr[] = [];
        do {
          this.expectPunct('(');
          rows.push({ kind: 'list', items: this.items(')') });
        } while (this.eatPunct(','));
        return { kind: 'bag', items: rows };
      }
    }
    if (functionKeywords.has(word) && this.isPunct('(')) return this.call(word);
    this.position--;
    return this.fail();
  }

  private punctPrimary(mark: string): Expr {
    switch (mark) {
      case '?':
        this.parameterCount++;
        return { kind: 'parameter', position: this.parameterCount };
      case '[':
        return { kind: 'list', items: this.items(']') };
      case '<<':
        return { kind: 'bag', items: this.items('>>') };
      case '{': {
        const fields: { name: Expr; value: Expr }[] = [];
        if (!this.eatPunct('}')) {
          do {
            const name = this.expr();
            this.expectPunct(':');
            fields.push({ name, value: this.expr() });
          } while (this.eatPunct(','));
          this.expectPunct('}');
        }
        return { kind: 'struct', fields };
      }
      case '(': {
        // A parenthesized expression, or a row `(a, b)` (a list, as in `x IN (1, 2)`).
        const items = this.items(')');
        if (items.length === 1) return this.pathSteps(items[0]!);
        return { kind: 'list', items };
      }
    }
    this.position--;
    return this.fail();
  }

  /** Comma-separated expressions up to `close` (which may come at once). */
  private items(close: string): Expr[] {
    const items: Expr[] = [];
    if (this.eatPunct(close)) return items;
    do items.push(this.expr());
    while (this.eatPunct(','));
    this.expectPunct(close);
    return items;
  }

  private call(name: string): Expr {
    this.expectPunct('(');
    return { kind: 'call', name: name.toLowerCase(), args: this.items(')') };
  }

  /** `.name`, `."name"`, `[n]`, `['name']` after a path root. */
  private pathSteps(root: Expr): Expr {
    if (!this.isPunct('.') && !this.isPunct('[')) return root;
    if (root.kind !== 'path') throw semantic(root.kind === 'list' ? messages.pathStartsWithIndex : messages.unexpectedPathComponent);
    const steps: PathStep[] = [...root.path.steps];
    for (;;) {
      if (this.eatPunct('.')) {
        const token = this.next();
        if (token.kind === 'identifier' || token.kind === 'keyword') steps.push({ kind: 'field', name: token.text });
        else if (token.kind === 'punct' && token.text === '*') throw semantic(messages.unpivotPath);
        else {
          this.position--;
          this.fail();
        }
      } else if (this.eatPunct('[')) {
        if (this.eatPunct('*')) throw semantic(messages.wildcardPath);
        steps.push(bracketStep(this.expr()));
        this.expectPunct(']');
      } else {
        return { kind: 'path', path: { root: root.path.root, steps } };
      }
    }
  }

  // ------------------------------------------------------------------ tokens

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.position + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.position++;
    return token;
  }

  private isKeyword(word: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'keyword' && token.text === word;
  }

  private eatKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.position++;
    return true;
  }

  private expectKeyword(word: string): void {
    if (this.eatKeyword(word)) return;
    if (this.peek().kind === 'end') throw malformed('');
    throw malformed(messages.expectedKeyword(word.toUpperCase()));
  }

  private isPunct(mark: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'punct' && token.text === mark;
  }

  private eatPunct(mark: string): boolean {
    if (!this.isPunct(mark)) return false;
    this.position++;
    return true;
  }

  private expectPunct(mark: string): void {
    if (!this.eatPunct(mark)) this.fail();
  }

  private identifier(): string {
    const token = this.next();
    if (token.kind === 'identifier') return token.text;
    this.position--;
    return this.fail();
  }

  /** The error for the token at the current position. */
  private fail(): never {
    const token = this.peek();
    if (token.kind === 'end') throw malformed('');
    throw malformed(token.kind === 'keyword' ? messages.unexpectedKeyword : messages.unexpectedToken);
  }
}

/** A bracketed path step: a non-negative int32 index, or a string naming a map key. */
function bracketStep(expr: Expr): PathStep {
  if (expr.kind === 'string') {
    if (expr.value === '') throw semantic(messages.emptyPathComponent);
    return { kind: 'field', name: expr.value };
  }
  if (expr.kind === 'number' && /^-?\d+$/.test(expr.text)) {
    const index = Number(expr.text);
    if (index < 0 || index > 2147483647) throw semantic(messages.listIndexRange(String(BigInt(expr.text))));
    return { kind: 'index', index };
  }
  throw semantic(messages.unexpectedPathComponent);
}
