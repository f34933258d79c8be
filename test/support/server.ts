// Starts a real TabulaDB on an ephemeral loopback port and hands out real SDK clients.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startTabula, defaultAccessKey, type RunningTabula, type TabulaOptions } from '../../src/server/tabula.js';

export interface TestServer {
  server: RunningTabula;
  endpoint: string;
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  close(): Promise<void>;
}

export async function startTestServer(options: TabulaOptions = {}): Promise<TestServer> {
  const server = await startTabula({ port: 0, inMemory: options.dataDir === undefined, log: () => {}, ...options });
  const endpoint = `http://127.0.0.1:${server.port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: defaultAccessKey,
    maxAttempts: 1,
  });
  const doc = DynamoDBDocumentClient.from(client);
  return {
    server,
    endpoint,
    client,
    doc,
    async close() {
      client.destroy();
      await server.close();
    },
  };
}

let tableCounter = 0;
/** A fresh table name per test, so tests sharing a server never collide. */
export function uniqueTableName(prefix = 'test'): string {
  tableCounter++;
  return `${prefix}_${process.pid}_${tableCounter}`;
}
