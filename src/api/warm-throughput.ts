// WarmThroughput: the throughput a table can serve instantly. Every table has at least
// DynamoDB's minimum (12,000 read / 4,000 write units per second); CreateTable and UpdateTable
// may raise it, never lower it.
import { validationError } from '../model/errors.js';
import { warmReadUnitsPerSecondMin, warmWriteUnitsPerSecondMin } from '../model/limits.js';
import type { WarmThroughput } from '../engine/table-spec.js';
import { serializationError } from './validate/common.js';

const defaults: WarmThroughput = { ReadUnitsPerSecond: warmReadUnitsPerSecondMin, WriteUnitsPerSecond: warmWriteUnitsPerSecondMin };

/** The warm throughput a table (or index) has, described with Status ACTIVE: changes apply at once. */
export function describeWarmThroughput(warm: WarmThroughput | undefined): Record<string, unknown> {
  return { ...(warm ?? defaults), Status: 'ACTIVE' };
}

/** Checks a requested WarmThroughput against the minimums and, on update, the current value. */
export function checkWarmThroughput(value: unknown, current: WarmThroughput | undefined): WarmThroughput {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw serializationError(value, 'structure');
  const requested = value as Record<string, unknown>;
  const base = current ?? defaults;
  const next: WarmThroughput = { ...base };
  for (const [unit, minimum] of [
    ['ReadUnitsPerSecond', warmReadUnitsPerSecondMin],
    ['WriteUnitsPerSecond', warmWriteUnitsPerSecondMin],
  ] as const) {
    const units = requested[unit];
    if (units === undefined) continue;
    if (typeof units !== 'number' || !Number.isInteger(units)) throw serializationError(units, 'number');
    // unverified: both texts; DynamoDB's match "<unit> ... lower than" and "lower than current WarmThroughput".
    if (units < minimum) {
      throw validationError(`One or more parameter values were invalid: Requested ${unit} ${units} is lower than the minimum allowed value ${minimum}`);
    }
    if (current && units < current[unit]) {
      throw validationError(`One or more parameter values were invalid: Requested ${unit} ${units} is lower than current WarmThroughput ${current[unit]}`);
    }
    next[unit] = units;
  }
  return next;
}
