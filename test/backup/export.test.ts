// ExportTableToPointInTime / DescribeExport / ListExports through the real SDK, on a server with a
// controllable clock: full exports equal the table at the export time (also with writes after it)
// and re-import to an equal table, in DynamoDB JSON and Ion; incremental exports hold exactly the
// window's changes with the right images; the files parse as DynamoDB's export layout
// (export-support.ts reads manifests, checksums and data lines; Ion with the independent ion-js);
// errors, ClientToken idempotency and listing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeleteItemCommand,
  DeleteTableCommand,
  ExportTableToPointInTimeCommand,
  ImportTableCommand,
  ListExportsCommand,
  PutItemCommand,
  UpdateContinuousBackupsCommand,
  UpdateItemCommand,
  DescribeExportCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { ManualClock } from '../support/clock.js';
import { readExport, startTransferServer, waitForExport, waitForImport, type TransferServer } from './export-support.js';
import { errorOf } from '../support/errors.js';
import { uniqueTableName } from '../support/server.js';
import { createTable, tableInput } from '../support/tables.js';
import { scanItems } from '../support/scan.js';

const minuteMs = 60_000;
const clock = new ManualClock(Date.UTC(2024, 5, 1, 12, 0, 0));
let t: TransferServer;
before(async () => {
  t = await startTransferServer(clock);
});
after(() => t.close());

type Item = Record<string, AttributeValue>;

/** Every table here is keyed by pk (S) and sk (N). */
const tableKeys = { partitionKey: ['pk', 'S'], sortKey: ['sk', 'N'] } as const;

