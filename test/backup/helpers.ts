// Shared bits of the backup tests: a table with a GSI and an LSI, and reading a whole table.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTable } from '../support/tables.js';

export type Row = Record<string, unknown>;

export async function createTestTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await createTable(client, {
    name: tableName,
    partitionKey: ['pk', 'S'],
    sortKey: ['sk', 'N'],
    globalIndexes: [{ name: 'by-g', partitionKey: ['g', 'S'], projection: 'ALL' }],
    localIndexes: [{ name: 'by-l', sortKey: ['l', 'N'], projection: 'KEYS_ONLY' }],
  });
}

export function rowKey(row: Row): string {
  return `${String(row.pk)}#${String(row.sk)}`;
}

/** Every item of a table (or one of its indexes), by key, read with a strongly consistent scan. */
export async function readTable(doc: DynamoDBDocumentClient, tableName: string, indexName?: string): Promise<Map<string, Row>> {
  const rows = new Map<string, Row>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ TableName: tableName, IndexName: indexName, ExclusiveStartKey: start, ConsistentRead: indexName === undefined }));
    for (const item of page.Items ?? []) rows.set(rowKey(item), item);
    start = page.LastEvaluatedKey;
  } while (start);
  return rows;
}

export function sortedRows(rows: Map<string, Row>): Row[] {
  return [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}
