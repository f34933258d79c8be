// DeleteItem: remove one item by its primary key, optionally conditional.
import type { Database } from '../engine/database.js';
import { planKeyed } from './write-planning.js';
import { writeReturningOld } from './single-write.js';

export function deleteItem(input: Record<string, unknown>, db: Database): Promise<unknown> {
  return writeReturningOld(input, db, 'key', (tableName) => planKeyed(input, tableName, db, 'delete').plan);
}
