// The data set and the workloads. Everything lives in two on-demand tables:
//   bench_items  (pk S, sk S)  get#0..999, upd#0..999 (counter = 0), query#0..9 × 100 sort keys;
//                               PutItem writes put#0..999
//   bench_scan   (pk S)        scanItemCount items of ~scanItemBytes each, so a default (1 MB)
//                               Scan page is a real, full page
// ExecuteStatement reads the GetItem keys through PartiQL.
// Each workload is a list of request bodies that the load generator cycles through.
import type { Caller } from './sign.js';

export const itemsTable = 'bench_items';
export const scanTable = 'bench_scan';
const keyPoolSize = 1000; // distinct keys for GetItem, PutItem and UpdateItem
const queryPartitionCount = 10;
const queryPartitionItems = 100;
const batchGetKeys = 100; // BatchGetItem's own maximum
const scanItemCount = 5000;
const scanItemBytes = 500; // ≈ 2.4 MB in bench_scan: two full 1 MB pages and a short one
const batchWriteItems = 25; // BatchWriteItem's own maximum

export interface Workload {
  name: string;
  operation: string;
  /** Request bodies to replay, built after the data is loaded (Scan needs real page-start keys). */
  bodies(call: Caller): Promise<string[]>;
  /** Checks one real response before measuring; returns what is wrong, if anything. */
  check(response: any): string | undefined;
}

const s = (value: string) => ({ S: value });
const itemKey = (pk: string, sk: string) => ({ pk: s(pk), sk: s(sk) });
const range = (count: number) => Array.from({ length: count }, (_, i) => i);

/** A typical small item, about 200 bytes. */
function benchItem(pk: string, sk: string, n: number): Record<string, unknown> {
  return {
    ...itemKey(pk, sk),
    counter: { N: '0' },
    title: s(`item ${pk}/${sk} for the TabulaDB benchmark`),
    body: s('x'.repeat(96)),
    score: { N: String((n * 7919) % 10007) },
    active: { BOOL: n % 2 === 0 },
    tags: { SS: ['alpha', 'beta', `n${n % 10}`] },
  };
}

const expectItem = (r: any) => (r.Item ? undefined : 'no Item in the response');
const expectCount = (count: number) => (r: any) =>
  r.Count === count ? undefined : `expected Count ${count}, got ${String(r.Count)}`;

export const workloads: Workload[] = [
  {
    name: 'GetItem',
    operation: 'GetItem',
    bodies: async () => range(keyPoolSize).map((i) => JSON.stringify({ TableName: itemsTable, Key: itemKey(`get#${i}`, '0') })),
    check: expectItem,
  },
  {
    name: 'PutItem',
    operation: 'PutItem',
    bodies: async () => range(keyPoolSize).map((i) => JSON.stringify({ TableName: itemsTable, Item: benchItem(`put#${i}`, '0', i) })),
    check: () => undefined,
  },
  {
    name: 'UpdateItem',
    operation: 'UpdateItem',
    bodies: async () =>
      range(keyPoolSize).map((i) =>
        JSON.stringify({
          TableName: itemsTable,
          Key: itemKey(`upd#${i}`, '0'),
          UpdateExpression: 'SET #counter = #counter + :one',
          ExpressionAttributeNames: { '#counter': 'counter' }, // COUNTER is a reserved word
          ExpressionAttributeValues: { ':one': { N: '1' } },
        }),
      ),
    check: () => undefined,
  },
  {
    // The same reads as GetItem, as PartiQL: parse (cached), translate, then GetItem.
    name: 'ExecuteStatement (SELECT by key)',
    operation: 'ExecuteStatement',
    bodies: async () =>
      range(keyPoolSize).map((i) =>
        JSON.stringify({ Statement: `SELECT * FROM "${itemsTable}" WHERE pk = ? AND sk = ?`, Parameters: [s(`get#${i}`), s('0')] }),
      ),
    check: (r: any) => (r.Items?.length === 1 ? undefined : 'expected one item in Items'),
  },
  {
    name: 'Query (Limit 10)',
    operation: 'Query',
    bodies: async () =>
      range(queryPartitionCount).map((p) =>
        JSON.stringify({
          TableName: itemsTable,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': s(`query#${p}`) },
          Limit: 10,
        }),
      ),
    check: expectCount(10),
  },
  {
    name: `BatchGetItem (${batchGetKeys} keys)`,
    operation: 'BatchGetItem',
    bodies: async () =>
      range(keyPoolSize / batchGetKeys).map((b) =>
        JSON.stringify({ RequestItems: { [itemsTable]: { Keys: range(batchGetKeys).map((j) => itemKey(`get#${b * batchGetKeys + j}`, '0')) } } }),
      ),
    check: (r) => {
      const got = r.Responses?.[itemsTable]?.length;
      return got === batchGetKeys ? undefined : `expected ${batchGetKeys} items, got ${String(got)}`;
    },
  },
  {
    name: 'Scan (Limit 100)',
    operation: 'Scan',
    bodies: (call) => scanPageBodies(call, 100),
    check: expectCount(100),
  },
  {
    name: 'Scan (1 MB page)',
    operation: 'Scan',
    bodies: (call) => scanPageBodies(call, undefined),
    check: (r) => (r.Count > 0 ? undefined : 'empty Scan page'),
  },
];

