// Resource-based policies on tables through the real SDK: Put/Get/DeleteResourcePolicy with
// RevisionId and ExpectedRevisionId semantics, DynamoDB's validation and not-found texts, and
// how a table's policy combines with identity-based policies in one account (an Allow in either
// suffices, an explicit Deny in either wins; a policy naming the account delegates to identity
// policies), for users, role sessions and the account root, plus durability across a restart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand, DeleteResourcePolicyCommand, DeleteTableCommand, GetItemCommand, GetResourcePolicyCommand, PutItemCommand,
  PutResourcePolicyCommand, QueryCommand, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { CreateRoleCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { startTestServer, uniqueTableName } from '../support/server.js';
import { createTable, tableInput } from '../support/tables.js';
import { assumeRole, createUserWithKey, dynamo, startIamTestServer, type IamTestServer, type Keys } from './support.js';
import { errorOf } from '../support/errors.js';

const account = '000000000000';
const region = 'us-east-1';
const arnOf = (table: string) => `arn:aws:dynamodb:${region}:${account}:table/${table}`;
const userArn = (name: string) => `arn:aws:iam::${account}:user/${name}`;

let t: IamTestServer;

before(async () => (t = await startIamTestServer()));
after(() => t.close());

async function newTable(client: DynamoDBClient = t.client, withIndex = false): Promise<string> {
  const name = uniqueTableName('rbp');
  await createTable(client, { name, partitionKey: ['pk', 'S'], globalIndexes: withIndex ? [{ name: 'byG', partitionKey: ['g', 'S'] }] : undefined });
  await client.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'a' }, g: { S: 'x' }, secret: { S: 's' } } }));
  return name;
}

async function newUser(name: string, identityPolicy?: object): Promise<Keys> {
  const keys = await createUserWithKey(t.iam, name);
  if (identityPolicy !== undefined) {
    await t.iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [identityPolicy] }) }));
  }
  return keys;
}

const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

test('Put, Get and Delete with RevisionId semantics and the canonical document', async () => {
  const table = await newTable();
  const arn = arnOf(table);
  const missing = await errorOf(t.client.send(new GetResourcePolicyCommand({ ResourceArn: arn })));
  assert.equal(missing.name, 'PolicyNotFoundException');
  assert.equal(missing.message, `Resource-based policy not found for the provided ResourceArn: ${arn}`);
  assert.deepEqual(Object.keys(await t.client.send(new DeleteResourcePolicyCommand({ ResourceArn: arn }))).filter((k) => k !== '$metadata'), []);

  const pretty = JSON.stringify(
    { Version: '2012-10-17', Statement: [{ Action: ['dynamodb:GetItem'], Resource: [arn], Principal: { AWS: [account] }, Effect: 'allow', Sid: 'Read' }] },
    null,
    2,
  );
  const put = await t.client.send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: pretty }));
  assert.match(put.RevisionId!, /^\d{13}$/);
  const got = await t.client.send(new GetResourcePolicyCommand({ ResourceArn: arn }));
  assert.equal(got.RevisionId, put.RevisionId);
  assert.equal(
    got.Policy,
    `{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::${account}:root"},"Action":"dynamodb:GetItem","Resource":"${arn}"}]}`,
  );
  // An equivalent document is a no-op: same RevisionId.
  const again = await t.client.send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: got.Policy! }));
  assert.equal(again.RevisionId, put.RevisionId);

  const other = policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'dynamodb:PutItem', Resource: arn });
  const noPolicy = await errorOf(t.client.send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: other, ExpectedRevisionId: 'NO_POLICY' })));
  assert.equal(noPolicy.name, 'PolicyNotFoundException');
  assert.equal(
    noPolicy.message,
    `Resource-based policy not found for the provided ResourceArn: Requested policy update expecting none to be present for table ${table}, but a policy exists with revision id ${put.RevisionId}.`,
  );
  const second = await t.client.send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: other, ExpectedRevisionId: put.RevisionId }));
  assert.ok(Number(second.RevisionId) > Number(put.RevisionId));
  const stale = await errorOf(t.client.send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: pretty, ExpectedRevisionId: put.RevisionId })));
  assert.equal(
    stale.message,
    `Resource-based policy not found for the provided ResourceArn: Requested update for policy with revision id ${put.RevisionId}, but the policy associated to target table ${table} has revision id ${second.RevisionId}.`,
  );
  const staleDelete = await errorOf(t.client.send(new DeleteResourcePolicyCommand({ ResourceArn: arn, ExpectedRevisionId: put.RevisionId })));
  assert.equal(staleDelete.name, 'PolicyNotFoundException');

  // A real delete answers the removed revision; a later one the deletion's own revision.
  const deleted = await t.client.send(new DeleteResourcePolicyCommand({ ResourceArn: arn, ExpectedRevisionId: second.RevisionId }));
  assert.equal(deleted.RevisionId, second.RevisionId);
  const idempotent = await t.client.send(new DeleteResourcePolicyCommand({ ResourceArn: arn }));
  assert.ok(Number(idempotent.RevisionId) > Number(second.RevisionId));
  assert.equal((await errorOf(t.client.send(new GetResourcePolicyCommand({ ResourceArn: arn })))).name, 'PolicyNotFoundException');
  // NO_POLICY succeeds once the policy is gone; a document without Version reads back with IAM's default.
  const bare = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: account }, Action: 'dynamodb:GetItem', Resource: arn }] });
  await t.client.send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: bare, ExpectedRevisionId: 'NO_POLICY' }));
  assert.match((await t.client.send(new GetResourcePolicyCommand({ ResourceArn: arn }))).Policy!, /^\{"Version":"2008-10-17","Statement":/);
});

