// PutItem: create or replace one item, optionally conditional.
import type { Database } from '../engine/database.js';
import { planPut } from './write-planning.js';
import { writeReturningOld } from './single-write.js';

export function putItem(input: Record<string, unknown>, db: Database): Promise<unknown> {
  return writeReturningOld(input, db, 'item', (tableName) => planPut(input, tableName, db).plan);
}
