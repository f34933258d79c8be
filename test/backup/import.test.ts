// ImportTable / DescribeImport / ListImports through the real SDK, reading files placed in the
// server's export directory (one folder per bucket): CSV with a header or a HeaderList and another
// delimiter, DynamoDB JSON gzip, Ion zstd; bad records counted, logged (bounded) and skipped with
// DynamoDB's ItemValidationError outcome; a missing bucket; an existing table; ClientToken and listing.
// The CLI round trip (tabula export / tabula import) runs against a separate server at the end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeImportCommand,
  DescribeTableCommand,
  ImportTableCommand,
  ListImportsCommand,
  PutItemCommand,
  ScanCommand,
  type AttributeValue,
  type ImportTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { ManualClock } from '../support/clock.js';
import { startTransferServer, waitForImport, type TransferServer } from './export-support.js';
import { errorOf } from '../support/errors.js';
import { startTestServer, uniqueTableName } from '../support/server.js';
import { tableInput, type GlobalIndexSpec, type TableInput } from '../support/tables.js';
import { scanItems } from '../support/scan.js';
import { importErrorLog, importTable } from '../../src/api/imports.js';

const clock = new ManualClock(Date.UTC(2024, 6, 1, 9, 0, 0));
let t: TransferServer;
before(async () => {
  t = await startTransferServer(clock);
});
after(() => t.close());

type Item = Record<string, AttributeValue>;

function place(bucket: string, key: string, body: string | Buffer): void {
  const path = join(t.exportDir, bucket, ...key.split('/'));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, body);
}

/** A table keyed by pk (S) and sk (N), as CreateTable and ImportTable's TableCreationParameters take it. */
function creation(tableName: string, globalIndexes?: GlobalIndexSpec[]): TableInput {
  return tableInput({ name: tableName, partitionKey: ['pk', 'S'], sortKey: ['sk', 'N'], globalIndexes });
}

async function runImport(input: ImportTableCommandInput) {
  const { ImportTableDescription } = await t.client.send(new ImportTableCommand(input));
  assert.equal(ImportTableDescription?.ImportStatus, 'IN_PROGRESS');
  return waitForImport(t.client, ImportTableDescription!.ImportArn!);
}

async function scanAll(table: string): Promise<Item[]> {
  const out = await scanItems(t.client, { TableName: table });
  return out.sort((a, b) => (JSON.stringify([a.pk, a.sk]) < JSON.stringify([b.pk, b.sk]) ? -1 : 1));
}

test('CSV with a header: key columns take their declared types, other columns are strings; a GSI is built', async () => {
  place('csv-bucket', 'people/part-1.csv', 'pk,sk,name,age,team\nu1,1,"Ann, Jr.",31,red\nu2,2,"Bob ""the"" builder",40,blue\r\nu3,3,"multi\nline",,red\n');
  place('csv-bucket', 'people/part-2.csv', 'pk,sk,name,age,team\nu4,4.50,Dee,22,blue\n');
  const table = uniqueTableName('imp_csv');
  const done = await runImport({
    S3BucketSource: { S3Bucket: 'csv-bucket', S3KeyPrefix: 'people/' },
    InputFormat: 'CSV',
    TableCreationParameters: creation(table, [{ name: 'by-team', partitionKey: ['team', 'S'], projection: 'ALL' }]),
  });
  assert.equal(done.ImportStatus, 'COMPLETED', done.FailureMessage);
  assert.deepEqual([done.ProcessedItemCount, done.ImportedItemCount, done.ErrorCount], [4, 4, 0]);
  assert.equal(done.InputCompressionType, 'NONE');
  assert.ok(done.ProcessedSizeBytes! > 0);
  assert.match(done.CloudWatchLogGroupArn!, /^arn:aws:logs:us-east-1:\d{12}:log-group:\/aws-dynamodb\/imports:\*$/);
  assert.equal((await t.client.send(new DescribeTableCommand({ TableName: table }))).Table?.TableStatus, 'ACTIVE');
  assert.deepEqual(await scanAll(table), [
    { pk: { S: 'u1' }, sk: { N: '1' }, name: { S: 'Ann, Jr.' }, age: { S: '31' }, team: { S: 'red' } },
    { pk: { S: 'u2' }, sk: { N: '2' }, name: { S: 'Bob "the" builder' }, age: { S: '40' }, team: { S: 'blue' } },
    { pk: { S: 'u3' }, sk: { N: '3' }, name: { S: 'multi\nline' }, team: { S: 'red' } },
    { pk: { S: 'u4' }, sk: { N: '4.5' }, name: { S: 'Dee' }, age: { S: '22' }, team: { S: 'blue' } },
  ]);
  const byTeam = await t.client.send(new ScanCommand({ TableName: table, IndexName: 'by-team' }));
  assert.equal(byTeam.Count, 4);
});