test('ResourceArn and document checks answer with DynamoDB\'s texts', async () => {
  const table = await newTable(t.client, true);
  const arn = arnOf(table);
  const ok = (statement: object) => policy({ Effect: 'Allow', Principal: { AWS: account }, Action: 'dynamodb:GetItem', Resource: arn, ...statement });
  const cases: Array<[Partial<{ ResourceArn: string; Policy: string }>, string, string]> = [
    [{ ResourceArn: table }, 'ValidationException', `One or more parameter values were invalid: ARNs must start with 'arn:': ${table}`],
    [{ ResourceArn: arnOf(`${table}-missing`) }, 'ResourceNotFoundException', `Requested resource not found: Table: ${table}-missing not found`],
    [{ ResourceArn: `${arn}/index/byG` }, 'ValidationException', `One or more parameter values were invalid: Invalid resource arn provided, only table or stream is accepted. Provided resource arn: ${arn}/index/byG`],
    [{ ResourceArn: `arn:aws:dynamodb:${region}:111122223333:table/${table}` }, 'ValidationException', 'This action is only supported by accounts that match the resource owner\u2019s account.'],
    [{ ResourceArn: `arn:aws:dynamodb:eu-west-1:${account}:table/${table}` }, 'ValidationException', `One or more parameter values were invalid: Invalid resource Arn: arn:aws:dynamodb:eu-west-1:${account}:table/${table}`],
    [{ Policy: '{not json' }, 'ValidationException', 'One or more parameter values were invalid: Invalid policy document: This policy contains invalid Json'],
    [{ Policy: JSON.stringify({ Version: '2012-10-17', Statement: [] }) }, 'ValidationException', 'One or more parameter values were invalid: Invalid policy document: Could not parse the policy: Statement is empty!'],
    [{ Policy: policy({ Effect: 'Allow', Principal: { AWS: account }, Action: 'dynamodb:GetItem' }) }, 'ValidationException', 'One or more parameter values were invalid: Invalid policy document: Missing required field Resource'],
    [{ Policy: policy({ Sid: 'a', Effect: 'Allow', Principal: { AWS: account }, Action: 'dynamodb:GetItem', Resource: arn }, { Sid: 'a', Effect: 'Deny', Principal: { AWS: account }, Action: 'dynamodb:PutItem', Resource: arn }) }, 'ValidationException', 'One or more parameter values were invalid: Invalid policy document: The Statement Ids in the policy are not unique'],
    [{ Policy: ok({ Principal: '*' }) }, 'ValidationException', 'Resource-based policy grants unbounded access in one or more elements. Please revise the policy to ensure least-privilege form of access'],
    [{ Policy: ok({ Principal: { AWS: userArn('nobody-at-all') } }) }, 'ValidationException', 'One or more parameter values were invalid: Invalid principal in policy document.'],
    [{ Policy: ok({}) + ' '.repeat(20_481) }, 'ValidationException', 'One or more parameter values were invalid: Maximum policy size of 20480 bytes exceeded'],
  ];
  for (const [change, name, message] of cases) {
    const error = await errorOf(t.client.send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: ok({}), ...change })));
    assert.equal(error.name, name, message);
    assert.equal(error.message, message);
  }
  // At the limit exactly, whitespace counted: accepted.
  const document = ok({});
  await t.client.send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: document + ' '.repeat(20_480 - Buffer.byteLength(document)) }));
  // "*" restricted to this account by a condition is not public.
  await t.client.send(
    new PutResourcePolicyCommand({ ResourceArn: arn, Policy: ok({ Principal: '*', Condition: { StringEquals: { 'aws:PrincipalAccount': account } } }) }),
  );
  const missingPolicy = await errorOf(t.client.send(new PutResourcePolicyCommand({ ResourceArn: arn } as never)));
  assert.equal(missingPolicy.message, "1 validation error detected: Value null at 'policy' failed to satisfy constraint: Member must not be null");
});

