// SYSTEM backups through the real SDK: DeleteTable on a table with point-in-time recovery leaves
// `<table>$DeletedTableBackup` (BackupType SYSTEM, ARN ending -00000000, expiring 35 days later)
// that ListBackups shows only for BackupType SYSTEM or ALL, that restores item by item, that users
// cannot delete, and that expires with the injected clock. Also: one restore at a time per backup,
// the ListBackups time-range and BackupArn checks. (A SYSTEM backup cut short by a crash: restart.test.ts.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBackupCommand,
  DeleteBackupCommand,
  DeleteTableCommand,
  DescribeBackupCommand,
  ListBackupsCommand,
  RestoreTableFromBackupCommand,
  UpdateContinuousBackupsCommand,
  type BackupSummary,
} from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { startBackupServer, waitForBackup, waitForTable, type BackupTestServer } from './support.js';
import { ManualClock } from '../support/clock.js';
import { createTestTable, readTable, sortedRows, type Row } from './helpers.js';
import { errorOf } from '../support/errors.js';
import { uniqueTableName } from '../support/server.js';
import { pollUntil } from '../support/polling.js';
import { backupItemsRange } from '../../src/engine/storage-keys.js';
import { backupServiceOf } from '../../src/backup/index.js';
import { systemBackupRetentionMs } from '../../src/backup/transfer-limits.js';

const clock = new ManualClock(Date.UTC(2024, 8, 1, 8, 0, 0));
let t: BackupTestServer;
before(async () => {
  t = await startBackupServer(clock);
});
after(() => t.close());

const dayMs = 24 * 60 * 60 * 1000;

