// What a DynamoDB request asks for, in IAM's terms: one or more (action, resource, condition
// keys) to authorize. Computed from the raw request before the operation runs:
// - dynamodb:LeadingKeys: the partition key values touched (every key of a batch, for its table);
// - dynamodb:Attributes: every top-level attribute the request names: projections, item
//   attributes, update paths, condition and filter attributes, and the key attributes;
// - dynamodb:Select: as given, or what DynamoDB does without it: SPECIFIC_ATTRIBUTES with a
//   projection, else ALL_ATTRIBUTES (ALL_PROJECTED_ATTRIBUTES on an index), on every read;
// - dynamodb:ReturnValues, dynamodb:ReturnConsumedCapacity: when given;
// - dynamodb:EnclosingOperation: TransactGetItems / TransactWriteItems for their per-item actions.
// A request whose expressions do not parse carries the ValidationException: authorization
// reports it if the action is otherwise allowed, so nothing runs without its condition keys.
// Resources: a table named by ARN is that ARN; a plain name is a table of the caller's account
// (the server's, unless a principal of another account calls: then its own, with no tables).
import type { KeySchema, TableSpec } from '../engine/table-spec.js';
import type { ContextValue } from './context.js';
import { expressionKeys } from './expression-keys.js';
import { statementKeys } from '../partiql/index.js';
import type { AttributeValue } from '../model/attribute-value.js';

export interface AccessRequest {
  action: string;
  resource: string;
  keys: Map<string, ContextValue>;
  /** The ValidationException of expressions that do not parse (their keys are missing). */
  malformed?: unknown;
  /** BatchExecuteStatement: the statement this request stands for (refused alone, not the batch). */
  statementIndex?: number;
}

/** What this module needs of the catalog. */
export interface TableLookup {
  find(tableName: string): { spec: TableSpec; tableId: string } | undefined;
  /** The ARN a plain table name stands for. */
  tableArn(tableName: string): string;
  /** Where the found tables live, when plain names point elsewhere (another account's caller). */
  serverArn?(tableName: string): string;
}

type Input = Record<string, unknown>;

const tableLevel = new Set([
  'CreateTable', 'DescribeTable', 'DeleteTable', 'UpdateTable', 'UpdateTimeToLive', 'DescribeTimeToLive',
  'DescribeContinuousBackups', 'UpdateContinuousBackups', 'CreateBackup', 'DescribeContributorInsights',
  'UpdateContributorInsights', 'DescribeKinesisStreamingDestination', 'DescribeTableReplicaAutoScaling',
]);
const resourceArnLevel = new Set(['TagResource', 'UntagResource', 'ListTagsOfResource', 'GetResourcePolicy', 'PutResourcePolicy', 'DeleteResourcePolicy']);
// unverified: RestoreTableFromBackup is authorized on the backup, RestoreTableToPointInTime on the source table.
const backupArnLevel = new Set(['DescribeBackup', 'DeleteBackup', 'RestoreTableFromBackup']);

/**
 * The (action, resource, keys) a request implies. `callerAccount`: set for a principal of another
 * account than the server's, whose plain table names then point into its own account.
 */
export function dynamodbAccess(operation: string, input: Input, serverTables: TableLookup, callerAccount?: string): AccessRequest[] {
  const tables = callerAccount === undefined ? serverTables : inAccount(serverTables, callerAccount);
  switch (operation) {
    case 'GetItem':
      return [itemRead('dynamodb:GetItem', input, tables, undefined)];
    case 'PutItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return [itemWrite(operation, input, tables, undefined)];
    case 'Query':
    case 'Scan':
      return [queryOrScan(operation, input, tables)];
    case 'BatchGetItem':
      return batchGet(input, tables);
    case 'BatchWriteItem':
      return batchWrite(input, tables);
    case 'TransactGetItems':
      return transactGet(input, tables);
    case 'TransactWriteItems':
      return transactWrite(input, tables);
    case 'ExecuteStatement':
      return partiqlAccess([input], input, tables);
    case 'BatchExecuteStatement':
      return partiqlAccess(Array.isArray(input.Statements) ? input.Statements : [], input, tables, true);
    case 'ExecuteTransaction':
      return partiqlAccess(Array.isArray(input.TransactStatements) ? input.TransactStatements : [], input, tables);
    default: {
      const action = `dynamodb:${operation}`;
      if (resourceArnLevel.has(operation)) return [plain(action, typeof input.ResourceArn === 'string' ? input.ResourceArn : '*')];
      if (operation === 'CreateTable' && typeof input.TableName === 'string' && input.ResourcePolicy !== undefined) {
        // Creating a table with a resource-based policy also needs dynamodb:PutResourcePolicy.
        const arn = arnOf(input.TableName, tables);
        return [plain(action, arn), plain('dynamodb:PutResourcePolicy', arn)];
      }
      if (tableLevel.has(operation) && typeof input.TableName === 'string') return [plain(action, arnOf(input.TableName, tables))];
      if (backupArnLevel.has(operation)) return [plain(action, typeof input.BackupArn === 'string' ? input.BackupArn : '*')];
      if (operation === 'DescribeStream' || operation === 'GetShardIterator') {
        return [plain(action, typeof input.StreamArn === 'string' ? input.StreamArn : '*')];
      }
      if (operation === 'GetRecords') {
        // A shard iterator starts with its stream's ARN: "<streamArn>|1|<payload>".
        const iterator = typeof input.ShardIterator === 'string' ? input.ShardIterator : '';
        const separator = iterator.indexOf('|');
        return [plain(action, separator > 0 ? iterator.slice(0, separator) : '*')];
      }
      // DynamoDB reports ListTables against the account's table/* ARN (as its AccessDenied texts show).
      if (operation === 'ListTables') return [plain(action, tables.tableArn('*'))];
      if (operation === 'RestoreTableToPointInTime') {
        const source = typeof input.SourceTableArn === 'string' ? input.SourceTableArn : typeof input.SourceTableName === 'string' ? arnOf(input.SourceTableName, tables) : '*';
        return [plain(action, source)];
      }
      return [plain(action, '*')];
    }
  }
}