test('same account: a resource-based Allow naming the user suffices without any identity policy', async () => {
  const table = await newTable();
  const arn = arnOf(table);
  const keys = await newUser('rbp-reader');
  const client = dynamo(t.endpoint, keys);
  const before = await errorOf(client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'a' } } })));
  assert.equal(before.message, `User: ${userArn('rbp-reader')} is not authorized to perform: dynamodb:GetItem on resource: ${arn} because no identity-based policy allows the dynamodb:GetItem action`);
  await t.client.send(
    new PutResourcePolicyCommand({ ResourceArn: arn, Policy: policy({ Sid: 'ReaderGets', Effect: 'Allow', Principal: { AWS: userArn('rbp-reader') }, Action: 'dynamodb:GetItem', Resource: arn }) }),
  );
  const item = await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'a' } } }));
  assert.equal(item.Item?.pk?.S, 'a');
  const write = await errorOf(client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'b' } } })));
  assert.equal(write.message, `User: ${userArn('rbp-reader')} is not authorized to perform: dynamodb:PutItem on resource: ${arn} because no identity-based policy allows the dynamodb:PutItem action`);
  const audit = t.server.iam.queryAudit({ principal: userArn('rbp-reader'), action: 'dynamodb:GetItem', decision: 'Allow' });
  assert.equal(audit.at(-1)?.sid, 'ReaderGets');
  assert.equal(audit.at(-1)?.policy, arn);
  client.destroy();
});

test('same account: a resource-based Allow naming the account delegates to identity policies', async () => {
  const table = await newTable();
  const arn = arnOf(table);
  const keys = await newUser('rbp-account-only');
  await t.client.send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: policy({ Effect: 'Allow', Principal: { AWS: account }, Action: 'dynamodb:GetItem', Resource: arn }) }));
  const client = dynamo(t.endpoint, keys);
  assert.equal((await errorOf(client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'a' } } })))).name, 'AccessDeniedException');
  client.destroy();
});

test('an explicit Deny in the resource-based policy beats an identity-based Allow', async () => {
  const table = await newTable();
  const arn = arnOf(table);
  const keys = await newUser('rbp-denied', { Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' });
  const client = dynamo(t.endpoint, keys);
  await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'a' } } }));
  await t.client.send(
    new PutResourcePolicyCommand({
      ResourceArn: arn,
      Policy: policy({ Effect: 'Deny', Principal: { AWS: userArn('rbp-denied') }, Action: 'dynamodb:GetItem', Resource: arn, Condition: { StringEquals: { 'aws:username': 'rbp-denied' } } }),
    }),
  );
  const denied = await errorOf(client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'a' } } })));
  assert.equal(denied.name, 'AccessDeniedException');
  assert.equal(denied.message, `User: ${userArn('rbp-denied')} is not authorized to perform: dynamodb:GetItem on resource: ${arn} with an explicit deny in a resource-based policy`);
  await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'c' } } })); // not denied
  client.destroy();
});

test('indexes are governed by the table\'s policy, for the index ARNs it names', async () => {
  const table = await newTable(t.client, true);
  const arn = arnOf(table);
  const keys = await newUser('rbp-index');
  await t.client.send(
    new PutResourcePolicyCommand({ ResourceArn: arn, Policy: policy({ Effect: 'Allow', Principal: { AWS: userArn('rbp-index') }, Action: 'dynamodb:Query', Resource: `${arn}/index/*` }) }),
  );
  const client = dynamo(t.endpoint, keys);
  const result = await client.send(new QueryCommand({ TableName: table, IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'x' } } }));
  assert.equal(result.Count, 1);
  const base = await errorOf(client.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'a' } } })));
  assert.equal(base.name, 'AccessDeniedException');
  client.destroy();
});

