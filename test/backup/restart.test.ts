// Jobs cut short by a crash: the real `tabula serve` process is killed with SIGKILL while an
// export, an import, a point-in-time restore and the SYSTEM backup of a deleted table are running,
// then started again on the same data directory. Every job ends in a terminal state (COMPLETED, or
// FAILED with a message; a half-restored table is removed) and is never IN_PROGRESS or CREATING
// forever; the SYSTEM backup's copy is redone whole; the source table is untouched, item by item.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  DeleteTableCommand,
  DescribeBackupCommand,
  DescribeExportCommand,
  DescribeImportCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ExportTableToPointInTimeCommand,
  ImportTableCommand,
  ListBackupsCommand,
  RestoreTableFromBackupCommand,
  RestoreTableToPointInTimeCommand,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tableInput } from '../support/tables.js';
import { pollUntil } from '../support/polling.js';
import { serveChild, stopChild, type ChildServer } from '../support/child-server.js';
import { putAll } from '../support/batches.js';
import { errorOf } from '../support/errors.js';
import { createTestTable, readTable, sortedRows } from './helpers.js';

const serve = (dataDir: string) => serveChild(dataDir, ['--no-throttling']);
const stop = stopChild;

function fill(doc: DynamoDBDocumentClient, table: string, count: number): Promise<void> {
  const rows = Array.from({ length: count }, (_, i) => ({ pk: `p${i % 13}`, sk: i, g: `g${i % 3}`, l: i % 7, pad: 'x'.repeat(100) }));
  return putAll(doc, table, rows);
}

const enablePitr = (client: DynamoDBClient, table: string) =>
  client.send(new UpdateContinuousBackupsCommand({ TableName: table, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));

const tableStatus = async (client: DynamoDBClient, table: string): Promise<string> => {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: table }))).Table!.TableStatus!;
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return 'GONE';
    throw error;
  }
};

test('export, import, restore and a SYSTEM backup cut short by kill -9 all end after a restart; the source is untouched', { timeout: 120_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tabula-restart-'));
  // The server to kill if an assertion fails (the test process would never end with it running).
  let running: ChildServer | undefined;
  try {
    let serving = (running = await serve(dataDir));
    const source = 'restart_source';
    const doomed = 'restart_doomed';
    await createTestTable(serving.client, source);
    await createTestTable(serving.client, doomed);
    await enablePitr(serving.client, source);
    await enablePitr(serving.client, doomed);
    await fill(serving.doc, source, 3000);
    await fill(serving.doc, doomed, 3000);
    const before = await readTable(serving.doc, source);
    const tableArn = (await serving.client.send(new DescribeTableCommand({ TableName: source }))).Table!.TableArn!;
    // An import source in the server's export directory (one folder per bucket).
    const lines = Array.from({ length: 40_000 }, (_, i) => JSON.stringify({ Item: { pk: { S: `i${i}` }, v: { S: 'y'.repeat(60) } } }));
    mkdirSync(join(dataDir, 'exports', 'restart-in'), { recursive: true });
    writeFileSync(join(dataDir, 'exports', 'restart-in', 'data.json.gz'), gzipSync(lines.join('\n')));

    // Start every job, then kill the server while they run.
    const [exported, imported] = await Promise.all([
      serving.client.send(new ExportTableToPointInTimeCommand({ TableArn: tableArn, S3Bucket: 'restart-out' })),
      serving.client.send(
        new ImportTableCommand({
          S3BucketSource: { S3Bucket: 'restart-in' },
          InputFormat: 'DYNAMODB_JSON',
          InputCompressionType: 'GZIP',
          TableCreationParameters: tableInput({ name: 'restart_imported', partitionKey: ['pk', 'S'] }),
        }),
      ),
      serving.client.send(new DeleteTableCommand({ TableName: doomed })),
    ]);
    const restoring = serving.client.send(new RestoreTableToPointInTimeCommand({ SourceTableName: source, TargetTableName: 'restart_restored', UseLatestRestorableTime: true }));
    restoring.catch(() => {}); // the server dies under it
    await pollUntil(() => tableStatus(serving.client, 'restart_restored'), (status) => status !== 'GONE', 'the restore never started');
    running = undefined;
    await stop(serving, 'SIGKILL');

    serving = running = await serve(dataDir);
    // The export: never IN_PROGRESS for ever; FAILED says why.
    const exportDone = await pollUntil(
      async () => (await serving.client.send(new DescribeExportCommand({ ExportArn: exported.ExportDescription!.ExportArn }))).ExportDescription!,
      (description) => description.ExportStatus !== 'IN_PROGRESS',
      'the export stayed IN_PROGRESS',
    );
    if (exportDone.ExportStatus === 'FAILED') assert.ok(exportDone.FailureCode && exportDone.FailureMessage, JSON.stringify(exportDone));
    else assert.equal(exportDone.ExportStatus, 'COMPLETED');
    // The import: terminal, and its table usable with what it holds.
    const importDone = await pollUntil(
      async () => (await serving.client.send(new DescribeImportCommand({ ImportArn: imported.ImportTableDescription!.ImportArn }))).ImportTableDescription!,
      (description) => description.ImportStatus !== 'IN_PROGRESS',
      'the import stayed IN_PROGRESS',
    );
    if (importDone.ImportStatus === 'FAILED') assert.ok(importDone.FailureCode && importDone.FailureMessage, JSON.stringify(importDone));
    else assert.equal(importDone.ImportStatus, 'COMPLETED');
    await pollUntil(() => tableStatus(serving.client, 'restart_imported'), (status) => status === 'ACTIVE', 'the imported table stayed CREATING');
    // The restore: whole and ACTIVE, or removed; never CREATING for ever.
    const restoredStatus = await pollUntil(() => tableStatus(serving.client, 'restart_restored'), (status) => status !== 'CREATING', 'the restored table stayed CREATING');
    if (restoredStatus === 'ACTIVE') assert.deepEqual(sortedRows(await readTable(serving.doc, 'restart_restored')), sortedRows(before));
    else assert.equal(restoredStatus, 'GONE');
    // The SYSTEM backup of the deleted table: its copy is redone whole, and it restores.
    const [system] = (await serving.client.send(new ListBackupsCommand({ TableName: doomed, BackupType: 'SYSTEM' }))).BackupSummaries!;
    assert.ok(system, 'the SYSTEM backup survived');
    await pollUntil(
      async () => (await serving.client.send(new DescribeBackupCommand({ BackupArn: system.BackupArn }))).BackupDescription!.BackupDetails!.BackupStatus,
      (status) => status === 'AVAILABLE',
      'the SYSTEM backup stayed CREATING',
    );
    await serving.client.send(new RestoreTableFromBackupCommand({ BackupArn: system.BackupArn, TargetTableName: doomed }));
    await pollUntil(() => tableStatus(serving.client, doomed), (status) => status === 'ACTIVE', 'the SYSTEM backup restore never finished');
    assert.equal((await readTable(serving.doc, doomed)).size, 3000);
    // The source table is untouched, item by item.
    assert.deepEqual(sortedRows(await readTable(serving.doc, source)), sortedRows(before));
    assert.equal((await errorOf(serving.client.send(new DescribeTableCommand({ TableName: 'restart_missing' })))).name, 'ResourceNotFoundException');
    running = undefined;
    await stop(serving, 'SIGTERM');
  } finally {
    if (running) await stop(running, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});

