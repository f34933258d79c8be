// TagResource / UntagResource / ListTagsOfResource on table ARNs.
import type { Database } from '../engine/database.js';
import type { TableRecord } from '../engine/catalog.js';
import { checkTaggableArn, resourceArnNotFound } from './validate/common.js';
import { checkTagCount, checkTagKeys, checkTags } from './validate/tags.js';

type Input = Record<string, unknown>;

function tableOf(arnValue: unknown, db: Database): TableRecord {
  const arn = checkTaggableArn(arnValue, { region: db.region, account: db.accountId });
  const table = db.catalog.find(arn.tableName);
  if (!table) throw resourceArnNotFound(arn.arn);
  return table;
}

export async function tagResource(input: Input, db: Database): Promise<unknown> {
  const table = tableOf(input.ResourceArn, db);
  const tags = checkTags(input.Tags, { requireNonEmpty: true });
  table.spec.Tags = checkTagCount(table.spec.Tags, tags);
  await db.catalog.save(table);
  return undefined; // DynamoDB answers with an empty body
}

export async function untagResource(input: Input, db: Database): Promise<unknown> {
  const table = tableOf(input.ResourceArn, db);
  const keys = new Set(checkTagKeys(input.TagKeys));
  table.spec.Tags = table.spec.Tags.filter((tag) => !keys.has(tag.Key));
  await db.catalog.save(table);
  return undefined; // DynamoDB answers with an empty body
}

export function listTagsOfResource(input: Input, db: Database): unknown {
  const table = tableOf(input.ResourceArn, db);
  return { Tags: table.spec.Tags };
}
