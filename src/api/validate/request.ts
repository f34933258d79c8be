// Checks shared by data-plane operations: enum parameters and the "N validation errors
// detected" message DynamoDB builds from constraint failures.
import { DynamoError } from '../../model/errors.js';

/** One constraint failure, as DynamoDB words it inside a "validation errors detected" message. */
export function constraintFailure(value: unknown, field: string, constraint: string): string {
  return `Value '${String(value)}' at '${field}' failed to satisfy constraint: ${constraint}`;
}

/** Throws the combined ValidationException when any constraint failed. */
export function throwConstraintFailures(failures: string[]): void {
  if (failures.length === 0) return;
  const count = failures.length === 1 ? '1 validation error detected: ' : `${failures.length} validation errors detected: `;
  throw new DynamoError('ValidationException', count + failures.join('; '));
}

/** Collects a failure when `value` is present and outside `allowed`. */
export function checkEnum(failures: string[], value: unknown, field: string, allowed: readonly string[]): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || !allowed.includes(value)) {
    failures.push(constraintFailure(value, field, `Member must satisfy enum value set: [${allowed.join(', ')}]`));
  }
}

export const returnConsumedCapacityValues = ['INDEXES', 'TOTAL', 'NONE'] as const;
export const returnValuesValues = ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'] as const;
export const returnItemCollectionMetricsValues = ['SIZE', 'NONE'] as const;
export const returnValuesOnConditionCheckFailureValues = ['ALL_OLD', 'NONE'] as const;
export const selectValues = ['ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES', 'SPECIFIC_ATTRIBUTES', 'COUNT'] as const;
