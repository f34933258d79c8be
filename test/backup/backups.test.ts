// On-demand backups through the real SDK: the shapes of CreateBackup / DescribeBackup /
// ListBackups / DeleteBackup, restores with overrides, backups outliving their table, error
// names and texts, and consistency under concurrent writes (every backup equals the table at
// one instant), checked by restoring each backup taken while a writer runs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBackupCommand,
  DeleteBackupCommand,
  DeleteTableCommand,
  DescribeBackupCommand,
  DescribeTableCommand,
  ListBackupsCommand,
  RestoreTableFromBackupCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { startBackupServer, waitForBackup, waitForTable, type BackupTestServer } from './support.js';
import { ManualClock } from '../support/clock.js';
import { createTestTable, readTable, rowKey, sortedRows } from './helpers.js';
import { errorOf } from '../support/errors.js';
import { uniqueTableName } from '../support/server.js';
import { backupItemsRange } from '../../src/engine/storage-keys.js';
import { backupServiceOf } from '../../src/backup/index.js';

const clock = new ManualClock(Date.UTC(2024, 6, 1, 8, 0, 0));
let t: BackupTestServer;
before(async () => {
  t = await startBackupServer(clock);
});
after(() => t.close());

async function backup(tableName: string, backupName = 'nightly') {
  const { BackupDetails } = await t.client.send(new CreateBackupCommand({ TableName: tableName, BackupName: backupName }));
  await waitForBackup(t.client, BackupDetails!.BackupArn!);
  return BackupDetails!;
}

async function restore(backupArn: string, target: string, overrides: Partial<ConstructorParameters<typeof RestoreTableFromBackupCommand>[0]> = {}) {
  const result = await t.client.send(new RestoreTableFromBackupCommand({ BackupArn: backupArn, TargetTableName: target, ...overrides }));
  await waitForTable(t.client, target);
  return result;
}

test('CreateBackup and DescribeBackup answer in DynamoDB shapes', async () => {
  const table = uniqueTableName('bk_shapes');
  await createTestTable(t.client, table);
  await t.client.send(new UpdateTimeToLiveCommand({ TableName: table, TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true } }));
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'a', sk: 1, g: 'x', l: 2 } }));
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'b', sk: 2 } }));
  const created = await t.client.send(new CreateBackupCommand({ TableName: table, BackupName: 'before-migration' }));
  const details = created.BackupDetails!;
  assert.match(details.BackupArn!, new RegExp(`^arn:aws:dynamodb:us-east-1:000000000000:table/${table}/backup/0${clock.now()}-[0-9a-f]{8}$`));
  assert.equal(details.BackupName, 'before-migration');
  assert.equal(details.BackupType, 'USER');
  assert.ok(details.BackupStatus === 'CREATING' || details.BackupStatus === 'AVAILABLE');
  assert.deepEqual(details.BackupCreationDateTime, new Date(clock.now()));
  await waitForBackup(t.client, details.BackupArn!);
  const described = (await t.client.send(new DescribeBackupCommand({ BackupArn: details.BackupArn }))).BackupDescription!;
  const tableDescription = (await t.client.send(new DescribeTableCommand({ TableName: table }))).Table!;
  assert.equal(described.BackupDetails?.BackupStatus, 'AVAILABLE');
  assert.equal(described.BackupDetails?.BackupSizeBytes, tableDescription.TableSizeBytes);
  assert.deepEqual(described.SourceTableDetails, {
    TableName: table,
    TableId: tableDescription.TableId,
    TableArn: tableDescription.TableArn,
    TableSizeBytes: tableDescription.TableSizeBytes,
    KeySchema: tableDescription.KeySchema,
    TableCreationDateTime: tableDescription.CreationDateTime,
    ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
    ItemCount: 2,
    BillingMode: 'PAY_PER_REQUEST',
  });
  assert.deepEqual(described.SourceTableFeatureDetails, {
    LocalSecondaryIndexes: [{ IndexName: 'by-l', KeySchema: tableDescription.LocalSecondaryIndexes![0]!.KeySchema, Projection: { ProjectionType: 'KEYS_ONLY' } }],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'by-g',
        KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'ALL' },
        ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
      },
    ],
    TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: 'ttl' },
  });
});

