// Streaming import: source objects are read chunk by chunk (64 KB reads), decompressed as streams
// and split into records incrementally. Through the real SDK: a gzip DynamoDB JSON object many
// chunks long imports whole; an unparseable line in the middle of an object ends that object
// (DynamoDB's observed behaviour) while the other objects import; a truncated gzip object keeps
// what came before the damage; an oversized record is one error. The record splitters are also
// fed one byte at a time, so every record boundary falls across a chunk boundary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { execFileSync, spawnSync } from 'node:child_process';
import { ImportTableCommand, type AttributeValue, type ImportTableCommandInput } from '@aws-sdk/client-dynamodb';
import { ManualClock } from '../support/clock.js';
import { startTransferServer, waitForImport, type TransferServer } from './export-support.js';
import { uniqueTableName } from '../support/server.js';
import { tableInput } from '../support/tables.js';
import { scanItems } from '../support/scan.js';
import { importErrorLog } from '../../src/api/imports.js';
import { decompress, readSourceStream, type InputCompression, type InputFormat, type SourceRecord } from '../../src/backup/import-formats.js';
import { importRecordBytesMax } from '../../src/backup/transfer-limits.js';

const clock = new ManualClock(Date.UTC(2024, 7, 1, 9, 0, 0));
let t: TransferServer;
before(async () => {
  t = await startTransferServer(clock);
});
after(() => t.close());

type Item = Record<string, AttributeValue>;
const readChunkBytes = 64 * 1024;

function place(bucket: string, key: string, body: string | Buffer): number {
  const path = join(t.exportDir, bucket, ...key.split('/'));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, body);
  return Buffer.byteLength(body);
}

async function runImport(input: Omit<ImportTableCommandInput, 'TableCreationParameters'>, table: string) {
  const { ImportTableDescription } = await t.client.send(
    new ImportTableCommand({ ...input, TableCreationParameters: tableInput({ name: table, partitionKey: ['pk', 'S'], sortKey: ['sk', 'N'] }) }),
  );
  return waitForImport(t.client, ImportTableDescription!.ImportArn!);
}

/** An item whose random payload keeps gzip from shrinking the object below a few read chunks. */
const item = (i: number): Item => ({ pk: { S: `p${i % 17}` }, sk: { N: String(i) }, payload: { S: randomBytes(96).toString('base64') } });
const jsonLine = (value: Item) => JSON.stringify({ Item: value });

test('a gzip DynamoDB JSON object many read chunks long imports whole, in bounded batches', async () => {
  const items = Array.from({ length: 3000 }, (_, i) => item(i));
  const raw = Buffer.from(items.map(jsonLine).join('\n') + '\n');
  const compressed = gzipSync(raw);
  assert.ok(compressed.length > 4 * readChunkBytes, `the object spans ${compressed.length} bytes`);
  place('stream-json', 'big/part-0.json.gz', compressed);
  const table = uniqueTableName('imp_stream_big');
  const done = await runImport({ S3BucketSource: { S3Bucket: 'stream-json', S3KeyPrefix: 'big/' }, InputFormat: 'DYNAMODB_JSON', InputCompressionType: 'GZIP' }, table);
  assert.equal(done.ImportStatus, 'COMPLETED', done.FailureMessage);
  assert.deepEqual([done.ProcessedItemCount, done.ImportedItemCount, done.ErrorCount], [3000, 3000, 0]);
  // ProcessedSizeBytes counts the decompressed bytes read.
  assert.equal(done.ProcessedSizeBytes, raw.length);
  const scanned = await scanItems(t.client, { TableName: table, ConsistentRead: true });
  const byKey = new Map(scanned.map((row) => [`${row.pk!.S}#${row.sk!.N}`, row]));
  assert.equal(byKey.size, 3000);
  for (const expected of items) assert.deepEqual(byKey.get(`${expected.pk!.S}#${expected.sk!.N}`), expected);
});

