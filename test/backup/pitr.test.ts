// Point-in-time recovery through the real SDK against a server with a controllable clock:
// a shadow history of random writes (puts, updates, deletes, transactions, batches) is checked
// against restores to many random seconds, an accidental delete is undone, restores leave the
// source alone, the window moves with pruning, and PITR works across a server restart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  RestoreTableToPointInTimeCommand,
  UpdateContinuousBackupsCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startBackupServer, temporaryDataDir, waitForTable, type BackupTestServer } from './support.js';
import { ManualClock } from '../support/clock.js';
import { createTestTable, readTable, rowKey, sortedRows, type Row } from './helpers.js';
import { seededRandom } from '../support/random.js';
import { errorOf } from '../support/errors.js';
import { uniqueTableName } from '../support/server.js';
import { sweepExpiredItems } from '../../src/engine/ttl-sweeper.js';
import { backupServiceOf, endOfMs, pruneChangeLog, readChanges } from '../../src/backup/index.js';

const start = Date.UTC(2024, 5, 1, 12, 0, 0);
const clock = new ManualClock(start);
let t: BackupTestServer;
before(async () => {
  t = await startBackupServer(clock);
});
after(() => t.close());

const dayMs = 24 * 60 * 60 * 1000;

async function enablePitr(tableName: string, days?: number) {
  return t.client.send(
    new UpdateContinuousBackupsCommand({
      TableName: tableName,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, ...(days !== undefined && { RecoveryPeriodInDays: days }) },
    }),
  );
}

async function restoreTo(source: string, target: string, when: Date | 'latest') {
  const result = await t.client.send(
    new RestoreTableToPointInTimeCommand({
      SourceTableName: source,
      TargetTableName: target,
      ...(when === 'latest' ? { UseLatestRestorableTime: true } : { RestoreDateTime: when }),
    }),
  );
  await waitForTable(t.client, target);
  return result;
}

test('DescribeContinuousBackups: ENABLED continuous backups, PITR off until enabled, then the window', async () => {
  const table = uniqueTableName('pitr_describe');
  await createTestTable(t.client, table);
  const off = await t.client.send(new DescribeContinuousBackupsCommand({ TableName: table }));
  assert.deepEqual(off.ContinuousBackupsDescription, { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } });
  const enabledAt = clock.now();
  const on = await enablePitr(table, 7);
  assert.deepEqual(on.ContinuousBackupsDescription, {
    ContinuousBackupsStatus: 'ENABLED',
    PointInTimeRecoveryDescription: {
      PointInTimeRecoveryStatus: 'ENABLED',
      RecoveryPeriodInDays: 7,
      EarliestRestorableDateTime: new Date(enabledAt),
      LatestRestorableDateTime: new Date(enabledAt),
    },
  });
  clock.advance(8 * dayMs);
  const { TableArn } = (await t.client.send(new DescribeTableCommand({ TableName: table }))).Table!;
  const later = await t.client.send(new DescribeContinuousBackupsCommand({ TableName: TableArn }));
  assert.deepEqual(later.ContinuousBackupsDescription?.PointInTimeRecoveryDescription, {
    PointInTimeRecoveryStatus: 'ENABLED',
    RecoveryPeriodInDays: 7,
    EarliestRestorableDateTime: new Date(clock.now() - 7 * dayMs),
    LatestRestorableDateTime: new Date(clock.now()),
  });
  // The default period is 35 days; disabling turns it off.
  const other = uniqueTableName('pitr_default');
  await createTestTable(t.client, other);
  assert.equal((await enablePitr(other)).ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.RecoveryPeriodInDays, 35);
  const disabled = await t.client.send(new UpdateContinuousBackupsCommand({ TableName: other, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false } }));
  assert.deepEqual(disabled.ContinuousBackupsDescription?.PointInTimeRecoveryDescription, { PointInTimeRecoveryStatus: 'DISABLED' });
});

