// BatchExecuteStatement: up to 25 statements, all reads (SELECTs naming one item each by its
// full primary key, run as GetItems) or all writes (INSERT / UPDATE / DELETE, each run as its
// single-item write). The batch answers 200 with one response per statement: the item it read
// or returned, or its error (BatchStatementError). TableName is echoed by a statement that
// reached its table (pinned: present on a conditional failure or a duplicate insert, absent on
// a statement refused before it ran).
import { DynamoError } from '../model/errors.js';
import type { Item } from '../model/attribute-value.js';
import type { ParsedStatement } from './ast.js';
import { CapacityTotals } from './capacity.js';
import { runWrite } from './execute-statement.js';
import { batchStatementError, invoke, type Runtime } from './invoke.js';
import { statementDenial } from './access.js';
import { messages, semantic } from './messages.js';
import { bindParameters, checkBatchExecuteStatement, type StatementRequest } from './request-shape.js';
import { SchemaReader } from './schema.js';
import { planKeyedSelect } from './select-plan.js';
import { Placeholders, renderPath } from './render.js';
import { parseCached } from './statements.js';
import { keyIdentity, planDelete, planInsert, planUpdate } from './write-plan.js';

type Response = Record<string, unknown>;

interface Member {
  request: StatementRequest;
  parsed?: ParsedStatement;
  /** The statement's response once decided (an error, or its result). */
  response?: Response;
}

export async function batchExecuteStatement(input: Record<string, unknown>, runtime: Runtime): Promise<unknown> {
  const { statements, returnConsumedCapacity } = checkBatchExecuteStatement(input);
  const members: Member[] = statements.map((request) => ({ request }));
  // Parse every statement; one that fails to parse, or that the caller may not run, fails alone.
  for (const [index, member] of members.entries()) {
    const denial = statementDenial(input, index);
    if (denial !== undefined) {
      member.response = errorResponse(denial);
      continue;
    }
    try {
      member.parsed = parseCached(member.request.statement);
      if (member.parsed.statement.kind === 'exists') throw semantic(messages.existsOutsideTransaction);
    } catch (error) {
      member.parsed = undefined;
      member.response = errorResponse(error);
    }
  }
  const parsed = members.filter((member) => member.parsed !== undefined);
  const reads = parsed.length > 0 && parsed[0]!.parsed!.statement.kind === 'select';
  if (parsed.some((member) => (member.parsed!.statement.kind === 'select') !== reads)) throw semantic(messages.batchMixed);

  const schemas = new SchemaReader(runtime.tables);
  const totals = new CapacityTotals();
  if (reads) await runReads(parsed, schemas, totals, runtime);
  else await runWrites(parsed, schemas, totals, runtime);

  const result: Record<string, unknown> = { Responses: members.map((member) => member.response!) };
  const consumed = totals.list(returnConsumedCapacity);
  if (consumed !== undefined) result.ConsumedCapacity = consumed;
  return result;
}

type Planned<P> = { member: Member; plan: P };

async function runReads(members: Member[], schemas: SchemaReader, totals: CapacityTotals, runtime: Runtime): Promise<void> {
  const planned: Planned<Awaited<ReturnType<typeof planKeyedSelect>>>[] = [];
  for (const member of members) {
    try {
      const parameters = bindParameters(member.request.parameters, member.parsed!.parameterCount);
      const plan = await planKeyedSelect(member.parsed!.statement as Extract<ParsedStatement['statement'], { kind: 'select' }>, parameters, schemas, 'batch');
      planned.push({ member, plan });
    } catch (error) {
      member.response = errorResponse(error);
    }
  }
  refuseDuplicates(planned.map((entry) => entry.plan));
  for (const { member, plan } of planned) {
    const placeholders = new Placeholders([]);
    const getInput: Record<string, unknown> = { TableName: plan.tableName, Key: plan.key, ReturnConsumedCapacity: 'INDEXES' };
    if (plan.projection !== undefined) getInput.ProjectionExpression = plan.projection.map((path) => renderPath(path, placeholders)).join(', ');
    if (member.request.consistent) getInput.ConsistentRead = true;
    try {
      const output = await invoke(runtime, 'GetItem', placeholders.attach(getInput));
      totals.add(output.ConsumedCapacity);
      member.response = withItem({ TableName: plan.tableName }, output.Item as Item | undefined);
    } catch (error) {
      member.response = errorResponse(error);
    }
  }
}

async function runWrites(members: Member[], schemas: SchemaReader, totals: CapacityTotals, runtime: Runtime): Promise<void> {
  const planned: Planned<Awaited<ReturnType<typeof planInsert>>>[] = [];
  for (const member of members) {
    try {
      const parameters = bindParameters(member.request.parameters, member.parsed!.parameterCount);
      const statement = member.parsed!.statement;
      const plan =
        statement.kind === 'insert'
          ? await planInsert(statement, parameters, schemas)
          : statement.kind === 'update'
            ? await planUpdate(statement, parameters, schemas)
            : await planDelete(statement as Extract<typeof statement, { kind: 'delete' }>, parameters, schemas);
      planned.push({ member, plan });
    } catch (error) {
      member.response = errorResponse(error);
    }
  }
  refuseDuplicates(planned.map((entry) => entry.plan));
  // ReturnValuesOnConditionCheckFailure is inert on a batch member (pinned: no Item either way).
  for (const { member, plan } of planned) {
    try {
      const output = await runWrite(plan, { ReturnConsumedCapacity: 'INDEXES' }, runtime);
      totals.add(output.consumed);
      member.response = withItem({ TableName: plan.tableName }, output.item);
    } catch (error) {
      member.response = errorResponse(error, plan.tableName);
    }
  }
}

/** Two statements of one batch on one item refuse the whole batch. */
function refuseDuplicates(plans: { tableName: string; key: Item }[]): void {
  const seen = new Set<string>();
  for (const plan of plans) {
    const identity = keyIdentity(plan);
    if (seen.has(identity)) throw semantic(messages.duplicateBatchKeys);
    seen.add(identity);
  }
}

function withItem(response: Response, item: Item | undefined): Response {
  if (item !== undefined) response.Item = item;
  return response;
}

/** A statement's error as its response; an error that is not the client's fails the request. */
function errorResponse(error: unknown, tableName?: string): Response {
  const statementError = batchStatementError(error);
  if (statementError === undefined) throw error;
  const response: Response = { Error: statementError };
  if (tableName !== undefined && !(error instanceof DynamoError && error.name === 'ResourceNotFoundException')) response.TableName = tableName;
  return response;
}
