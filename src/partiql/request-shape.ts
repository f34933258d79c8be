// The shape pass of the three PartiQL operations (botocore's constraints, listed in one
// "N validation errors detected" message, members in alphabetical order), and the checks every
// statement's parameters get: one per `?`, each a valid AttributeValue.
import type { AttributeValue } from '../model/attribute-value.js';
import {
  batchStatementsMax,
  partiqlNextTokenLengthMax,
  partiqlStatementLengthMax,
  transactStatementsMax,
} from '../model/limits.js';
import { checkAttributeValue } from '../model/values.js';
import { ConstraintErrors, optionalBoolean, optionalList, optionalLong, optionalString, optionalStructure, renderValue } from '../api/validate/common.js';
import { renderJava } from '../api/batch-write-item.js';
import { optionalEnum, returnConsumedCapacityValues, returnValuesOnConditionCheckFailureValues } from '../api/validate/request.js';
import { messages, semantic } from './messages.js';

/** One statement with its options, as the three operations carry it. */
export interface StatementRequest {
  statement: string;
  parameters: unknown[];
  consistent: boolean;
  returnValuesOnConditionCheckFailure: string | undefined;
}

export interface ExecuteStatementRequest extends StatementRequest {
  limit: number | undefined;
  nextToken: string | undefined;
  returnConsumedCapacity: string | undefined;
}

export function checkExecuteStatement(input: Record<string, unknown>): ExecuteStatementRequest {
  const errors = new ConstraintErrors();
  const consistent = optionalBoolean(input.ConsistentRead) === true;
  const limit = optionalLong(input.Limit);
  if (limit !== undefined) errors.minValue('limit', limit, 1);
  const nextToken = optionalString(input.NextToken);
  if (nextToken !== undefined) errors.length('nextToken', nextToken, 1, partiqlNextTokenLengthMax);
  const parameters = collectParameters(errors, input.Parameters, 'parameters');
  const returnConsumedCapacity = optionalString(input.ReturnConsumedCapacity);
  optionalEnum(errors, 'returnConsumedCapacity', returnConsumedCapacity, returnConsumedCapacityValues);
  const returnValuesOnConditionCheckFailure = optionalString(input.ReturnValuesOnConditionCheckFailure);
  optionalEnum(errors, 'returnValuesOnConditionCheckFailure', returnValuesOnConditionCheckFailure, returnValuesOnConditionCheckFailureValues);
  const statement = collectStatement(errors, input.Statement, 'statement');
  errors.throwIfAny();
  return { statement: statement!, parameters, consistent, limit, nextToken, returnConsumedCapacity, returnValuesOnConditionCheckFailure };
}

export function checkBatchExecuteStatement(input: Record<string, unknown>): { statements: StatementRequest[]; returnConsumedCapacity: string | undefined } {
  const errors = new ConstraintErrors();
  const returnConsumedCapacity = optionalString(input.ReturnConsumedCapacity);
  optionalEnum(errors, 'returnConsumedCapacity', returnConsumedCapacity, returnConsumedCapacityValues);
  const statements = collectStatementList(errors, input.Statements, 'statements', batchStatementsMax);
  errors.throwIfAny();
  return { statements: statements!, returnConsumedCapacity };
}

export function checkExecuteTransaction(input: Record<string, unknown>): {
  statements: StatementRequest[];
  clientRequestToken: string | undefined;
  returnConsumedCapacity: string | undefined;
} {
  const errors = new ConstraintErrors();
  const clientRequestToken = optionalString(input.ClientRequestToken);
  if (clientRequestToken !== undefined) errors.length('clientRequestToken', clientRequestToken, 1, 36);
  const returnConsumedCapacity = optionalString(input.ReturnConsumedCapacity);
  optionalEnum(errors, 'returnConsumedCapacity', returnConsumedCapacity, returnConsumedCapacityValues);
  const statements = collectStatementList(errors, input.TransactStatements, 'transactStatements', transactStatementsMax);
  errors.throwIfAny();
  return { statements: statements!, clientRequestToken, returnConsumedCapacity };
}

function collectStatement(errors: ConstraintErrors, value: unknown, path: string): string | undefined {
  const statement = optionalString(value);
  if (errors.notNull(path, statement)) errors.length(path, statement!, 1, partiqlStatementLengthMax);
  return statement;
}

function collectParameters(errors: ConstraintErrors, value: unknown, path: string): unknown[] {
  const parameters = optionalList(value);
  if (parameters === undefined) return [];
  errors.length(path, parameters, 1, undefined, renderValue(parameters));
  return parameters;
}

/** Statements / TransactStatements: the list's length, then each member's constraints in order. */
function collectStatementList(errors: ConstraintErrors, value: unknown, path: string, max: number): StatementRequest[] | undefined {
  const list = optionalList(value);
  if (!errors.notNull(path, list)) return undefined;
  // unverified: how DynamoDB prints the list in the message (Java's toString, as for TransactItems).
  errors.length(path, list!, 1, max, `'${renderJava(list)}'`);
  return list!.map((entry, i) => {
    const member = optionalStructure(entry) ?? {};
    const prefix = `${path}.${i + 1}.member`;
    const parameters = collectParameters(errors, member.Parameters, `${prefix}.parameters`);
    const returnValuesOnConditionCheckFailure = optionalString(member.ReturnValuesOnConditionCheckFailure);
    optionalEnum(errors, `${prefix}.returnValuesOnConditionCheckFailure`, returnValuesOnConditionCheckFailure, returnValuesOnConditionCheckFailureValues);
    const statement = collectStatement(errors, member.Statement, `${prefix}.statement`);
    return { statement: statement ?? '', parameters, consistent: optionalBoolean(member.ConsistentRead) === true, returnValuesOnConditionCheckFailure };
  });
}

/**
 * The statement's parameters, validated as AttributeValues (numbers normalized), one per `?`.
 * unverified: DynamoDB's text when there are more parameters than `?`; fewer is pinned by its
 * translator ("Number of parameters in request and statement don't match.").
 */
export function bindParameters(parameters: readonly unknown[], parameterCount: number): AttributeValue[] {
  if (parameters.length !== parameterCount) throw semantic(messages.parameterCount);
  return parameters.map((value) => checkAttributeValue(value));
}
