// Parse once per distinct statement text: a bounded cache of parsed statements (a statement
// DynamoDB refuses to parse is cached as its error), and describeStatement, which tells IAM
// what a statement does (dynamodb:PartiQLSelect / Insert / Update / Delete on which table or index).
import { DynamoError } from '../model/errors.js';
import type { ParsedStatement, Source, Statement } from './ast.js';
import { parseStatement } from './parser.js';

// Bound of the cache (entries). A statement is at most 8,192 characters, so the cache holds at
// most ~16 MB of text. (A limit local to this cache, like the expression cache's.)
export const statementCacheEntriesMax = 1000;

const cache = new Map<string, ParsedStatement | DynamoError>();

/** The parsed statement, or the ValidationException DynamoDB answers it with. */
export function parseCached(text: string): ParsedStatement {
  let entry = cache.get(text);
  if (entry === undefined) {
    try {
      entry = parseStatement(text);
    } catch (error) {
      if (!(error instanceof DynamoError)) throw error;
      entry = error;
    }
    if (cache.size >= statementCacheEntriesMax) cache.delete(cache.keys().next().value!);
    cache.set(text, entry);
  }
  if (entry instanceof DynamoError) throw new DynamoError(entry.name, entry.message);
  return entry;
}

export type PartiqlAction = 'PartiQLSelect' | 'PartiQLInsert' | 'PartiQLUpdate' | 'PartiQLDelete';

export interface StatementAccess {
  action: PartiqlAction;
  tableName: string;
  indexName?: string;
}

/**
 * What a statement does, for authorization: its IAM action and the table (or index) it names.
 * Undefined when the statement does not parse or names no table (it fails validation anyway).
 * EXISTS(SELECT ...) reads, so it is PartiQLSelect.
 */
export function describeStatement(statement: string): StatementAccess | undefined {
  let parsed: Statement;
  try {
    parsed = parseCached(statement).statement;
  } catch {
    return undefined;
  }
  switch (parsed.kind) {
    case 'select':
      return fromSource('PartiQLSelect', parsed.from);
    case 'exists':
      return fromSource('PartiQLSelect', parsed.select.from);
    case 'update':
      return fromSource('PartiQLUpdate', parsed.source);
    case 'delete':
      return fromSource('PartiQLDelete', parsed.source);
    case 'insert': {
      const target = parsed.target;
      return target.kind === 'path' && target.path.steps.length === 0 ? { action: 'PartiQLInsert', tableName: target.path.root } : undefined;
    }
  }
}

function fromSource(action: PartiqlAction, source: Source): StatementAccess | undefined {
  const expr = source.components;
  if (expr.kind !== 'path') return undefined;
  const [index, ...more] = expr.path.steps;
  if (more.length > 0 || (index !== undefined && index.kind !== 'field')) return undefined;
  return index === undefined ? { action, tableName: expr.path.root } : { action, tableName: expr.path.root, indexName: index.name };
}
