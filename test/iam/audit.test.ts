// The audit trail on disk: size-based rotation of audit.log (a record that lands exactly on the
// bound stays, one byte more rotates; only the configured number of old files is kept), and the
// `tabula audit` command reading the live file and its rotations back, filtered by principal,
// action, decision and time, with a limit, from a real server's data directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { GetItemCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { AuditLog, type AuditRecord } from '../../src/iam/audit.js';
import { errorOf } from '../support/errors.js';
import { createUserWithKey, dynamo, startIamTestServer } from './support.js';

const run = promisify(execFile);
const cliPath = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

function record(i: number, extra: Partial<AuditRecord> = {}): AuditRecord {
  return {
    time: new Date(Date.UTC(2024, 0, 1, 0, 0, i)).toISOString(),
    kind: 'authorization',
    principal: 'arn:aws:iam::000000000000:user/u',
    action: 'dynamodb:GetItem',
    resource: '*',
    decision: 'Allow',
    ...extra,
  };
}
const lineBytes = (entry: AuditRecord) => Buffer.byteLength(JSON.stringify(entry) + '\n');

function withFolder<T>(work: (folder: string) => Promise<T>): Promise<T> {
  const folder = mkdtempSync(join(tmpdir(), 'tabula-audit-'));
  return work(folder).finally(() => rmSync(folder, { recursive: true, force: true }));
}

test('rotation: exactly at the bound stays, one byte past rotates; older files beyond the kept number go', async () =>
  withFolder(async (folder) => {
    const file = join(folder, 'audit.log');
    const size = lineBytes(record(0)); // all records below have the same size
    const log = new AuditLog({ file, fileBytesMax: size * 3, filesKept: 2 });
    for (let i = 0; i < 3; i++) log.record(record(i)); // exactly 3 lines: at the bound
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(readdirSync(folder).sort(), ['audit.log']);
    assert.equal(statSync(file).size, size * 3);
    log.record(record(3)); // one line more: rotates first
    for (let i = 4; i < 12; i++) log.record(record(i));
    await log.close();
    // 12 records, 3 per file: audit.log holds 9..11, .1 holds 6..8, .2 holds 3..5; 0..2 were dropped.
    assert.deepEqual(readdirSync(folder).sort(), ['audit.log', 'audit.log.1', 'audit.log.2']);
    const seconds = (name: string) => readFileSync(join(folder, name), 'utf8').trim().split('\n').map((line) => new Date((JSON.parse(line) as AuditRecord).time).getUTCSeconds());
    assert.deepEqual(seconds('audit.log.2'), [3, 4, 5]);
    assert.deepEqual(seconds('audit.log.1'), [6, 7, 8]);
    assert.deepEqual(seconds('audit.log'), [9, 10, 11]);
    for (const name of readdirSync(folder)) assert.ok(statSync(join(folder, name)).size <= size * 3);
  }));

test('rotation continues an existing file across restarts (its size counts)', async () =>
  withFolder(async (folder) => {
    const file = join(folder, 'audit.log');
    const size = lineBytes(record(0));
    const first = new AuditLog({ file, fileBytesMax: size * 2, filesKept: 1 });
    first.record(record(0));
    await first.close();
    const second = new AuditLog({ file, fileBytesMax: size * 2, filesKept: 1 });
    second.record(record(1));
    second.record(record(2));
    await second.close();
    assert.equal(readFileSync(join(folder, 'audit.log.1'), 'utf8').trim().split('\n').length, 2);
    assert.equal(readFileSync(file, 'utf8').trim().split('\n').length, 1);
  }));

async function cli(...args: string[]): Promise<{ lines: AuditRecord[]; stderr: string }> {
  const { stdout, stderr } = await run(process.execPath, [cliPath, 'audit', ...args]);
  return { lines: stdout.trim() === '' ? [] : stdout.trim().split('\n').map((line) => JSON.parse(line) as AuditRecord), stderr };
}

