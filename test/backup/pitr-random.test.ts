// Restores to random seconds against a shadow history. A seeded mix of puts, updates (SET, ADD,
// REMOVE) and deletes runs over about twenty minutes of a hand-moved clock, several writes per
// second, some exactly on a whole second; the test keeps the table's state after every write.
// Then 20 random seconds (and the window's first and last) are restored and each restored table
// is compared item by item, and through its GSI, with the shadow state at that second: a restore
// to second S holds every write committed at or before S.000.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { RestoreTableToPointInTimeCommand, UpdateContinuousBackupsCommand } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startBackupServer, waitForTable, type BackupTestServer } from './support.js';
import { ManualClock } from '../support/clock.js';
import { createTestTable, readTable, rowKey, sortedRows, type Row } from './helpers.js';
import { seededRandom } from '../support/random.js';
import { uniqueTableName } from '../support/server.js';

const start = Date.UTC(2024, 10, 5, 10, 0, 0);
const clock = new ManualClock(start);
let t: BackupTestServer;
before(async () => {
  t = await startBackupServer(clock);
});
after(() => t.close());

test('restores to 20 random seconds equal the shadow history, item by item and through the GSI', async () => {
  const table = uniqueTableName('pitr_random');
  await createTestTable(t.client, table);
  await t.client.send(new UpdateContinuousBackupsCommand({ TableName: table, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
  const random = seededRandom(20240);
  const state = new Map<string, Row>();
  // The state after each write, by its clock reading (several writes can share a millisecond).
  const history: { atMs: number; rows: Map<string, Row> }[] = [{ atMs: clock.now(), rows: new Map() }];
  const key = () => ({ pk: `p${Math.floor(random() * 5)}`, sk: Math.floor(random() * 8) });
  for (let step = 0; step < 600; step++) {
    // Mostly a few hundred ms apart; sometimes onto the next whole second exactly, sometimes no time at all.
    const dice = random();
    if (dice < 0.1) clock.advance(1000 - (clock.now() % 1000));
    else if (dice > 0.2) clock.advance(Math.floor(random() * 4000));
    const k = key();
    const id = rowKey(k);
    const action = random();
    if (action < 0.45) {
      const row: Row = { ...k, v: step, g: `g${step % 4}`, l: step % 6, ...(random() < 0.3 && { tags: new Set([`t${step % 3}`, 'all']) }) };
      await t.doc.send(new PutCommand({ TableName: table, Item: row }));
      state.set(id, row);
    } else if (action < 0.75) {
      const current = state.get(id);
      if (current && random() < 0.4) {
        await t.doc.send(new UpdateCommand({ TableName: table, Key: k, UpdateExpression: 'REMOVE g ADD v :one', ExpressionAttributeValues: { ':one': 1 } }));
        const next: Row = { ...current, v: (current.v as number) + 1 };
        delete next.g;
        state.set(id, next);
      } else {
        await t.doc.send(new UpdateCommand({ TableName: table, Key: k, UpdateExpression: 'SET v = :v, g = :g', ExpressionAttributeValues: { ':v': step, ':g': 'updated' } }));
        state.set(id, { ...(current ?? k), v: step, g: 'updated' });
      }
    } else {
      await t.doc.send(new DeleteCommand({ TableName: table, Key: k }));
      state.delete(id);
    }
    history.push({ atMs: clock.now(), rows: new Map([...state].map(([rowId, row]) => [rowId, structuredClone(row)])) });
  }
  clock.advance(1500);
  const firstSecond = Math.ceil(start / 1000);
  const lastSecond = Math.floor(clock.now() / 1000);
  const seconds = new Set<number>([firstSecond, lastSecond]);
  while (seconds.size < 22) seconds.add(firstSecond + Math.floor(random() * (lastSecond - firstSecond + 1)));
  for (const second of seconds) {
    const target = uniqueTableName('pitr_random_at');
    await t.client.send(new RestoreTableToPointInTimeCommand({ SourceTableName: table, TargetTableName: target, RestoreDateTime: new Date(second * 1000) }));
    await waitForTable(t.client, target);
    // The last write at or before S.000 (writes in the same millisecond: the last of them).
    const expected = history.filter((entry) => entry.atMs <= second * 1000).at(-1)!.rows;
    const at = new Date(second * 1000).toISOString();
    assert.deepEqual(sortedRows(await readTable(t.doc, target)), sortedRows(expected), `restore to ${at}`);
    const viaIndex = await readTable(t.doc, target, 'by-g');
    assert.deepEqual(sortedRows(viaIndex), sortedRows(new Map([...expected].filter(([, row]) => row.g !== undefined))), `GSI of the restore to ${at}`);
  }
  // The restores left the source as the shadow says it is now.
  assert.deepEqual(sortedRows(await readTable(t.doc, table)), sortedRows(state));
});
