// Enum parameters shared by data-plane operations, checked through ConstraintErrors so they
// join the one "N validation errors detected" message DynamoDB builds.
import type { ConstraintErrors } from './common.js';

/** Records a failure when an optional enum parameter is present and not one of `allowed`. */
export function optionalEnum(errors: ConstraintErrors, path: string, value: unknown, allowed: readonly string[]): void {
  if (value !== undefined) errors.enumOf(path, value, allowed);
}

export const returnConsumedCapacityValues = ['INDEXES', 'TOTAL', 'NONE'] as const;
export const returnValuesValues = ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'] as const;
export const returnItemCollectionMetricsValues = ['SIZE', 'NONE'] as const;
export const returnValuesOnConditionCheckFailureValues = ['ALL_OLD', 'NONE'] as const;
// DynamoDB lists this enum in its own order in constraint messages.
export const selectValues = ['SPECIFIC_ATTRIBUTES', 'COUNT', 'ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES'] as const;

/** The checks every single-item write shares. */
export function checkWriteEnums(errors: ConstraintErrors, input: Record<string, unknown>): void {
  optionalEnum(errors, 'returnValues', input.ReturnValues, returnValuesValues);
  optionalEnum(errors, 'returnConsumedCapacity', input.ReturnConsumedCapacity, returnConsumedCapacityValues);
  optionalEnum(errors, 'returnItemCollectionMetrics', input.ReturnItemCollectionMetrics, returnItemCollectionMetricsValues);
  optionalEnum(
    errors,
    'returnValuesOnConditionCheckFailure',
    input.ReturnValuesOnConditionCheckFailure,
    returnValuesOnConditionCheckFailureValues,
  );
}