test('ListBackups filters by table, time and type, and pages with LastEvaluatedBackupArn', async () => {
  const first = uniqueTableName('bk_list_a');
  const second = uniqueTableName('bk_list_b');
  await createTestTable(t.client, first);
  await createTestTable(t.client, second);
  const arns: string[] = [];
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    clock.advance(60_000);
    times.push(clock.now());
    arns.push((await backup(first, `aaa${i}`)).BackupArn!);
  }
  clock.advance(60_000);
  const other = (await backup(second, 'bbb0')).BackupArn!;
  const ofFirst = await t.client.send(new ListBackupsCommand({ TableName: first }));
  assert.deepEqual(
    ofFirst.BackupSummaries?.map((s) => [s.BackupArn, s.BackupName, s.TableName, s.BackupStatus, s.BackupType]),
    arns.map((arn, i) => [arn, `aaa${i}`, first, 'AVAILABLE', 'USER']),
  );
  assert.equal(ofFirst.LastEvaluatedBackupArn, undefined);
  const { TableArn } = (await t.client.send(new DescribeTableCommand({ TableName: second }))).Table!;
  assert.deepEqual((await t.client.send(new ListBackupsCommand({ TableName: TableArn }))).BackupSummaries?.map((s) => s.BackupArn), [other]);
  // Lower bound inclusive, upper bound exclusive.
  const ranged = await t.client.send(new ListBackupsCommand({ TableName: first, TimeRangeLowerBound: new Date(times[1]!), TimeRangeUpperBound: new Date(times[2]!) }));
  assert.deepEqual(ranged.BackupSummaries?.map((s) => s.BackupArn), [arns[1]]);
  assert.deepEqual((await t.client.send(new ListBackupsCommand({ TableName: first, BackupType: 'SYSTEM' }))).BackupSummaries, []);
  assert.equal((await t.client.send(new ListBackupsCommand({ TableName: first, BackupType: 'ALL' }))).BackupSummaries?.length, 3);
  const seen: string[] = [];
  let startArn: string | undefined;
  do {
    const page = await t.client.send(new ListBackupsCommand({ TableName: first, Limit: 2, ExclusiveStartBackupArn: startArn }));
    assert.ok((page.BackupSummaries?.length ?? 0) <= 2);
    seen.push(...page.BackupSummaries!.map((s) => s.BackupArn!));
    startArn = page.LastEvaluatedBackupArn;
  } while (startArn);
  assert.deepEqual(seen, arns);
  const limit = await errorOf(t.client.send(new ListBackupsCommand({ Limit: 101 })));
  assert.equal(limit.message, "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100");
});

