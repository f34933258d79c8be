// ExecuteStatement answers `SELECT a.b.c, d[1]` with the selected values at the top level,
// each under its last map key and the list indexes after it: {"c": ..., "d[1]": ...} (pinned:
// `SELECT mymap.nested` answers {"nested": ...}). The item has already been projected by the
// operation, so a projected list holds only the selected elements, in index order.
import type { AttributeValue, Item } from '../model/attribute-value.js';
import type { Path } from './ast.js';

interface ProjectionNode {
  fields: Map<string, ProjectionNode>;
  indexes: Map<number, ProjectionNode>;
}

function emptyNode(): ProjectionNode {
  return { fields: new Map(), indexes: new Map() };
}

export function projectionTree(paths: readonly Path[]): ProjectionNode {
  const root = emptyNode();
  for (const path of paths) {
    let node = root.fields.get(path.root) ?? emptyNode();
    root.fields.set(path.root, node);
    for (const step of path.steps) {
      const children: Map<string | number, ProjectionNode> = step.kind === 'field' ? node.fields : node.indexes;
      const key = step.kind === 'field' ? step.name : step.index;
      const next = children.get(key) ?? emptyNode();
      children.set(key, next);
      node = next;
    }
  }
  return root;
}

export function unnestItem(item: Item, tree: ProjectionNode): Item {
  const out: Item = {};
  collect({ M: item }, tree, '', out);
  return out;
}

function isLeaf(node: ProjectionNode): boolean {
  return node.fields.size === 0 && node.indexes.size === 0;
}

function collect(value: AttributeValue, node: ProjectionNode, parentName: string, out: Item): void {
  if ('L' in value) {
    // The projected list keeps the selected elements in index order: the i-th is the i-th smallest index.
    const indexes = [...node.indexes.keys()].sort((a, b) => a - b);
    indexes.forEach((index, position) => {
      const child = value.L[position];
      if (child !== undefined) place(child, node.indexes.get(index)!, `${parentName}[${index}]`, out);
    });
    return;
  }
  if ('M' in value) {
    for (const [name, childNode] of node.fields) {
      const child = value.M[name];
      if (child !== undefined) place(child, childNode, name, out);
    }
  }
}

function place(value: AttributeValue, node: ProjectionNode, name: string, out: Item): void {
  if (isLeaf(node)) out[name] = value;
  else collect(value, node, name, out);
}