test('role sessions: a policy naming the role grants its sessions', async () => {
  const table = await newTable();
  const arn = arnOf(table);
  const trust = policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' });
  await t.iam.send(new CreateRoleCommand({ RoleName: 'rbp-role', AssumeRolePolicyDocument: trust }));
  const caller = await newUser('rbp-assumer', { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' });
  const client = dynamo(t.endpoint, await assumeRole(t.endpoint, caller, `arn:aws:iam::${account}:role/rbp-role`, 's1'));
  assert.equal((await errorOf(client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'a' } } })))).name, 'AccessDeniedException');
  await t.client.send(
    new PutResourcePolicyCommand({ ResourceArn: arn, Policy: policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:role/rbp-role` }, Action: 'dynamodb:GetItem', Resource: arn }) }),
  );
  assert.equal((await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'a' } } }))).Item?.pk?.S, 'a');
  client.destroy();
});

test('the root is refused by an explicit Deny but may always delete the policy; the lockout check', async () => {
  const table = await newTable();
  const arn = arnOf(table);
  const rootArn = `arn:aws:iam::${account}:root`;
  const lockout = policy({ Effect: 'Deny', Principal: { AWS: rootArn }, Action: ['dynamodb:PutResourcePolicy', 'dynamodb:GetItem'], Resource: arn });
  const refused = await errorOf(t.client.send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: lockout })));
  assert.equal(refused.name, 'AccessDeniedException');
  assert.equal(refused.message, 'The new resource policy will not allow you to update the resource policy in the future.');
  await t.client.send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: lockout, ConfirmRemoveSelfResourceAccess: true }));
  const get = await errorOf(t.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'a' } } })));
  assert.equal(get.message, `User: ${rootArn} is not authorized to perform: dynamodb:GetItem on resource: ${arn} with an explicit deny in a resource-based policy`);
  const put = await errorOf(t.client.send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: policy({ Effect: 'Allow', Principal: { AWS: rootArn }, Action: 'dynamodb:GetItem', Resource: arn }) })));
  assert.equal(put.name, 'AccessDeniedException');
  await t.client.send(new DeleteResourcePolicyCommand({ ResourceArn: arn }));
  await t.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'a' } } }));
});

test('a table re-created under the same name starts without the old policy', async () => {
  const table = await newTable();
  const arn = arnOf(table);
  await t.client.send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: policy({ Effect: 'Allow', Principal: { AWS: account }, Action: 'dynamodb:GetItem', Resource: arn }) }));
  await t.client.send(new DeleteTableCommand({ TableName: table }));
  assert.equal((await errorOf(t.client.send(new GetResourcePolicyCommand({ ResourceArn: arn })))).name, 'ResourceNotFoundException');
  await createTable(t.client, { name: table, partitionKey: ['pk', 'S'] });
  assert.equal((await errorOf(t.client.send(new GetResourcePolicyCommand({ ResourceArn: arn })))).name, 'PolicyNotFoundException');
});

test('policies survive a restart', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tabula-rbp-'));
  try {
    let server = await startTestServer({ dataDir });
    const table = await newTable(server.client);
    const arn = arnOf(table);
    const put = await server.client.send(
      new PutResourcePolicyCommand({ ResourceArn: arn, Policy: policy({ Effect: 'Allow', Principal: { AWS: account }, Action: 'dynamodb:GetItem', Resource: arn }) }),
    );
    await server.close();
    server = await startTestServer({ dataDir });
    assert.equal((await server.client.send(new GetResourcePolicyCommand({ ResourceArn: arn }))).RevisionId, put.RevisionId);
    await server.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('CreateTable with ResourcePolicy: checked first, stored with the table, needs PutResourcePolicy', async () => {
  const table = uniqueTableName('rbp-create');
  const arn = arnOf(table);
  const create = (client: DynamoDBClient, document: string) =>
    client.send(new CreateTableCommand({ ...tableInput({ name: table, partitionKey: ['pk', 'S'] }), ResourcePolicy: document }));
  const bad = await errorOf(create(t.client, '{nope'));
  assert.equal(bad.message, 'One or more parameter values were invalid: Invalid policy document: This policy contains invalid Json');
  assert.equal((await errorOf(t.client.send(new GetResourcePolicyCommand({ ResourceArn: arn })))).name, 'ResourceNotFoundException');
  const document = policy({ Effect: 'Allow', Principal: { AWS: account }, Action: 'dynamodb:GetItem', Resource: arn });
  const keys = await newUser('rbp-creator', { Effect: 'Allow', Action: 'dynamodb:CreateTable', Resource: '*' });
  const creator = dynamo(t.endpoint, keys);
  const denied = await errorOf(create(creator, document));
  assert.equal(denied.message, `User: ${userArn('rbp-creator')} is not authorized to perform: dynamodb:PutResourcePolicy on resource: ${arn} because no identity-based policy allows the dynamodb:PutResourcePolicy action`);
  creator.destroy();
  await create(t.client, document);
  const stored = await t.client.send(new GetResourcePolicyCommand({ ResourceArn: arn }));
  assert.equal(stored.Policy, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::${account}:root"},"Action":"dynamodb:GetItem","Resource":"${arn}"}]}`);
  const audit = t.server.iam.queryAudit({ kind: 'iam', action: 'dynamodb:PutResourcePolicy' });
  assert.ok(audit.some((entry) => entry.resource === arn));
});
