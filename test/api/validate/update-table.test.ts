// Covers UpdateTable validation against a current TableSpec: the "At least one of" and
// single-concern rules, billing switches and the "will not change" texts, GSI
// Create/Update/Delete with their limits at and past them, streams and SSE, and the new
// TableSpec (new GSIs CREATING with Backfilling, deleted ones gone).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkCreateTable, checkUpdateTable } from '../../../src/api/validate/table.js';
import type { TableSpec } from '../../../src/engine/table-spec.js';
import { def, hash, invalid, range, throwsExactly } from './support.js';

function rejects(input: unknown, current: TableSpec, message: string, name = 'ValidationException'): void {
  throwsExactly(() => checkUpdateTable(input, current), message, name);
}

const nothing =
  'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, SSESpecification, ' +
  'ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, ' +
  'OnDemandThroughput, WarmThroughput or TableClass is required';

const onDemandTable = checkCreateTable({
  TableName: 'things', BillingMode: 'PAY_PER_REQUEST',
  KeySchema: [hash('p'), range('c')],
  AttributeDefinitions: [def('p'), def('c'), def('x'), def('y')],
  GlobalSecondaryIndexes: [{ IndexName: 'gsi1', KeySchema: [hash('x')], Projection: { ProjectionType: 'ALL' } }],
  LocalSecondaryIndexes: [{ IndexName: 'lsi1', KeySchema: [hash('p'), range('y')], Projection: { ProjectionType: 'ALL' } }],
});
const provisionedTable = checkCreateTable({
  TableName: 'prov', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
  KeySchema: [hash('p')],
  AttributeDefinitions: [def('p'), def('x')],
  GlobalSecondaryIndexes: [{ IndexName: 'gsi1', KeySchema: [hash('x')], Projection: { ProjectionType: 'KEYS_ONLY' },
    ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 } }],
});
const newIndex = (name: string, key = 'z') => ({ Create: { IndexName: name, KeySchema: [hash(key)], Projection: { ProjectionType: 'ALL' } } });

test('nothing to update', () => {
  rejects({ TableName: 'things' }, onDemandTable, nothing);
  rejects({ TableName: 'things', GlobalSecondaryIndexUpdates: [] }, onDemandTable, nothing);
  rejects({ TableName: 'things', AttributeDefinitions: [def('p')] }, onDemandTable, nothing);
  rejects({ TableName: 'things', GlobalSecondaryIndexUpdates: [], DeletionProtectionEnabled: true }, onDemandTable,
    invalid('List of GlobalSecondaryIndexUpdates is empty'));
  rejects({ TableName: 'ab' }, onDemandTable,
    "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3");
});

test('one concern per request', () => {
  rejects({ TableName: 'things', SSESpecification: { Enabled: true }, DeletionProtectionEnabled: true }, onDemandTable,
    invalid('Server-Side Encryption modification must be the only operation in the request'));
  rejects({ TableName: 'things', TableClass: 'STANDARD', BillingMode: 'PAY_PER_REQUEST' }, onDemandTable,
    invalid('TableClass modification must be the only operation in the request'));
  rejects({ TableName: 'things', BillingMode: 'PAY_PER_REQUEST', DeletionProtectionEnabled: true }, onDemandTable,
    invalid('DeletionProtection modification must be the only operation in the request'));
  rejects({ TableName: 'things', OnDemandThroughput: { MaxReadRequestUnits: 5 }, StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } },
    onDemandTable, invalid('OnDemandThroughput can only be combined with BillingMode in an UpdateTable request'));
  rejects({ TableName: 'prov', ProvisionedThroughput: { ReadCapacityUnits: 6, WriteCapacityUnits: 6 }, StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } },
    provisionedTable, invalid('You cannot modify stream status while updating table IOPS'));
  rejects({ TableName: 'things', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' }, AttributeDefinitions: [def('z')],
    GlobalSecondaryIndexUpdates: [newIndex('gsi2')] }, onDemandTable, invalid('You cannot create or delete index while changing stream status'));
});

