// A real TabulaDB for the DynamoDB Streams tests, with a clock the test moves by hand (the TTL
// sweeper and the change-log pruner are run by hand too), a DynamoDB client and a DynamoDB
// Streams client (both signing with the clock's time), and helpers to read a stream through.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateTableCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type _Record,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import { startTestServer, type TestServer } from '../support/server.js';
import { ManualClock, signWithClock } from '../support/clock.js';
import { defaultAccessKey } from '../../src/server/tabula.js';

export interface StreamsTestServer extends TestServer {
  streams: DynamoDBStreamsClient;
  clock: ManualClock;
}

export async function startStreamsServer(): Promise<StreamsTestServer> {
  const clock = new ManualClock(Date.UTC(2024, 7, 1, 12));
  const server = await startTestServer({ clock, ttlSweepIntervalMs: 0 });
  signWithClock(server.client, clock);
  const streams = new DynamoDBStreamsClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: defaultAccessKey, maxAttempts: 1 });
  signWithClock(streams as unknown as DynamoDBClient, clock);
  return {
    ...server,
    streams,
    clock,
    async close() {
      streams.destroy();
      await server.close();
    },
  };
}

export type ViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';

/** Creates a pk (S) / sk (N) table, with a stream of `viewType` if given; returns the stream ARN (or ''). */
export async function createStreamTable(t: StreamsTestServer, tableName: string, viewType?: ViewType, extra: Partial<CreateTableCommandInput> = {}): Promise<string> {
  const created = await t.client.send(
    new CreateTableCommand({
      TableName: tableName,
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      ...(viewType !== undefined && { StreamSpecification: { StreamEnabled: true, StreamViewType: viewType } }),
      ...extra,
    }),
  );
  return created.TableDescription?.LatestStreamArn ?? '';
}

/** The stream's (only) shard id. */
export async function shardIdOf(t: StreamsTestServer, streamArn: string): Promise<string> {
  const described = await t.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  return described.StreamDescription!.Shards![0]!.ShardId!;
}

export async function iteratorOf(t: StreamsTestServer, streamArn: string, type: ShardIteratorType, sequenceNumber?: string): Promise<string> {
  const shardId = await shardIdOf(t, streamArn);
  const answer = await t.streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: type, SequenceNumber: sequenceNumber }));
  return answer.ShardIterator!;
}

/** Every record after `iterator`, page by page, and the iterator to continue with (undefined: closed shard read to its end). */
export async function readFrom(t: StreamsTestServer, iterator: string, limit?: number): Promise<{ records: _Record[]; next: string | undefined; pages: number }> {
  const records: _Record[] = [];
  let next: string | undefined = iterator;
  let pages = 0;
  while (next !== undefined) {
    const page: GetRecordsCommandOutput = await t.streams.send(new GetRecordsCommand({ ShardIterator: next, Limit: limit }));
    pages++;
    if (page.Records!.length === 0) return { records, next: page.NextShardIterator, pages };
    records.push(...page.Records!);
    next = page.NextShardIterator;
  }
  return { records, next, pages };
}

/** The records of a stream from its trim horizon. */
export async function readStream(t: StreamsTestServer, streamArn: string): Promise<_Record[]> {
  return (await readFrom(t, await iteratorOf(t, streamArn, 'TRIM_HORIZON'))).records;
}

/** A record reduced to what most tests compare: event name, keys and images as plain values. */
export function summary(record: _Record): Record<string, unknown> {
  const plain = (item: Record<string, unknown> | undefined) =>
    item && Object.fromEntries(Object.entries(item).map(([name, value]) => [name, Object.values(value as object)[0]]));
  const out: Record<string, unknown> = { event: record.eventName, keys: plain(record.dynamodb?.Keys) };
  if (record.dynamodb?.OldImage) out.old = plain(record.dynamodb.OldImage);
  if (record.dynamodb?.NewImage) out.new = plain(record.dynamodb.NewImage);
  return out;
}
