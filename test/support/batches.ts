// Loading many items as a client should: BatchWriteItem 25 at a time, with the unprocessed items
// (throttled partitions) sent again after a pause, as DynamoDB's documentation asks.
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const batchItemsMax = 25;
const retryPauseMs = 50;

/** Puts every item into `table`, `parallel` batches in flight. */
export async function putAll(doc: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[], parallel = 8): Promise<void> {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += batchItemsMax) batches.push(items.slice(i, i + batchItemsMax));
  for (let i = 0; i < batches.length; i += parallel) await Promise.all(batches.slice(i, i + parallel).map((batch) => putBatch(doc, table, batch)));
}

async function putBatch(doc: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[]): Promise<void> {
  let requests = items.map((Item) => ({ PutRequest: { Item } }));
  while (requests.length > 0) {
    const result = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
    requests = (result.UnprocessedItems?.[table] ?? []) as typeof requests;
    if (requests.length > 0) await new Promise((resolve) => setTimeout(resolve, retryPauseMs));
  }
}