async function fill(doc: BackupTestServer['doc'], table: string, count: number, tag = 'v'): Promise<Row[]> {
  const rows: Row[] = Array.from({ length: count }, (_, i) => ({ pk: `p${i % 9}`, sk: i, g: `g${i % 4}`, l: i % 11, tag }));
  for (let i = 0; i < rows.length; i += 25) {
    await doc.send(new BatchWriteCommand({ RequestItems: { [table]: rows.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
  return rows;
}

const listed = async (table: string, BackupType?: 'USER' | 'SYSTEM' | 'AWS_BACKUP' | 'ALL'): Promise<BackupSummary[]> =>
  (await t.client.send(new ListBackupsCommand({ TableName: table, ...(BackupType && { BackupType }) }))).BackupSummaries ?? [];

/** A table with PITR and `count` items, deleted: returns its rows and its SYSTEM backup's summary. */
async function deletedWithPitr(prefix: string, count: number): Promise<{ table: string; rows: Row[]; system: BackupSummary }> {
  const table = uniqueTableName(prefix);
  await createTestTable(t.client, table);
  await t.client.send(new UpdateContinuousBackupsCommand({ TableName: table, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
  const rows = await fill(t.doc, table, count);
  await t.client.send(new DeleteTableCommand({ TableName: table }));
  const [system] = await listed(table, 'SYSTEM');
  assert.ok(system, 'a SYSTEM backup was recorded');
  await waitForBackup(t.client, system.BackupArn!);
  return { table, rows, system };
}

test('DeleteTable with PITR leaves a SYSTEM backup: name, ARN, type, expiry, listing filters', async () => {
  const table = uniqueTableName('sys_shape');
  await createTestTable(t.client, table);
  await t.client.send(new UpdateContinuousBackupsCommand({ TableName: table, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
  await fill(t.doc, table, 30);
  const user = (await t.client.send(new CreateBackupCommand({ TableName: table, BackupName: 'manual' }))).BackupDetails!;
  await waitForBackup(t.client, user.BackupArn!);
  clock.advance(1000);
  const deletedAt = clock.now();
  await t.client.send(new DeleteTableCommand({ TableName: table }));

  // The default filter is USER; SYSTEM and ALL show the system backup; AWS_BACKUP shows nothing here.
  assert.deepEqual((await listed(table)).map((summary) => summary.BackupArn), [user.BackupArn]);
  assert.deepEqual((await listed(table, 'USER')).map((summary) => summary.BackupArn), [user.BackupArn]);
  assert.deepEqual(await listed(table, 'AWS_BACKUP'), []);
  const [system, ...others] = await listed(table, 'SYSTEM');
  assert.equal(others.length, 0);
  assert.equal(system!.BackupName, `${table}$DeletedTableBackup`);
  assert.equal(system!.BackupType, 'SYSTEM');
  assert.match(system!.BackupArn!, new RegExp(`^arn:aws:dynamodb:us-east-1:000000000000:table/${table}/backup/0${deletedAt}-00000000$`));
  assert.deepEqual(system!.BackupCreationDateTime, new Date(deletedAt));
  assert.deepEqual(system!.BackupExpiryDateTime, new Date(deletedAt + 35 * dayMs));
  assert.deepEqual((await listed(table, 'ALL')).map((summary) => summary.BackupType).sort(), ['SYSTEM', 'USER']);
  // A USER backup has no expiry.
  assert.equal((await listed(table))[0]!.BackupExpiryDateTime, undefined);

  await waitForBackup(t.client, system!.BackupArn!);
  const described = (await t.client.send(new DescribeBackupCommand({ BackupArn: system!.BackupArn }))).BackupDescription!;
  assert.equal(described.BackupDetails?.BackupStatus, 'AVAILABLE');
  assert.deepEqual(described.BackupDetails?.BackupExpiryDateTime, new Date(deletedAt + 35 * dayMs));
  assert.equal(described.SourceTableDetails?.ItemCount, 30);
  assert.equal(described.SourceTableDetails?.TableName, table);
  // DynamoDB describes no feature details for a SYSTEM backup.
  assert.deepEqual(described.SourceTableFeatureDetails, {});

  // Users cannot delete it.
  const refused = await errorOf(t.client.send(new DeleteBackupCommand({ BackupArn: system!.BackupArn })));
  assert.equal(refused.name, 'ValidationException');
  assert.equal(
    refused.message,
    `Invalid Request: User is not allowed to delete the system backup with arn ${system!.BackupArn}. It will automatically expire on ${new Date(deletedAt + 35 * dayMs).toISOString()}`,
  );
});

test('a table deleted without PITR leaves no SYSTEM backup', async () => {
  const table = uniqueTableName('sys_none');
  await createTestTable(t.client, table);
  await fill(t.doc, table, 5);
  await t.client.send(new DeleteTableCommand({ TableName: table }));
  assert.deepEqual(await listed(table, 'ALL'), []);
});

test('RestoreTableFromBackup brings a deleted table back from its SYSTEM backup, item by item, indexes too', async () => {
  const { table, rows, system } = await deletedWithPitr('sys_restore', 260);
  // The deleted table's items are erased once the backup has copied them.
  const record = backupServiceOf(t.db).backups.get(system.BackupArn!)!;
  await pollUntil(async () => record.sourceErased === true, (done) => done, 'the dropped table was never erased');
  const restored = await t.client.send(new RestoreTableFromBackupCommand({ BackupArn: system.BackupArn, TargetTableName: table }));
  assert.equal(restored.TableDescription?.RestoreSummary?.SourceBackupArn, system.BackupArn);
  await waitForTable(t.client, table);
  const expected = new Map(rows.map((row) => [`${String(row.pk)}#${String(row.sk)}`, row]));
  assert.deepEqual(sortedRows(await readTable(t.doc, table)), sortedRows(expected));
  assert.equal((await readTable(t.doc, table, 'by-g')).size, rows.length);
});

test('SYSTEM backups expire 35 days after the deletion, by the injected clock', async () => {
  const { table, system } = await deletedWithPitr('sys_expiry', 40);
  const service = backupServiceOf(t.db);
  const backupNumber = service.backups.get(system.BackupArn!)!.backupNumber;
  const expiresAt = system.BackupCreationDateTime!.getTime() + systemBackupRetentionMs;
  // One millisecond before: still there, and the purge leaves it.
  clock.advance(expiresAt - 1 - clock.now());
  assert.equal((await listed(table, 'SYSTEM')).length, 1);
  assert.equal(await service.backups.purgeExpired(), 0);
  // At the expiry instant it is gone from every view, then erased.
  clock.advance(1);
  assert.deepEqual(await listed(table, 'ALL'), []);
  const gone = await errorOf(t.client.send(new DescribeBackupCommand({ BackupArn: system.BackupArn })));
  assert.deepEqual([gone.name, gone.message], ['BackupNotFoundException', `Backup not found: ${system.BackupArn}`]);
  assert.ok((await service.backups.purgeExpired()) >= 1);
  await pollUntil(async () => [...t.db.store.range(backupItemsRange(backupNumber))].length, (left) => left === 0, 'expired backup items were never erased');
});

test('a backup feeds one restore at a time; DeleteBackup waits for the restore too', async () => {
  const table = uniqueTableName('sys_one_restore');
  await createTestTable(t.client, table);
  await fill(t.doc, table, 3000);
  const { BackupDetails } = await t.client.send(new CreateBackupCommand({ TableName: table, BackupName: 'shared' }));
  const arn = BackupDetails!.BackupArn!;
  await waitForBackup(t.client, arn);
  // Two restores at once: one runs, the other is refused with DynamoDB's text (whichever arrives second).
  const [first, second] = [uniqueTableName('sys_target'), uniqueTableName('sys_target')];
  const outcomes = await Promise.allSettled([first, second].map((target) => t.client.send(new RestoreTableFromBackupCommand({ BackupArn: arn, TargetTableName: target }))));
  const refused = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  assert.equal(refused.length, 1, JSON.stringify(outcomes.map((outcome) => outcome.status)));
  assert.deepEqual([refused[0]!.reason.name, refused[0]!.reason.message], ['BackupInUseException', `Backup is being used to restore another table: ${arn}`]);
  const winner = outcomes[0]!.status === 'fulfilled' ? first : second;
  await waitForTable(t.client, winner);
  // Once it is done, the backup restores again.
  const third = uniqueTableName('sys_target');
  const again = t.client.send(new RestoreTableFromBackupCommand({ BackupArn: arn, TargetTableName: third }));
  const deleting = await errorOf(
    (async () => {
      await pollUntil(async () => t.db.catalog.find(third), (found) => found !== undefined, 'the third restore never started', 2000);
      return t.client.send(new DeleteBackupCommand({ BackupArn: arn }));
    })(),
  );
  await again;
  await waitForTable(t.client, third);
  // Either the delete raced past the restore's end (then it would have succeeded) or it was refused.
  assert.deepEqual([deleting.name, deleting.message], ['BackupInUseException', `Backup is being used to restore table: ${arn}`]);
  assert.equal((await readTable(t.doc, third)).size, 3000);
});

test('ListBackups and BackupArn checks answer with DynamoDB texts', async () => {
  const inverted = await errorOf(t.client.send(new ListBackupsCommand({ TimeRangeLowerBound: new Date(clock.now()), TimeRangeUpperBound: new Date(clock.now() - 1) })));
  assert.deepEqual(
    [inverted.name, inverted.message],
    ['ValidationException', 'One or more parameter values were invalid: Time range lower bound must be less than or equal to upper bound'],
  );
  // Equal bounds are allowed.
  await t.client.send(new ListBackupsCommand({ TimeRangeLowerBound: new Date(clock.now()), TimeRangeUpperBound: new Date(clock.now()) }));
  const tableArn = 'arn:aws:dynamodb:us-east-1:000000000000:table/some_table_name';
  const cases: [string, string, string][] = [
    [tableArn, 'ValidationException', 'Invalid Backup ARN'],
    ['x'.repeat(48), 'ValidationException', 'Invalid Backup ARN'],
    [`arn:aws:s3:us-east-1:000000000000:table/some_table_name/backup/01719820800000-0badc0de`, 'ValidationException', 'Invalid Request: BackupArn is not valid'],
    [`arn:aws:dynamodb:us-east-1:123456789012:table/some_table_name/backup/01719820800000-0badc0de`, 'AccessDeniedException', 'Access is denied'],
  ];
  for (const [arn, name, message] of cases) {
    const error = await errorOf(t.client.send(new DescribeBackupCommand({ BackupArn: arn })));
    assert.deepEqual([error.name, error.message], [name, message], arn);
  }
  // The region in a backup ARN is not checked: the backup is looked up in this region.
  const table = uniqueTableName('sys_region');
  await createTestTable(t.client, table);
  const { BackupDetails } = await t.client.send(new CreateBackupCommand({ TableName: table, BackupName: 'here' }));
  await waitForBackup(t.client, BackupDetails!.BackupArn!);
  const elsewhere = BackupDetails!.BackupArn!.replace(':us-east-1:', ':eu-west-1:');
  assert.equal((await t.client.send(new DescribeBackupCommand({ BackupArn: elsewhere }))).BackupDescription?.BackupDetails?.BackupName, 'here');
});
