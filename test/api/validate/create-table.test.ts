// Covers CreateTable validation on plain request objects: the shape pass (all constraint
// failures in one message), then each rule in DynamoDB's order with its exact text, every
// index limit at and past it, and the TableSpec produced for valid requests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkCreateTable } from '../../../src/api/validate/table.js';
import { def, hash, invalid, range, throwsExactly } from './support.js';

function rejects(input: unknown, message: string, name = 'ValidationException'): void {
  throwsExactly(() => checkCreateTable(input), message, name);
}

const base = (extra: Record<string, unknown> = {}) => ({
  TableName: 'things',
  BillingMode: 'PAY_PER_REQUEST',
  KeySchema: [hash('p'), range('c')],
  AttributeDefinitions: [def('p'), def('c')],
  ...extra,
});
const gsi = (name: string, keys: unknown[], projection: unknown = { ProjectionType: 'ALL' }, extra = {}) => ({
  IndexName: name, KeySchema: keys, Projection: projection, ...extra,
});

test('a valid table becomes a TableSpec', () => {
  const spec = checkCreateTable(base({ Tags: [{ Key: 'k', Value: 'v' }], TableClass: 'STANDARD_INFREQUENT_ACCESS' }));
  assert.deepEqual(spec, {
    TableName: 'things',
    keySchema: { partitionKey: { name: 'p', type: 'S' }, sortKey: { name: 'c', type: 'S' } },
    AttributeDefinitions: [{ AttributeName: 'p', AttributeType: 'S' }, { AttributeName: 'c', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
    GlobalSecondaryIndexes: [],
    LocalSecondaryIndexes: [],
    DeletionProtectionEnabled: false,
    Tags: [{ Key: 'k', Value: 'v' }],
    TableClass: 'STANDARD_INFREQUENT_ACCESS',
  });
});

test('shape pass lists every constraint failure in one message', () => {
  rejects({ TableName: 'abc;' },
    '3 validation errors detected: ' +
    "Value null at 'attributeDefinitions' failed to satisfy constraint: Member must not be null; " +
    "Value 'abc;' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; " +
    "Value null at 'keySchema' failed to satisfy constraint: Member must not be null");
  rejects(base({ AttributeDefinitions: [{}] }),
    '2 validation errors detected: ' +
    "Value null at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must not be null; " +
    "Value null at 'attributeDefinitions.1.member.attributeName' failed to satisfy constraint: Member must not be null");
  rejects(base({ KeySchema: [{}] }),
    '2 validation errors detected: ' +
    "Value null at 'keySchema.1.member.attributeName' failed to satisfy constraint: Member must not be null; " +
    "Value null at 'keySchema.1.member.keyType' failed to satisfy constraint: Member must not be null");
  rejects(base({ KeySchema: [] }),
    "1 validation error detected: Value '[]' at 'keySchema' failed to satisfy constraint: Member must have length greater than or equal to 1");
  rejects(base({ KeySchema: [hash('p'), range('c'), range('x')] }),
    "1 validation error detected: Value '[KeySchemaElement(attributeName=p, keyType=HASH), KeySchemaElement(attributeName=c, keyType=RANGE), KeySchemaElement(attributeName=x, keyType=RANGE)]' at 'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2");
  rejects(base({ AttributeDefinitions: [def('p', 'SS'), def('c')] }),
    "1 validation error detected: Value 'SS' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]");
  rejects(base({ BillingMode: 'pay_per_request' }),
    "1 validation error detected: Value 'pay_per_request' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]");
  rejects(base({ BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0 } }),
    '2 validation errors detected: ' +
    "Value '0' at 'provisionedThroughput.writeCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1; " +
    "Value '0' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1");
  rejects(base({ StreamSpecification: { StreamEnabled: true, StreamViewType: '' } }),
    "1 validation error detected: Value '' at 'streamSpecification.streamViewType' failed to satisfy constraint: Member must satisfy enum value set: [OLD_IMAGE, KEYS_ONLY, NEW_AND_OLD_IMAGES, NEW_IMAGE]");
  rejects(base({ SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: '' } }),
    "1 validation error detected: Value '' at 'sSESpecification.kMSMasterKeyId' failed to satisfy constraint: Member must have length greater than or equal to 1");
  rejects(base({ GlobalSecondaryIndexes: [gsi('', [hash('c')])] }),
    '2 validation errors detected: ' +
    "Value '' at 'globalSecondaryIndexes.1.member.indexName' failed to satisfy constraint: Member must have length greater than or equal to 3; " +
    "Value '' at 'globalSecondaryIndexes.1.member.indexName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
});

test('billing mode and provisioned throughput', () => {
  rejects(base({ ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }),
    invalid('Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST'));
  rejects(base({ BillingMode: 'PROVISIONED' }),
    invalid('ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED'));
  rejects(base({ BillingMode: undefined }),
    invalid('ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED'));
  const spec = checkCreateTable(base({ BillingMode: undefined, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }));
  assert.equal(spec.BillingMode, 'PROVISIONED');
  assert.deepEqual(spec.ProvisionedThroughput, { ReadCapacityUnits: 1, WriteCapacityUnits: 1 });
  checkCreateTable(base({ BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1e12, WriteCapacityUnits: 1e12 } }));
  rejects(base({ BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1e12 + 1, WriteCapacityUnits: 1 } }),
    'Given value 1000000000001 for ReadCapacityUnits is out of bounds');
});

