// Parse once per distinct expression text: a bounded cache of parsed expressions, including
// the outcome of the checks that depend on the text alone (a failure is cached as its message).
import { expressionBytesMax } from '../model/limits.js';
import type { ConditionNode, PathNode, UpdateNode } from './ast.js';
import { ParseFailure, parseCondition, parseProjection, parseUpdate } from './parser.js';
import { checkConditionStatic, checkProjectionStatic, checkUpdateStatic, StaticFailure } from './static-check.js';

// Bound of the cache (entries). Each key is at most expressionBytesMax characters, so the
// cache holds at most ~80 MB of text in the worst case. (A limit local to this cache.)
export const expressionCacheEntriesMax = 10_000;

export type Grammar = 'condition' | 'update' | 'projection';

export type Parsed<T> = { ok: true; node: T } | { ok: false; message: string };

interface Nodes {
  condition: ConditionNode;
  update: UpdateNode;
  projection: PathNode[];
}

const cache = new Map<string, Parsed<unknown>>();
const grammarTags: Record<Grammar, string> = { condition: 'c', update: 'u', projection: 'p' };

function sizeFailure(text: string): Parsed<never> | undefined {
  // A UTF-16 code unit is at most 3 UTF-8 bytes: short texts need no count.
  const bytes = text.length * 3 > expressionBytesMax ? Buffer.byteLength(text) : text.length;
  if (bytes <= expressionBytesMax) return undefined;
  return { ok: false, message: `Expression size has exceeded the maximum allowed size; expression size: ${bytes}` };
}

function parseFresh<G extends Grammar>(grammar: G, text: string): Parsed<Nodes[G]> {
  try {
    switch (grammar) {
      case 'condition': {
        const node = parseCondition(text);
        checkConditionStatic(node);
        return { ok: true, node: node as Nodes[G] };
      }
      case 'update': {
        const node = parseUpdate(text);
        checkUpdateStatic(node);
        return { ok: true, node: node as Nodes[G] };
      }
      default: {
        const node = parseProjection(text);
        checkProjectionStatic(node);
        return { ok: true, node: node as Nodes[G] };
      }
    }
  } catch (error) {
    if (error instanceof ParseFailure || error instanceof StaticFailure) return { ok: false, message: error.message };
    throw error;
  }
}

/** The parsed expression (or its failure message, without the "Invalid X: " prefix). */
export function parseCached<G extends Grammar>(grammar: G, text: string): Parsed<Nodes[G]> {
  const tooLarge = sizeFailure(text);
  if (tooLarge !== undefined) return tooLarge; // never cached: the key would be large
  const key = grammarTags[grammar] + text;
  const hit = cache.get(key);
  if (hit !== undefined) return hit as Parsed<Nodes[G]>;
  const parsed = parseFresh(grammar, text);
  if (cache.size >= expressionCacheEntriesMax) cache.delete(cache.keys().next().value as string); // oldest first
  cache.set(key, parsed);
  return parsed;
}

/** For tests and benchmarks. */
export function expressionCacheSize(): number {
  return cache.size;
}
