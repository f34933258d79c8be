// The accidental-delete runbook with the AWS CLI v1 (test/backup/aws_cli_runbook.py): create a
// table, enable PITR with update-continuous-backups, write orders, note the second, delete some
// by mistake, restore-table-to-point-in-time to that second, `wait table-exists`, and compare item
// by item; then create-backup, describe-backup, list-backups, restore-table-from-backup and
// delete-backup. The server runs on the real clock, as an operator's would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startTestServer, uniqueTableName, type TestServer } from '../support/server.js';
import { pythonClientEnv } from '../support/python.js';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../../../test/backup/aws_cli_runbook.py', import.meta.url));

type WireItem = Record<string, Record<string, unknown>>;
interface Runbook {
  'create-table': { TableDescription: { TableName: string } };
  'describe-continuous-backups': { ContinuousBackupsDescription: { PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: string } } };
  orders: WireItem[];
  restore_second: number;
  'after-mistake': { Items: WireItem[] };
  'restore-table-to-point-in-time': { TableDescription: { TableName: string; RestoreSummary: { RestoreDateTime: number; SourceTableArn: string } } };
  recovered: { Items: WireItem[]; Count: number };
  'create-backup': { BackupDetails: { BackupArn: string; BackupName: string; BackupType: string } };
  'describe-backup': { BackupDescription: { BackupDetails: { BackupStatus: string }; SourceTableDetails: { TableName: string; ItemCount: number } } };
  'list-backups': { BackupSummaries: { BackupArn: string; BackupName: string }[] };
  'from-backup': { Items: WireItem[] };
  'delete-backup': { BackupDescription: { BackupDetails: { BackupStatus: string } } };
  'list-backups-after': { BackupSummaries: unknown[] };
}

let t: TestServer;
before(async () => (t = await startTestServer()));
after(() => t.close());

const keyOf = (item: WireItem) => `${String(item.customer!.S)}#${String(item.order!.N)}`;
/** Items by key, with string sets in a fixed order (set order is not part of the data). */
function byKey(items: WireItem[]): Map<string, WireItem> {
  const normal = (item: WireItem): WireItem =>
    Object.fromEntries(Object.entries(item).map(([name, value]) => [name, value.SS ? { SS: [...(value.SS as string[])].sort() } : value]));
  return new Map(items.map((item) => [keyOf(item), normal(item)]));
}

test('AWS CLI runbook: undo an accidental delete with restore-table-to-point-in-time; on-demand backups round trip', async (context) => {
  const probe = await run('python3', ['-c', 'import awscli']).then(
    () => true,
    () => false,
  );
  if (!probe) return context.skip('the AWS CLI v1 (python3 -m awscli) is not installed');
  const table = uniqueTableName('runbook');
  const { stdout } = await run('python3', [script], {
    env: pythonClientEnv(undefined, { TABULA_ENDPOINT: t.endpoint, TABULA_TABLE: table }),
    maxBuffer: 16 * 1024 * 1024,
  });
  const steps = JSON.parse(stdout) as Runbook;
  assert.equal(steps['create-table'].TableDescription.TableName, table);
  assert.equal(steps['describe-continuous-backups'].ContinuousBackupsDescription.PointInTimeRecoveryDescription.PointInTimeRecoveryStatus, 'ENABLED');
  const orders = byKey(steps.orders);
  // The mistake happened: 10 orders gone, one overwritten.
  const damaged = byKey(steps['after-mistake'].Items);
  assert.equal(damaged.size, 20);
  assert.deepEqual(damaged.get('c3#11')?.total, { N: '0' });

  // The table restored to the noted second holds exactly the orders as they were, item by item.
  const restored = steps['restore-table-to-point-in-time'].TableDescription;
  assert.equal(restored.TableName, `${table}-recovered`);
  assert.equal(restored.RestoreSummary.RestoreDateTime, steps.restore_second);
  assert.match(restored.RestoreSummary.SourceTableArn, new RegExp(`:table/${table}$`));
  const recovered = byKey(steps.recovered.Items);
  assert.equal(recovered.size, orders.size);
  for (const [key, item] of orders) assert.deepEqual(recovered.get(key), item, key);

  // On-demand backup of the damaged table, restored elsewhere, then deleted.
  const backup = steps['create-backup'].BackupDetails;
  assert.deepEqual([backup.BackupName, backup.BackupType], ['runbook-backup', 'USER']);
  assert.equal(steps['describe-backup'].BackupDescription.BackupDetails.BackupStatus, 'AVAILABLE');
  assert.deepEqual(steps['describe-backup'].BackupDescription.SourceTableDetails, { ...steps['describe-backup'].BackupDescription.SourceTableDetails, TableName: table, ItemCount: 20 });
  assert.deepEqual(
    steps['list-backups'].BackupSummaries.map((summary) => [summary.BackupArn, summary.BackupName]),
    [[backup.BackupArn, 'runbook-backup']],
  );
  assert.deepEqual(byKey(steps['from-backup'].Items), damaged);
  assert.equal(steps['delete-backup'].BackupDescription.BackupDetails.BackupStatus, 'DELETED');
  assert.deepEqual(steps['list-backups-after'].BackupSummaries, []);
});