test('key schema and attribute definitions', () => {
  rejects(base({ AttributeDefinitions: [] }), 'Invalid KeySchema: Some index key attribute have no definition');
  rejects(base({ KeySchema: [hash('p')], AttributeDefinitions: [def('other')] }),
    invalid('Some index key attributes are not defined in AttributeDefinitions. Keys: [p], AttributeDefinitions: [other]'));
  rejects(base({ KeySchema: [hash('p')], AttributeDefinitions: [def('p'), def('p', 'N')] }), 'Attribute Name is duplicated: p');
  rejects(base({ KeySchema: [hash('p'), hash('p')], AttributeDefinitions: [def('p'), def('c')] }),
    'Both the Hash Key and the Range Key element in the KeySchema have the same name');
  rejects(base({ KeySchema: [range('c'), hash('p')] }), 'Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  rejects(base({ KeySchema: [hash('p'), hash('c')] }), 'Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
  rejects(base({ KeySchema: [hash('p')] }),
    invalid('Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions'));
  const spec = checkCreateTable(base({ KeySchema: [hash('k')], AttributeDefinitions: [def('k', 'B')] }));
  assert.deepEqual(spec.keySchema, { partitionKey: { name: 'k', type: 'B' } });
});

test('local secondary indexes', () => {
  const lsi = (name: string, keys: unknown[], projection: unknown = { ProjectionType: 'KEYS_ONLY' }) => ({ IndexName: name, KeySchema: keys, Projection: projection });
  const defs = [def('p'), def('c'), def('x')];
  rejects(base({ LocalSecondaryIndexes: [] }), invalid('List of LocalSecondaryIndexes is empty'));
  rejects(base({ KeySchema: [hash('p')], AttributeDefinitions: [def('p'), def('x')], LocalSecondaryIndexes: [lsi('lsi1', [hash('p'), range('x')])] }),
    invalid('Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex'));
  rejects(base({ LocalSecondaryIndexes: [lsi('lsi1', [hash('p'), range('y')])] }),
    invalid('Some index key attributes are not defined in AttributeDefinitions. Keys: [y, p], AttributeDefinitions: [c, p]'));
  rejects(base({ AttributeDefinitions: defs, LocalSecondaryIndexes: [lsi('lsi1', [hash('p')])] }),
    invalid('Some AttributeDefinitions are not used. AttributeDefinitions: [x, c, p], keys used: [c, p]'));
  rejects(base({ AttributeDefinitions: defs, LocalSecondaryIndexes: [lsi('lsi1', [hash('p')]), lsi('lsi2', [hash('p'), range('x')])] }),
    invalid('Index KeySchema does not have a range key for index: lsi1'));
  rejects(base({ AttributeDefinitions: defs, LocalSecondaryIndexes: [lsi('lsi1', [hash('x'), range('c')])] }),
    invalid('Index KeySchema does not have the same leading hash key as table KeySchema for index: lsi1. index hash key: x, table hash key: p'));
  rejects(base({ AttributeDefinitions: defs, LocalSecondaryIndexes: [lsi('lsi1', [hash('p'), range('x')], {})] }),
    invalid('Unknown ProjectionType: null'));
  rejects(base({ AttributeDefinitions: defs, LocalSecondaryIndexes: [lsi('lsi1', [hash('p'), range('x')]), lsi('lsi1', [hash('p'), range('x')])] }),
    invalid('Duplicate index name: lsi1'));
  const five = Array.from({ length: 5 }, (_, i) => lsi(`lsi${i}`, [hash('p'), range('x')]));
  assert.equal(checkCreateTable(base({ AttributeDefinitions: defs, LocalSecondaryIndexes: five })).LocalSecondaryIndexes.length, 5);
  rejects(base({ AttributeDefinitions: defs, LocalSecondaryIndexes: [...five, lsi('lsi5', [hash('p'), range('x')])] }),
    invalid('Number of LocalSecondaryIndexes exceeds per-table limit of 5'));
});

test('global secondary indexes', () => {
  const defs = [def('p'), def('c'), def('x', 'N')];
  rejects(base({ GlobalSecondaryIndexes: [] }), invalid('List of GlobalSecondaryIndexes is empty'));
  rejects(base({ AttributeDefinitions: defs, GlobalSecondaryIndexes: [gsi('gsi1', [range('x')])] }),
    'Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  rejects(base({ AttributeDefinitions: defs, GlobalSecondaryIndexes: [gsi('gsi1', [hash('x')], { ProjectionType: 'INCLUDE' })] }),
    invalid('ProjectionType is INCLUDE, but NonKeyAttributes is not specified'));
  rejects(base({ AttributeDefinitions: defs, GlobalSecondaryIndexes: [gsi('gsi1', [hash('x')], { ProjectionType: 'ALL', NonKeyAttributes: ['a'] })] }),
    invalid('ProjectionType is ALL, but NonKeyAttributes is specified'));
  rejects(base({ AttributeDefinitions: defs, GlobalSecondaryIndexes: [gsi('gsi1', [hash('x')], { ProjectionType: 'INCLUDE', NonKeyAttributes: ['a', 'a'] })] }),
    invalid('Duplicate element in NonKeyAttributes: a'));
  rejects(base({ AttributeDefinitions: defs, GlobalSecondaryIndexes: [gsi('gsi1', [hash('x')], { ProjectionType: 'INCLUDE', NonKeyAttributes: [] })] }),
    "1 validation error detected: Value '[]' at 'globalSecondaryIndexes.1.member.projection.nonKeyAttributes' failed to satisfy constraint: Member must have length greater than or equal to 1");
  rejects(base({ AttributeDefinitions: defs, GlobalSecondaryIndexes: [gsi('gsi1', [hash('x')], {}, { ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } })] }),
    invalid('Unknown ProjectionType: null'));
  rejects(base({ AttributeDefinitions: defs, GlobalSecondaryIndexes: [gsi('gsi1', [hash('x')], undefined, { ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } })] }),
    invalid('ProvisionedThroughput should not be specified for index: gsi1 when BillingMode is PAY_PER_REQUEST'));
  const provisioned = { BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } };
  rejects(base({ ...provisioned, AttributeDefinitions: defs, GlobalSecondaryIndexes: [gsi('gsi1', [hash('x')])] }),
    invalid('ProvisionedThroughput is not specified for index: gsi1'));
  const spec = checkCreateTable(base({ ...provisioned, AttributeDefinitions: defs,
    GlobalSecondaryIndexes: [gsi('gsi1', [hash('x'), range('p')], undefined, { ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 } })] }));
  assert.deepEqual(spec.GlobalSecondaryIndexes, [{
    IndexName: 'gsi1',
    keySchema: { partitionKey: { name: 'x', type: 'N' }, sortKey: { name: 'p', type: 'S' } },
    Projection: { ProjectionType: 'ALL' },
    IndexStatus: 'ACTIVE',
    ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 },
  }]);
  rejects(base({ AttributeDefinitions: defs, LocalSecondaryIndexes: [{ IndexName: 'dup', KeySchema: [hash('p'), range('x')], Projection: { ProjectionType: 'ALL' } }],
    GlobalSecondaryIndexes: [gsi('dup', [hash('x')])] }), invalid('Duplicate index name: dup'));
});

