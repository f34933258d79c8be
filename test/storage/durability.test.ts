// Durability of the embedded store: the real `tabula serve` process is killed with SIGKILL
// while writes are in flight, restarted on the same data directory, and every write it
// acknowledged must be there. Also: a graceful restart keeps data, the data file holds no
// plaintext, and a wrong master key is refused at startup.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { defaultAccessKey } from '../../src/server/tabula.js';
import { createTable } from '../support/tables.js';

const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

interface Serving {
  child: ChildProcess;
  client: DynamoDBClient;
}

function serve(dataDir: string): Promise<Serving> {
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(output);
      if (match) {
        const client = new DynamoDBClient({ endpoint: match[1], region: 'us-east-1', credentials: defaultAccessKey, maxAttempts: 1 });
        resolve({ child, client });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
}

function stop(serving: Serving, signal: NodeJS.Signals): Promise<void> {
  serving.client.destroy();
  return new Promise((resolve) => {
    serving.child.removeAllListeners('exit');
    serving.child.on('exit', () => resolve());
    serving.child.kill(signal);
  });
}

const keyOf = (i: number) => ({ p: { S: `item-${i}` } });

test('every acknowledged write survives kill -9', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tabula-durability-'));
  try {
    let serving = await serve(dataDir);
    await createTable(serving.client, { name: 'durable', partitionKey: ['p', 'S'] });
    const acknowledged: number[] = [];
    const writers = Array.from({ length: 8 }, async (_, writer) => {
      for (let i = writer; ; i += 8) {
        try {
          await serving.client.send(new PutItemCommand({ TableName: 'durable', Item: { ...keyOf(i), secret: { S: 'plaintext-marker' } } }));
          acknowledged.push(i);
        } catch {
          return; // the server is gone
        }
      }
    });
    while (acknowledged.length < 300) await new Promise((resolve) => setTimeout(resolve, 5));
    await stop(serving, 'SIGKILL');
    await Promise.all(writers);

    serving = await serve(dataDir);
    for (const i of acknowledged) {
      const result = await serving.client.send(new GetItemCommand({ TableName: 'durable', Key: keyOf(i), ConsistentRead: true }));
      assert.ok(result.Item, `acknowledged item ${i} was lost`);
    }
    await stop(serving, 'SIGTERM');
    const file = readFileSync(join(dataDir, 'lmdb', 'data.mdb'));
    assert.equal(file.includes('plaintext-marker'), false, 'data file holds plaintext');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a wrong master key is refused at startup', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tabula-key-'));
  try {
    const serving = await serve(dataDir);
    await stop(serving, 'SIGTERM');
    writeFileSync(join(dataDir, 'master.key'), 'A'.repeat(32) + '\n');
    await assert.rejects(serve(dataDir), /master key/);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
