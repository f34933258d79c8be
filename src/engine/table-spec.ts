// A table's definition as the catalog stores it. Field names follow DynamoDB's wire
// shapes so DescribeTable is a projection of this record, not a translation.
import type { ScalarType } from '../model/attribute-value.js';

export interface KeyElement {
  name: string;
  type: ScalarType;
}

/** The primary key of a table or index: a partition key and an optional sort key. */
export interface KeySchema {
  partitionKey: KeyElement;
  sortKey?: KeyElement;
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
