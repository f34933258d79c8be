// The change log as written by real requests: one record per item written, in the write's own
// transaction, with strictly increasing positions per table (a sequence within a millisecond,
// milliseconds that never go back even when the clock does), old and new images, and one
// millisecond for all the items of one transaction. Read back with readChanges.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BatchWriteCommand, DeleteCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startBackupServer, type BackupTestServer } from './support.js';
import { ManualClock } from '../support/clock.js';
import { createTestTable } from './helpers.js';
import { uniqueTableName } from '../support/server.js';
import { endOfMs, readChanges } from '../../src/backup/index.js';
import { changeLogKey, decodeChangeLogKey } from '../../src/engine/storage-keys.js';

const clock = new ManualClock(Date.UTC(2024, 7, 1));
let t: BackupTestServer;
before(async () => {
  t = await startBackupServer(clock);
});
after(() => t.close());

test('every write appends one record with its images, at strictly increasing positions', async () => {
  const table = uniqueTableName('log_positions');
  await createTestTable(t.client, table);
  const t0 = clock.now();
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'a', sk: 1, v: 1 } }));
  await t.doc.send(new UpdateCommand({ TableName: table, Key: { pk: 'a', sk: 1 }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': 2 } }));
  clock.advance(5);
  await t.doc.send(new DeleteCommand({ TableName: table, Key: { pk: 'a', sk: 1 } }));
  await t.doc.send(new DeleteCommand({ TableName: table, Key: { pk: 'absent', sk: 1 } })); // no change, no record
  clock.advance(5);
  await t.doc.send(
    new TransactWriteCommand({
      TransactItems: [{ Put: { TableName: table, Item: { pk: 't', sk: 1 } } }, { Put: { TableName: table, Item: { pk: 't', sk: 2 } } }],
    }),
  );
  clock.advance(-1000); // a clock stepping back does not move positions back
  await t.doc.send(new BatchWriteCommand({ RequestItems: { [table]: [{ PutRequest: { Item: { pk: 'b', sk: 1 } } }, { PutRequest: { Item: { pk: 'b', sk: 2 } } }] } }));
  const changes = [...readChanges(t.db.store, t.db.catalog.get(table).tableNumber, endOfMs(0))];
  assert.deepEqual(
    changes.map((c) => [c.position.commitMs - t0, c.position.sequence]),
    [
      [0, 0],
      [0, 1],
      [5, 0],
      [10, 0],
      [10, 1],
      [10, 2],
      [10, 3],
    ],
  );
  const unwrap = (item: Record<string, unknown> | undefined) => item && Object.fromEntries(Object.entries(item).map(([k, v]) => [k, Object.values(v as object)[0]]));
  assert.deepEqual(
    changes.slice(0, 3).map((c) => [unwrap(c.oldImage), unwrap(c.newImage)]),
    [
      [undefined, { pk: 'a', sk: '1', v: '1' }],
      [{ pk: 'a', sk: '1', v: '1' }, { pk: 'a', sk: '1', v: '2' }],
      [{ pk: 'a', sk: '1', v: '2' }, undefined],
    ],
  );
  assert.ok(changes.every((c) => c.origin === 'user'));
  // readChanges bounds: after a position, up to and including another.
  const tableNumber = t.db.catalog.get(table).tableNumber;
  assert.equal([...readChanges(t.db.store, tableNumber, changes[1]!.position, changes[4]!.position)].length, 3);
  assert.equal([...readChanges(t.db.store, tableNumber, endOfMs(t0 + 5))].length, 4);
});

test('change-log keys order by table, then time, then sequence', () => {
  const keys = [changeLogKey(2, 5, 0), changeLogKey(1, 9, 3), changeLogKey(1, 9, 2), changeLogKey(1, 2 ** 40, 0), changeLogKey(1, 10, 0)];
  const sorted = [...keys].sort(Buffer.compare).map(decodeChangeLogKey);
  assert.deepEqual(sorted, [
    { tableNumber: 1, commitMs: 9, sequence: 2 },
    { tableNumber: 1, commitMs: 9, sequence: 3 },
    { tableNumber: 1, commitMs: 10, sequence: 0 },
    { tableNumber: 1, commitMs: 2 ** 40, sequence: 0 },
    { tableNumber: 2, commitMs: 5, sequence: 0 },
  ]);
  assert.equal(changeLogKey(7, 1_700_000_000_000, 1).toString('hex'), '20' + '00000007' + '0000018bcfe56800' + '00000001');
});
