// A table's definition as the catalog stores it. Field names follow DynamoDB's wire
// shapes so DescribeTable is a projection of this record, not a translation.
import type { Item, ScalarType } from '../model/attribute-value.js';

export interface KeyElement {
  name: string;
  type: ScalarType;
}

/**
 * The primary key of a table or index: a partition key and an optional sort key. A GSI may
 * have a multi-attribute key (up to 4 HASH and 4 RANGE attributes, DynamoDB November 2025):
 * then `partitionKeys` / `sortKeys` list every attribute in order, and `partitionKey` /
 * `sortKey` are their first elements. Use `hashElements` / `rangeElements` to read them.
 */
export interface KeySchema {
  partitionKey: KeyElement;
  sortKey?: KeyElement;
  /** Set only when the index has more than one HASH attribute. */
  partitionKeys?: KeyElement[];
  /** Set only when the index has more than one RANGE attribute. */
  sortKeys?: KeyElement[];
}

/** Every HASH attribute of a key schema, in order. */
export function hashElements(schema: KeySchema): KeyElement[] {
  return schema.partitionKeys ?? [schema.partitionKey];
}

/** Every RANGE attribute of a key schema, in order (empty without a sort key). */
export function rangeElements(schema: KeySchema): KeyElement[] {
  return schema.sortKeys ?? (schema.sortKey === undefined ? [] : [schema.sortKey]);
}

/** Every key attribute of a key schema: HASH ones, then RANGE ones. */
export function keyElements(schema: KeySchema): KeyElement[] {
  return [...hashElements(schema), ...rangeElements(schema)];
}

/** Bytes of the S and B values an item holds for these RANGE attributes (numbers count 0). */
export function indexRangeBytes(item: Item, ranges: readonly KeyElement[]): number {
  let bytes = 0;
  for (const element of ranges) {
    const value = item[element.name];
    if (value === undefined) continue;
    if ('S' in value) bytes += Buffer.byteLength(value.S, 'utf8');
    else if ('B' in value) bytes += Buffer.from(value.B, 'base64').length;
  }
  return bytes;
}

/** Whether a key schema has more than one HASH or more than one RANGE attribute. */
export function isMultiAttribute(schema: KeySchema): boolean {
  return schema.partitionKeys !== undefined || schema.sortKeys !== undefined;
}

export interface Projection {
  ProjectionType: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  NonKeyAttributes?: string[];
}

export interface ProvisionedThroughput {
  ReadCapacityUnits: number;
  WriteCapacityUnits: number;
}

export interface OnDemandThroughput {
  MaxReadRequestUnits?: number;
  MaxWriteRequestUnits?: number;
}

export interface IndexSpec {
  IndexName: string;
  keySchema: KeySchema;
  Projection: Projection;
  /** GSIs only: their own throughput (PROVISIONED tables). */
  ProvisionedThroughput?: ProvisionedThroughput;
  OnDemandThroughput?: OnDemandThroughput;
  /** GSIs only: CREATING while a backfill runs, then ACTIVE. */
  IndexStatus?: 'CREATING' | 'UPDATING' | 'DELETING' | 'ACTIVE';
  Backfilling?: boolean;
}

export interface TableSpec {
  TableName: string;
  keySchema: KeySchema;
  /** Every attribute that is a key of the table or of an index, with its type. */
  AttributeDefinitions: { AttributeName: string; AttributeType: ScalarType }[];
  BillingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
  ProvisionedThroughput?: ProvisionedThroughput;
  OnDemandThroughput?: OnDemandThroughput;
  GlobalSecondaryIndexes: IndexSpec[];
  LocalSecondaryIndexes: IndexSpec[];
  SSESpecification?: { Enabled?: boolean; SSEType?: 'AES256' | 'KMS'; KMSMasterKeyId?: string };
  StreamSpecification?: { StreamEnabled: boolean; StreamViewType?: string };
  TableClass?: 'STANDARD' | 'STANDARD_INFREQUENT_ACCESS';
  DeletionProtectionEnabled: boolean;
  Tags: { Key: string; Value: string }[];
  /** Raised warm throughput; absent means DynamoDB's minimum. */
  WarmThroughput?: WarmThroughput;
}

export interface WarmThroughput {
  ReadUnitsPerSecond: number;
  WriteUnitsPerSecond: number;
}
