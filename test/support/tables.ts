// Creating test tables in one line: a table is described by its keys, billing and indexes, and
// the CreateTable input (key schemas, attribute definitions, projections) is built from that.
import {
  CreateTableCommand,
  type AttributeDefinition,
  type CreateTableCommandInput,
  type CreateTableCommandOutput,
  type DynamoDBClient,
  type KeySchemaElement,
  type Projection,
  type ProvisionedThroughput,
  type ScalarAttributeType,
} from '@aws-sdk/client-dynamodb';

/** A key attribute: its name and its type, as in `['pk', 'S']`. */
export type KeyAttribute = readonly [name: string, type: ScalarAttributeType];

/** Provisioned read and write capacity units. */
export interface Capacity {
  readCapacityUnits: number;
  writeCapacityUnits: number;
}

/** What an index stores: `'ALL'` (the default), `'KEYS_ONLY'`, or the keys plus `include`. */
export type IndexProjection = 'ALL' | 'KEYS_ONLY' | { include: string[] };

export interface GlobalIndexSpec {
  name: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  projection?: IndexProjection;
  /** Only on a provisioned table. */
  capacity?: Capacity;
}

/** A local index shares the table's partition key, so only its sort key is named. */
export interface LocalIndexSpec {
  name: string;
  sortKey: KeyAttribute;
  projection?: IndexProjection;
}

export interface TableSpec {
  name: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  /** On-demand unless capacity is given. */
  billing?: 'on-demand' | Capacity;
  globalIndexes?: GlobalIndexSpec[];
  localIndexes?: LocalIndexSpec[];
}

/** A CreateTable input with what ImportTable's TableCreationParameters also requires. */
export type TableInput = CreateTableCommandInput & Required<Pick<CreateTableCommandInput, 'TableName' | 'KeySchema' | 'AttributeDefinitions'>>;

/** The CreateTable input for a table; spread it to add what TableSpec does not cover. */
export function tableInput(spec: TableSpec): TableInput {
  const billing = spec.billing ?? 'on-demand';
  const input: TableInput = {
    TableName: spec.name,
    KeySchema: keySchema(spec.partitionKey, spec.sortKey),
    AttributeDefinitions: attributeDefinitions(spec),
    BillingMode: billing === 'on-demand' ? 'PAY_PER_REQUEST' : 'PROVISIONED',
  };
  if (billing !== 'on-demand') input.ProvisionedThroughput = throughput(billing);
  if (spec.globalIndexes) {
    input.GlobalSecondaryIndexes = spec.globalIndexes.map((index) => ({
      IndexName: index.name,
      KeySchema: keySchema(index.partitionKey, index.sortKey),
      Projection: projection(index.projection),
      ...(index.capacity ? { ProvisionedThroughput: throughput(index.capacity) } : {}),
    }));
  }
  if (spec.localIndexes) {
    input.LocalSecondaryIndexes = spec.localIndexes.map((index) => ({
      IndexName: index.name,
      KeySchema: keySchema(spec.partitionKey, index.sortKey),
      Projection: projection(index.projection),
    }));
  }
  return input;
}

/** Sends CreateTable for the table and answers DynamoDB's reply (the table is still CREATING). */
export function createTable(client: DynamoDBClient, spec: TableSpec): Promise<CreateTableCommandOutput> {
  return client.send(new CreateTableCommand(tableInput(spec)));
}

function keySchema(partitionKey: KeyAttribute, sortKey?: KeyAttribute): KeySchemaElement[] {
  const schema: KeySchemaElement[] = [{ AttributeName: partitionKey[0], KeyType: 'HASH' }];
  if (sortKey) schema.push({ AttributeName: sortKey[0], KeyType: 'RANGE' });
  return schema;
}

/** Every key attribute of the table and its indexes, once each, table keys first. */
function attributeDefinitions(spec: TableSpec): AttributeDefinition[] {
  const keys = [spec.partitionKey, spec.sortKey];
  for (const index of spec.localIndexes ?? []) keys.push(index.sortKey);
  for (const index of spec.globalIndexes ?? []) keys.push(index.partitionKey, index.sortKey);
  const types = new Map<string, ScalarAttributeType>();
  for (const key of keys) {
    if (key === undefined) continue;
    const [name, type] = key;
    const known = types.get(name);
    if (known !== undefined && known !== type) throw new Error(`test table ${spec.name}: ${name} is both ${known} and ${type}`);
    types.set(name, type);
  }
  return [...types].map(([name, type]) => ({ AttributeName: name, AttributeType: type }));
}

function projection(kind: IndexProjection = 'ALL'): Projection {
  if (typeof kind === 'string') return { ProjectionType: kind };
  return { ProjectionType: 'INCLUDE', NonKeyAttributes: kind.include };
}

function throughput(capacity: Capacity): ProvisionedThroughput {
  return { ReadCapacityUnits: capacity.readCapacityUnits, WriteCapacityUnits: capacity.writeCapacityUnits };
}