test('billing mode and throughput', () => {
  rejects({ TableName: 'things', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }, onDemandTable,
    invalid('Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST'));
  rejects({ TableName: 'prov', BillingMode: 'PROVISIONED' }, provisionedTable,
    invalid('ProvisionedThroughput must be specified when BillingMode is PROVISIONED'));
  rejects({ TableName: 'prov', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } }, provisionedTable,
    'The provisioned throughput for the table will not change. The requested value equals the current value. ' +
    'Current ReadCapacityUnits provisioned for the table: 5. Requested ReadCapacityUnits: 5. ' +
    'Current WriteCapacityUnits provisioned for the table: 5. Requested WriteCapacityUnits: 5. ' +
    'Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.');
  const { spec } = checkUpdateTable({ TableName: 'prov', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 6 } }, provisionedTable);
  assert.deepEqual(spec.ProvisionedThroughput, { ReadCapacityUnits: 5, WriteCapacityUnits: 6 });
  assert.deepEqual(provisionedTable.ProvisionedThroughput, { ReadCapacityUnits: 5, WriteCapacityUnits: 5 }, 'input not mutated');
  rejects({ TableName: 'things', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }, onDemandTable,
    invalid('ProvisionedThroughput must be specified for index: gsi1'));
  const switched = checkUpdateTable({ TableName: 'things', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
    GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'gsi1', ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 4 } } }] }, onDemandTable).spec;
  assert.equal(switched.BillingMode, 'PROVISIONED');
  assert.deepEqual(switched.GlobalSecondaryIndexes[0]?.ProvisionedThroughput, { ReadCapacityUnits: 3, WriteCapacityUnits: 4 });
  const toOnDemand = checkUpdateTable({ TableName: 'prov', BillingMode: 'PAY_PER_REQUEST' }, provisionedTable).spec;
  assert.equal(toOnDemand.ProvisionedThroughput, undefined);
  assert.equal(toOnDemand.GlobalSecondaryIndexes[0]?.ProvisionedThroughput, undefined);
  rejects({ TableName: 'prov', OnDemandThroughput: { MaxReadRequestUnits: 5 } }, provisionedTable,
    invalid('MaxReadRequestUnits for OnDemandThroughput cannot be specified when the table BillingMode is PROVISIONED'));
  rejects({ TableName: 'things', OnDemandThroughput: { MaxReadRequestUnits: 0 } }, onDemandTable,
    invalid('Requested MaxReadRequestUnits for OnDemandThroughput for table is outside of valid range'));
  const capped = checkUpdateTable({ TableName: 'things', OnDemandThroughput: { MaxReadRequestUnits: 1, MaxWriteRequestUnits: 7 } }, onDemandTable).spec;
  assert.deepEqual(capped.OnDemandThroughput, { MaxReadRequestUnits: 1, MaxWriteRequestUnits: 7 });
  const cleared = checkUpdateTable({ TableName: 'things', OnDemandThroughput: { MaxReadRequestUnits: -1, MaxWriteRequestUnits: -1 } }, capped).spec;
  assert.equal(cleared.OnDemandThroughput, undefined);
});

test('GSI update entries', () => {
  rejects({ TableName: 'things', GlobalSecondaryIndexUpdates: [{}] }, onDemandTable,
    invalid('One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null'));
  rejects({ TableName: 'things', GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'gsi1' }, Delete: { IndexName: 'gsi1' } }] }, onDemandTable,
    invalid('Only one global secondary index action is allowed per GlobalSecondaryIndexUpdate object'));
  rejects({ TableName: 'things', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'gsi1' } }, { Update: { IndexName: 'gsi1' } }] }, onDemandTable,
    invalid('Only one global secondary index update per index is allowed simultaneously. Index: gsi1'));
  rejects({ TableName: 'things', GlobalSecondaryIndexUpdates: [{ Update: {} }] }, onDemandTable,
    "1 validation error detected: Value null at 'globalSecondaryIndexUpdates.1.member.update.indexName' failed to satisfy constraint: Member must not be null");
  rejects({ TableName: 'things', GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'gsi1' } }] }, onDemandTable,
    invalid('The only Updates for index: gsi1 when TableThroughputMode is PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput'));
  rejects({ TableName: 'things', GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'ghost', OnDemandThroughput: { MaxReadRequestUnits: 5 } } }] }, onDemandTable,
    'Requested resource not found: Index ghost for table things', 'ResourceNotFoundException');
  rejects({ TableName: 'things', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'lsi1' } }] }, onDemandTable,
    'Cannot delete an index that is not a GlobalSecondaryIndex: lsi1');
  rejects({ TableName: 'things', GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'lsi1' } }] }, onDemandTable,
    'Cannot update an index that is not a GlobalSecondaryIndex: lsi1');
  rejects({ TableName: 'prov', GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'gsi1', ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 } } }] },
    provisionedTable,
    'The provisioned throughput for the index gsi1 will not change. The requested value equals the current value. ' +
    'Current ReadCapacityUnits provisioned for index gsi1: 2. Requested ReadCapacityUnits: 2. ' +
    'Current WriteCapacityUnits provisioned for index gsi1: 2. Requested WriteCapacityUnits: 2. ' +
    'Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.');
  const { spec } = checkUpdateTable({ TableName: 'prov',
    GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'gsi1', ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 } } }] }, provisionedTable);
  assert.deepEqual(spec.GlobalSecondaryIndexes[0]?.ProvisionedThroughput, { ReadCapacityUnits: 2, WriteCapacityUnits: 3 });
});