function plain(action: string, resource: string): AccessRequest {
  return { action, resource, keys: new Map() };
}

/** DynamoDB accepts a table ARN wherever a table name goes. */
function arnOf(tableName: string, tables: TableLookup): string {
  return tableName.startsWith('arn:') ? tableName : tables.tableArn(tableName);
}

function tableNameOf(nameOrArn: string): string {
  const at = nameOrArn.startsWith('arn:') ? nameOrArn.indexOf(':table/') : -1;
  return at < 0 ? nameOrArn : nameOrArn.slice(at + ':table/'.length);
}

/** The table's spec, when the name or ARN names one of the tables the lookup holds. */
function specOf(nameOrArn: unknown, tables: TableLookup): TableSpec | undefined {
  if (typeof nameOrArn !== 'string') return undefined;
  const name = tableNameOf(nameOrArn);
  // An ARN of another account or region names no table here.
  if (!nameOrArn.startsWith('arn:')) return tables.serverArn === undefined ? tables.find(name)?.spec : undefined;
  const serverArn = tables.serverArn !== undefined ? tables.serverArn(name) : tables.tableArn(name);
  if (serverArn !== nameOrArn) return undefined;
  return tables.find(name)?.spec;
}

function schemaOf(tableName: unknown, tables: TableLookup): KeySchema | undefined {
  return specOf(tableName, tables)?.keySchema;
}

/**
 * The lookup a principal of another account sees: its plain names are ARNs of its own
 * account, which has no tables; ARNs of the server's tables still find them.
 */
function inAccount(server: TableLookup, account: string): TableLookup {
  const ownArn = (tableName: string): string => {
    const parts = server.tableArn(tableName).split(':');
    parts[4] = account;
    return parts.join(':');
  };
  return {
    find: (tableName) => server.find(tableName),
    tableArn: ownArn,
    serverArn: (tableName) => server.tableArn(tableName),
  };
}

/** A key value as IAM sees it: the string form of an S, N or B value. */
function keyText(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const attribute = value as Partial<Record<'S' | 'N' | 'B', unknown>>;
  const text = attribute.S ?? attribute.N ?? attribute.B;
  return typeof text === 'string' ? text : undefined;
}

