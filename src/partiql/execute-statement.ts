// ExecuteStatement: one PartiQL statement, translated to GetItem / Query / Scan (SELECT) or
// PutItem / UpdateItem / DeleteItem (INSERT / UPDATE / DELETE) and run through the operations
// table. A write answers Items: [] unless RETURNING asks for the item.
import { DynamoError, assert } from '../model/errors.js';
import type { Item } from '../model/attribute-value.js';
import { invoke, type Runtime } from './invoke.js';
import { duplicateItem, messages, semantic } from './messages.js';
import { bindParameters, checkExecuteStatement } from './request-shape.js';
import { SchemaReader } from './schema.js';
import { planSelect } from './select-plan.js';
import { runSelect } from './select-run.js';
import { parseCached } from './statements.js';
import { planDelete, planInsert, planUpdate, type WritePlan } from './write-plan.js';

export async function executeStatement(input: Record<string, unknown>, runtime: Runtime): Promise<unknown> {
  const request = checkExecuteStatement(input);
  const { statement, parameterCount } = parseCached(request.statement);
  if (statement.kind === 'exists') throw semantic(messages.existsOutsideTransaction);
  const parameters = bindParameters(request.parameters, parameterCount);
  const schemas = new SchemaReader(runtime.tables);
  if (statement.kind === 'select') {
    const plan = await planSelect(statement, parameters, schemas);
    return runSelect(plan, { ...request, parameters }, runtime);
  }
  const plan =
    statement.kind === 'insert'
      ? await planInsert(statement, parameters, schemas)
      : statement.kind === 'update'
        ? await planUpdate(statement, parameters, schemas)
        : await planDelete(statement, parameters, schemas);
  const options: Record<string, unknown> = {};
  if (request.returnConsumedCapacity !== undefined) options.ReturnConsumedCapacity = request.returnConsumedCapacity;
  if (request.returnValuesOnConditionCheckFailure !== undefined) options.ReturnValuesOnConditionCheckFailure = request.returnValuesOnConditionCheckFailure;
  const output = await runWrite(plan, options, runtime);
  const result: Record<string, unknown> = { Items: output.item === undefined ? [] : [output.item] };
  if (output.consumed !== undefined) result.ConsumedCapacity = output.consumed;
  return result;
}

/** Runs a planned write; `options` carries the request's capacity and condition-failure options. */
export async function runWrite(plan: WritePlan, options: Record<string, unknown>, runtime: Runtime): Promise<{ item?: Item; consumed?: unknown }> {
  assert(plan.kind !== 'check', 'EXISTS runs only inside a transaction');
  const input: Record<string, unknown> = { ...plan.input, ...options };
  if (plan.returnValues !== undefined) input.ReturnValues = plan.returnValues;
  const operation = plan.kind === 'insert' ? 'PutItem' : plan.kind === 'update' ? 'UpdateItem' : 'DeleteItem';
  let output: Record<string, unknown>;
  try {
    output = await invoke(runtime, operation, input);
  } catch (error) {
    // INSERT's condition is the key's absence: its failure is a duplicate, not a condition.
    if (plan.kind === 'insert' && error instanceof DynamoError && error.name === 'ConditionalCheckFailedException') throw duplicateItem();
    throw error;
  }
  const attributes = output.Attributes as Item | undefined;
  const result: { item?: Item; consumed?: unknown } = {};
  if (attributes !== undefined && Object.keys(attributes).length > 0) result.item = attributes;
  if (output.ConsumedCapacity !== undefined) result.consumed = output.ConsumedCapacity;
  return result;
}