test('continuous-backup errors carry DynamoDB names and texts', async () => {
  const missing = uniqueTableName('pitr_missing');
  const describe = await errorOf(t.client.send(new DescribeContinuousBackupsCommand({ TableName: missing })));
  assert.equal(describe.name, 'TableNotFoundException');
  assert.equal(describe.message, `Table not found: ${missing}`);
  const update = await errorOf(enablePitr(missing));
  assert.equal(update.name, 'TableNotFoundException');
  const table = uniqueTableName('pitr_errors');
  await createTestTable(t.client, table);
  const period = await errorOf(enablePitr(table, 36));
  assert.equal(period.name, 'ValidationException');
  assert.equal(
    period.message,
    "1 validation error detected: Value '36' at 'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy constraint: Member must have value less than or equal to 35",
  );
  const zero = await errorOf(enablePitr(table, 0));
  assert.match(zero.message, /Member must have value greater than or equal to 1$/);
  const unavailable = await errorOf(restoreTo(table, uniqueTableName('pitr_target'), 'latest'));
  assert.equal(unavailable.name, 'PointInTimeRecoveryUnavailableException');
  assert.equal(unavailable.message, `Point in time recovery is not enabled for table '${table}'`);
  const notFound = await errorOf(restoreTo(missing, uniqueTableName('pitr_target'), 'latest'));
  assert.equal(notFound.name, 'TableNotFoundException');
  assert.equal(notFound.message, `Table not found: ${missing}`);
  await enablePitr(table);
  const exists = await errorOf(restoreTo(table, table, 'latest'));
  assert.equal(exists.name, 'TableAlreadyExistsException');
  assert.equal(exists.message, `Table already exists: ${table}`);
  for (const when of [new Date(clock.now() - 1000), new Date(clock.now() + 1000)]) {
    const invalid = await errorOf(restoreTo(table, uniqueTableName('pitr_target'), when));
    assert.equal(invalid.name, 'InvalidRestoreTimeException');
  }
});

test('restores to random seconds equal a shadow history of random writes, indexes included', async () => {
  const table = uniqueTableName('pitr_history');
  await createTestTable(t.client, table);
  const random = seededRandom(6);
  const state = new Map<string, Row>();
  const history: { atMs: number; rows: Map<string, Row> }[] = [];
  const record = () => history.push({ atMs: clock.now(), rows: new Map([...state].map(([k, v]) => [k, structuredClone(v)])) });
  const key = () => ({ pk: `p${Math.floor(random() * 4)}`, sk: Math.floor(random() * 6) });
  const item = (k: { pk: string; sk: number }, version: number): Row => ({ ...k, v: version, g: `g${version % 3}`, l: version % 5 });
  const put = async (version: number) => {
    const row = item(key(), version);
    await t.doc.send(new PutCommand({ TableName: table, Item: row }));
    state.set(rowKey(row), row);
  };
  for (let i = 0; i < 10; i++) await put(i); // before PITR: the base state
  clock.advance(500);
  await enablePitr(table);
  record();
  for (let version = 100; version < 260; version++) {
    clock.advance(Math.floor(random() * 1500));
    const dice = random();
    if (dice < 0.4) {
      await put(version);
    } else if (dice < 0.6) {
      const k = key();
      await t.doc.send(new DeleteCommand({ TableName: table, Key: k }));
      state.delete(rowKey(k));
    } else if (dice < 0.75) {
      const k = key();
      await t.doc.send(new UpdateCommand({ TableName: table, Key: k, UpdateExpression: 'SET v = :v, g = :g', ExpressionAttributeValues: { ':v': version, ':g': 'upd' } }));
      state.set(rowKey(k), { ...(state.get(rowKey(k)) ?? k), v: version, g: 'upd' });
    } else if (dice < 0.9) {
      // A transaction: both writes land at one instant.
      const a = { pk: 'tx', sk: 1 };
      const b = { pk: 'tx', sk: 2 };
      await t.doc.send(
        new TransactWriteCommand({
          TransactItems: [{ Put: { TableName: table, Item: item(a, version) } }, { Put: { TableName: table, Item: item(b, version) } }],
        }),
      );
      state.set(rowKey(a), item(a, version));
      state.set(rowKey(b), item(b, version));
    } else {
      const rows = [item(key(), version), item({ pk: 'batch', sk: version % 3 }, version)].filter((row, i, all) => all.findIndex((r) => rowKey(r) === rowKey(row)) === i);
      const remove = key();
      const conflict = rows.some((row) => rowKey(row) === rowKey(remove));
      await t.doc.send(
        new BatchWriteCommand({
          RequestItems: { [table]: [...rows.map((row) => ({ PutRequest: { Item: row } })), ...(conflict ? [] : [{ DeleteRequest: { Key: remove } }])] },
        }),
      );
      for (const row of rows) state.set(rowKey(row), row);
      if (!conflict) state.delete(rowKey(remove));
    }
    record();
  }
  const firstSecond = Math.ceil(history[0]!.atMs / 1000);
  const lastSecond = Math.floor(clock.now() / 1000);
  const seconds = new Set<number>([firstSecond, lastSecond]);
  while (seconds.size < 8) seconds.add(firstSecond + Math.floor(random() * (lastSecond - firstSecond + 1)));
  const sourceBefore = await readTable(t.doc, table);
  for (const second of seconds) {
    const target = uniqueTableName('pitr_at');
    const restored = await restoreTo(table, target, new Date(second * 1000));
    assert.deepEqual(restored.TableDescription?.RestoreSummary?.SourceTableArn, (await t.client.send(new DescribeTableCommand({ TableName: table }))).Table?.TableArn);
    assert.deepEqual(restored.TableDescription?.RestoreSummary?.RestoreDateTime, new Date(second * 1000));
    const expected = [...history].reverse().find((entry) => entry.atMs <= second * 1000)!.rows;
    assert.deepEqual(sortedRows(await readTable(t.doc, target)), sortedRows(expected), `restore to ${new Date(second * 1000).toISOString()}`);
    // The GSI was rebuilt from the restored items.
    const indexed = await readTable(t.doc, target, 'by-g');
    assert.deepEqual(sortedRows(indexed), sortedRows(new Map([...expected].filter(([, row]) => row.g !== undefined))));
    const described = (await t.client.send(new DescribeTableCommand({ TableName: target }))).Table!;
    assert.equal(described.ItemCount, expected.size);
    assert.equal(described.RestoreSummary?.RestoreInProgress, false);
  }
  // A restore never touches the source.
  assert.deepEqual(sortedRows(await readTable(t.doc, table)), sortedRows(sourceBefore));
  assert.deepEqual(sortedRows(sourceBefore), sortedRows(state));
});