function isRecord(value: unknown): value is Input {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Collects the condition keys of one request against one table. */
class KeysBuilder {
  readonly leadingKeys = new Set<string>();
  readonly attributes = new Set<string>();
  malformed: unknown;
  readonly keys = new Map<string, ContextValue>();

  constructor(readonly schema: KeySchema | undefined) {}

  addKey(key: unknown): void {
    if (!isRecord(key)) return;
    for (const name of Object.keys(key)) this.attributes.add(name);
    if (this.schema !== undefined) {
      const value = keyText(key[this.schema.partitionKey.name]);
      if (value !== undefined) this.leadingKeys.add(value);
    }
  }

  addItem(item: unknown): void {
    if (!isRecord(item)) return;
    for (const name of Object.keys(item)) this.attributes.add(name);
    this.addKey(item);
  }

  /** Attribute names of the request's expressions and legacy parameters; true if it has a projection. */
  addExpressions(input: Input): boolean {
    try {
      const found = expressionKeys(input, this.schema?.partitionKey.name);
      for (const name of found.attributes) this.attributes.add(name);
      const value = keyText(found.partitionValue);
      if (value !== undefined) this.leadingKeys.add(value);
    } catch (error) {
      this.malformed ??= error;
    }
    for (const field of ['AttributeUpdates', 'Expected', 'QueryFilter', 'ScanFilter', 'KeyConditions'] as const) {
      const legacy = input[field];
      if (isRecord(legacy)) for (const name of Object.keys(legacy)) this.attributes.add(name);
    }
    const keyConditions = input.KeyConditions;
    if (isRecord(keyConditions) && this.schema !== undefined) {
      const condition = keyConditions[this.schema.partitionKey.name];
      if (isRecord(condition) && condition.ComparisonOperator === 'EQ' && Array.isArray(condition.AttributeValueList)) {
        const value = keyText(condition.AttributeValueList[0]);
        if (value !== undefined) this.leadingKeys.add(value);
      }
    }
    const attributesToGet = input.AttributesToGet;
    if (Array.isArray(attributesToGet)) for (const name of attributesToGet) if (typeof name === 'string') this.attributes.add(name);
    return typeof input.ProjectionExpression === 'string' || Array.isArray(attributesToGet);
  }

  setIfString(key: string, value: unknown): void {
    if (typeof value === 'string') this.keys.set(key, value);
  }

  build(action: string, resource: string): AccessRequest {
    if (this.leadingKeys.size > 0) this.keys.set('dynamodb:leadingkeys', [...this.leadingKeys]);
    if (this.attributes.size > 0) this.keys.set('dynamodb:attributes', [...this.attributes]);
    return this.malformed === undefined ? { action, resource, keys: this.keys } : { action, resource, keys: this.keys, malformed: this.malformed };
  }
}

function itemRead(action: string, input: Input, tables: TableLookup, enclosing: string | undefined): AccessRequest {
  const builder = new KeysBuilder(schemaOf(input.TableName, tables));
  builder.addKey(input.Key);
  const projected = builder.addExpressions(input);
  builder.keys.set('dynamodb:select', projected ? 'SPECIFIC_ATTRIBUTES' : 'ALL_ATTRIBUTES');
  builder.setIfString('dynamodb:returnconsumedcapacity', input.ReturnConsumedCapacity);
  if (enclosing !== undefined) builder.keys.set('dynamodb:enclosingoperation', enclosing);
  return builder.build(action, arnOf(String(input.TableName ?? ''), tables));
}

function itemWrite(operation: string, input: Input, tables: TableLookup, enclosing: string | undefined): AccessRequest {
  const builder = new KeysBuilder(schemaOf(input.TableName, tables));
  if (operation === 'PutItem') builder.addItem(input.Item);
  else builder.addKey(input.Key);
  builder.addExpressions(input);
  builder.setIfString('dynamodb:returnvalues', input.ReturnValues);
  builder.setIfString('dynamodb:returnconsumedcapacity', input.ReturnConsumedCapacity);
  if (enclosing !== undefined) builder.keys.set('dynamodb:enclosingoperation', enclosing);
  return builder.build(`dynamodb:${operation}`, arnOf(String(input.TableName ?? ''), tables));
}

function queryOrScan(operation: 'Query' | 'Scan', input: Input, tables: TableLookup): AccessRequest {
  const tableSchema = schemaOf(input.TableName, tables);
  const indexName = typeof input.IndexName === 'string' ? input.IndexName : undefined;
  let schema = tableSchema;
  if (indexName !== undefined && typeof input.TableName === 'string') {
    const spec = specOf(input.TableName, tables);
    const index = spec && [...spec.GlobalSecondaryIndexes, ...spec.LocalSecondaryIndexes].find((candidate) => candidate.IndexName === indexName);
    schema = index?.keySchema;
  }
  const builder = new KeysBuilder(operation === 'Query' ? schema : undefined);
  const projected = builder.addExpressions(input);
  const select = typeof input.Select === 'string' ? input.Select : projected ? 'SPECIFIC_ATTRIBUTES' : indexName ? 'ALL_PROJECTED_ATTRIBUTES' : 'ALL_ATTRIBUTES';
  builder.keys.set('dynamodb:select', select);
  builder.setIfString('dynamodb:returnconsumedcapacity', input.ReturnConsumedCapacity);
  const tableArn = arnOf(String(input.TableName ?? ''), tables);
  return builder.build(`dynamodb:${operation}`, indexName === undefined ? tableArn : `${tableArn}/index/${indexName}`);
}

/**
 * PartiQL: each statement is authorized as dynamodb:PartiQLSelect / Insert / Update / Delete on
 * its table or index, with the condition keys its text implies (src/partiql/access.ts). A
 * statement that does not parse implies nothing: it fails validation before touching anything.
 * dynamodb:FullTableScan is unverified beyond its name and type (Bool) in the service
 * authorization reference.
 */
function partiqlAccess(statements: unknown[], input: Input, tables: TableLookup, eachAlone = false): AccessRequest[] {
  const requests: AccessRequest[] = [];
  for (const [index, member] of statements.entries()) {
    if (!isRecord(member) || typeof member.Statement !== 'string') continue;
    const parameters = (Array.isArray(member.Parameters) ? member.Parameters : []) as AttributeValue[];
    const found = statementKeys(member.Statement, parameters, (tableName, indexName) => {
      const spec = specOf(tableName, tables);
      const index = indexName === undefined ? undefined : [...(spec?.GlobalSecondaryIndexes ?? []), ...(spec?.LocalSecondaryIndexes ?? [])].find((i) => i.IndexName === indexName);
      return (indexName === undefined ? spec?.keySchema : index?.keySchema)?.partitionKey.name;
    });
    if (found === undefined) continue;
    const builder = new KeysBuilder(undefined);
    for (const value of found.partitionKeyValues) {
      const text = keyText(value);
      if (text !== undefined) builder.leadingKeys.add(text);
    }
    for (const name of found.attributes) builder.attributes.add(name);
    if (found.action === 'PartiQLSelect') {
      builder.keys.set('dynamodb:select', found.projected ? 'SPECIFIC_ATTRIBUTES' : found.indexName ? 'ALL_PROJECTED_ATTRIBUTES' : 'ALL_ATTRIBUTES');
      builder.keys.set('dynamodb:fulltablescan', found.fullTableScan ? 'true' : 'false');
    }
    builder.setIfString('dynamodb:returnconsumedcapacity', input.ReturnConsumedCapacity);
    const tableArn = arnOf(found.tableName, tables);
    const request = builder.build(`dynamodb:${found.action}`, found.indexName === undefined ? tableArn : `${tableArn}/index/${found.indexName}`);
    if (eachAlone) request.statementIndex = index;
    requests.push(request);
  }
  return requests;
}

function batchGet(input: Input, tables: TableLookup): AccessRequest[] {
  const requests: AccessRequest[] = [];
  if (!isRecord(input.RequestItems)) return [plain('dynamodb:BatchGetItem', '*')];
  for (const [tableName, raw] of Object.entries(input.RequestItems)) {
    const entry = isRecord(raw) ? raw : {};
    const builder = new KeysBuilder(schemaOf(tableName, tables));
    if (Array.isArray(entry.Keys)) for (const key of entry.Keys) builder.addKey(key);
    const projected = builder.addExpressions(entry);
    builder.keys.set('dynamodb:select', projected ? 'SPECIFIC_ATTRIBUTES' : 'ALL_ATTRIBUTES');
    builder.setIfString('dynamodb:returnconsumedcapacity', input.ReturnConsumedCapacity);
    requests.push(builder.build('dynamodb:BatchGetItem', arnOf(tableName, tables)));
  }
  return requests;
}

function batchWrite(input: Input, tables: TableLookup): AccessRequest[] {
  const requests: AccessRequest[] = [];
  if (!isRecord(input.RequestItems)) return [plain('dynamodb:BatchWriteItem', '*')];
  for (const [tableName, raw] of Object.entries(input.RequestItems)) {
    const builder = new KeysBuilder(schemaOf(tableName, tables));
    for (const write of Array.isArray(raw) ? raw : []) {
      if (!isRecord(write)) continue;
      if (isRecord(write.PutRequest)) builder.addItem(write.PutRequest.Item);
      if (isRecord(write.DeleteRequest)) builder.addKey(write.DeleteRequest.Key);
    }
    builder.setIfString('dynamodb:returnconsumedcapacity', input.ReturnConsumedCapacity);
    requests.push(builder.build('dynamodb:BatchWriteItem', arnOf(tableName, tables)));
  }
  return requests;
}

function transactGet(input: Input, tables: TableLookup): AccessRequest[] {
  const items = Array.isArray(input.TransactItems) ? input.TransactItems : [];
  const requests: AccessRequest[] = [];
  for (const item of items) {
    if (isRecord(item) && isRecord(item.Get)) requests.push(itemRead('dynamodb:GetItem', item.Get, tables, 'TransactGetItems'));
  }
  return requests.length > 0 ? requests : [plain('dynamodb:GetItem', '*')];
}

const transactWriteActions = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem' } as const;

function transactWrite(input: Input, tables: TableLookup): AccessRequest[] {
  const items = Array.isArray(input.TransactItems) ? input.TransactItems : [];
  const requests: AccessRequest[] = [];
  for (const item of items) {
    if (!isRecord(item)) continue;
    for (const [member, operation] of Object.entries(transactWriteActions)) {
      const body = item[member];
      if (isRecord(body)) requests.push(itemWrite(operation, { ...body, ReturnConsumedCapacity: input.ReturnConsumedCapacity }, tables, 'TransactWriteItems'));
    }
  }
  return requests.length > 0 ? requests : [plain('dynamodb:PutItem', '*')];
}
