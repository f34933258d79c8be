// Unit tests of the PartiQL tokenizer and parser (the AST each statement kind parses to,
// precedence, literals, paths, parameters, DynamoDB's syntax-error texts) and of
// describeStatement, which tells IAM what a statement does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStatement } from '../../src/partiql/parser.js';
import { describeStatement } from '../../src/partiql/index.js';
import type { Expr } from '../../src/partiql/ast.js';

const path = (root: string, ...steps: (string | number)[]): Expr => ({
  kind: 'path',
  path: { root, steps: steps.map((step) => (typeof step === 'number' ? { kind: 'index', index: step } : { kind: 'field', name: step })) },
});
const str = (value: string): Expr => ({ kind: 'string', value });
const num = (text: string): Expr => ({ kind: 'number', text });

function where(text: string): Expr | undefined {
  const { statement } = parseStatement(`SELECT * FROM t WHERE ${text}`);
  assert.equal(statement.kind, 'select');
  return statement.kind === 'select' ? statement.where : undefined;
}

function syntaxError(text: string): string {
  try {
    parseStatement(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`parsed: ${text}`);
}

test('SELECT: projection, source with index, WHERE, ORDER BY', () => {
  const { statement, parameterCount } = parseStatement(`SELECT a, b.c[2] FROM "tbl"."idx" WHERE a = ? AND b > 1 ORDER BY a DESC, b`);
  assert.equal(parameterCount, 1);
  assert.deepEqual(statement, {
    kind: 'select',
    value: false,
    distinct: false,
    projection: [
      { kind: 'expr', expr: path('a'), aliased: false },
      { kind: 'expr', expr: path('b', 'c', 2), aliased: false },
    ],
    from: { components: path('tbl', 'idx'), aliased: false },
    where: {
      kind: 'and',
      left: { kind: 'compare', op: '=', left: path('a'), right: { kind: 'parameter', position: 1 } },
      right: { kind: 'compare', op: '>', left: path('b'), right: num('1') },
    },
    orderBy: [
      { expr: path('a'), descending: true },
      { expr: path('b'), descending: false },
    ],
  });
});

test('AND binds tighter than OR, NOT tighter than AND; != is <>', () => {
  assert.deepEqual(where(`a = 1 OR NOT b != 2 AND c = 3`), {
    kind: 'or',
    left: { kind: 'compare', op: '=', left: path('a'), right: num('1') },
    right: {
      kind: 'and',
      left: { kind: 'not', operand: { kind: 'compare', op: '<>', left: path('b'), right: num('2') } },
      right: { kind: 'compare', op: '=', left: path('c'), right: num('3') },
    },
  });
});

test('BETWEEN, IN, IS, LIKE and their negations', () => {
  assert.deepEqual(where(`a NOT BETWEEN 1 AND 2`), { kind: 'between', operand: path('a'), low: num('1'), high: num('2'), negated: true });
  assert.deepEqual(where(`a IN (1, 'x')`), { kind: 'in', operand: path('a'), list: { kind: 'list', items: [num('1'), str('x')] }, negated: false });
  assert.deepEqual(where(`a NOT IN [1]`), { kind: 'in', operand: path('a'), list: { kind: 'list', items: [num('1')] }, negated: true });
  assert.deepEqual(where(`a IS NOT MISSING`), { kind: 'is', operand: path('a'), type: 'missing', negated: true });
  assert.deepEqual(where(`a NOT LIKE 'x%'`), { kind: 'not', operand: { kind: 'unsupported', op: 'like', operands: [path('a'), str('x%')] } });
});

test('literals: strings with doubled quotes, numbers, booleans, NULL, MISSING, lists, bags, tuples', () => {
  const { statement } = parseStatement(`INSERT INTO t VALUE {'s': 'it''s', 'n': -1.5e3, 'b': false, 'z': null, 'l': [1, [2]], 'set': <<'a', 'b'>>, 'm': {'k': {}}}`);
  assert.equal(statement.kind, 'insert');
  if (statement.kind !== 'insert') return;
  assert.deepEqual(statement.value, {
    kind: 'struct',
    fields: [
      { name: str('s'), value: str("it's") },
      { name: str('n'), value: num('-1.5e3') },
      { name: str('b'), value: { kind: 'boolean', value: false } },
      { name: str('z'), value: { kind: 'null' } },
      { name: str('l'), value: { kind: 'list', items: [num('1'), { kind: 'list', items: [num('2')] }] } },
      { name: str('set'), value: { kind: 'bag', items: [str('a'), str('b')] } },
      { name: str('m'), value: { kind: 'struct', fields: [{ name: str('k'), value: { kind: 'struct', fields: [] } }] } },
    ],
  });
  assert.deepEqual(where(`a = MISSING`), { kind: 'compare', op: '=', left: path('a'), right: { kind: 'missing' } });
});

test('paths: quoted names keep their case and characters; brackets take an index or a name', () => {
  assert.deepEqual(where(`"My Attr"."x.y"[0]['k'] = 1`), {
    kind: 'compare',
    op: '=',
    left: path('My Attr', 'x.y', 0, 'k'),
    right: num('1'),
  });
  assert.equal(syntaxError(`SELECT * FROM t WHERE a[*] = 1`), 'Wildcard path component like a[*].b are not supported');
  assert.equal(syntaxError(`SELECT * FROM t WHERE a[-1] = 1`), 'List index is not within the allowable range; index: [-1]');
});

test('UPDATE: SET lists and several SET / REMOVE clauses keep their order; RETURNING', () => {
  const { statement } = parseStatement(`UPDATE t SET a = 1, b = a + 2 REMOVE c SET d = list_append(d, [1]) WHERE k = 'x' RETURNING MODIFIED NEW *`);
  assert.deepEqual(statement, {
    kind: 'update',
    source: { components: path('t'), aliased: false },
    actions: [
      { kind: 'set', target: path('a'), value: num('1') },
      { kind: 'set', target: path('b'), value: { kind: 'arithmetic', op: '+', left: path('a'), right: num('2') } },
      { kind: 'remove', target: path('c') },
      { kind: 'set', target: path('d'), value: { kind: 'call', name: 'list_append', args: [path('d'), { kind: 'list', items: [num('1')] }] } },
    ],
    where: { kind: 'compare', op: '=', left: path('k'), right: str('x') },
    returning: { mapping: 'MODIFIED_NEW', star: true, multiple: false },
  });
});

test('DELETE and EXISTS', () => {
  assert.deepEqual(parseStatement(`DELETE FROM t WHERE k = 1 RETURNING ALL OLD *`).statement, {
    kind: 'delete',
    source: { components: path('t'), aliased: false },
    where: { kind: 'compare', op: '=', left: path('k'), right: num('1') },
    returning: { mapping: 'ALL_OLD', star: true, multiple: false },
  });
  const exists = parseStatement(`EXISTS(SELECT * FROM t WHERE k = 1 AND a IS MISSING)`).statement;
  assert.equal(exists.kind, 'exists');
});

test('syntax errors carry partiql\'s detail; one at the end of the statement carries none', () => {
  const envelope = "Statement wasn't well formed, can't be processed: ";
  assert.equal(syntaxError('FROM t'), `${envelope}Expected data manipulation`);
  assert.equal(syntaxError(''), `${envelope}Expected data manipulation`);
  assert.equal(syntaxError('SELECT * FROM t WHERE value = 1'), `${envelope}Unexpected keyword`);
  assert.equal(syntaxError('SELECT * FROM t WHERE a = 1 b'), `${envelope}Unexpected token`);
  assert.equal(syntaxError('SELECT * FROM t WHERE a ='), envelope);
  assert.equal(syntaxError("SELECT * FROM t WHERE a = 'open"), envelope);
  assert.equal(syntaxError('SELECT * FROM t WHERE a = 1 /* open'), envelope);
  assert.equal(syntaxError('SELECT * FROM t WHERE a = #'), envelope);
  assert.equal(syntaxError('SELECT * t'), `${envelope}Expected FROM keyword`);
  assert.equal(syntaxError('DELETE t WHERE a = 1'), `${envelope}Expected FROM after DELETE`);
  assert.equal(syntaxError('UPDATE t WHERE a = 1'), `${envelope}Expected data manipulation`);
});

test('describeStatement names the IAM action and the table or index', () => {
  assert.deepEqual(describeStatement(`SELECT * FROM "Music" WHERE a = 1`), { action: 'PartiQLSelect', tableName: 'Music' });
  assert.deepEqual(describeStatement(`select * from "Music"."ByGenre"`), { action: 'PartiQLSelect', tableName: 'Music', indexName: 'ByGenre' });
  assert.deepEqual(describeStatement(`INSERT INTO Music VALUE {'a': 1}`), { action: 'PartiQLInsert', tableName: 'Music' });
  assert.deepEqual(describeStatement(`UPDATE "Music" SET a = 1 WHERE k = 1`), { action: 'PartiQLUpdate', tableName: 'Music' });
  assert.deepEqual(describeStatement(`DELETE FROM "Music" WHERE k = 1`), { action: 'PartiQLDelete', tableName: 'Music' });
  assert.deepEqual(describeStatement(`EXISTS(SELECT * FROM "Music" WHERE k = 1 AND a = 2)`), { action: 'PartiQLSelect', tableName: 'Music' });
  assert.equal(describeStatement(`SLECT * FROM "Music"`), undefined);
  assert.equal(describeStatement(`SELECT * FROM "Music"[0]`), undefined);
});
