// UpdateItem: change attributes of one item (creating it if absent), optionally conditional.
import type { Item } from '../model/attribute-value.js';
import type { Database } from '../engine/database.js';
import { projectUpdatedPaths, type PreparedExpressions } from '../expressions/index.js';
import { planUpdate } from './write-planning.js';
import { addWriteMetrics, checkSingleWriteShape, runSingleWrite } from './single-write.js';

export async function updateItem(input: Record<string, unknown>, db: Database): Promise<unknown> {
  const tableName = checkSingleWriteShape(input, 'key');
  const { plan, expressions } = planUpdate(input, tableName, db);
  const outcome = await runSingleWrite(db, plan, input.ReturnValuesOnConditionCheckFailure);
  const result: Record<string, unknown> = {};
  const attributes = returnedAttributes(input.ReturnValues, outcome.prepared.before?.[1], outcome.prepared.after, expressions);
  if (attributes) result.Attributes = attributes;
  addWriteMetrics(result, input, db, outcome);
  return result;
}

function returnedAttributes(mode: unknown, before: Item | undefined, after: Item | undefined, expressions: PreparedExpressions): Item | undefined {
  const update = expressions.update;
  const paths = update ? update.actions.map((action) => action.path) : [];
  switch (mode) {
    case 'ALL_OLD':
      return before;
    case 'ALL_NEW':
      return after;
    case 'UPDATED_OLD':
      return before && update ? nonEmpty(projectUpdatedPaths(before, paths)) : undefined;
    case 'UPDATED_NEW':
      return after && update ? nonEmpty(projectUpdatedPaths(after, paths)) : undefined;
    default:
      return undefined;
  }
}

function nonEmpty(item: Item): Item | undefined {
  return Object.keys(item).length ? item : undefined;
}
