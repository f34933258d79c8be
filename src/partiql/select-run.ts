// Running a planned SELECT for ExecuteStatement: one GetItem, one Scan page, or Query pages
// across the statement's partitions (an IN list reads each partition in turn). Limit counts
// the items evaluated over all of them; a page stops at 1 MB read, as a Query page does, and
// NextToken resumes where it stopped. Capacity is the sum of every operation's.
import type { AttributeValue, Item } from '../model/attribute-value.js';
import { pageBytesMax, readUnitBytes } from '../model/limits.js';
import { CapacityTotals } from './capacity.js';
import { evaluateCondition, prepareExpressions, projectItem } from '../expressions/index.js';
import { invoke, presentError, type Runtime } from './invoke.js';
import { messages, semantic } from './messages.js';
import { decodeNextToken, encodeNextToken, requestFingerprint, type PagePosition } from './next-token.js';
import { Placeholders, renderCondition, renderPath } from './render.js';
import type { SelectPlan, SortCondition } from './select-plan.js';
import { projectionTree, unnestItem } from './unnest.js';

export interface SelectRequest {
  statement: string;
  parameters: readonly AttributeValue[];
  consistent: boolean;
  limit: number | undefined;
  nextToken: string | undefined;
  returnConsumedCapacity: unknown;
}

export async function runSelect(plan: SelectPlan, request: SelectRequest, runtime: Runtime): Promise<Record<string, unknown>> {
  if (plan.globalIndex && request.consistent) throw semantic(messages.consistentOnGlobalIndex);
  const fingerprint = requestFingerprint(request.statement, request.parameters);
  const position: PagePosition = request.nextToken === undefined ? { part: 0 } : decodeNextToken(request.nextToken, fingerprint);
  if (position.part >= (plan.kind === 'query' ? plan.partitions.length : 1)) throw semantic(messages.invalidNextToken);
  const totals = new CapacityTotals();
  const page = plan.kind === 'get' ? await getItem(plan, request, totals, runtime) : await readPages(plan, position, request, totals, runtime);
  const tree = plan.projection === undefined ? undefined : projectionTree(plan.projection);
  const result: Record<string, unknown> = { Items: tree === undefined ? page.items : page.items.map((item) => unnestItem(item, tree)) };
  if (page.next !== undefined) result.NextToken = encodeNextToken(fingerprint, page.next);
  if (page.lastKey !== undefined) result.LastEvaluatedKey = page.lastKey;
  const consumed = totals.single(request.returnConsumedCapacity, plan.tableName);
  if (consumed !== undefined) result.ConsumedCapacity = consumed;
  return result;
}

interface Page {
  items: Item[];
  /** Where the next page starts, when there is one. */
  next?: PagePosition;
  lastKey?: Item;
}

async function getItem(plan: Extract<SelectPlan, { kind: 'get' }>, request: SelectRequest, totals: CapacityTotals, runtime: Runtime): Promise<Page> {
  const placeholders = new Placeholders(request.parameters);
  const input: Record<string, unknown> = { TableName: plan.tableName, Key: plan.key, ReturnConsumedCapacity: 'INDEXES' };
  if (plan.projection !== undefined) input.ProjectionExpression = plan.projection.map((path) => renderPath(path, placeholders)).join(', ');
  if (request.consistent) input.ConsistentRead = true;
  const output = await invoke(runtime, 'GetItem', placeholders.attach(input));
  totals.add(output.ConsumedCapacity);
  return { items: output.Item === undefined ? [] : [output.Item as Item] };
}

