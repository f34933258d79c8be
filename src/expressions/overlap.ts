// Two paths written by one update, or kept by one projection, may not be the same, nor one
// inside the other ("overlap"), nor use one attribute both as a map and as a list
// ("conflict"). DynamoDB puts the paths in a tree and reports the first clash met walking it,
// newest branch first; the walk below reproduces which pair it names.
import type { DocumentPath } from './compiled.js';

interface TrieNode {
  children: Map<string, TrieNode>;
  /** Index of the first path that created this node. */
  born: number;
  /** Indexes of the paths that end here. */
  ends: number[];
  isIndex: boolean;
}

interface Entry {
  order: number;
  child: TrieNode | undefined;
}

export function formatPath(path: DocumentPath): string {
  let text = '[';
  for (let i = 0; i < path.length; i++) {
    if (i > 0) text += ', ';
    const element = path[i]!;
    text += typeof element === 'number' ? `[${element}]` : element;
  }
  return text + ']';
}

function entriesOf(node: TrieNode): Entry[] {
  const entries: Entry[] = [];
  for (const child of node.children.values()) entries.push({ order: child.born, child });
  for (const end of node.ends) entries.push({ order: end, child: undefined });
  // Newest first; a path ending here comes before a branch of the same age.
  entries.sort((a, b) => b.order - a.order || (a.child === undefined ? -1 : 1));
  return entries;
}

/** The path that a branch stands for: follow its newest entry down to where a path ends. */
function pathEndingIn(node: TrieNode): number {
  for (;;) {
    const first = entriesOf(node)[0]!;
    if (first.child === undefined) return first.order;
    node = first.child;
  }
}

/** Returns the message (without prefix) for the first clash, or undefined. */
export function findPathClash(paths: readonly DocumentPath[]): string | undefined {
  if (paths.length < 2) return undefined;
  const root: TrieNode = { children: new Map(), born: 0, ends: [], isIndex: false };
  paths.forEach((path, index) => {
    let node = root;
    for (const element of path) {
      // Index 3 and the name "[3]" are different steps.
      const key = typeof element === 'number' ? `\u0001${element}` : `\u0000${element}`;
      let child = node.children.get(key);
      if (child === undefined) {
        child = { children: new Map(), born: index, ends: [], isIndex: typeof element === 'number' };
        node.children.set(key, child);
      }
      node = child;
    }
    node.ends.push(index);
  });

  const clash = (what: string, x: number, y: number): string => {
    const one = Math.min(x, y);
    const two = Math.max(x, y);
    return (
      `Two document paths ${what} with each other; must remove or rewrite one of these paths; ` +
      `path one: ${formatPath(paths[one]!)}, path two: ${formatPath(paths[two]!)}`
    );
  };

  const visit = (node: TrieNode): string | undefined => {
    const entries = entriesOf(node);
    for (const entry of entries) {
      if (entry.child !== undefined) {
        const found = visit(entry.child);
        if (found !== undefined) return found;
      }
      for (const other of entries) {
        if (other === entry) continue;
        if (entry.child === undefined || other.child === undefined) {
          const a = entry.child === undefined ? entry.order : pathEndingIn(entry.child);
          const b = other.child === undefined ? other.order : pathEndingIn(other.child);
          return clash('overlap', a, b);
        }
        if (entry.child.isIndex !== other.child.isIndex) {
          return clash('conflict', pathEndingIn(other.child), pathEndingIn(entry.child));
        }
      }
    }
    return undefined;
  };
  return visit(root);
}