test('an unparseable line in the middle of an object ends that object; the other objects import', async () => {
  const first = Array.from({ length: 1500 }, (_, i) => item(i));
  const second = Array.from({ length: 1500 }, (_, i) => item(10_000 + i));
  const brokenAt = 700;
  const secondLines = second.map(jsonLine);
  secondLines.splice(brokenAt, 0, '{"Item": {"pk": {"S": "broken"}, "sk": ');
  // Object 1 is whole; object 2 breaks in its middle (past its first read chunk); object 3 is whole.
  place('stream-json', 'mid/1.json', first.map(jsonLine).join('\n'));
  const secondBytes = place('stream-json', 'mid/2.json', secondLines.join('\n') + '\n');
  assert.ok(secondBytes > 2 * readChunkBytes);
  place('stream-json', 'mid/3.json', `${jsonLine(item(99_999))}\n`);
  const table = uniqueTableName('imp_stream_mid');
  const done = await runImport({ S3BucketSource: { S3Bucket: 'stream-json', S3KeyPrefix: 'mid/' }, InputFormat: 'DYNAMODB_JSON' }, table);
  assert.equal(done.ImportStatus, 'FAILED');
  assert.equal(done.FailureCode, 'ItemValidationError');
  // Every record read counts as processed: 1500 + 700 good + the broken line + 1.
  assert.deepEqual([done.ProcessedItemCount, done.ImportedItemCount, done.ErrorCount], [1500 + brokenAt + 1 + 1, 1500 + brokenAt + 1, 1]);
  const log = importErrorLog(t.server.database, done.ImportArn!)!;
  assert.equal(log.length, 1);
  assert.deepEqual(log[0]!.itemS3Pointer, { bucket: 'stream-json', key: 'mid/2.json', itemIndex: brokenAt });
  assert.match(log[0]!.errorMessages[0]!, /^Unable to parse the line as DynamoDB JSON/);
  const keys = new Set((await scanItems(t.client, { TableName: table, ConsistentRead: true })).map((row) => Number(row.sk!.N)));
  assert.equal(keys.size, 1500 + brokenAt + 1);
  assert.ok(keys.has(10_000 + brokenAt - 1) && !keys.has(10_000 + brokenAt) && keys.has(99_999));
});

test('a truncated gzip object keeps the records before the damage and counts one error', async () => {
  const items = Array.from({ length: 2000 }, (_, i) => item(i));
  const whole = gzipSync(Buffer.from(items.map(jsonLine).join('\n') + '\n'));
  place('stream-gzip', 'cut/data.json.gz', whole.subarray(0, Math.floor(whole.length * 0.6)));
  const table = uniqueTableName('imp_stream_cut');
  const done = await runImport({ S3BucketSource: { S3Bucket: 'stream-gzip', S3KeyPrefix: 'cut/' }, InputFormat: 'DYNAMODB_JSON', InputCompressionType: 'GZIP' }, table);
  assert.equal(done.ImportStatus, 'FAILED');
  assert.equal(done.ErrorCount, 1);
  assert.ok(done.ImportedItemCount! > 0 && done.ImportedItemCount! < 2000, `imported ${done.ImportedItemCount}`);
  assert.equal(done.ProcessedItemCount, done.ImportedItemCount! + 1);
  const log = importErrorLog(t.server.database, done.ImportArn!)!;
  assert.match(log[0]!.errorMessages[0]!, /^The object is not valid GZIP data/);
  assert.equal((await scanItems(t.client, { TableName: table, ConsistentRead: true })).length, done.ImportedItemCount);
});

test('a CSV object with quoted line breaks across read chunks, and an oversized item, import row by row', async () => {
  const rows: string[] = ['pk,sk,note'];
  for (let i = 0; i < 2500; i++) rows.push(`p${i % 7},${i},"line one of ${i}\nline two, with ""quotes"" ${randomBytes(24).toString('hex')}"`);
  // An item over 400 KB is one validation error; the rows after it still import.
  rows.splice(1200, 0, `big,1,${'x'.repeat(410 * 1024)}`);
  const bytes = place('stream-csv', 'rows/data.csv', rows.join('\r\n') + '\r\n');
  assert.ok(bytes > 4 * readChunkBytes);
  const table = uniqueTableName('imp_stream_csv');
  const done = await runImport({ S3BucketSource: { S3Bucket: 'stream-csv', S3KeyPrefix: 'rows/' }, InputFormat: 'CSV' }, table);
  assert.equal(done.ImportStatus, 'FAILED');
  assert.deepEqual([done.ProcessedItemCount, done.ImportedItemCount, done.ErrorCount], [2501, 2500, 1]);
  assert.equal(importErrorLog(t.server.database, done.ImportArn!)![0]!.errorMessages[0], 'Item size has exceeded the maximum allowed size');
  const scanned = await scanItems(t.client, { TableName: table, ConsistentRead: true });
  const row = scanned.find((value) => value.sk!.N === '1999')!;
  assert.match(row.note!.S!, /^line one of 1999\nline two, with "quotes" [0-9a-f]{48}$/);
});