test('CSV with a HeaderList and a delimiter reads the first line as data', async () => {
  place('csv-bucket', 'pipes/data.psv', 'a|1|x\nb|2|y\n');
  const table = uniqueTableName('imp_psv');
  const done = await runImport({
    S3BucketSource: { S3Bucket: 'csv-bucket', S3KeyPrefix: 'pipes/' },
    InputFormat: 'CSV',
    InputFormatOptions: { Csv: { Delimiter: '|', HeaderList: ['pk', 'sk', 'v'] } },
    TableCreationParameters: creation(table),
  });
  assert.equal(done.ImportStatus, 'COMPLETED', done.FailureMessage);
  assert.deepEqual(done.InputFormatOptions, { Csv: { Delimiter: '|', HeaderList: ['pk', 'sk', 'v'] } });
  assert.deepEqual(await scanAll(table), [
    { pk: { S: 'a' }, sk: { N: '1' }, v: { S: 'x' } },
    { pk: { S: 'b' }, sk: { N: '2' }, v: { S: 'y' } },
  ]);
});

test('Ion compressed with zstd imports every type', async (context) => {
  const probe = spawnSync('zstd', ['--version']);
  if (probe.status !== 0) return context.skip('no zstd command to compress the fixture');
  const ion = '$ion_1_0 {Item:{pk:"i1",sk:1.,s:$dynamodb_SS::["a","b"],n:$dynamodb_NS::[1.5,2d1],b:{{aGk=}},m:{x:null,l:[true,"t",-0.25]},\'odd name\':"v"}}\n$ion_1_0 {Item:{pk:"i2",sk:2}}\n';
  const compressed = execFileSync('zstd', ['-q', '-c'], { input: Buffer.from(ion) });
  place('ion-bucket', 'zstd/items.ion.zst', compressed);
  const table = uniqueTableName('imp_ion');
  const done = await runImport({ S3BucketSource: { S3Bucket: 'ion-bucket', S3KeyPrefix: 'zstd/' }, InputFormat: 'ION', InputCompressionType: 'ZSTD', TableCreationParameters: creation(table) });
  assert.equal(done.ImportStatus, 'COMPLETED', done.FailureMessage);
  const items = await scanAll(table);
  assert.deepEqual(items[1], { pk: { S: 'i2' }, sk: { N: '2' } });
  const first = JSON.parse(JSON.stringify(items[0], (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString() : v)));
  assert.deepEqual(first, {
    pk: { S: 'i1' },
    sk: { N: '1' },
    s: { SS: ['a', 'b'] },
    n: { NS: ['1.5', '20'] },
    b: { B: 'hi' },
    m: { M: { x: { NULL: true }, l: { L: [{ BOOL: true }, { S: 't' }, { N: '-0.25' }] } } },
    'odd name': { S: 'v' },
  });
});

