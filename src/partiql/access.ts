// What a PartiQL statement touches, for IAM: its action and table (or index), the partition key
// values its WHERE pins (dynamodb:LeadingKeys: `key = v` or `key IN [...]` in the top-level AND
// chain; an INSERT's item), the top-level attributes it names (dynamodb:Attributes), and whether
// a SELECT projects (dynamodb:Select) or reads the whole table (no partition key pinned).
// Values that do not convert (a missing parameter) are left out: the statement fails later.
import type { AttributeValue } from '../model/attribute-value.js';
import type { Expr } from './ast.js';
import { attributeComparison, attributesOf, conjuncts, isBareAttribute } from './keys.js';
import { describeStatement, parseCached, type StatementAccess } from './statements.js';
import { structToItem, toAttributeValue } from './values.js';

export interface StatementKeys extends StatementAccess {
  partitionKeyValues: AttributeValue[];
  attributes: string[];
  /** A SELECT with a projection list (not `*`). */
  projected: boolean;
  /** A SELECT that pins no partition key value: a scan. */
  fullTableScan: boolean;
}

/** `partitionKeyOf(table, index)`: the partition key attribute of the table or index, if known. */
export function statementKeys(
  statement: string,
  parameters: readonly AttributeValue[],
  partitionKeyOf: (tableName: string, indexName: string | undefined) => string | undefined,
): StatementKeys | undefined {
  const access = describeStatement(statement);
  if (access === undefined) return undefined;
  const parsed = parseCached(statement).statement;
  const partitionKey = partitionKeyOf(access.tableName, access.indexName);
  const attributes = new Set<string>();
  const values: AttributeValue[] = [];
  let projected = false;
  const pinned = (where: Expr | undefined) => {
    attributesOf(where, attributes);
    if (partitionKey !== undefined) values.push(...pinnedValues(where, partitionKey, parameters));
  };
  switch (parsed.kind) {
    case 'select':
    case 'exists': {
      const select = parsed.kind === 'select' ? parsed : parsed.select;
      for (const item of select.projection) {
        if (item.kind === 'expr') {
          projected = true;
          attributesOf(item.expr, attributes);
        }
      }
      pinned(select.where);
      break;
    }
    case 'update':
      for (const action of parsed.actions) {
        attributesOf(action.target, attributes);
        if (action.kind === 'set') attributesOf(action.value, attributes);
      }
      pinned(parsed.where);
      break;
    case 'delete':
      pinned(parsed.where);
      break;
    case 'insert':
      if (parsed.value?.kind === 'struct') {
        const item = convert(() => structToItem(parsed.value as Extract<Expr, { kind: 'struct' }>, parameters));
        if (item !== undefined) {
          for (const name of Object.keys(item)) attributes.add(name);
          if (partitionKey !== undefined && item[partitionKey] !== undefined) values.push(item[partitionKey]!);
        }
      }
      break;
  }
  const isRead = access.action === 'PartiQLSelect';
  return { ...access, partitionKeyValues: values, attributes: [...attributes], projected, fullTableScan: isRead && values.length === 0 };
}

function pinnedValues(where: Expr | undefined, partitionKey: string, parameters: readonly AttributeValue[]): AttributeValue[] {
  const values: AttributeValue[] = [];
  for (const part of conjuncts(where)) {
    const comparison = attributeComparison(part);
    if (comparison !== undefined && comparison.op === '=' && comparison.name === partitionKey) {
      const value = convert(() => toAttributeValue(comparison.value, parameters));
      if (value !== undefined) values.push(value);
    } else if (part.kind === 'in' && !part.negated && isBareAttribute(part.operand) && part.operand.path.root === partitionKey && part.list.kind === 'list') {
      for (const item of part.list.items) {
        const value = convert(() => toAttributeValue(item, parameters));
        if (value !== undefined) values.push(value);
      }
    }
  }
  return values;
}

function convert<T>(work: () => T): T | undefined {
  try {
    return work();
  } catch {
    return undefined;
  }
}

/**
 * BatchExecuteStatement answers a statement the caller may not run with its own error (code
 * AccessDenied, BatchStatementErrorCodeEnum) while the others run. Authorization, which runs
 * before the operation, marks those statements on the request's input under this key.
 * unverified: that DynamoDB words the statement's message as the AccessDeniedException text.
 */
const deniedStatements = Symbol('deniedStatements');

export function denyStatement(input: Record<string, unknown>, index: number, error: unknown): void {
  const marked = input as { [deniedStatements]?: Map<number, unknown> };
  (marked[deniedStatements] ??= new Map()).set(index, error);
}

/** The refusal authorization recorded for statement `index`, if any. */
export function statementDenial(input: Record<string, unknown>, index: number): unknown {
  return (input as { [deniedStatements]?: Map<number, unknown> })[deniedStatements]?.get(index);
}