async function createExportTable(name: string, pitr = true): Promise<string> {
  const { TableDescription } = await createTable(t.client, { name, ...tableKeys });
  if (pitr) await t.client.send(new UpdateContinuousBackupsCommand({ TableName: name, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
  return TableDescription!.TableArn!;
}

async function scanAll(table: string): Promise<Map<string, Item>> {
  const items = await scanItems(t.client, { TableName: table, ConsistentRead: true });
  return new Map(items.map((item) => [keyOf(item), item]));
}

function keyOf(item: Record<string, unknown>): string {
  return JSON.stringify([item.pk, item.sk]);
}

/** An item with every attribute type, awkward names and numbers, keyed by (pk, sk). */
function richItem(pk: string, sk: number): Item {
  return {
    pk: { S: pk },
    sk: { N: String(sk) },
    text: { S: `héllo "quoted" \\ back\nline ${pk}` },
    num: { N: '-12.5e-3' },
    big: { N: '12345678901234567890123456789012345678' },
    small: { N: '0.000000000000000000000000000000000000001' },
    zero: { N: '0' },
    bin: { B: Buffer.from([0, 1, 2, 255]) },
    flag: { BOOL: sk % 2 === 0 },
    nothing: { NULL: true },
    map: { M: { nested: { L: [{ S: 'a' }, { N: '1' }, { M: { deep: { BOOL: false } } }] }, 'odd name': { S: 'x' } } },
    strings: { SS: ['a', 'b'] },
    numbers: { NS: ['1', '2.5', '-3'] },
    binaries: { BS: [Buffer.from('x'), Buffer.from('y')] },
    'null': { S: 'a field named null' },
    "it's": { S: 'quote in a name' },
  };
}

async function put(table: string, item: Item) {
  await t.client.send(new PutItemCommand({ TableName: table, Item: item }));
}

/** Normalizes an item read back through the SDK (Uint8Array binaries) to compare with an export line. */
function wire(item: Item): unknown {
  return JSON.parse(JSON.stringify(item, (_key, value) => (value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value)));
}

function sortRecords(records: Record<string, unknown>[], field: string): Record<string, unknown>[] {
  return records.sort((a, b) => (keyOf(a[field] as Record<string, unknown>) < keyOf(b[field] as Record<string, unknown>) ? -1 : 1));
}

for (const format of ['DYNAMODB_JSON', 'ION'] as const) {
  test(`full ${format} export equals the table at ExportTime, and re-imports to an equal table`, async () => {
    const table = uniqueTableName(`exp_full_${format.toLowerCase()}`);
    const tableArn = await createExportTable(table);
    for (let i = 0; i < 30; i++) await put(table, richItem(`p${i % 7}`, i));
    clock.advance(minuteMs);
    const exportTime = new Date(clock.now());
    const expected = await scanAll(table);
    clock.advance(minuteMs);
    // Changes after the export time must not show: an update, a delete, a new item.
    await t.client.send(new UpdateItemCommand({ TableName: table, Key: { pk: { S: 'p0' }, sk: { N: '0' } }, UpdateExpression: 'SET #t = :v', ExpressionAttributeNames: { '#t': 'text' }, ExpressionAttributeValues: { ':v': { S: 'later' } } }));
    await t.client.send(new DeleteItemCommand({ TableName: table, Key: { pk: { S: 'p1' }, sk: { N: '1' } } }));
    await put(table, richItem('late', 99));

    const { ExportDescription } = await t.client.send(
      new ExportTableToPointInTimeCommand({ TableArn: tableArn, S3Bucket: 'exports-bucket', S3Prefix: 'nightly/run-1', ExportFormat: format, ExportTime: exportTime }),
    );
    assert.equal(ExportDescription?.ExportStatus, 'IN_PROGRESS');
    assert.match(ExportDescription!.ExportArn!, new RegExp(`^${tableArn}/export/\\d{14}-[0-9a-f]{8}$`));
    // ExportType was not requested, so DynamoDB does not echo it.
    assert.equal(ExportDescription?.ExportType, undefined);
    assert.deepEqual(ExportDescription?.ExportTime, exportTime);
    const done = await waitForExport(t.client, ExportDescription!.ExportArn!);
    assert.equal(done.ExportStatus, 'COMPLETED', done.FailureMessage);
    assert.equal(done.ItemCount, 30);
    assert.ok(done.BilledSizeBytes! > 0);
    assert.ok(done.EndTime! >= done.StartTime!);
    assert.match(done.ExportManifest!, /^nightly\/run-1\/AWSDynamoDB\/\d{14}-[0-9a-f]{8}\/manifest-summary\.json$/);

    const parsed = readExport(t.exportDir, 'exports-bucket', done.ExportManifest!);
    assert.equal(parsed.summary.itemCount, 30);
    assert.equal(parsed.summary.exportArn, done.ExportArn);
    assert.equal(parsed.summary.tableArn, tableArn);
    assert.equal(parsed.summary.exportTime, exportTime.toISOString());
    assert.equal(parsed.summary.s3Prefix, 'nightly/run-1');
    assert.equal(parsed.summary.outputFormat, format);
    assert.equal(parsed.summary.billedSizeBytes, done.BilledSizeBytes);
    const exported = sortRecords(parsed.records, 'Item').map((record) => record.Item);
    const want = [...expected.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, item]) => wire(item));
    assert.deepEqual(exported, want);

    // Re-import the export's data files into a new table: item by item equal to the source at ExportTime.
    const target = `${table}_back`;
    const folder = done.ExportManifest!.replace(/manifest-summary\.json$/, 'data/');
    const { ImportTableDescription } = await t.client.send(
      new ImportTableCommand({
        S3BucketSource: { S3Bucket: 'exports-bucket', S3KeyPrefix: folder },
        InputFormat: format,
        InputCompressionType: 'GZIP',
        TableCreationParameters: tableInput({ name: target, ...tableKeys }),
      }),
    );
    const imported = await waitForImport(t.client, ImportTableDescription!.ImportArn!);
    assert.equal(imported.ImportStatus, 'COMPLETED', imported.FailureMessage);
    assert.equal(imported.ImportedItemCount, 30);
    assert.equal(imported.ErrorCount, 0);
    const back = await scanAll(target);
    assert.deepEqual([...back.keys()].sort(), [...expected.keys()].sort());
    for (const [key, item] of expected) assert.deepEqual(wire(back.get(key)!), wire(item), key);
  });
}

test('full export of an empty table writes one empty data file', async () => {
  const table = uniqueTableName('exp_empty');
  const tableArn = await createExportTable(table);
  const { ExportDescription } = await t.client.send(new ExportTableToPointInTimeCommand({ TableArn: tableArn, S3Bucket: 'exports-bucket' }));
  const done = await waitForExport(t.client, ExportDescription!.ExportArn!);
  assert.equal(done.ItemCount, 0);
  assert.match(done.ExportManifest!, /^AWSDynamoDB\/\d{14}-[0-9a-f]{8}\/manifest-summary\.json$/);
  const parsed = readExport(t.exportDir, 'exports-bucket', done.ExportManifest!);
  assert.equal(parsed.files.length, 1);
  assert.equal(parsed.files[0]!.itemCount, 0);
  assert.equal(parsed.summary.s3Prefix, null);
});

for (const view of ['NEW_AND_OLD_IMAGES', 'NEW_IMAGE'] as const) {
  for (const format of ['DYNAMODB_JSON', 'ION'] as const) {
    test(`incremental ${format} ${view} export holds exactly the window's net changes`, async () => {
      const table = uniqueTableName('exp_incr');
      const tableArn = await createExportTable(table);
      const item = (pk: string, value: string): Item => ({ pk: { S: pk }, sk: { N: '1' }, v: { S: value } });
      // Before the window.
      await put(table, item('a', 'a0'));
      await put(table, item('c', 'c0'));
      await put(table, item('f', 'f0'));
      clock.advance(minuteMs);
      const fromMs = clock.now();
      // In the window: update a twice, insert b, delete c, insert-then-delete d, put e twice, rewrite f unchanged.
      await put(table, item('a', 'a1'));
      clock.advance(minuteMs);
      await put(table, item('b', 'b1'));
      await t.client.send(new DeleteItemCommand({ TableName: table, Key: { pk: { S: 'c' }, sk: { N: '1' } } }));
      await put(table, item('d', 'd1'));
      clock.advance(minuteMs);
      await t.client.send(new DeleteItemCommand({ TableName: table, Key: { pk: { S: 'd' }, sk: { N: '1' } } }));
      await put(table, item('e', 'e1'));
      await put(table, item('a', 'a2'));
      const lastAMs = clock.now();
      clock.advance(minuteMs);
      await put(table, item('e', 'e2'));
      const lastEMs = clock.now();
      clock.advance(20 * minuteMs);
      const toMs = clock.now();
      // At the window's (exclusive) end and after it: not exported.
      await put(table, item('b', 'b-after'));
      await put(table, item('g', 'g-after'));
      clock.advance(minuteMs);

      const { ExportDescription } = await t.client.send(
        new ExportTableToPointInTimeCommand({
          TableArn: tableArn,
          S3Bucket: 'incremental',
          ExportFormat: format,
          ExportType: 'INCREMENTAL_EXPORT',
          IncrementalExportSpecification: { ExportFromTime: new Date(fromMs), ExportToTime: new Date(toMs), ExportViewType: view },
        }),
      );
      assert.deepEqual(ExportDescription?.IncrementalExportSpecification, { ExportFromTime: new Date(fromMs), ExportToTime: new Date(toMs), ExportViewType: view });
      assert.equal(ExportDescription?.ExportTime, undefined);
      const done = await waitForExport(t.client, ExportDescription!.ExportArn!);
      assert.equal(done.ExportStatus, 'COMPLETED', done.FailureMessage);
      const parsed = readExport(t.exportDir, 'incremental', done.ExportManifest!);
      assert.equal(parsed.summary.exportType, 'INCREMENTAL_EXPORT');
      assert.equal(parsed.summary.outputView, view);
      assert.equal(parsed.summary.exportFromTime, new Date(fromMs).toISOString());
      assert.equal(parsed.summary.exportToTime, new Date(toMs).toISOString());
      const keys = (pk: string) => ({ pk: { S: pk }, sk: { N: '1' } });
      const both = view === 'NEW_AND_OLD_IMAGES';
      const micros = (ms: number) => ({ WriteTimestampMicros: { N: String(ms * 1000) } });
      const expected = [
        { Metadata: micros(lastAMs), Keys: keys('a'), NewImage: item('a', 'a2'), ...(both && { OldImage: item('a', 'a0') }) },
        { Metadata: micros(fromMs + minuteMs), Keys: keys('b'), NewImage: item('b', 'b1') },
        { Metadata: micros(fromMs + minuteMs), Keys: keys('c'), ...(both && { OldImage: item('c', 'c0') }) },
        { Metadata: micros(lastEMs), Keys: keys('e'), NewImage: item('e', 'e2') },
      ];
      assert.deepEqual(sortRecords(parsed.records, 'Keys'), expected);
      assert.equal(done.ItemCount, 4);
    });
  }
}

test('export errors: PITR off, times outside the window, the incremental window, unknown export', async () => {
  const table = uniqueTableName('exp_errors');
  const tableArn = await createExportTable(table, false);
  const noPitr = await errorOf(t.client.send(new ExportTableToPointInTimeCommand({ TableArn: tableArn, S3Bucket: 'b1' })));
  assert.equal(noPitr.name, 'PointInTimeRecoveryUnavailableException');
  await t.client.send(new UpdateContinuousBackupsCommand({ TableName: table, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
  const early = await errorOf(t.client.send(new ExportTableToPointInTimeCommand({ TableArn: tableArn, S3Bucket: 'b1', ExportTime: new Date(clock.now() - 1000) })));
  assert.deepEqual([early.name, early.message], ['InvalidExportTimeException', 'Export Time is invalid']);
  const future = await errorOf(t.client.send(new ExportTableToPointInTimeCommand({ TableArn: tableArn, S3Bucket: 'b1', ExportTime: new Date(clock.now() + 60_000) })));
  assert.equal(future.name, 'InvalidExportTimeException');
  clock.advance(30 * minuteMs);
  const short = await errorOf(
    t.client.send(
      new ExportTableToPointInTimeCommand({
        TableArn: tableArn,
        S3Bucket: 'b1',
        ExportType: 'INCREMENTAL_EXPORT',
        IncrementalExportSpecification: { ExportFromTime: new Date(clock.now() - 10 * minuteMs), ExportToTime: new Date(clock.now()) },
      }),
    ),
  );
  assert.deepEqual([short.name, short.message], ['InvalidExportTimeException', 'Difference between export period from time and export period to time is less than 15 minutes']);
  // Before the recovery window, and in the future: DynamoDB's texts, which quote the time given.
  const beforeWindow = new Date(clock.now() - 31 * minuteMs);
  const tooEarly = await errorOf(
    t.client.send(
      new ExportTableToPointInTimeCommand({ TableArn: tableArn, S3Bucket: 'b1', ExportType: 'INCREMENTAL_EXPORT', IncrementalExportSpecification: { ExportFromTime: beforeWindow } }),
    ),
  );
  assert.deepEqual(
    [tooEarly.name, tooEarly.message],
    ['InvalidExportTimeException', `Incremental export period from time cannot be less than the table creation time : ${beforeWindow.toISOString().replace(/\.\d{3}Z$/, 'Z')}`],
  );
  const futureTo = new Date(clock.now() + 60 * minuteMs);
  const tooLate = await errorOf(
    t.client.send(
      new ExportTableToPointInTimeCommand({
        TableArn: tableArn,
        S3Bucket: 'b1',
        ExportType: 'INCREMENTAL_EXPORT',
        IncrementalExportSpecification: { ExportFromTime: new Date(clock.now() - 20 * minuteMs), ExportToTime: futureTo },
      }),
    ),
  );
  assert.deepEqual(
    [tooLate.name, tooLate.message],
    ['InvalidExportTimeException', `Incremental export period to time cannot be greater than the current time : ${futureTo.toISOString().replace(/\.\d{3}Z$/, 'Z')}`],
  );
  const badFormat = await errorOf(t.client.send(new ExportTableToPointInTimeCommand({ TableArn: tableArn, S3Bucket: 'b1', ExportFormat: 'CSV' as 'ION' })));
  assert.equal(badFormat.message, "1 validation error detected: Value 'CSV' at 'exportFormat' failed to satisfy constraint: Member must satisfy enum value set: [ION, DYNAMODB_JSON]");
  const missingTable = await errorOf(t.client.send(new ExportTableToPointInTimeCommand({ TableArn: `${tableArn}_gone`, S3Bucket: 'b1' })));
  assert.equal(missingTable.name, 'TableNotFoundException');
  const unknown = await errorOf(t.client.send(new DescribeExportCommand({ ExportArn: `${tableArn}/export/01717243200000-00000000` })));
  assert.equal(unknown.name, 'ExportNotFoundException');
});

test('export contract: ARN checks, ExportType echo, request validation, conflict text, ListExports of a deleted table', async () => {
  const table = uniqueTableName('exp_contract');
  const tableArn = await createExportTable(table);
  const [, , , region, account] = tableArn.split(':');
  const describe = (arn: string) => errorOf(t.client.send(new DescribeExportCommand({ ExportArn: arn })));
  // Not an export ARN at all, or not one naming a table's export: ValidationException.
  for (const arn of [`qwerty:aws:dynamodb:${region}:${account}:table/nonexistent_table_xyz`, `arn:aws:dynamodb:${region}:${account}:table/nonexistent_table_xyz`]) {
    const error = await describe(arn);
    assert.equal(error.name, 'ValidationException', arn);
    assert.match(error.message, /Invalid Export ARN/);
  }
  // Well-formed, but another partition, service or account, or no region at all: AccessDeniedException "Access is denied".
  for (const arn of [
    `arn:aws:dynamodb:qwerty:${account}:table/nonexistent_table_xyz`,
    `arn:qwerty:dynamodb:${region}:${account}:table/nonexistent_table_xyz`,
    `arn:aws:qwerty:${region}:${account}:table/nonexistent_table_xyz`,
    `arn:aws:dynamodb:${region}:qwerty:table/nonexistent_table_xyz`,
  ]) {
    const error = await describe(arn);
    assert.deepEqual([error.name, error.message], ['AccessDeniedException', 'Access is denied'], arn);
  }
  // Another region: not found there. An export ARN of ours that names no export: "Export not found" twice, as DynamoDB says it.
  const otherRegion = await describe(`arn:aws:dynamodb:eu-west-1:${account}:table/${table}/export/01717243200000-00000000`);
  assert.deepEqual([otherRegion.name, otherRegion.message], ['ExportNotFoundException', 'Export not found: Invalid export arn']);
  const unknownArn = `${tableArn}/export/01717243200000-00000000`;
  const unknown = await describe(unknownArn);
  assert.deepEqual([unknown.name, unknown.message], ['ExportNotFoundException', `Export not found: Export not found: ${unknownArn}`]);
  const invalidShape = await describe(`arn:aws:dynamodb:${region}:${account}:table/${table}`);
  assert.equal(invalidShape.message, 'Invalid Export ARN');
  // Request validation: an empty S3Prefix; a TableArn that is no ARN.
  const emptyPrefix = await errorOf(t.client.send(new ExportTableToPointInTimeCommand({ TableArn: tableArn, S3Bucket: 'b2', S3Prefix: '' })));
  assert.equal(emptyPrefix.name, 'ValidationException');
  assert.match(emptyPrefix.message, /s3Prefix/);
  for (const bad of ['\t', 'QWERTY', table]) {
    const error = await errorOf(t.client.send(new ExportTableToPointInTimeCommand({ TableArn: bad, S3Bucket: 'b2' })));
    assert.deepEqual([error.name, error.message], ['ValidationException', 'One or more parameter values were invalid: tableArn is not a valid ARN'], JSON.stringify(bad));
  }
  // An index ARN, and a table ARN of another account (DynamoDB's texts).
  const indexArn = await errorOf(t.client.send(new ExportTableToPointInTimeCommand({ TableArn: `${tableArn}/index/by-x`, S3Bucket: 'b2' })));
  assert.deepEqual([indexArn.name, indexArn.message], ['ValidationException', 'Invalid Request: Table ARN is invalid.']);
  const otherAccount = await errorOf(t.client.send(new ExportTableToPointInTimeCommand({ TableArn: tableArn.replace(`:${account}:`, ':123456789012:'), S3Bucket: 'b2' })));
  assert.deepEqual([otherAccount.name, otherAccount.message], ['AccessDeniedException', 'Access is denied']);
  // Incremental specification couplings (DynamoDB's texts).
  const couplings: [Partial<ConstructorParameters<typeof ExportTableToPointInTimeCommand>[0]>, string][] = [
    [{ IncrementalExportSpecification: { ExportFromTime: new Date(clock.now() - 3600_000) } }, 'Invalid Request: Export Type expected to be Incremental Export when incremental export specification is provided'],
    [
      { ExportType: 'FULL_EXPORT', IncrementalExportSpecification: { ExportFromTime: new Date(clock.now() - 3600_000) } },
      'Invalid Request: When Export Type is Full Export , Incremental Export Specification should not be provided',
    ],
    [{ ExportType: 'INCREMENTAL_EXPORT' }, 'Invalid Request: Incremental Export Specification expected when export type is set as Incremental Export'],
    [{ ExportType: 'INCREMENTAL_EXPORT', IncrementalExportSpecification: {} }, 'Invalid Request: ExportFromTime must be provided in IncrementalExportSpecification'],
  ];
  for (const [extra, message] of couplings) {
    const error = await errorOf(t.client.send(new ExportTableToPointInTimeCommand({ TableArn: tableArn, S3Bucket: 'b2', ...extra })));
    assert.deepEqual([error.name, error.message], ['ValidationException', message]);
  }
  // ExportType is echoed only when the request set it.
  const explicit = (await t.client.send(new ExportTableToPointInTimeCommand({ TableArn: tableArn, S3Bucket: 'b2', ExportType: 'FULL_EXPORT' }))).ExportDescription!;
  assert.equal(explicit.ExportType, 'FULL_EXPORT');
  const implicit = (await t.client.send(new ExportTableToPointInTimeCommand({ TableArn: tableArn, S3Bucket: 'b2', ClientToken: 'contract-1' }))).ExportDescription!;
  assert.equal(implicit.ExportType, undefined);
  assert.equal((await waitForExport(t.client, implicit.ExportArn!)).ExportType, undefined);
  await waitForExport(t.client, explicit.ExportArn!);
  // A reused ClientToken with other parameters (DynamoDB's text).
  const conflict = await errorOf(t.client.send(new ExportTableToPointInTimeCommand({ TableArn: tableArn, S3Bucket: 'b3', ClientToken: 'contract-1' })));
  assert.deepEqual([conflict.name, conflict.message], ['ExportConflictException', 'Export conflict: Duplicate request detected with conflicting parameters']);
  // Once the table is gone, ListExports filtered by it lists nothing; the exports stay describable.
  assert.equal((await t.client.send(new ListExportsCommand({ TableArn: tableArn }))).ExportSummaries!.length, 2);
  await t.client.send(new DeleteTableCommand({ TableName: table }));
  assert.deepEqual((await t.client.send(new ListExportsCommand({ TableArn: tableArn }))).ExportSummaries, []);
  assert.equal((await t.client.send(new DescribeExportCommand({ ExportArn: implicit.ExportArn! }))).ExportDescription?.ExportStatus, 'COMPLETED');
});

test('ClientToken: the same request returns the same export, a different one conflicts; ListExports filters and pages', async () => {
  const table = uniqueTableName('exp_token');
  const tableArn = await createExportTable(table);
  await put(table, richItem('x', 1));
  const request = { TableArn: tableArn, S3Bucket: 'tokens', ClientToken: 'nightly-2024-06-01' };
  const first = (await t.client.send(new ExportTableToPointInTimeCommand(request))).ExportDescription!;
  assert.equal(first.ClientToken, 'nightly-2024-06-01');
  const again = (await t.client.send(new ExportTableToPointInTimeCommand(request))).ExportDescription!;
  assert.equal(again.ExportArn, first.ExportArn);
  const conflict = await errorOf(t.client.send(new ExportTableToPointInTimeCommand({ ...request, S3Prefix: 'elsewhere' })));
  assert.equal(conflict.name, 'ExportConflictException');
  await waitForExport(t.client, first.ExportArn!);

  const arns = [first.ExportArn!];
  for (let i = 0; i < 2; i++) {
    clock.advance(1000);
    const { ExportDescription } = await t.client.send(new ExportTableToPointInTimeCommand({ TableArn: tableArn, S3Bucket: 'tokens' }));
    arns.push(ExportDescription!.ExportArn!);
    await waitForExport(t.client, ExportDescription!.ExportArn!);
  }
  const seen: string[] = [];
  let token: string | undefined;
  do {
    const page = await t.client.send(new ListExportsCommand({ TableArn: tableArn, MaxResults: 2, NextToken: token }));
    assert.ok(page.ExportSummaries!.length <= 2);
    for (const summary of page.ExportSummaries!) {
      assert.equal(summary.ExportStatus, 'COMPLETED');
      assert.equal(summary.ExportType, 'FULL_EXPORT');
      seen.push(summary.ExportArn!);
    }
    token = page.NextToken;
  } while (token);
  assert.deepEqual(seen, [...arns].sort().reverse());
});