test('bad records are counted, the first ones logged, the rest imported; the import ends FAILED with ItemValidationError', async () => {
  const good = (i: number) => JSON.stringify({ Item: { pk: { S: `g${i}` }, sk: { N: String(i) } } });
  const lines = [
    good(1),
    JSON.stringify({ Item: { sk: { N: '5' } } }), // missing the partition key
    JSON.stringify({ Item: { pk: { N: '7' }, sk: { N: '5' } } }), // wrong key type
    JSON.stringify({ NotItem: {} }),
    good(2),
  ];
  for (let i = 0; i < 120; i++) lines.push(JSON.stringify({ Item: { pk: { S: '' }, sk: { N: String(i) } } })); // empty key
  lines.push(good(3));
  // A line that is no JSON ends the object, as in DynamoDB: the line after it is never read.
  lines.push('{not json', good(4));
  place('json-bucket', 'mixed/data.json.gz', gzipSync(lines.join('\n') + '\n'));
  const table = uniqueTableName('imp_errors');
  const done = await runImport({ S3BucketSource: { S3Bucket: 'json-bucket', S3KeyPrefix: 'mixed' }, InputFormat: 'DYNAMODB_JSON', InputCompressionType: 'GZIP', TableCreationParameters: creation(table) });
  assert.equal(done.ImportStatus, 'FAILED');
  assert.equal(done.FailureCode, 'ItemValidationError');
  assert.equal(done.FailureMessage, 'Some of the items failed validation checks and were not imported. Please check CloudWatch error logs for more details.');
  assert.deepEqual([done.ProcessedItemCount, done.ImportedItemCount, done.ErrorCount], [127, 3, 124]);
  // The table keeps what was imported and is usable.
  assert.deepEqual((await scanAll(table)).map((item) => item.pk!.S), ['g1', 'g2', 'g3']);
  const log = importErrorLog(t.server.database, done.ImportArn!)!;
  assert.equal(log.length, 100);
  assert.deepEqual(log[0], {
    itemS3Pointer: { bucket: 'json-bucket', key: 'mixed/data.json.gz', itemIndex: 1 },
    importArn: done.ImportArn,
    errorMessages: ['One or more parameter values were invalid: Missing the key pk in the item'],
  });
  assert.match(log[1]!.errorMessages[0]!, /Type mismatch for key pk/);
  assert.deepEqual([log[2]!.itemS3Pointer.itemIndex, log[2]!.errorMessages], [3, ['The line has no "Item" object']]);
});

test('a missing bucket fails the import with S3NoSuchBucket and leaves no table; an existing table is refused', async () => {
  const table = uniqueTableName('imp_nobucket');
  const done = await runImport({ S3BucketSource: { S3Bucket: 'no-such-bucket' }, InputFormat: 'CSV', TableCreationParameters: creation(table) });
  assert.equal(done.ImportStatus, 'FAILED');
  assert.equal(done.FailureCode, 'S3NoSuchBucket');
  assert.match(done.FailureMessage!, /The specified bucket does not exist/);
  assert.equal((await errorOf(t.client.send(new DescribeTableCommand({ TableName: table })))).name, 'ResourceNotFoundException');

  const existing = uniqueTableName('imp_exists');
  await t.client.send(new CreateTableCommand(creation(existing)));
  const taken = await errorOf(t.client.send(new ImportTableCommand({ S3BucketSource: { S3Bucket: 'csv-bucket' }, InputFormat: 'CSV', TableCreationParameters: creation(existing) })));
  assert.deepEqual([taken.name, taken.message], ['ResourceInUseException', `Table already exists: ${existing}`]);
});

