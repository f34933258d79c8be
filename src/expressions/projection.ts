// Projection: keeps only the requested document paths of an item, the way DynamoDB returns
// them: maps keep the requested keys that exist, lists keep the requested elements that exist
// (in index order, compacted), and a container with nothing left is dropped.
import type { AttributeValue, Item } from '../model/attribute-value.js';
import type { DocumentPath, PathElement } from './compiled.js';

type Tree = Map<PathElement, Tree | true>;

const trees = new WeakMap<readonly DocumentPath[], Tree>();

function treeOf(paths: readonly DocumentPath[]): Tree {
  let tree = trees.get(paths);
  if (tree !== undefined) return tree;
  tree = new Map();
  for (const path of paths) {
    let node = tree;
    for (let i = 0; i < path.length; i++) {
      const element = path[i]!;
      if (i === path.length - 1) {
        node.set(element, true);
        break;
      }
      let child = node.get(element);
      if (child === true) break; // an enclosing path keeps all of it already
      if (child === undefined) node.set(element, (child = new Map()));
      node = child;
    }
  }
  trees.set(paths, tree);
  return tree;
}

function copy(value: AttributeValue, tree: Tree | true): AttributeValue | undefined {
  if (tree === true) return value; // values are immutable: share
  if ('M' in value) {
    const map: Item = {};
    let kept = false;
    for (const [key, subtree] of tree) {
      if (typeof key !== 'string') continue;
      const member = value.M[key];
      if (member === undefined) continue;
      const projected = copy(member, subtree);
      if (projected !== undefined) {
        map[key] = projected;
        kept = true;
      }
    }
    return kept ? { M: map } : undefined;
  }
  if ('L' in value) {
    const indexes: number[] = [];
    for (const key of tree.keys()) if (typeof key === 'number' && key < value.L.length) indexes.push(key);
    indexes.sort((a, b) => a - b);
    const list: AttributeValue[] = [];
    for (const index of indexes) {
      const projected = copy(value.L[index]!, tree.get(index)!);
      if (projected !== undefined) list.push(projected);
    }
    return list.length > 0 ? { L: list } : undefined;
  }
  return undefined;
}

/** The item reduced to the given paths. The same `paths` array is cheap to reuse. */
export function projectPaths(item: Item, paths: readonly DocumentPath[]): Item {
  const tree = treeOf(paths);
  const result: Item = {};
  for (const [name, subtree] of tree) {
    const value = item[name as string];
    if (value === undefined) continue;
    const projected = copy(value, subtree);
    if (projected !== undefined) result[name as string] = projected;
  }
  return result;
}