test('an accidental delete is undone by restoring to the second before it', async () => {
  const table = uniqueTableName('pitr_accident');
  await createTestTable(t.client, table);
  await enablePitr(table);
  clock.advance(2000);
  const orders = Array.from({ length: 30 }, (_, i) => ({ pk: 'customer', sk: i, g: 'open', l: i, note: `order ${i}` }));
  await t.doc.send(new BatchWriteCommand({ RequestItems: { [table]: orders.slice(0, 25).map((Item) => ({ PutRequest: { Item } })) } }));
  await t.doc.send(new BatchWriteCommand({ RequestItems: { [table]: orders.slice(25).map((Item) => ({ PutRequest: { Item } })) } }));
  clock.advance(3000);
  const accidentMs = clock.now() + 400;
  clock.advance(400);
  for (const order of orders.slice(0, 10)) await t.doc.send(new DeleteCommand({ TableName: table, Key: { pk: order.pk, sk: order.sk } }));
  clock.advance(60_000);
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'customer', sk: 100, g: 'new', l: 1 } }));
  const target = uniqueTableName('pitr_recovered');
  await restoreTo(table, target, new Date(Math.floor(accidentMs / 1000) * 1000 - 1000));
  assert.deepEqual(sortedRows(await readTable(t.doc, target)), sortedRows(new Map(orders.map((o) => [rowKey(o), o]))));
  const viaIndex = await t.doc.send(new QueryCommand({ TableName: target, IndexName: 'by-l', KeyConditionExpression: 'pk = :p AND l < :l', ExpressionAttributeValues: { ':p': 'customer', ':l': 5 } }));
  assert.equal(viaIndex.Count, 5);
  // The latest restorable time includes the last write.
  const latest = uniqueTableName('pitr_latest');
  await restoreTo(table, latest, 'latest');
  assert.deepEqual(sortedRows(await readTable(t.doc, latest)), sortedRows(await readTable(t.doc, table)));
});

test('restore overrides: billing mode, throughput, indexes, SSE', async () => {
  const table = uniqueTableName('pitr_overrides');
  await createTestTable(t.client, table);
  await enablePitr(table);
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'a', sk: 1, g: 'x', l: 1 } }));
  const target = uniqueTableName('pitr_overridden');
  await t.client.send(
    new RestoreTableToPointInTimeCommand({
      SourceTableName: table,
      TargetTableName: target,
      UseLatestRestorableTime: true,
      BillingModeOverride: 'PROVISIONED',
      ProvisionedThroughputOverride: { ReadCapacityUnits: 7, WriteCapacityUnits: 3 },
      GlobalSecondaryIndexOverride: [],
      SSESpecificationOverride: { Enabled: true, SSEType: 'KMS' },
    }),
  );
  await waitForTable(t.client, target);
  const described = (await t.client.send(new DescribeTableCommand({ TableName: target }))).Table!;
  assert.equal(described.ProvisionedThroughput?.ReadCapacityUnits, 7);
  assert.equal(described.ProvisionedThroughput?.WriteCapacityUnits, 3);
  assert.equal(described.BillingModeSummary, undefined);
  assert.equal(described.GlobalSecondaryIndexes, undefined);
  assert.equal(described.LocalSecondaryIndexes?.[0]?.IndexName, 'by-l');
  assert.equal(described.SSEDescription?.Status, 'ENABLED');
  assert.deepEqual(described.AttributeDefinitions?.map((d) => d.AttributeName).sort(), ['l', 'pk', 'sk']);
  assert.equal(described.ItemCount, 1);
  // An override DynamoDB would refuse at CreateTable is refused.
  const bad = await errorOf(
    t.client.send(new RestoreTableToPointInTimeCommand({ SourceTableName: table, TargetTableName: uniqueTableName('pitr_bad'), UseLatestRestorableTime: true, BillingModeOverride: 'PROVISIONED' })),
  );
  assert.equal(bad.name, 'ValidationException');
});