test('ClientToken repeats the same import; ListImports filters by table and pages', async () => {
  place('json-bucket', 'one/data.json', `${JSON.stringify({ Item: { pk: { S: 'x' }, sk: { N: '1' } } })}\n`);
  const table = uniqueTableName('imp_token');
  const input: ImportTableCommandInput = { ClientToken: 'load-1', S3BucketSource: { S3Bucket: 'json-bucket', S3KeyPrefix: 'one/' }, InputFormat: 'DYNAMODB_JSON', TableCreationParameters: creation(table) };
  const first = await runImport(input);
  // The import has ended and its table exists: a replay is refused on that ground first.
  const again = await errorOf(t.client.send(new ImportTableCommand(input)));
  assert.deepEqual([again.name, again.message], ['ResourceInUseException', `Table already exists: ${table}`]);
  // The token is compared on the target table only; another table is the one conflict.
  const conflict = await errorOf(
    t.client.send(new ImportTableCommand({ ...input, TableCreationParameters: creation(uniqueTableName('imp_token_other')) })),
  );
  assert.deepEqual([conflict.name, conflict.message], ['ImportConflictException', 'Import conflict: Duplicate request detected with conflicting parameters']);
  const listed = await t.client.send(new ListImportsCommand({ TableArn: first.TableArn }));
  assert.deepEqual(
    listed.ImportSummaryList?.map((summary) => [summary.ImportArn, summary.ImportStatus, summary.InputFormat]),
    [[first.ImportArn, 'COMPLETED', 'DYNAMODB_JSON']],
  );
  const seen: string[] = [];
  let token: string | undefined;
  do {
    const page = await t.client.send(new ListImportsCommand({ PageSize: 2, NextToken: token }));
    seen.push(...page.ImportSummaryList!.map((summary) => summary.ImportArn!));
    token = page.NextToken;
  } while (token);
  assert.ok(seen.length >= 5);
  assert.deepEqual(seen, [...seen].sort().reverse());
  // With the table gone the token decides again: a replay changing the format, bucket or prefix
  // returns the original import unchanged.
  await t.client.send(new DeleteTableCommand({ TableName: table }));
  const replay = (await t.client.send(new ImportTableCommand({ ...input, InputFormat: 'ION', S3BucketSource: { S3Bucket: 'other-bucket', S3KeyPrefix: 'x/' } })))
    .ImportTableDescription!;
  assert.deepEqual([replay.ImportArn, replay.InputFormat, replay.S3BucketSource], [first.ImportArn, 'DYNAMODB_JSON', first.S3BucketSource]);
});

test('import contract: initial description, empty attribute names, request checks, ARN and token checks', async () => {
  const db = t.server.database;
  place('contract-bucket', 'in/data.json', [{ pk: { S: 'a' }, sk: { N: '1' } }, { pk: { S: 'b' }, sk: { N: '2' }, '': { S: 'v' } }].map((item) => `${JSON.stringify({ Item: item })}\n`).join(''));
  const table = uniqueTableName('imp_contract');
  const input: ImportTableCommandInput = { S3BucketSource: { S3Bucket: 'contract-bucket', S3KeyPrefix: 'in/' }, InputFormat: 'DYNAMODB_JSON', TableCreationParameters: creation(table) };
  // ClientToken is required (the SDK fills it in; a raw request without one is refused).
  const noToken = await errorOf(Promise.resolve().then(() => importTable({ ...input } as Record<string, unknown>, db)));
  assert.equal(noToken.name, 'ValidationException');
  assert.match(noToken.message, /clientToken/);
  // CSV options with another format.
  const csvOptions = await errorOf(t.client.send(new ImportTableCommand({ ...input, InputFormatOptions: { Csv: { Delimiter: ',' } } })));
  assert.deepEqual([csvOptions.name, csvOptions.message], ['ValidationException', 'Invalid Request: Unsupported InputFormatOptions for the given input format: DYNAMODB_JSON.']);
  // The first description: no ProcessedSizeBytes, zero counters.
  const initial = (await importTable({ ...input, ClientToken: 'contract-1' } as Record<string, unknown>, db)) as { ImportTableDescription: Record<string, unknown> };
  const started = initial.ImportTableDescription;
  assert.equal(started.ImportStatus, 'IN_PROGRESS');
  assert.equal('ProcessedSizeBytes' in started, false);
  assert.deepEqual([started.ProcessedItemCount, started.ImportedItemCount, started.ErrorCount], [0, 0, 0]);
  // An item with an empty attribute name is an error, not imported.
  const done = await waitForImport(t.client, started.ImportArn as string);
  assert.deepEqual([done.ImportStatus, done.FailureCode], ['FAILED', 'ItemValidationError']);
  assert.deepEqual([done.ProcessedItemCount, done.ImportedItemCount, done.ErrorCount], [2, 1, 1]);
  assert.ok(done.ProcessedSizeBytes! > 0);
  assert.deepEqual(await scanAll(table), [{ pk: { S: 'a' }, sk: { N: '1' } }]);
  // DescribeImport: a malformed ARN is a ValidationException, an unknown well-formed one is not found.
  const tableArn = done.TableArn!;
  const malformed = await errorOf(t.client.send(new DescribeImportCommand({ ImportArn: `${tableArn.slice(0, tableArn.lastIndexOf('/'))}/x/import/01658528578619-c4d4e311` })));
  assert.equal(malformed.name, 'ValidationException');
  assert.match(malformed.message, /Invalid Import ARN/);
  const unknown = await errorOf(t.client.send(new DescribeImportCommand({ ImportArn: `${tableArn}/import/01658528578619-0badf00d` })));
  assert.equal(unknown.name, 'ImportNotFoundException');
  // A NextToken of the right shape this server never handed out.
  const badToken = await errorOf(t.client.send(new ListImportsCommand({ NextToken: '0'.repeat(112) })));
  assert.equal(badToken.name, 'ValidationException');
});

