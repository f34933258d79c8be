// A real TabulaDB for the capacity tests: the engine from startTabula (with an injected clock)
// and a DynamoDB listener whose dispatch table is wrapped by withCapacity (with the options the
// test asks for), reached through the real SDK; plus helpers to make tables and sized items.
import { BatchWriteItemCommand, CreateTableCommand, DynamoDBClient, type AttributeValue, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startTabula, defaultAccessKey, defaultAccountId, type RunningTabula } from '../../src/server/tabula.js';
import { startHttpServer, type RunningServer } from '../../src/server/http-server.js';
import { CredentialStore } from '../../src/auth/credentials.js';
import { createOperations } from '../../src/api/operations.js';
import type { Clock } from '../../src/engine/database.js';
import { withCapacity, withThroughputQuotas, type CapacityOptions } from '../../src/capacity/index.js';
import { uniqueTableName } from '../support/server.js';
import { tableInput } from '../support/tables.js';

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
    operations: withCapacity(withThroughputQuotas(createOperations(db), db), db, options.capacity),
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

/** The throttling fields a test reads from an SDK error. */
export interface Throttled {
  name: string;
  message: string;
  ThrottlingReasons?: unknown;
  throttlingReasons?: unknown;
  CancellationReasons?: unknown;
}

export const tableMessage =
  'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.';
export const indexMessage =
  'The level of configured provisioned throughput for one or more global secondary indexes of the table was exceeded. Consider increasing your provisioning level for the under-provisioned global secondary indexes with the UpdateTable API';
export const onDemandMessage =
  'Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly. If exceptions persist, check if you have a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html';

/**
 * An item of a little under `bytes` bytes (within 16), so it costs ceil(bytes / 1 KB) write
 * units: a string partition key, an optional numeric sort key, a `data` string and `extra`.
 */
export function sizedItem(pk: string, bytes: number, sk?: number, extra: Record<string, AttributeValue> = {}): Record<string, AttributeValue> {
  let fixed = 'pk'.length + Buffer.byteLength(pk) + 'data'.length;
  const result: Record<string, AttributeValue> = { pk: { S: pk }, ...extra };
  for (const [name, value] of Object.entries(extra)) fixed += name.length + Buffer.byteLength(value.S ?? value.N ?? '') + 1;
  if (sk !== undefined) {
    result.sk = { N: String(sk) };
    fixed += 'sk'.length + String(sk).length + 2; // over-estimates a number's size (about digits / 2 + 1)
  }
  result.data = { S: 'x'.repeat(bytes - fixed - 16) };
  return result;
}

export interface CapacityTableOptions {
  /** Provisioned RCU/WCU, or on-demand (the default). */
  billing?: { rcu: number; wcu: number } | 'on-demand';
  sortKey?: boolean;
  /** A GSI named `index`, partitioned by `attribute` (S), provisioned like `capacity` on a provisioned table. */
  gsi?: { name: string; attribute: string; capacity?: { rcu: number; wcu: number } };
}

/** Creates a table keyed `pk` (S) [+ `sk` (N)]; answers its name and ARN. */
export async function createCapacityTable(client: DynamoDBClient, prefix: string, options: CapacityTableOptions = {}): Promise<{ name: string; arn: string }> {
  const name = uniqueTableName(prefix);
  const billing = options.billing ?? 'on-demand';
  const units = (capacity: { rcu: number; wcu: number }) => ({ readCapacityUnits: capacity.rcu, writeCapacityUnits: capacity.wcu });
  const input = tableInput({
    name,
    partitionKey: ['pk', 'S'],
    sortKey: options.sortKey ? ['sk', 'N'] : undefined,
    billing: billing === 'on-demand' ? billing : units(billing),
    globalIndexes: options.gsi
      ? [{ name: options.gsi.name, partitionKey: [options.gsi.attribute, 'S'], capacity: options.gsi.capacity && units(options.gsi.capacity) }]
      : undefined,
  });
  const created = await client.send(new CreateTableCommand(input));
  return { name, arn: created.TableDescription!.TableArn! };
}

/** Writes items in BatchWriteItem calls of up to 25, asserting each was fully processed. */
export async function putAll(client: DynamoDBClient, table: string, items: Record<string, AttributeValue>[]): Promise<void> {
  for (let start = 0; start < items.length; start += 25) {
    const requests: WriteRequest[] = items.slice(start, start + 25).map((value) => ({ PutRequest: { Item: value } }));
    const result = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }));
    if (Object.keys(result.UnprocessedItems ?? {}).length > 0) throw new Error(`unprocessed items writing ${table}`);
  }
}