test('20 GSIs pass, 21 fail; 100 projected attributes pass, 101 fail', () => {
  const defs = [def('p'), def('c'), def('x')];
  const many = (count: number) => Array.from({ length: count }, (_, i) => gsi(`gsi${i}`, [hash('x')]));
  assert.equal(checkCreateTable(base({ AttributeDefinitions: defs, GlobalSecondaryIndexes: many(20) })).GlobalSecondaryIndexes.length, 20);
  rejects(base({ AttributeDefinitions: defs, GlobalSecondaryIndexes: many(21) }),
    invalid('GlobalSecondaryIndex count exceeds the per-table limit of 20'));
  const include = (i: number, count: number) =>
    gsi(`inc${i}`, [hash('x')], { ProjectionType: 'INCLUDE', NonKeyAttributes: Array.from({ length: count }, (_, j) => `a${j}`) });
  checkCreateTable(base({ AttributeDefinitions: defs, GlobalSecondaryIndexes: [include(0, 20), include(1, 20), include(2, 20), include(3, 20), include(4, 20)] }));
  rejects(base({ AttributeDefinitions: defs, GlobalSecondaryIndexes: [include(0, 20), include(1, 20), include(2, 20), include(3, 20), include(4, 20), include(5, 1)] }),
    invalid('Number of projected attributes in all indexes exceeds limit of 100, provided: 101'));
  rejects(base({ AttributeDefinitions: defs, GlobalSecondaryIndexes: [include(0, 21)] }),
    `1 validation error detected: Value '[${Array.from({ length: 21 }, (_, j) => `a${j}`).join(', ')}]' at 'globalSecondaryIndexes.1.member.projection.nonKeyAttributes' failed to satisfy constraint: Member must have length less than or equal to 20`);
});

