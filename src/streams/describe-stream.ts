// DescribeStream: a stream's status, view type, table and key schema, and its shards
// (paged by ExclusiveStartShardId / LastEvaluatedShardId, in shard-id order).
import type { Database } from '../engine/database.js';
import { ConstraintErrors, optionalLong, optionalString, optionalStructure } from '../api/validate/common.js';
import { describeStreamLimitMax, shardIdLengthMax, shardIdLengthMin, streamArnLengthMax, streamArnLengthMin } from './stream-limits.js';
import { checkStreamArn } from './stream-arn.js';
import { streamNotFound } from './stream-errors.js';
import { shardDescription, shardOf } from './shard.js';

const shardFilterTypes = ['CHILD_SHARDS'] as const;

export function describeStream(input: Record<string, unknown>, db: Database): unknown {
  const errors = new ConstraintErrors();
  const streamArn = optionalString(input.StreamArn);
  if (errors.notNull('streamArn', streamArn)) errors.length('streamArn', streamArn!, streamArnLengthMin, streamArnLengthMax);
  const limit = optionalLong(input.Limit);
  if (limit !== undefined) {
    errors.minValue('limit', limit, 1);
    errors.maxValue('limit', limit, describeStreamLimitMax);
  }
  const startShardId = optionalString(input.ExclusiveStartShardId);
  if (startShardId !== undefined) errors.length('exclusiveStartShardId', startShardId, shardIdLengthMin, shardIdLengthMax);
  const filter = optionalStructure(input.ShardFilter);
  const filterShardId = filter === undefined ? undefined : optionalString(filter.ShardId);
  if (filter !== undefined) {
    const filterType = optionalString(filter.Type);
    if (filterType !== undefined) errors.enumOf('shardFilter.type', filterType, shardFilterTypes);
    if (filterShardId !== undefined) errors.length('shardFilter.shardId', filterShardId, shardIdLengthMin, shardIdLengthMax);
  }
  errors.throwIfAny();
  checkStreamArn(streamArn!);
  const stream = db.catalog.streams.get(streamArn!);
  if (stream === undefined) throw streamNotFound(streamArn!);

  let shards = [shardOf(stream, db.clock.now())];
  // Shards never split here, so no shard has children (ShardFilter CHILD_SHARDS lists none).
  if (filterShardId !== undefined) shards = [];
  if (startShardId !== undefined) shards = shards.filter((shard) => shard.shardId > startShardId);
  const pageSize = limit ?? describeStreamLimitMax;
  const page = shards.slice(0, pageSize);
  const description: Record<string, unknown> = {
    StreamArn: stream.streamArn,
    StreamLabel: stream.label,
    // Enabling and disabling take effect at once here, so ENABLING / DISABLING are never seen.
    StreamStatus: stream.endAt === undefined ? 'ENABLED' : 'DISABLED',
    StreamViewType: stream.viewType,
    CreationRequestDateTime: stream.createdMs / 1000,
    TableName: stream.tableName,
    KeySchema: stream.keySchema,
    Shards: page.map(shardDescription),
  };
  if (shards.length > pageSize) description.LastEvaluatedShardId = page[page.length - 1]!.shardId;
  return { StreamDescription: description };
}