test('GSI create and delete', () => {
  rejects({ TableName: 'things', GlobalSecondaryIndexUpdates: [newIndex('gsi2')] }, onDemandTable,
    invalid('AttributeDefinitions is not specified for index: gsi2'));
  rejects({ TableName: 'things', AttributeDefinitions: [def('z')], GlobalSecondaryIndexUpdates: [newIndex('gsi1')] }, onDemandTable,
    'Attempting to create an index which already exists');
  rejects({ TableName: 'things', AttributeDefinitions: [def('z')], GlobalSecondaryIndexUpdates: [newIndex('lsi1')] }, onDemandTable,
    'Attempting to create an index which already exists');
  rejects({ TableName: 'things', AttributeDefinitions: [def('q')], GlobalSecondaryIndexUpdates: [newIndex('gsi2')] }, onDemandTable,
    invalid('Some index key attributes are not defined in AttributeDefinitions. Keys: [z], AttributeDefinitions: [q]'));
  rejects({ TableName: 'things', AttributeDefinitions: [def('z'), def('w')], GlobalSecondaryIndexUpdates: [newIndex('gsi2'), newIndex('gsi3', 'w')] },
    onDemandTable, 'Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table', 'LimitExceededException');
  const created = checkUpdateTable({ TableName: 'things', AttributeDefinitions: [def('z', 'N')], GlobalSecondaryIndexUpdates: [newIndex('gsi2')] }, onDemandTable);
  assert.deepEqual(created.createIndexes, ['gsi2']);
  assert.deepEqual(created.spec.GlobalSecondaryIndexes[1], {
    IndexName: 'gsi2', keySchema: { partitionKey: { name: 'z', type: 'N' } }, Projection: { ProjectionType: 'ALL' },
    IndexStatus: 'CREATING', Backfilling: true,
  });
  assert.ok(created.spec.AttributeDefinitions.some((d) => d.AttributeName === 'z' && d.AttributeType === 'N'));
  rejects({ TableName: 'things', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'gsi1' } }] }, created.spec,
    'Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table', 'LimitExceededException');
  // An existing key attribute needs no re-definition.
  checkUpdateTable({ TableName: 'things', AttributeDefinitions: [def('unused')], GlobalSecondaryIndexUpdates: [newIndex('gsi2', 'p')] }, onDemandTable);
  rejects({ TableName: 'prov', AttributeDefinitions: [def('z')], GlobalSecondaryIndexUpdates: [newIndex('gsi2')] }, provisionedTable,
    invalid('ProvisionedThroughput is not specified for index: gsi2'));
  const deleted = checkUpdateTable({ TableName: 'things', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'gsi1' } }] }, onDemandTable);
  assert.deepEqual(deleted.deleteIndexes, ['gsi1']);
  assert.deepEqual(deleted.spec.GlobalSecondaryIndexes, []);
  assert.deepEqual(deleted.spec.AttributeDefinitions.map((d) => d.AttributeName), ['p', 'c', 'y'], 'x pruned');
  rejects({ TableName: 'things', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'ghost' } }] }, onDemandTable,
    'Requested resource not found: Index ghost for table things', 'ResourceNotFoundException');
});

test('20 GSIs: the 20th can be created, the 21st cannot', () => {
  const defs = [def('p'), def('x')];
  const nineteen = checkCreateTable({ TableName: 'many', BillingMode: 'PAY_PER_REQUEST', KeySchema: [hash('p')], AttributeDefinitions: defs,
    GlobalSecondaryIndexes: Array.from({ length: 19 }, (_, i) => ({ IndexName: `gsi${i}`, KeySchema: [hash('x')], Projection: { ProjectionType: 'ALL' } })) });
  const twenty = checkUpdateTable({ TableName: 'many', AttributeDefinitions: [def('z')], GlobalSecondaryIndexUpdates: [newIndex('gsi19')] }, nineteen).spec;
  assert.equal(twenty.GlobalSecondaryIndexes.length, 20);
  twenty.GlobalSecondaryIndexes.forEach((index) => { index.IndexStatus = 'ACTIVE'; delete index.Backfilling; });
  rejects({ TableName: 'many', AttributeDefinitions: [def('z')], GlobalSecondaryIndexUpdates: [newIndex('gsi20')] }, twenty,
    'Subscriber limit exceeded: Number of global secondary indexes exceeds per-table limit of 20', 'LimitExceededException');
});

