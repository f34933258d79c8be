// The functions DynamoDB expressions know, with their operand counts and where each may appear.

/** Functions that are conditions on their own. */
export const conditionFunctions: ReadonlyMap<string, number> = new Map([
  ['attribute_exists', 1],
  ['attribute_not_exists', 1],
  ['attribute_type', 2],
  ['begins_with', 2],
  ['contains', 2],
]);

/** Functions that give a value inside a condition. */
export const operandFunctions: ReadonlyMap<string, number> = new Map([['size', 1]]);

/** Functions of an update's SET values. */
export const updateFunctions: ReadonlyMap<string, number> = new Map([
  ['if_not_exists', 2],
  ['list_append', 2],
]);

export function functionArity(name: string): number | undefined {
  return conditionFunctions.get(name) ?? operandFunctions.get(name) ?? updateFunctions.get(name);
}

export const attributeTypeNames: ReadonlySet<string> = new Set(['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL']);
