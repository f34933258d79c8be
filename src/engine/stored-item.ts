// What the store holds for an item or an index entry: its DynamoDB size and its attributes.
// Size is kept beside the item so reads can charge capacity without re-measuring.
import type { Item } from '../model/attribute-value.js';

export type StoredItem = [size: number, item: Item];

export function readStored(get: (key: Buffer) => unknown, key: Buffer): StoredItem | undefined {
  return get(key) as StoredItem | undefined;
}
