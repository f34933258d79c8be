// Reading a whole table or index with Scan, page by page as a client would.
import { ScanCommand, type AttributeValue, type DynamoDBClient, type ScanCommandInput, type ScanCommandOutput } from '@aws-sdk/client-dynamodb';

export type Item = Record<string, AttributeValue>;

/** Every page of a scan, following LastEvaluatedKey from `input.ExclusiveStartKey` on. */
export async function* scanPages(client: DynamoDBClient, input: ScanCommandInput): AsyncGenerator<ScanCommandOutput> {
  let start = input.ExclusiveStartKey;
  do {
    const page = await client.send(new ScanCommand({ ...input, ExclusiveStartKey: start }));
    yield page;
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
}

/** Every item of a scan, in the order the pages return them. */
export async function scanItems(client: DynamoDBClient, input: ScanCommandInput): Promise<Item[]> {
  const items: Item[] = [];
  for await (const page of scanPages(client, input)) items.push(...(page.Items ?? []));
  return items;
}