/** Walks bench_scan once and returns one body per page, each starting where the last one ended. */
async function scanPageBodies(call: Caller, limit: number | undefined): Promise<string[]> {
  const bodies: string[] = [];
  let start: unknown;
  do {
    const input = { TableName: scanTable, Limit: limit, ExclusiveStartKey: start };
    bodies.push(JSON.stringify(input));
    start = (await call('Scan', input)).LastEvaluatedKey;
  } while (start !== undefined);
  // The last page may be short (or, with a Limit that divides the table, empty): replay full pages only.
  return bodies.length > 1 ? bodies.slice(0, -1) : bodies;
}

/** Creates both tables and loads the data the workloads read. */
export async function loadData(call: Caller): Promise<{ items: number; scanItems: number }> {
  for (const [table, withSortKey] of [[itemsTable, true], [scanTable, false]] as const) {
    await call('CreateTable', {
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, ...(withSortKey ? [{ AttributeName: 'sk', AttributeType: 'S' }] : [])],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, ...(withSortKey ? [{ AttributeName: 'sk', KeyType: 'RANGE' }] : [])],
    });
  }
  const items = [
    ...range(keyPoolSize).map((i) => benchItem(`get#${i}`, '0', i)),
    ...range(keyPoolSize).map((i) => benchItem(`upd#${i}`, '0', i)),
    ...range(queryPartitionCount).flatMap((p) => range(queryPartitionItems).map((i) => benchItem(`query#${p}`, String(i).padStart(3, '0'), i))),
  ];
  const scanItems = range(scanItemCount).map((i) => ({
    pk: s(`scan#${String(i).padStart(5, '0')}`),
    n: { N: String(i) },
    payload: s('y'.repeat(scanItemBytes - 40)),
  }));
  await batchWrite(call, itemsTable, items);
  await batchWrite(call, scanTable, scanItems);
  return { items: items.length, scanItems: scanItems.length };
}

async function batchWrite(call: Caller, table: string, items: Record<string, unknown>[]): Promise<void> {
  const batches = range(Math.ceil(items.length / batchWriteItems)).map((b) => items.slice(b * batchWriteItems, (b + 1) * batchWriteItems));
  const parallel = 4;
  for (let i = 0; i < batches.length; i += parallel) {
    await Promise.all(
      batches.slice(i, i + parallel).map(async (batch) => {
        const result = await call('BatchWriteItem', { RequestItems: { [table]: batch.map((Item) => ({ PutRequest: { Item } })) } });
        if (Object.keys(result.UnprocessedItems ?? {}).length > 0) throw new Error('BatchWriteItem left items unprocessed while loading');
      }),
    );
  }
}
