// The SDK's automatic retries against real throttling, on the real clock: ten concurrent 1 KB
// writes to a 5 WCU table, five of which are throttled and must succeed after backoff.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { uniqueTableName } from '../support/server.js';
import { createTable } from '../support/tables.js';
import { startCapacityServer } from './support.js';

test('the SDK retries throttled writes with backoff until they succeed', async () => {
  const server = await startCapacityServer({ maxAttempts: 10 });
  try {
    const name = uniqueTableName('cap_retry');
    await createTable(server.client, { name, partitionKey: ['pk', 'S'], billing: { readCapacityUnits: 5, writeCapacityUnits: 5 } });
    const writes = Array.from({ length: 10 }, (_, i) =>
      server.client.send(new PutItemCommand({ TableName: name, Item: { pk: { S: `r-${i}` }, data: { S: 'x'.repeat(900) } } })),
    );
    const results = await Promise.all(writes);
    const attempts = results.reduce((sum, result) => sum + (result.$metadata.attempts ?? 1), 0);
    assert.ok(attempts > 10, `some writes were throttled and retried (attempts: ${attempts})`);
  } finally {
    await server.close();
  }
});