test('ZSTD-compressed Ion values spanning lines and read chunks import whole', async (context) => {
  if (spawnSync('zstd', ['--version']).status !== 0) return context.skip('no zstd command to compress the fixture');
  const values: string[] = [];
  for (let i = 0; i < 2000; i++) {
    // Every third value is spread over several lines: Ion values are not line-bound.
    const payload = randomBytes(48).toString('hex');
    values.push(i % 3 === 0 ? `$ion_1_0\n{\n  Item: {\n    pk: "p${i % 5}",\n    sk: ${i}.,\n    payload: "${payload}"\n  }\n}` : `$ion_1_0 {Item:{pk:"p${i % 5}",sk:${i}.,payload:"${payload}"}}`);
  }
  const compressed = execFileSync('zstd', ['-q', '-c'], { input: Buffer.from(values.join('\n') + '\n') });
  place('stream-ion', 'zst/items.ion.zst', compressed);
  const table = uniqueTableName('imp_stream_ion');
  const done = await runImport({ S3BucketSource: { S3Bucket: 'stream-ion', S3KeyPrefix: 'zst/' }, InputFormat: 'ION', InputCompressionType: 'ZSTD' }, table);
  assert.equal(done.ImportStatus, 'COMPLETED', done.FailureMessage);
  assert.deepEqual([done.ProcessedItemCount, done.ImportedItemCount], [2000, 2000]);
});

// ---- the splitters, one byte at a time ----------------------------------------------------

async function* byteChunks(body: Buffer): AsyncGenerator<Buffer> {
  for (let at = 0; at < body.length; at++) yield body.subarray(at, at + 1);
}

async function records(body: Buffer, format: InputFormat, compression: InputCompression = 'NONE'): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for await (const record of readSourceStream(decompress(byteChunks(body), compression), format, new Map([['sk', 'N']]))) out.push(record);
  return out;
}

test('record splitters fed one byte at a time: JSON, CSV, Ion and GZIP agree with whole reads', async () => {
  const items = [item(1), item(2), { pk: { S: 'ünïcödé ✓' }, sk: { N: '3' } }];
  const json = Buffer.from(`${items.map(jsonLine).join('\r\n')}\n\n`);
  assert.deepEqual(await records(json, 'DYNAMODB_JSON'), items.map((value, index) => ({ index, item: value })));
  assert.deepEqual(await records(gzipSync(json), 'DYNAMODB_JSON', 'GZIP'), items.map((value, index) => ({ index, item: value })));

  const csv = Buffer.from('\uFEFFpk,sk,note\r\n"a,b",1,"x\r\ny"\n\nc,2,plain""quote\n"d",3,"e""f"');
  assert.deepEqual(await records(csv, 'CSV'), [
    { index: 0, item: { pk: { S: 'a,b' }, sk: { N: '1' }, note: { S: 'x\r\ny' } } },
    { index: 1, item: { pk: { S: 'c' }, sk: { N: '2' }, note: { S: 'plain""quote' } } },
    { index: 2, item: { pk: { S: 'd' }, sk: { N: '3' }, note: { S: 'e"f' } } },
  ]);

  const ion = Buffer.from('$ion_1_0 {Item:{pk:"a",sk:12345}}\n{Item:{pk:"b",\n sk:2.}} {Item:{pk:"ç",sk:3.}}');
  assert.deepEqual(await records(ion, 'ION'), [
    { index: 0, item: { pk: { S: 'a' }, sk: { N: '12345' } } },
    { index: 1, item: { pk: { S: 'b' }, sk: { N: '2' } } },
    { index: 2, item: { pk: { S: 'ç' }, sk: { N: '3' } } },
  ]);
  // A broken Ion value ends the object there.
  const brokenIon = await records(Buffer.from('{Item:{pk:"a",sk:1}}\n{Item:{pk:"b" sk:2}}\n{Item:{pk:"c",sk:3}}\n'), 'ION');
  assert.equal(brokenIon.length, 2);
  assert.ok('error' in brokenIon[1]! && brokenIon[1].endsObject);
});

test('a record longer than the read bound is one error, at the bound and past it', async () => {
  const lineAt = (bytes: number) => {
    const prefix = '{"Item":{"pk":{"S":"p"},"sk":{"N":"1"},"v":{"S":"';
    const suffix = '"}}}';
    return prefix + 'x'.repeat(bytes - prefix.length - suffix.length) + suffix;
  };
  const read = async (line: string) => {
    const out: SourceRecord[] = [];
    const body = Buffer.from(`${line}\n${jsonLine(item(5))}\n`);
    const chunks = async function* () {
      for (let at = 0; at < body.length; at += readChunkBytes) yield body.subarray(at, at + readChunkBytes);
    };
    for await (const record of readSourceStream(chunks(), 'DYNAMODB_JSON', new Map())) out.push(record);
    return out;
  };
  // At the bound the line is read (and later refused as an item over 400 KB by validation).
  const atBound = await read(lineAt(importRecordBytesMax));
  assert.deepEqual([atBound.length, 'item' in atBound[0]!, 'item' in atBound[1]!], [2, true, true]);
  // One byte past it, the line is never held whole: it is an oversized item, and the next line is read.
  const pastBound = await read(lineAt(importRecordBytesMax + 1));
  assert.deepEqual(pastBound[0], { index: 0, error: 'Item size has exceeded the maximum allowed size' });
  assert.ok('item' in pastBound[1]!);
});
