// DeleteItem: remove one item by its primary key, optionally conditional.
import type { Database } from '../engine/database.js';
import { DynamoError } from '../model/errors.js';
import { ConstraintErrors, collectTableNameErrors } from './validate/common.js';
import { checkWriteEnums } from './validate/request.js';
import { planKeyed } from './write-planning.js';
import { addWriteMetrics, runSingleWrite } from './single-write.js';

export async function deleteItem(input: Record<string, unknown>, db: Database): Promise<unknown> {
  const errors = new ConstraintErrors();
  const tableName = collectTableNameErrors(errors, input.TableName) as string;
  errors.notNull('key', input.Key);
  checkWriteEnums(errors, input);
  errors.throwIfAny();
  if (input.ReturnValues !== undefined && input.ReturnValues !== 'NONE' && input.ReturnValues !== 'ALL_OLD') {
    throw new DynamoError('ValidationException', 'ReturnValues can only be ALL_OLD or NONE');
  }
  const { plan } = planKeyed(input, tableName, db, 'delete');
  const outcome = await runSingleWrite(db, plan, input.ReturnValuesOnConditionCheckFailure);
  const result: Record<string, unknown> = {};
  const before = outcome.prepared.before;
  if (input.ReturnValues === 'ALL_OLD' && before) result.Attributes = before[1];
  addWriteMetrics(result, input, db, outcome);
  return result;
}