test('streams, SSE, table class, on-demand throughput, tags', () => {
  rejects(base({ StreamSpecification: { StreamEnabled: true } }),
    invalid('Table is being created with a stream enabled, UpdateViewType is required'));
  rejects(base({ StreamSpecification: { StreamEnabled: false, StreamViewType: 'KEYS_ONLY' } }),
    invalid('Table is being created with a stream disabled, UpdateViewType should not be specified'));
  rejects(base({ StreamSpecification: {} }),
    "1 validation error detected: Value null at 'streamSpecification.streamEnabled' failed to satisfy constraint: Member must not be null");
  assert.equal(checkCreateTable(base({ StreamSpecification: { StreamEnabled: false } })).StreamSpecification, undefined);
  assert.deepEqual(checkCreateTable(base({ StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } })).StreamSpecification,
    { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
  rejects(base({ SSESpecification: { Enabled: false, SSEType: 'KMS' } }), invalid('SSEType can not be specified if Enabled is false'));
  rejects(base({ SSESpecification: { Enabled: true, KMSMasterKeyId: 'k' } }), invalid('SSEType KMS is required if KMSMasterKeyId is specified'));
  assert.equal(checkCreateTable(base({ SSESpecification: { Enabled: false } })).SSESpecification, undefined);
  assert.deepEqual(checkCreateTable(base({ SSESpecification: { Enabled: true } })).SSESpecification, { Enabled: true, SSEType: 'KMS' });
  rejects(base({ TableClass: 'standard' }),
    'Invalid table-class parameter provided. Please try again with a valid table-class value: [STANDARD, STANDARD_INFREQUENT_ACCESS].');
  rejects(base({ BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 }, OnDemandThroughput: { MaxReadRequestUnits: 5 } }),
    invalid('MaxReadRequestUnits for OnDemandThroughput cannot be specified when table BillingMode is PROVISIONED.'));
  rejects(base({ OnDemandThroughput: { MaxReadRequestUnits: 0, MaxWriteRequestUnits: 0 } }),
    invalid('Requested MaxReadRequestUnits for OnDemandThroughput for table is outside of valid range'));
  assert.deepEqual(checkCreateTable(base({ OnDemandThroughput: { MaxReadRequestUnits: 1 } })).OnDemandThroughput, { MaxReadRequestUnits: 1 });
  assert.equal(checkCreateTable(base({ OnDemandThroughput: {} })).OnDemandThroughput, undefined);
  rejects(base({ Tags: [{}] }), 'The Tag Key provided is invalid, Key: null');
  const tags = (n: number) => Array.from({ length: n }, (_, i) => ({ Key: `${i}`, Value: `${i}` }));
  assert.equal(checkCreateTable(base({ Tags: tags(50) })).Tags.length, 50);
  rejects(base({ Tags: tags(51) }), 'Number of Tags exceed the current limit for the provided ResourceArn');
  assert.equal(checkCreateTable(base({ DeletionProtectionEnabled: true })).DeletionProtectionEnabled, true);
});

test('NonKeyAttributes names: 255 characters accepted, 256 rejected in the shape pass', () => {
  const defs = [def('p'), def('c'), def('x')];
  const long = 'n'.repeat(255);
  checkCreateTable(base({ AttributeDefinitions: defs, GlobalSecondaryIndexes: [gsi('gsi1', [hash('x')], { ProjectionType: 'INCLUDE', NonKeyAttributes: [long] })] }));
  const constraint = 'Member must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 1]';
  rejects(
    base({ AttributeDefinitions: defs, GlobalSecondaryIndexes: [gsi('gsi1', [hash('x')], { ProjectionType: 'INCLUDE', NonKeyAttributes: ['a', long + 'n'] })] }),
    `1 validation error detected: Value '[a, ${long}n]' at 'globalSecondaryIndexes.1.member.projection.nonKeyAttributes' failed to satisfy constraint: ${constraint}`,
  );
  rejects(
    base({ AttributeDefinitions: defs, LocalSecondaryIndexes: [gsi('lsi1', [hash('p'), range('x')], { ProjectionType: 'INCLUDE', NonKeyAttributes: [long + 'n'] })] }),
    `1 validation error detected: Value '[${long}n]' at 'localSecondaryIndexes.1.member.projection.nonKeyAttributes' failed to satisfy constraint: ${constraint}`,
  );
});
