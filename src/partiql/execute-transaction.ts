// ExecuteTransaction: up to 100 statements, all SELECTs (each naming one item by its full
// primary key: a TransactGetItems) or all writes (INSERT / UPDATE / DELETE and EXISTS
// condition checks: a TransactWriteItems, ClientRequestToken and all). A statement refused
// while translating fails the request as "Validation failed in TransactStatements[i]: ..."
// (pinned); a duplicate INSERT cancels the transaction with a DuplicateItem reason.
import { DynamoError } from '../model/errors.js';
import type { Item } from '../model/attribute-value.js';
import type { Statement } from './ast.js';
import { invoke, type Runtime } from './invoke.js';
import { messages, semantic } from './messages.js';
import { bindParameters, checkExecuteTransaction, type StatementRequest } from './request-shape.js';
import { Placeholders, renderPath } from './render.js';
import { SchemaReader } from './schema.js';
import { planKeyedSelect } from './select-plan.js';
import { parseCached } from './statements.js';
import { planDelete, planExists, planInsert, planUpdate, type WritePlan } from './write-plan.js';

export async function executeTransaction(input: Record<string, unknown>, runtime: Runtime): Promise<unknown> {
  const request = checkExecuteTransaction(input);
  const parsed = request.statements.map((member) => parseCached(member.statement));
  const reads = parsed[0]!.statement.kind === 'select';
  if (parsed.some(({ statement }) => (statement.kind === 'select') !== reads)) throw semantic(messages.transactionMixed);
  const schemas = new SchemaReader(runtime.tables);
  const capacity = request.returnConsumedCapacity === undefined ? {} : { ReturnConsumedCapacity: request.returnConsumedCapacity };

  if (reads) {
    const items: Record<string, unknown>[] = [];
    for (const [i, member] of request.statements.entries()) {
      const plan = await translating(i, async () => {
        const parameters = bindParameters(member.parameters, parsed[i]!.parameterCount);
        return planKeyedSelect(parsed[i]!.statement as Extract<Statement, { kind: 'select' }>, parameters, schemas, 'transaction');
      });
      const placeholders = new Placeholders([]);
      const get: Record<string, unknown> = { TableName: plan.tableName, Key: plan.key };
      if (plan.projection !== undefined) get.ProjectionExpression = plan.projection.map((path) => renderPath(path, placeholders)).join(', ');
      items.push({ Get: placeholders.attach(get) });
    }
    const output = await invoke(runtime, 'TransactGetItems', { TransactItems: items, ...capacity });
    const result: Record<string, unknown> = { Responses: output.Responses };
    if (output.ConsumedCapacity !== undefined) result.ConsumedCapacity = output.ConsumedCapacity;
    return result;
  }

  const plans: WritePlan[] = [];
  for (const [i, member] of request.statements.entries()) {
    plans.push(await translating(i, () => planWrite(parsed[i]!.statement, member, parsed[i]!.parameterCount, schemas)));
  }
  const items = plans.map((plan, i) => transactItem(plan, request.statements[i]!));
  const writeInput: Record<string, unknown> = { TransactItems: items, ...capacity };
  if (request.clientRequestToken !== undefined) writeInput.ClientRequestToken = request.clientRequestToken;
  let output: Record<string, unknown>;
  try {
    output = await invoke(runtime, 'TransactWriteItems', writeInput);
  } catch (error) {
    throw withDuplicateItems(error, plans);
  }
  const result: Record<string, unknown> = {};
  if (output.ConsumedCapacity !== undefined) result.ConsumedCapacity = output.ConsumedCapacity;
  return result;
}

async function planWrite(statement: Statement, member: StatementRequest, parameterCount: number, schemas: SchemaReader): Promise<WritePlan> {
  const parameters = bindParameters(member.parameters, parameterCount);
  let plan: WritePlan;
  switch (statement.kind) {
    case 'insert':
      plan = await planInsert(statement, parameters, schemas);
      break;
    case 'update':
      plan = await planUpdate(statement, parameters, schemas);
      break;
    case 'delete':
      plan = await planDelete(statement, parameters, schemas);
      break;
    case 'exists':
      plan = await planExists(statement, parameters, schemas);
      break;
    default:
      throw semantic(messages.transactionUnsupported);
  }
  if (plan.returnValues !== undefined) throw semantic(messages.transactionReturning);
  return plan;
}

/**
 * Runs the translation of statement `index`: its validation failures name the statement
 * (pinned for RETURNING and index reads; assumed for the others, e.g. a WHERE clause without
 * the full key, which DynamoDB Local reports as a cancellation instead). A missing table stays
 * a ResourceNotFoundException.
 */
async function translating<T>(index: number, translate: () => Promise<T>): Promise<T> {
  try {
    return await translate();
  } catch (error) {
    if (!(error instanceof DynamoError) || error.name !== 'ValidationException') throw error;
    throw semantic(messages.transactionStatement(index, error.message));
  }
}

function transactItem(plan: WritePlan, member: StatementRequest): Record<string, unknown> {
  const body: Record<string, unknown> = { ...plan.input };
  if (member.returnValuesOnConditionCheckFailure !== undefined) body.ReturnValuesOnConditionCheckFailure = member.returnValuesOnConditionCheckFailure;
  switch (plan.kind) {
    case 'insert':
      return { Put: body };
    case 'update':
      return { Update: body };
    case 'delete':
      return { Delete: body };
    case 'check':
      return { ConditionCheck: body };
  }
}

interface CancellationReason {
  Code: string;
  Message?: string;
  Item?: Item;
}

// unverified: the reason DynamoDB gives an INSERT whose key exists; DynamoDB Local reports
// it with this message, and the code follows BatchStatementErrorCodeEnum's DuplicateItem.
function withDuplicateItems(error: unknown, plans: readonly WritePlan[]): unknown {
  if (!(error instanceof DynamoError) || error.name !== 'TransactionCanceledException') return error;
  const reasons = (error.fields?.CancellationReasons ?? []) as CancellationReason[];
  const mapped = reasons.map((reason, i): CancellationReason => {
    if (plans[i]?.kind !== 'insert' || reason.Code !== 'ConditionalCheckFailed') return reason;
    return { Code: 'DuplicateItem', Message: messages.duplicateItem };
  });
  const codes = mapped.map((reason) => reason.Code).join(', ');
  return new DynamoError('TransactionCanceledException', `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`, {
    ...error.fields,
    CancellationReasons: mapped,
  });
}