test('a restored table holds the backup, with the source settings and the overrides', async () => {
  const table = uniqueTableName('bk_restore');
  await createTestTable(t.client, table);
  const rows = Array.from({ length: 40 }, (_, i) => ({ pk: `p${i % 4}`, sk: i, g: `g${i % 2}`, l: i, payload: 'x'.repeat(i) }));
  for (const row of rows) await t.doc.send(new PutCommand({ TableName: table, Item: row }));
  const details = await backup(table);
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'after', sk: 1 } })); // not in the backup
  const target = uniqueTableName('bk_restored');
  const result = await restore(details.BackupArn!, target);
  assert.equal(result.TableDescription?.TableName, target);
  assert.equal(result.TableDescription?.RestoreSummary?.SourceBackupArn, details.BackupArn);
  assert.equal(result.TableDescription?.RestoreSummary?.SourceTableArn, (await t.client.send(new DescribeTableCommand({ TableName: table }))).Table?.TableArn);
  assert.deepEqual(result.TableDescription?.RestoreSummary?.RestoreDateTime, details.BackupCreationDateTime);
  const expected = new Map(rows.map((row) => [rowKey(row), row]));
  assert.deepEqual(sortedRows(await readTable(t.doc, target)), sortedRows(expected));
  assert.equal((await readTable(t.doc, target, 'by-g')).size, 40);
  assert.equal((await readTable(t.doc, target, 'by-l')).size, 40);
  const described = (await t.client.send(new DescribeTableCommand({ TableName: target }))).Table!;
  assert.equal(described.ItemCount, 40);
  assert.equal(described.RestoreSummary?.RestoreInProgress, false);
  assert.equal(described.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST');

  const overridden = uniqueTableName('bk_overridden');
  await restore(details.BackupArn!, overridden, {
    BillingModeOverride: 'PROVISIONED',
    ProvisionedThroughputOverride: { ReadCapacityUnits: 5, WriteCapacityUnits: 6 },
    LocalSecondaryIndexOverride: [],
  });
  const changed = (await t.client.send(new DescribeTableCommand({ TableName: overridden }))).Table!;
  assert.equal(changed.ProvisionedThroughput?.ReadCapacityUnits, 5);
  assert.equal(changed.LocalSecondaryIndexes, undefined);
  assert.equal(changed.GlobalSecondaryIndexes?.[0]?.ProvisionedThroughput?.WriteCapacityUnits, 6);
  assert.equal(changed.ItemCount, 40);
});

test('backups outlive their table; deleting one erases it', async () => {
  const table = uniqueTableName('bk_outlive');
  await createTestTable(t.client, table);
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'keep', sk: 1 } }));
  const details = await backup(table, 'last-copy');
  await t.client.send(new DeleteTableCommand({ TableName: table }));
  assert.equal((await t.client.send(new ListBackupsCommand({ TableName: table }))).BackupSummaries?.length, 1);
  assert.equal((await t.client.send(new DescribeBackupCommand({ BackupArn: details.BackupArn }))).BackupDescription?.SourceTableDetails?.TableName, table);
  // Restoring under the deleted table's own name brings it back.
  await restore(details.BackupArn!, table);
  assert.deepEqual([...(await readTable(t.doc, table)).keys()], ['keep#1']);
  const backupNumber = backupServiceOf(t.db).backups.get(details.BackupArn!)!.backupNumber;
  assert.equal([...t.db.store.range(backupItemsRange(backupNumber))].length, 1);
  const deleted = await t.client.send(new DeleteBackupCommand({ BackupArn: details.BackupArn }));
  assert.equal(deleted.BackupDescription?.BackupDetails?.BackupStatus, 'DELETED');
  const gone = await errorOf(t.client.send(new DescribeBackupCommand({ BackupArn: details.BackupArn })));
  assert.equal(gone.name, 'BackupNotFoundException');
  assert.equal(gone.message, `Backup not found: ${details.BackupArn}`);
  assert.equal((await t.client.send(new ListBackupsCommand({ TableName: table }))).BackupSummaries?.length, 0);
  // Its items are erased in the background.
  let left = -1;
  for (let i = 0; i < 100 && left !== 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    left = [...t.db.store.range(backupItemsRange(backupNumber))].length;
  }
  assert.equal(left, 0);
});

