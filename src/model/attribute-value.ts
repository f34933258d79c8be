// The DynamoDB attribute value, in its wire (JSON 1.0) form: B, BS hold base64 text.
// We keep the wire form end to end so no stage converts an item twice.

export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { M: Item }
  | { L: AttributeValue[] }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] };

export type Item = Record<string, AttributeValue>;

export type AttributeType = 'S' | 'N' | 'B' | 'BOOL' | 'NULL' | 'M' | 'L' | 'SS' | 'NS' | 'BS';

/** The type tag of a value that has already been validated (exactly one key). */
export function typeOf(value: AttributeValue): AttributeType {
  for (const key in value) return key as AttributeType;
  throw new Error('attribute value without a type');
}

/** Key attributes are scalar: S, N or B. */
export type ScalarType = 'S' | 'N' | 'B';
