// The account-wide limits on jobs running at once, at the documented values, through the real SDK:
// 50 imports, 300 exports and 50 restores (of either kind) in progress; one more is a
// LimitExceededException, and a finished job gives its slot back. Imports and exports are held in
// progress by an object store (the S3 side) that waits for the test to open a gate; restores of a
// table of a few thousand items are simply sent all at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import {
  DescribeTableCommand,
  DynamoDBClient,
  ExportTableToPointInTimeCommand,
  ImportTableCommand,
  RestoreTableToPointInTimeCommand,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startTestServer, uniqueTableName, type TestServer } from '../support/server.js';
import { defaultAccessKey } from '../../src/server/tabula.js';
import { createTable, tableInput } from '../support/tables.js';
import { errorOf } from '../support/errors.js';
import { waitForExport, waitForImport } from './export-support.js';
import { configureBulkTransfers, JobSlots, LocalObjectStore, type ObjectStore } from '../../src/backup/index.js';
import { exportsInProgressMax, importsInProgressMax, restoresInProgressMax } from '../../src/backup/transfer-limits.js';
import { pollUntil } from '../support/polling.js';

/** A promise the test resolves by hand: the gate every object store call waits at. */
function newGate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

let t: TestServer;
let client: DynamoDBClient;
let gate: { open(): void; close(): void };
let exportDir: string;
before(async () => {
  t = await startTestServer();
  exportDir = mkdtempSync(join(tmpdir(), 'tabula-limits-'));
  const local = new LocalObjectStore(exportDir);
  // The S3 side, held by the test: every call waits until the gate is open.
  let waiting = newGate();
  waiting.open();
  const gated: ObjectStore = {
    put: async (bucket, key, body) => (await waiting.promise, local.put(bucket, key, body)),
    list: async (bucket, prefix) => (await waiting.promise, local.list(bucket, prefix)),
    open: async (bucket, key) => (await waiting.promise, local.open(bucket, key)),
  };
  gate = { open: () => waiting.open(), close: () => void (waiting = newGate()) };
  configureBulkTransfers(t.server.database, { objectStore: gated });
  // Enough sockets for every request of a burst to be in flight at once.
  client = new DynamoDBClient({
    endpoint: t.endpoint,
    region: 'us-east-1',
    credentials: defaultAccessKey,
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 400 }) }),
  });
});
after(async () => {
  gate.open();
  client.destroy();
  await t.close();
});

test('job slots: the last slot is taken at the limit, one past it is refused, a release frees one', () => {
  const slots = new JobSlots(3, 'Subscriber limit exceeded: test');
  const releases = [slots.acquire(), slots.acquire(), slots.acquire()];
  assert.equal(slots.inUse, 3);
  assert.throws(() => slots.acquire(), { name: 'LimitExceededException', message: 'Subscriber limit exceeded: test' });
  releases[0]!();
  releases[0]!(); // a second release of the same slot gives nothing back
  assert.equal(slots.inUse, 2);
  slots.acquire();
  assert.throws(() => slots.acquire(), { name: 'LimitExceededException' });
});

test(`${importsInProgressMax} imports run at once; one more is LimitExceededException`, async () => {
  mkdirSync(join(exportDir, 'limits'), { recursive: true });
  writeFileSync(join(exportDir, 'limits', 'one.json'), `${JSON.stringify({ Item: { pk: { S: 'a' } } })}\n`);
  gate.close();
  const start = () =>
    client.send(
      new ImportTableCommand({
        S3BucketSource: { S3Bucket: 'limits', S3KeyPrefix: 'one' },
        InputFormat: 'DYNAMODB_JSON',
        TableCreationParameters: tableInput({ name: uniqueTableName('lim_imp'), partitionKey: ['pk', 'S'] }),
      }),
    );
  const started = await Promise.all(Array.from({ length: importsInProgressMax }, start));
  assert.ok(started.every((result) => result.ImportTableDescription?.ImportStatus === 'IN_PROGRESS'));
  const refused = await errorOf(start());
  assert.deepEqual([refused.name, refused.message], ['LimitExceededException', `Subscriber limit exceeded: Only ${importsInProgressMax} import operations can be done simultaneously`]);
  gate.open();
  for (const result of started) assert.equal((await waitForImport(client, result.ImportTableDescription!.ImportArn!)).ImportStatus, 'COMPLETED');
  // The slots are free again.
  const after = await start();
  await waitForImport(client, after.ImportTableDescription!.ImportArn!);
});