test('backup errors carry DynamoDB names and texts', async () => {
  const missing = uniqueTableName('bk_missing');
  const noTable = await errorOf(t.client.send(new CreateBackupCommand({ TableName: missing, BackupName: 'x12' })));
  assert.equal(noTable.name, 'TableNotFoundException');
  assert.equal(noTable.message, `Table not found: ${missing}`);
  const table = uniqueTableName('bk_errors');
  await createTestTable(t.client, table);
  const shortName = await errorOf(t.client.send(new CreateBackupCommand({ TableName: table, BackupName: 'ab' })));
  assert.equal(shortName.name, 'ValidationException');
  assert.equal(shortName.message, "1 validation error detected: Value 'ab' at 'backupName' failed to satisfy constraint: Member must have length greater than or equal to 3");
  const arn = `arn:aws:dynamodb:us-east-1:000000000000:table/${table}/backup/01719820800000-0badc0de`;
  for (const command of [new DescribeBackupCommand({ BackupArn: arn }), new DeleteBackupCommand({ BackupArn: arn }), new RestoreTableFromBackupCommand({ BackupArn: arn, TargetTableName: uniqueTableName('bk_t') })]) {
    const error = await errorOf(t.client.send(command as never));
    assert.equal(error.name, 'BackupNotFoundException');
    assert.equal(error.message, `Backup not found: ${arn}`);
  }
  const details = await backup(table);
  const exists = await errorOf(t.client.send(new RestoreTableFromBackupCommand({ BackupArn: details.BackupArn, TargetTableName: table })));
  assert.equal(exists.name, 'TableAlreadyExistsException');
  assert.equal(exists.message, `Table already exists: ${table}`);
  const shortArn = await errorOf(t.client.send(new DescribeBackupCommand({ BackupArn: 'arn:short' })));
  assert.equal(shortArn.message, "1 validation error detected: Value 'arn:short' at 'backupArn' failed to satisfy constraint: Member must have length greater than or equal to 37");
});

test('backups taken under concurrent writes each equal the table at one instant', async () => {
  const table = uniqueTableName('bk_concurrent');
  await createTestTable(t.client, table);
  const itemsPerRound = 1200; // several copy batches, so writes land between them
  const writeRound = async (round: number) => {
    for (let i = 0; i < itemsPerRound; i += 25) {
      const chunk = Array.from({ length: Math.min(25, itemsPerRound - i) }, (_, j) => ({ pk: 'row', sk: i + j, round }));
      await t.doc.send(new BatchWriteCommand({ RequestItems: { [table]: chunk.map((Item) => ({ PutRequest: { Item } })) } }));
    }
  };
  await writeRound(0);
  let stop = false;
  let transfers = 0;
  const writer = (async () => {
    for (let round = 1; !stop; round++) await writeRound(round);
  })();
  const mover = (async () => {
    // A transaction keeps a + b = 0: a backup that split it would show a non-zero sum.
    while (!stop) {
      transfers++;
      await t.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: table, Item: { pk: 'pair', sk: 1, v: transfers } } },
            { Put: { TableName: table, Item: { pk: 'pair', sk: 2, v: -transfers } } },
          ],
        }),
      );
    }
  })();
  const arns: string[] = [];
  for (let i = 0; i < 4; i++) {
    await new Promise((resolve) => setTimeout(resolve, 40));
    const { BackupDetails } = await t.client.send(new CreateBackupCommand({ TableName: table, BackupName: `under-load-${i}` }));
    arns.push(BackupDetails!.BackupArn!);
  }
  for (const arn of arns) await waitForBackup(t.client, arn);
  stop = true;
  await Promise.all([writer, mover]);
  for (const arn of arns) {
    const target = uniqueTableName('bk_consistent');
    await restore(arn, target);
    const rows = await readTable(t.doc, target);
    const rounds = Array.from({ length: itemsPerRound }, (_, i) => rows.get(`row#${i}`)?.round as number);
    // Rounds write rows in order, so one instant shows rows 0..k-1 at round r and the rest at r-1.
    const first = rounds[0]!;
    const split = rounds.findIndex((round) => round !== first);
    assert.ok(rounds.every((round, i) => round === (split === -1 || i < split ? first : first - 1)), `backup ${arn} is not one instant: ${[...new Set(rounds)].join(',')}`);
    const a = rows.get('pair#1')?.v as number | undefined;
    const b = rows.get('pair#2')?.v as number | undefined;
    assert.equal((a ?? 0) + (b ?? 0), 0);
    const described = (await t.client.send(new DescribeBackupCommand({ BackupArn: arn }))).BackupDescription!;
    assert.equal(described.SourceTableDetails?.ItemCount, rows.size);
    // Its items are stored apart from the table's.
    const record = backupServiceOf(t.db).backups.get(arn)!;
    let stored = 0;
    for (const _ of t.db.store.range(backupItemsRange(record.backupNumber))) stored++;
    assert.equal(stored, rows.size);
  }
});
