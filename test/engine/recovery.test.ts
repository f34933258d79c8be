// Background work cut off by kill -9 resumes at the next start: a GSI backfill finishes, an
// expiry index is built, and a deleted index's and a deleted table's entries are erased. The real `tabula serve`
// process is killed right after the calls that start the work; whether the work was midway or
// done, the restarted server must end in the complete state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchWriteItemCommand, DeleteTableCommand, DescribeTableCommand, DynamoDBClient, QueryCommand, UpdateTableCommand, UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { sweepExpiredItems } from '../../src/engine/ttl-sweeper.js';
import { storedTableNumbers } from '../../src/engine/recovery.js';
import { indexPrefix, prefixEnd } from '../../src/engine/storage-keys.js';
import { createTable } from '../support/tables.js';
import { pollUntil } from '../support/polling.js';
import { startTestServer } from '../support/server.js';
import { serveChild, stopChild } from '../support/child-server.js';
import { ManualClock, signWithClock } from '../support/clock.js';

const itemCount = 4_000;
// Polls (10 ms apart) for background work on a busy machine: generous, never a timing assertion.
const patience = 6_000;


async function fill(client: DynamoDBClient, table: string, expires: (i: number) => number): Promise<void> {
  const batches: Promise<unknown>[] = [];
  for (let i = 0; i < itemCount; i += 25) {
    const requests = Array.from({ length: 25 }, (_, j) => ({
      PutRequest: { Item: { pk: { S: `item-${i + j}` }, group: { S: `g${(i + j) % 4}` }, expires: { N: String(expires(i + j)) } } },
    }));
    batches.push(client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } })));
    if (batches.length === 8) await Promise.all(batches.splice(0));
  }
  await Promise.all(batches);
}

test('index backfills, expiry indexes and table erasures resume after kill -9', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tabula-recovery-'));
  try {
    const serving = await serveChild(dataDir, ['--no-throttling']);
    const nowSeconds = Math.floor(Date.now() / 1000);
    await createTable(serving.client, { name: 'kept', partitionKey: ['pk', 'S'], globalIndexes: [{ name: 'byExpiry', partitionKey: ['expires', 'N'] }] });
    await createTable(serving.client, { name: 'dropped', partitionKey: ['pk', 'S'] });
    // Nothing expires while the first server runs (its sweeper would delete items); after the
    // restart the clock is two hours on, and half the items have expired.
    await fill(serving.client, 'kept', (i) => (i % 2 === 0 ? nowSeconds + 3600 : nowSeconds + 10 * 86_400));
    await fill(serving.client, 'dropped', () => nowSeconds + 10 * 86_400);
    // A dropped index's entries are erased in the background: cut short too.
    await serving.client.send(new UpdateTableCommand({ TableName: 'kept', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byExpiry' } }] }));
    await serving.client.send(new UpdateTimeToLiveCommand({ TableName: 'kept', TimeToLiveSpecification: { AttributeName: 'expires', Enabled: true } }));
    await serving.client.send(
      new UpdateTableCommand({
        TableName: 'kept',
        AttributeDefinitions: [{ AttributeName: 'group', AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byGroup', KeySchema: [{ AttributeName: 'group', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } } }],
      }),
    );
    await serving.client.send(new DeleteTableCommand({ TableName: 'dropped' }));
    await stopChild(serving, 'SIGKILL');

    const clock = new ManualClock(Date.now() + 2 * 3600_000);
    const t = await startTestServer({ dataDir, clock, ttlSweepIntervalMs: 0, throttling: false });
    signWithClock(t.client, clock);
    try {
      const db = t.server.database;
      await pollUntil(
        () => t.client.send(new DescribeTableCommand({ TableName: 'kept' })),
        (d) => d.Table!.GlobalSecondaryIndexes![0]!.IndexStatus === 'ACTIVE',
        'the index backfill did not resume',
        patience,
      );
      let indexed = 0;
      for (const group of ['g0', 'g1', 'g2', 'g3']) {
        const page = await t.client.send(
          new QueryCommand({ TableName: 'kept', IndexName: 'byGroup', KeyConditionExpression: '#g = :g', ExpressionAttributeNames: { '#g': 'group' }, ExpressionAttributeValues: { ':g': { S: group } }, Select: 'COUNT' }),
        );
        indexed += page.Count!;
      }
      assert.equal(indexed, itemCount);

      await pollUntil(async () => db.catalog.get('kept').timeToLive?.expiryIndex?.complete, Boolean, 'the expiry index build did not resume', patience);
      assert.equal(await sweepExpiredItems(db), itemCount / 2);

      const keptNumber = db.catalog.get('kept').tableNumber;
      const droppedIndex = indexPrefix(keptNumber, 1); // byExpiry, the table's first index
      await pollUntil(async () => [...db.store.range({ start: droppedIndex, end: prefixEnd(droppedIndex), limit: 1 })].length, (left) => left === 0, 'the dropped index was not erased', patience);
      await pollUntil(async () => [...storedTableNumbers(db)], (numbers) => numbers.length === 1 && numbers[0] === keptNumber, 'the dropped table was not erased', patience);
    } finally {
      await t.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
