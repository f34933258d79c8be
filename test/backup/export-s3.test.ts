// Exports to and imports from an S3-compatible endpoint through @aws-sdk/client-s3: moto's
// server on loopback stands in for S3 (skipped when moto is not installed). The export's objects
// are read back through S3 and the export is re-imported from the same bucket.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { ExportTableToPointInTimeCommand, ImportTableCommand, PutItemCommand, ScanCommand, UpdateContinuousBackupsCommand } from '@aws-sdk/client-dynamodb';
import { startTestServer, uniqueTableName, type TestServer } from '../support/server.js';
import { createTable } from '../support/tables.js';
import { configureBulkTransfers } from '../../src/backup/index.js';
import { waitForExport, waitForImport } from './export-support.js';

const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
let moto: ChildProcess | undefined;
let endpoint = '';
let s3: S3Client;
let t: TestServer;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

before(async () => {
  const port = await freePort();
  moto = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  endpoint = `http://127.0.0.1:${port}`;
  s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      await s3.send(new CreateBucketCommand({ Bucket: 'dynamo-exports' }));
      break;
    } catch {
      if (moto.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  t = await startTestServer();
  configureBulkTransfers(t.server.database, { s3: { endpoint, region: 'us-east-1', credentials } });
});

after(async () => {
  await t?.close();
  s3?.destroy();
  moto?.kill();
});

test('export to and import from an S3-compatible bucket', async (context) => {
  if (!moto || moto.exitCode !== null) return context.skip('moto is not available');
  const table = uniqueTableName('s3_export');
  const { TableDescription } = await createTable(t.client, { name: table, partitionKey: ['id', 'S'] });
  await t.client.send(new UpdateContinuousBackupsCommand({ TableName: table, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
  for (let i = 0; i < 25; i++) await t.client.send(new PutItemCommand({ TableName: table, Item: { id: { S: `id-${i}` }, n: { N: String(i) }, b: { B: Buffer.from([i]) } } }));

  const { ExportDescription } = await t.client.send(new ExportTableToPointInTimeCommand({ TableArn: TableDescription!.TableArn, S3Bucket: 'dynamo-exports', S3Prefix: 'daily' }));
  const done = await waitForExport(t.client, ExportDescription!.ExportArn!);
  assert.equal(done.ExportStatus, 'COMPLETED', done.FailureMessage);
  assert.equal(done.ItemCount, 25);

  const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'dynamo-exports', Prefix: 'daily/AWSDynamoDB/' }));
  const keys = (listed.Contents ?? []).map((object) => object.Key!);
  const folder = done.ExportManifest!.replace(/\/manifest-summary\.json$/, '');
  for (const name of ['_started', 'manifest-files.json', 'manifest-files.md5', 'manifest-summary.json', 'manifest-summary.md5']) assert.ok(keys.includes(`${folder}/${name}`), name);
  const summary = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: 'dynamo-exports', Key: done.ExportManifest! }))).Body!.transformToString());
  assert.equal(summary.itemCount, 25);
  const files = (await (await s3.send(new GetObjectCommand({ Bucket: 'dynamo-exports', Key: summary.manifestFilesS3Key }))).Body!.transformToString())
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { dataFileS3Key: string; itemCount: number });
  let lines = 0;
  for (const file of files) {
    const body = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: 'dynamo-exports', Key: file.dataFileS3Key }))).Body!.transformToByteArray());
    lines += gunzipSync(body).toString().split('\n').filter(Boolean).length;
  }
  assert.equal(lines, 25);

  const target = `${table}_back`;
  const { ImportTableDescription } = await t.client.send(
    new ImportTableCommand({
      S3BucketSource: { S3Bucket: 'dynamo-exports', S3KeyPrefix: `${folder}/data/` },
      InputFormat: 'DYNAMODB_JSON',
      InputCompressionType: 'GZIP',
      TableCreationParameters: { TableName: target, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' },
    }),
  );
  const imported = await waitForImport(t.client, ImportTableDescription!.ImportArn!);
  assert.equal(imported.ImportStatus, 'COMPLETED', imported.FailureMessage);
  const scan = async (name: string) => ((await t.client.send(new ScanCommand({ TableName: name }))).Items ?? []).sort((a, b) => (a.id!.S! < b.id!.S! ? -1 : 1));
  assert.deepEqual(await scan(target), await scan(table));

  const missing = await waitForExport(
    t.client,
    (await t.client.send(new ExportTableToPointInTimeCommand({ TableArn: TableDescription!.TableArn, S3Bucket: 'no-such-bucket' }))).ExportDescription!.ExportArn!,
  );
  assert.deepEqual([missing.ExportStatus, missing.FailureCode], ['FAILED', 'S3NoSuchBucket']);
});