/** Runs the CLI without blocking the event loop (the server answering it lives in this process). */
function runCli(args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

test('CLI: tabula export then tabula import copies a table item by item, with a progress bar', async () => {
  const server = await startTestServer();
  try {
    const source = uniqueTableName('cli_src');
    await server.client.send(new CreateTableCommand(creation(source)));
    const items: Item[] = [];
    for (let i = 0; i < 120; i++) items.push({ pk: { S: `k${i % 9}` }, sk: { N: String(i) }, v: { S: `value ${i}` }, n: { N: `${i}.25` }, b: { B: Buffer.from([i]) } });
    for (const item of items) await server.client.send(new PutItemCommand({ TableName: source, Item: item }));
    const main = join(dirname(fileURLToPath(import.meta.url)), '../../src/cli/main.js');
    const out = mkdtempSync(join(tmpdir(), 'tabula-cli-export-'));
    const exported = await runCli([main, 'export', '--endpoint', server.endpoint, '--table', source, '--out', out, '--segments', '3']);
    assert.equal(exported.status, 0, exported.stderr);
    assert.match(exported.stderr, /\[#{20}\] 100% 120\/120 items \d+ items\/s/);
    const [id] = readdirSync(join(out, 'AWSDynamoDB'));
    const target = `${source}_copy`;
    const imported = await runCli([main, 'import', '--endpoint', server.endpoint, '--table', target, '--file', join(out, 'AWSDynamoDB', id!, 'data'), '--create-table', 'pk:S,sk:N']);
    assert.equal(imported.status, 0, imported.stderr);
    assert.match(imported.stderr, /100% 120\/120 items/);
    const read = async (table: string) => {
      const all = await scanItems(server.client, { TableName: table });
      return all.sort((a, b) => Number(a.sk!.N) - Number(b.sk!.N));
    };
    assert.deepEqual(await read(target), await read(source));

    // A CSV file straight into a new table.
    const csv = join(out, 'people.csv');
    writeFileSync(csv, 'pk,sk,name\nz,1,Zed\ny,2,Why\n');
    const fromCsv = await runCli([main, 'import', '--endpoint', server.endpoint, '--table', `${source}_csv`, '--file', csv, '--create-table', 'pk:S,sk:N']);
    assert.equal(fromCsv.status, 0, fromCsv.stderr);
    assert.deepEqual((await read(`${source}_csv`)).map((item) => item.name!.S), ['Zed', 'Why']);
  } finally {
    await server.close();
  }
});
