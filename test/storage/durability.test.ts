// Durability of the embedded store: the real `tabula serve` process is killed with SIGKILL
// while writes are in flight, restarted on the same data directory, and every write it
// acknowledged must be there. Also: a graceful restart keeps data, the data file holds no
// plaintext, and a wrong master key is refused at startup.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { createTable } from '../support/tables.js';
import { serveChild, stopChild } from '../support/child-server.js';

const serve = (dataDir: string) => serveChild(dataDir);
const stop = stopChild;

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