test('TTL deletions are logged as the service, and pruning follows the recovery window', async () => {
  const table = uniqueTableName('pitr_ttl');
  await createTestTable(t.client, table);
  await t.client.send(new UpdateTimeToLiveCommand({ TableName: table, TimeToLiveSpecification: { AttributeName: 'expires', Enabled: true } }));
  await enablePitr(table, 1);
  const enabledAt = clock.now();
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'ttl', sk: 1, expires: Math.floor(clock.now() / 1000) + 10 } }));
  clock.advance(20_000);
  assert.equal(await sweepExpiredItems(t.db), 1);
  const record = t.db.catalog.get(table);
  const changes = [...readChanges(t.db.store, record.tableNumber, { commitMs: 0, sequence: 0 })];
  assert.deepEqual(
    changes.map((c) => [c.origin, c.oldImage !== undefined, c.newImage !== undefined]),
    [
      ['user', false, true],
      ['ttl', true, false],
    ],
  );
  // Restoring to before the sweep brings the expired item back, as in DynamoDB.
  const before = uniqueTableName('pitr_ttl_before');
  await restoreTo(table, before, new Date(clock.now() - 1000));
  assert.equal((await readTable(t.doc, before)).size, 1);
  // Two days on, the one-day window has moved and the older records are pruned.
  clock.advance(2 * dayMs);
  await t.doc.send(new PutCommand({ TableName: table, Item: { pk: 'late', sk: 1 } }));
  const { pins } = backupServiceOf(t.db);
  await pruneChangeLog(t.db, pins);
  const left = [...readChanges(t.db.store, record.tableNumber, endOfMs(0))];
  assert.equal(left.length, 1);
  assert.ok(left[0]!.position.commitMs > enabledAt + dayMs);
  const described = await t.client.send(new DescribeContinuousBackupsCommand({ TableName: table }));
  assert.deepEqual(described.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.EarliestRestorableDateTime, new Date(clock.now() - dayMs));
  const early = uniqueTableName('pitr_early');
  await restoreTo(table, early, new Date(clock.now() - dayMs));
  assert.equal((await readTable(t.doc, early)).size, 0);
  // Without PITR, the log keeps only a short margin.
  const plain = uniqueTableName('pitr_plain');
  await createTestTable(t.client, plain);
  await t.doc.send(new PutCommand({ TableName: plain, Item: { pk: 'x', sk: 1 } }));
  clock.advance(10 * 60_000);
  await pruneChangeLog(t.db, pins);
  assert.equal([...readChanges(t.db.store, t.db.catalog.get(plain).tableNumber, endOfMs(0))].length, 0);
});

test('point-in-time recovery survives a server restart', async () => {
  const dir = temporaryDataDir();
  const restartClock = new ManualClock(start + 100 * dayMs);
  const table = uniqueTableName('pitr_restart');
  let first = await startBackupServer(restartClock, dir);
  await createTestTable(first.client, table);
  await first.client.send(new UpdateContinuousBackupsCommand({ TableName: table, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
  for (let i = 0; i < 5; i++) {
    restartClock.advance(1000);
    await first.doc.send(new PutCommand({ TableName: table, Item: { pk: 'r', sk: i, v: 'first' } }));
  }
  const middle = restartClock.now();
  await first.close();
  restartClock.advance(5000);
  const second = await startBackupServer(restartClock, dir);
  try {
    // Positions keep increasing after the restart, within the same millisecond too.
    await second.doc.send(new PutCommand({ TableName: table, Item: { pk: 'r', sk: 0, v: 'second' } }));
    await second.doc.send(new DeleteCommand({ TableName: table, Key: { pk: 'r', sk: 1 } }));
    const target = uniqueTableName('pitr_restarted');
    await second.client.send(new RestoreTableToPointInTimeCommand({ SourceTableName: table, TargetTableName: target, RestoreDateTime: new Date(middle) }));
    await waitForTable(second.client, target);
    const rows = await readTable(second.doc, target);
    assert.equal(rows.size, 5);
    assert.ok([...rows.values()].every((row) => row.v === 'first'));
    const described = await second.client.send(new DescribeContinuousBackupsCommand({ TableName: table }));
    assert.equal(described.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus, 'ENABLED');
  } finally {
    await second.close();
  }
  first = undefined as never;
});
