// The compiled (bound) forms the rest of the server runs: every #name resolved to its
// attribute name, every :value replaced by its AttributeValue. Plain data; never mutated.
import type { AttributeType, AttributeValue } from '../model/attribute-value.js';
import type { Comparator } from './ast.js';

/** One step of a document path: an attribute/map key name, or a list index. */
export type PathElement = string | number;
export type DocumentPath = readonly PathElement[];

export type Operand =
  | { kind: 'path'; path: DocumentPath }
  | { kind: 'value'; value: AttributeValue }
  | { kind: 'size'; operand: Operand };

export type Condition =
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; operand: Condition }
  | { kind: 'compare'; op: Comparator; left: Operand; right: Operand }
  | { kind: 'between'; operand: Operand; low: Operand; high: Operand }
  | { kind: 'in'; operand: Operand; list: Operand[] }
  | { kind: 'exists' | 'notExists'; path: DocumentPath }
  | { kind: 'type'; operand: Operand; type: AttributeType }
  | { kind: 'beginsWith' | 'contains'; left: Operand; right: Operand }
  // Legacy (Expected / QueryFilter / ScanFilter) comparisons whose semantics differ.
  | { kind: 'legacy'; op: LegacyOperator; path: DocumentPath; values: AttributeValue[] }
  | { kind: 'true' };

export type LegacyOperator =
  | 'EQ' | 'NE' | 'LE' | 'LT' | 'GE' | 'GT' | 'NOT_NULL' | 'NULL' | 'CONTAINS' | 'NOT_CONTAINS'
  | 'BEGINS_WITH' | 'IN' | 'BETWEEN';

export interface CompiledCondition {
  root: Condition;
  /** Top-level attribute names the condition reads (for dynamodb:Attributes). */
  attributeNames: string[];
}

export type UpdateOperand =
  | { kind: 'path'; path: DocumentPath }
  | { kind: 'value'; value: AttributeValue }
  | { kind: 'ifNotExists'; path: DocumentPath; fallback: UpdateOperand }
  | { kind: 'listAppend'; left: UpdateOperand; right: UpdateOperand };

export type UpdateValue = UpdateOperand | { kind: 'plus' | 'minus'; left: UpdateOperand; right: UpdateOperand };

export type UpdateAction =
  | { kind: 'SET'; clause: number; path: DocumentPath; value: UpdateValue }
  | { kind: 'REMOVE'; clause: number; path: DocumentPath }
  | { kind: 'ADD' | 'DELETE'; clause: number; path: DocumentPath; value: AttributeValue }
  // Legacy AttributeUpdates: DELETE without a value removes the attribute; ADD of a list appends.
  | { kind: 'LEGACY_ADD' | 'LEGACY_DELETE'; clause: number; path: DocumentPath; value: AttributeValue };

export interface CompiledUpdate {
  actions: UpdateAction[];
  /** Number of clauses (SET/REMOVE/ADD/DELETE sections) in written order. */
  clauseCount: number;
  /** Top-level attribute names the update writes. */
  attributesWritten: string[];
  /** Top-level attribute names the update reads (SET operands). */
  attributesRead: string[];
}

export interface CompiledProjection {
  paths: DocumentPath[];
  attributeNames: string[];
}

export type KeyOperator = 'EQ' | 'LT' | 'LE' | 'GT' | 'GE' | 'BETWEEN' | 'BEGINS_WITH';

/** One key condition, normalized so the attribute is on the left. */
export interface KeyConditionPart {
  attributeName: string;
  op: KeyOperator;
  values: AttributeValue[];
}

export interface CompiledKeyCondition {
  parts: KeyConditionPart[];
  attributeNames: string[];
  /** Legacy KeyConditions: operators that are not indexable are reported at analysis. */
  legacyOperators?: Record<string, string>;
}