/** Query or Scan pages from `position` until Limit items were evaluated, 1 MB was read, or the reads end. */
async function readPages(
  plan: Extract<SelectPlan, { kind: 'query' | 'scan' }>,
  position: PagePosition,
  request: SelectRequest,
  totals: CapacityTotals,
  runtime: Runtime,
): Promise<Page> {
  const parts = plan.kind === 'query' ? plan.partitions.length : 1;
  const filterHere = plan.kind === 'scan' && plan.filterHere ? compileFilterHere(plan, request) : undefined;
  const page: Page = { items: [] };
  let remaining = request.limit;
  let bytesRead = 0;
  let { part, startKey } = position;
  while (part < parts) {
    const input = readInput(plan, part, request, startKey, remaining, filterHere === undefined);
    const output = await invoke(runtime, plan.kind === 'query' ? 'Query' : 'Scan', input);
    const items = (output.Items as Item[] | undefined) ?? [];
    page.items.push(...(filterHere === undefined ? items : filterHere(items)));
    totals.add(output.ConsumedCapacity);
    bytesRead += bytesOf(output.ConsumedCapacity, request.consistent);
    if (remaining !== undefined) remaining -= (output.ScannedCount as number | undefined) ?? 0;
    if (output.LastEvaluatedKey !== undefined) {
      page.lastKey = output.LastEvaluatedKey as Item;
      page.next = { part, startKey: page.lastKey };
      break;
    }
    part++;
    startKey = undefined;
    if (part < parts && ((remaining !== undefined && remaining <= 0) || bytesRead >= pageBytesMax)) {
      page.next = { part };
      break;
    }
  }
  if (plan.kind === 'scan' && plan.reverse) page.items.reverse();
  return page;
}

/** The Query (for partition `part`) or Scan input of one page. */
function readInput(
  plan: Extract<SelectPlan, { kind: 'query' | 'scan' }>,
  part: number,
  request: SelectRequest,
  startKey: Item | undefined,
  limit: number | undefined,
  filterAndProject = true,
): Record<string, unknown> {
  const placeholders = new Placeholders(request.parameters);
  const input: Record<string, unknown> = { TableName: plan.tableName, ReturnConsumedCapacity: 'INDEXES' };
  if (plan.indexName !== undefined) input.IndexName = plan.indexName;
  if (plan.kind === 'query') {
    const partition = plan.partitions[part]!;
    const conditions = plan.hashNames.map((name, i) => `${placeholders.name(name)} = ${placeholders.value(partition[i]!)}`);
    for (const condition of plan.sort) conditions.push(renderSortCondition(condition, placeholders));
    input.KeyConditionExpression = conditions.join(' AND ');
    if (!plan.forward) input.ScanIndexForward = false;
  }
  if (filterAndProject) {
    if (plan.filter !== undefined) input.FilterExpression = renderCondition(plan.filter, placeholders);
    if (plan.projection !== undefined) input.ProjectionExpression = plan.projection.map((path) => renderPath(path, placeholders)).join(', ');
  }
  if (request.consistent) input.ConsistentRead = true;
  if (limit !== undefined) input.Limit = limit;
  if (startKey !== undefined) input.ExclusiveStartKey = startKey;
  return placeholders.attach(input);
}

/** The scan's filter (and projection) applied to the index entries the Scan returns. */
function compileFilterHere(plan: Extract<SelectPlan, { kind: 'scan' }>, request: SelectRequest): (items: Item[]) => Item[] {
  const placeholders = new Placeholders(request.parameters);
  const input: Record<string, unknown> = { FilterExpression: renderCondition(plan.filter!, placeholders) };
  if (plan.projection !== undefined) input.ProjectionExpression = plan.projection.map((path) => renderPath(path, placeholders)).join(', ');
  let prepared;
  try {
    prepared = prepareExpressions(placeholders.attach(input));
  } catch (error) {
    throw presentError(error);
  }
  return (items) =>
    items
      .filter((item) => evaluateCondition(prepared.filter!, item))
      .map((item) => (prepared.projection === undefined ? item : projectItem(item, prepared.projection)));
}

function renderSortCondition(condition: SortCondition, placeholders: Placeholders): string {
  const name = placeholders.name(condition.name);
  const [first, second] = condition.values.map((value) => placeholders.value(value));
  switch (condition.op) {
    case 'BETWEEN':
      return `${name} BETWEEN ${first} AND ${second}`;
    case 'begins_with':
      return `begins_with(${name}, ${first})`;
    default:
      return `${name} ${condition.op} ${first}`;
  }
}

/** Bytes a read consumed, from its read units (4 KB each, 8 KB when eventually consistent). */
function bytesOf(consumed: unknown, consistent: boolean): number {
  const units = (consumed as { CapacityUnits?: number } | undefined)?.CapacityUnits ?? 0;
  return units * readUnitBytes * (consistent ? 1 : 2);
}
