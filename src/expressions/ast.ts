// The parsed (unbound) form of an expression: what the text says, before #names and :values
// are looked up. Cached per distinct expression text, so it must never be mutated.

export interface NamePart {
  kind: 'name';
  /** As written: the attribute name, or the #placeholder. */
  text: string;
  placeholder: boolean;
}

export interface IndexPart {
  kind: 'index';
  /** Digits as written (may exceed the allowed range; checked after parsing). */
  text: string;
}

export type PathPart = NamePart | IndexPart;

export interface PathNode {
  k: 'path';
  parts: PathPart[];
}

export interface ValueNode {
  k: 'value';
  /** The :placeholder. */
  name: string;
}

export interface CallNode {
  k: 'call';
  name: string;
  args: OperandNode[];
}

export interface ParenNode<T> {
  k: 'paren';
  inner: T;
}

export interface ArithNode {
  k: 'arith';
  op: '+' | '-';
  left: OperandNode;
  right: OperandNode;
}

export type OperandNode = PathNode | ValueNode | CallNode | ParenNode<OperandNode>;

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type ConditionNode =
  | { k: 'or' | 'and'; left: ConditionNode; right: ConditionNode }
  | { k: 'not'; operand: ConditionNode }
  | ParenNode<ConditionNode>
  | { k: 'compare'; op: Comparator; left: OperandNode; right: OperandNode }
  | { k: 'between'; operand: OperandNode; low: OperandNode; high: OperandNode }
  | { k: 'in'; operand: OperandNode; list: OperandNode[] }
  | CallNode;

export type SetValueNode = OperandNode | ArithNode | ParenNode<ArithNode>;

export type UpdateSection = 'SET' | 'REMOVE' | 'ADD' | 'DELETE';

export type UpdateActionNode =
  | { section: 'SET'; path: PathNode; value: SetValueNode }
  | { section: 'REMOVE'; path: PathNode }
  | { section: 'ADD' | 'DELETE'; path: PathNode; value: ValueNode };

export interface UpdateClause {
  section: UpdateSection;
  actions: UpdateActionNode[];
}

export interface UpdateNode {
  clauses: UpdateClause[];
}

/** Strips parentheses. */
export function unwrap<T extends { k: string }>(node: T | ParenNode<T>): T {
  let current: T | ParenNode<T> = node;
  while (current.k === 'paren') current = (current as ParenNode<T>).inner;
  return current as T;
}