test('tabula audit: a server\'s decisions and changes, across rotated files, filtered', async () =>
  withFolder(async (dataDir) => {
    const t = await startIamTestServer({ dataDir, audit: { fileBytesMax: 2048, filesKept: 10 } });
    const startedAt = new Date().toISOString();
    const keys = await createUserWithKey(t.iam, 'auditor');
    await t.iam.send(
      new PutUserPolicyCommand({
        UserName: 'auditor',
        PolicyName: 'p',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Get', Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' }] }),
      }),
    );
    const client = dynamo(t.endpoint, keys);
    for (let i = 0; i < 6; i++) await errorOf(client.send(new ListTablesCommand({})));
    for (let i = 0; i < 4; i++) await errorOf(client.send(new GetItemCommand({ TableName: 'none', Key: { k: { S: 'x' } } })));
    client.destroy();
    await t.close();
    assert.ok(readdirSync(dataDir).includes('audit.log.1'), 'the trail was rotated');

    const principal = 'arn:aws:iam::000000000000:user/auditor';
    const denied = await cli('--data-dir', dataDir, '--principal', principal, '--decision', 'deny');
    assert.equal(denied.lines.length, 6);
    assert.ok(denied.lines.every((entry) => entry.action === 'dynamodb:ListTables' && entry.decision === 'ImplicitDeny'));
    const allowed = await cli('--data-dir', dataDir, '--principal', principal, '--decision', 'allow', '--action', 'DYNAMODB:getitem');
    assert.equal(allowed.lines.length, 4);
    assert.ok(allowed.lines.every((entry) => entry.sid === 'Get'));
    // Oldest first over all files; --limit keeps the newest.
    const all = await cli('--data-dir', dataDir, '--principal', principal);
    assert.equal(all.lines.length, 10);
    const times = all.lines.map((entry) => entry.time);
    assert.deepEqual(times, [...times].sort());
    const newest = await cli('--data-dir', dataDir, '--principal', principal, '--limit', '3');
    assert.deepEqual(newest.lines, all.lines.slice(-3));
    // IAM changes are in the trail too.
    const changes = await cli('--data-dir', dataDir, '--kind', 'iam', '--action', 'iam:PutUserPolicy');
    assert.equal(changes.lines.length, 1);
    // Time bounds: since the start includes everything, until the start nothing of the user's.
    assert.equal((await cli('--data-dir', dataDir, '--principal', principal, '--since', startedAt)).lines.length, 10);
    assert.equal((await cli('--data-dir', dataDir, '--principal', principal, '--until', startedAt)).lines.length, 0);
    const cut = all.lines[5]!.time;
    const before = await cli('--data-dir', dataDir, '--principal', principal, '--until', cut);
    const after = await cli('--data-dir', dataDir, '--principal', principal, '--since', cut);
    assert.equal(before.lines.length + after.lines.length, 10);
  }));

test('tabula audit: a cut-short line is skipped and counted; bad options are refused', async () =>
  withFolder(async (dataDir) => {
    writeFileSync(join(dataDir, 'audit.log.1'), JSON.stringify(record(1)) + '\n');
    writeFileSync(join(dataDir, 'audit.log'), JSON.stringify(record(2, { decision: 'ExplicitDeny' })) + '\n{"time":"2024-01-01T0');
    const result = await cli('--data-dir', dataDir);
    assert.deepEqual(result.lines, [record(1), record(2, { decision: 'ExplicitDeny' })]);
    assert.match(result.stderr, /skipped 1 line/);
    assert.deepEqual((await cli('--data-dir', dataDir, '--decision', 'explicit-deny')).lines, [record(2, { decision: 'ExplicitDeny' })]);
    for (const [option, value, message] of [
      ['--decision', 'maybe', /--decision must be allow, deny/],
      ['--since', 'yesterday', /--since must be an ISO 8601 time/],
      ['--limit', '0', /--limit must be a whole number of at least 1/],
      ['--kind', 'other', /--kind must be authorization, iam or sts/],
    ] as const) {
      const failure = await errorOf<Error & { code?: number; stderr?: string }>(run(process.execPath, [cliPath, 'audit', '--data-dir', dataDir, option, value]));
      assert.equal(failure.code, 1);
      assert.match(failure.stderr ?? '', message);
    }
    // An empty data directory has an empty trail.
    await withFolder(async (empty) => assert.deepEqual((await cli('--data-dir', empty)).lines, []));
  }));
