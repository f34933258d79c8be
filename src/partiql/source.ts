// The table (and index) a statement names. SELECT and EXISTS read `"table"` or
// `"table"."index"`; UPDATE and DELETE name one table ("not supported on an index"); INSERT's
// target must be a bare table name. Checks in DynamoDB's order (TableNameExtractorBase).
import type { Expr, Source } from './ast.js';
import { messages, semantic } from './messages.js';

const tableNamePattern = /^[a-zA-Z0-9_.-]{3,255}$/;

/** The FROM components: [table] or [table, index]. */
export function sourceComponents(source: Source): string[] {
  if (source.aliased) throw semantic(messages.aliasing);
  const expr = source.components;
  if (expr.kind !== 'path') throw semantic(messages.unexpectedSource);
  const path = expr.path;
  if (path.root === '' || path.steps.some((step) => step.kind === 'field' && step.name === '')) throw semantic(messages.emptyPathComponent);
  if (path.steps.length > 1) throw semantic(messages.fromPathTooLong);
  const names = [path.root];
  for (const step of path.steps) {
    if (step.kind !== 'field') throw semantic(messages.listInSource);
    names.push(step.name);
  }
  for (const name of names) if (!tableNamePattern.test(name)) throw semantic(messages.tableName);
  return names;
}

/** UPDATE / DELETE: a table, never an index. */
export function writeTable(source: Source): string {
  const names = sourceComponents(source);
  if (names.length > 1) throw semantic(messages.notOnIndex);
  return names[0]!;
}

/** INSERT INTO <name>: a bare (or quoted) table name, nothing more. */
export function insertTable(target: Expr): string {
  if (target.kind !== 'path' || target.path.steps.length > 0) throw semantic(messages.dmlTarget);
  return target.path.root;
}
