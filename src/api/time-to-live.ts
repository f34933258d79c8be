// UpdateTimeToLive / DescribeTimeToLive.
import type { Database } from '../engine/database.js';
import { DynamoError } from '../model/errors.js';
import { buildExpiryIndex, retargetExpiryIndex } from '../engine/expiry-index.js';
import { ConstraintErrors, collectTableNameErrors, serializationError } from './validate/common.js';

const attributeNameLengthMax = 255;

export async function updateTimeToLive(input: Record<string, unknown>, db: Database): Promise<unknown> {
  const errors = new ConstraintErrors();
  const tableName = collectTableNameErrors(errors, input.TableName) as string;
  const specification = input.TimeToLiveSpecification as Record<string, unknown> | undefined;
  if (errors.notNull('timeToLiveSpecification', specification) && specification) {
    const { AttributeName: name, Enabled: enabled } = specification;
    if (name !== undefined && typeof name !== 'string') throw serializationError(name, 'string');
    if (enabled !== undefined && typeof enabled !== 'boolean') throw serializationError(enabled, 'boolean');
    if (errors.notNull('timeToLiveSpecification.attributeName', name)) {
      errors.length('timeToLiveSpecification.attributeName', name as string, 1, attributeNameLengthMax);
    }
    errors.notNull('timeToLiveSpecification.enabled', enabled);
  }
  errors.throwIfAny();
  const attributeName = specification!.AttributeName as string;
  const enabled = specification!.Enabled as boolean;
  const table = db.catalog.get(tableName);
  const current = table.timeToLive;
  if (enabled) {
    if (current?.Enabled && current.AttributeName === attributeName) {
      throw new DynamoError('ValidationException', 'TimeToLive is already enabled');
    }
    if (current?.Enabled) {
      throw new DynamoError('ValidationException', `TimeToLive is active on a different AttributeName: current AttributeName is ${current.AttributeName}`);
    }
  } else {
    if (!current?.Enabled) throw new DynamoError('ValidationException', 'TimeToLive is already disabled');
    if (current.AttributeName !== attributeName) {
      throw new DynamoError('ValidationException', `TimeToLive is active on a different AttributeName: current AttributeName is ${current.AttributeName}`);
    }
  }
  retargetExpiryIndex(table, attributeName, enabled);
  await db.catalog.save(table);
  if (!table.timeToLive!.expiryIndex!.complete) {
    db.runInBackground(`indexing expiry times of ${tableName}`, () => buildExpiryIndex(db, table));
  }
  return { TimeToLiveSpecification: { AttributeName: attributeName, Enabled: enabled } };
}

export function describeTimeToLive(input: Record<string, unknown>, db: Database): unknown {
  const errors = new ConstraintErrors();
  const tableName = collectTableNameErrors(errors, input.TableName) as string;
  errors.throwIfAny();
  const table = db.catalog.get(tableName);
  const ttl = table.timeToLive;
  return {
    TimeToLiveDescription: ttl?.Enabled ? { TimeToLiveStatus: 'ENABLED', AttributeName: ttl.AttributeName } : { TimeToLiveStatus: 'DISABLED' },
  };
}
