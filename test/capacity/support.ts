// A real TabulaDB for the capacity tests: the engine from startTabula (with an injected clock)
// and a DynamoDB listener whose dispatch table is wrapped by withCapacity, reached through the
// real SDK. Once the lead wires withCapacity into startTabula, this becomes startTestServer.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startTabula, defaultAccessKey, defaultAccountId, type RunningTabula } from '../../src/server/tabula.js';
import { startHttpServer, type RunningServer } from '../../src/server/http-server.js';
import { CredentialStore } from '../../src/auth/credentials.js';
import { createOperations } from '../../src/api/operations.js';
import type { Clock } from '../../src/engine/database.js';
import { withCapacity, type CapacityOptions } from '../../src/capacity/index.js';

export interface CapacityServer {
  tabula: RunningTabula;
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  endpoint: string;
  close(): Promise<void>;
}

export async function startCapacityServer(
  options: { clock?: Clock; capacity?: CapacityOptions; maxAttempts?: number } = {},
): Promise<CapacityServer> {
  const tabula = await startTabula({ port: 0, inMemory: true, log: () => {}, clock: options.clock, ttlSweepIntervalMs: 0 });
  const db = tabula.database;
  const credentials = new CredentialStore();
  credentials.add(defaultAccessKey.accessKeyId, defaultAccessKey.secretAccessKey, defaultAccountId);
  const server: RunningServer = await startHttpServer({
    host: '127.0.0.1',
    port: 0,
    region: tabula.region,
    credentials,
    operations: withCapacity(createOperations(db), db, options.capacity),
    // Signatures are checked against real time: the test clock may run minutes ahead.
    now: () => Date.now(),
    log: () => {},
  });
  const endpoint = `http://127.0.0.1:${server.port}`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: defaultAccessKey, maxAttempts: options.maxAttempts ?? 1 });
  return {
    tabula,
    client,
    doc: DynamoDBDocumentClient.from(client),
    endpoint,
    async close() {
      client.destroy();
      await server.close();
      await tabula.close();
    },
  };
}

/** A string attribute value that makes an item of exactly `bytes` bytes with the given other attributes. */
export function padding(bytes: number, otherAttributesBytes: number): string {
  return 'x'.repeat(bytes - otherAttributesBytes - 'data'.length);
}