test('streams, SSE, table class, deletion protection', () => {
  rejects({ TableName: 'things', StreamSpecification: { StreamEnabled: true } }, onDemandTable,
    invalid('If stream is being enabled then UpdateViewType is required'));
  rejects({ TableName: 'things', StreamSpecification: { StreamEnabled: false, StreamViewType: 'KEYS_ONLY' } }, onDemandTable,
    invalid('If stream is being disabled, then UpdateViewType must not be specified'));
  rejects({ TableName: 'things', StreamSpecification: { StreamEnabled: false } }, onDemandTable, 'Table has no stream to disable: TableName: things');
  const streaming = checkUpdateTable({ TableName: 'things', StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } }, onDemandTable).spec;
  assert.deepEqual(streaming.StreamSpecification, { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
  rejects({ TableName: 'things', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }, streaming,
    'Table already has an enabled stream: TableName: things');
  assert.equal(checkUpdateTable({ TableName: 'things', StreamSpecification: { StreamEnabled: false } }, streaming).spec.StreamSpecification, undefined);
  rejects({ TableName: 'things', SSESpecification: {} }, onDemandTable, invalid('Table is already encrypted by default'));
  rejects({ TableName: 'things', SSESpecification: { Enabled: false, SSEType: 'KMS' } }, onDemandTable, invalid('SSEType can not be specified if Enabled is false'));
  const kms = checkUpdateTable({ TableName: 'things', SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: 'key-1' } }, onDemandTable).spec;
  assert.deepEqual(kms.SSESpecification, { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: 'key-1' });
  rejects({ TableName: 'things', SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: 'key-1' } }, kms,
    invalid('Table is already encrypted with given KMSMasterKeyId. Use KMSMasterKeyId parameter if you want to change Master Key'));
  rejects({ TableName: 'things', TableClass: 'junk' }, onDemandTable,
    'Invalid table-class parameter provided. Please try again with a valid table-class value: [STANDARD, STANDARD_INFREQUENT_ACCESS].');
  assert.equal(checkUpdateTable({ TableName: 'things', TableClass: 'STANDARD_INFREQUENT_ACCESS' }, onDemandTable).spec.TableClass, 'STANDARD_INFREQUENT_ACCESS');
  assert.equal(checkUpdateTable({ TableName: 'things', DeletionProtectionEnabled: true }, onDemandTable).spec.DeletionProtectionEnabled, true);
});

test('GSI create: NonKeyAttributes names over 255 characters are a shape failure', () => {
  const long = 'n'.repeat(256);
  rejects(
    { TableName: 'things', AttributeDefinitions: [def('z')], GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'gsi2', KeySchema: [hash('z')], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [long] } } }] },
    onDemandTable,
    `1 validation error detected: Value '[${long}]' at 'globalSecondaryIndexUpdates.1.member.create.projection.nonKeyAttributes' failed to satisfy constraint: ` +
      'Member must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 1]',
  );
});

test('GSI create: an attribute a key already uses cannot change type', () => {
  const create = (keys: unknown[], defs: unknown[]) => ({
    TableName: 'things', AttributeDefinitions: defs,
    GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'gsi2', KeySchema: keys, Projection: { ProjectionType: 'ALL' } } }],
  });
  const redefined = (existing: string, created: string) => invalid(
    'Attributes cannot be redefined. Please check that your attribute has the same type as previously defined. ' +
      `Existing schema: ${existing} New schema: ${created}`,
  );
  rejects(create([hash('x')], [def('x', 'N')]), onDemandTable,
    redefined('Schema:[SchemaElement: key{x:S:HASH}]', 'Schema:[SchemaElement: key{x:N:HASH}]'));
  rejects(create([hash('z'), range('p')], [def('z'), def('p', 'B')]), onDemandTable,
    redefined('Schema:[SchemaElement: key{p:S:HASH}, SchemaElement: key{c:S:RANGE}]', 'Schema:[SchemaElement: key{z:S:HASH}, SchemaElement: key{p:B:RANGE}]'));
  // The same type again is fine.
  const { spec } = checkUpdateTable(create([hash('x')], [def('x')]), onDemandTable);
  assert.equal(spec.GlobalSecondaryIndexes.length, 2);
});