test(`${exportsInProgressMax} exports run at once; one more is LimitExceededException`, async () => {
  const table = uniqueTableName('lim_exp');
  await createTable(client, { name: table, partitionKey: ['pk', 'S'] });
  await client.send(new UpdateContinuousBackupsCommand({ TableName: table, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
  const tableArn = (await client.send(new DescribeTableCommand({ TableName: table }))).Table!.TableArn!;
  gate.close();
  const start = () => client.send(new ExportTableToPointInTimeCommand({ TableArn: tableArn, S3Bucket: 'limits-out' }));
  const started = await Promise.all(Array.from({ length: exportsInProgressMax }, start));
  assert.equal(new Set(started.map((result) => result.ExportDescription!.ExportArn)).size, exportsInProgressMax);
  const refused = await errorOf(start());
  assert.deepEqual([refused.name, refused.message], ['LimitExceededException', `Subscriber limit exceeded: Only ${exportsInProgressMax} export operations can be done simultaneously`]);
  gate.open();
  for (const result of started) assert.equal((await waitForExport(client, result.ExportDescription!.ExportArn!)).ExportStatus, 'COMPLETED');
  await waitForExport(client, (await start()).ExportDescription!.ExportArn!);
});

test(`${restoresInProgressMax} restores run at once; one more is LimitExceededException with DynamoDB's text`, async () => {
  const table = uniqueTableName('lim_rst');
  await createTable(client, { name: table, partitionKey: ['pk', 'S'] });
  await client.send(new UpdateContinuousBackupsCommand({ TableName: table, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
  const doc = DynamoDBDocumentClient.from(client);
  // Enough items that every restore of the burst is still copying when the last request arrives.
  const writes = [];
  for (let i = 0; i < 2000; i += 25) {
    writes.push(doc.send(new BatchWriteCommand({ RequestItems: { [table]: Array.from({ length: 25 }, (_, j) => ({ PutRequest: { Item: { pk: `k${i + j}`, v: 'x'.repeat(200) } } })) } })));
  }
  await Promise.all(writes);
  const targets = Array.from({ length: restoresInProgressMax + 1 }, () => uniqueTableName('lim_rst_to'));
  const outcomes = await Promise.allSettled(
    targets.map((target) => client.send(new RestoreTableToPointInTimeCommand({ SourceTableName: table, TargetTableName: target, UseLatestRestorableTime: true }))),
  );
  const refused = outcomes.flatMap((outcome, index) => (outcome.status === 'rejected' ? [{ index, error: outcome.reason as Error }] : []));
  assert.equal(refused.length, 1, refused.map(({ error }) => error.message).join('; '));
  assert.deepEqual([refused[0]!.error.name, refused[0]!.error.message], ['LimitExceededException', `Subscriber limit exceeded: Only ${restoresInProgressMax} restore operations can be done simultaneously`]);
  for (const [index, target] of targets.entries()) {
    if (index === refused[0]!.index) continue;
    await pollUntil(async () => (await client.send(new DescribeTableCommand({ TableName: target }))).Table?.TableStatus, (status) => status === 'ACTIVE', `${target} never became ACTIVE`);
  }
  // Every slot is back.
  const again = await client.send(new RestoreTableToPointInTimeCommand({ SourceTableName: table, TargetTableName: targets[refused[0]!.index]!, UseLatestRestorableTime: true }));
  assert.equal(again.TableDescription?.TableName, targets[refused[0]!.index]);
});
