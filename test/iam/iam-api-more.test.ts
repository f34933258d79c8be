// The rest of the IAM Query API through @aws-sdk/client-iam against a real server: listing
// policies and groups, tags on users and roles (and aws:PrincipalTag seeing changes at once),
// managed policy versions (the default version is what evaluation uses; at most five) and
// permissions boundaries (identity-based permissions intersected with the boundary; a
// resource-based policy naming the user is not limited by it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddUserToGroupCommand, AttachUserPolicyCommand, CreateGroupCommand, CreatePolicyCommand, CreatePolicyVersionCommand,
  CreateRoleCommand, CreateUserCommand, DeletePolicyCommand, DeletePolicyVersionCommand, DeleteUserPermissionsBoundaryCommand, GetPolicyCommand,
  GetPolicyVersionCommand, GetRoleCommand, GetUserCommand, ListGroupsCommand, ListGroupsForUserCommand, ListPoliciesCommand,
  ListPolicyVersionsCommand, ListRoleTagsCommand, ListUserTagsCommand, PutRolePermissionsBoundaryCommand, PutRolePolicyCommand,
  PutUserPermissionsBoundaryCommand, PutUserPolicyCommand, SetDefaultPolicyVersionCommand, TagRoleCommand, TagUserCommand, UntagUserCommand,
} from '@aws-sdk/client-iam';
import { GetItemCommand, ListTablesCommand, PutResourcePolicyCommand } from '@aws-sdk/client-dynamodb';
import { uniqueTableName } from '../support/server.js';
import { createTable } from '../support/tables.js';
import { assumeRole, createUserWithKey, dynamo, iamClient, startIamTestServer, type IamTestServer } from './support.js';
import { errorOf } from '../support/errors.js';

const account = '000000000000';
let t: IamTestServer;

before(async () => (t = await startIamTestServer()));
after(() => t.close());

const document = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allow = (action: string | string[], resource = '*', condition?: object) => ({ Effect: 'Allow', Action: action, Resource: resource, ...(condition ? { Condition: condition } : {}) });

test('ListPolicies, ListGroups and ListGroupsForUser', async () => {
  const local = (await t.iam.send(new CreatePolicyCommand({ PolicyName: 'lp-local', Path: '/lp/', PolicyDocument: document(allow('dynamodb:ListTables')) }))).Policy!;
  const onlyLocal = await t.iam.send(new ListPoliciesCommand({ Scope: 'Local', PathPrefix: '/lp/' }));
  assert.deepEqual(onlyLocal.Policies!.map((policy) => policy.Arn), [local.Arn]);
  assert.equal(onlyLocal.Policies![0]!.Description, undefined);
  const aws = await t.iam.send(new ListPoliciesCommand({ Scope: 'AWS' }));
  assert.ok(aws.Policies!.some((policy) => policy.Arn === 'arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess'));
  assert.ok(aws.Policies!.every((policy) => policy.Arn!.startsWith('arn:aws:iam::aws:policy/')));
  assert.equal((await t.iam.send(new ListPoliciesCommand({ Scope: 'Local', PathPrefix: '/lp/', OnlyAttached: true }))).Policies!.length, 0);
  await t.iam.send(new CreateUserCommand({ UserName: 'lp-user' }));
  await t.iam.send(new AttachUserPolicyCommand({ UserName: 'lp-user', PolicyArn: local.Arn! }));
  assert.equal((await t.iam.send(new ListPoliciesCommand({ Scope: 'Local', PathPrefix: '/lp/', OnlyAttached: true }))).Policies!.length, 1);
  const paged = await t.iam.send(new ListPoliciesCommand({ Scope: 'AWS', MaxItems: 2 }));
  assert.equal(paged.Policies!.length, 2);
  assert.equal(paged.IsTruncated, true);
  const rest = await t.iam.send(new ListPoliciesCommand({ Scope: 'AWS', Marker: paged.Marker! }));
  assert.equal(rest.Policies!.length, aws.Policies!.length - 2);

  await t.iam.send(new CreateGroupCommand({ GroupName: 'lg-b', Path: '/lg/' }));
  await t.iam.send(new CreateGroupCommand({ GroupName: 'lg-a', Path: '/lg/' }));
  assert.deepEqual((await t.iam.send(new ListGroupsCommand({ PathPrefix: '/lg/' }))).Groups!.map((group) => group.GroupName), ['lg-a', 'lg-b']);
  await t.iam.send(new AddUserToGroupCommand({ GroupName: 'lg-b', UserName: 'lp-user' }));
  const forUser = await t.iam.send(new ListGroupsForUserCommand({ UserName: 'lp-user' }));
  assert.deepEqual(forUser.Groups!.map((group) => group.Arn), [`arn:aws:iam::${account}:group/lg/lg-b`]);
  const missing = await errorOf(t.iam.send(new ListGroupsForUserCommand({ UserName: 'nobody-here' })));
  assert.equal(missing.name, 'NoSuchEntityException');
});

test('user tags: Tag, List, Untag, and ${aws:PrincipalTag/...} sees each change', async () => {
  const keys = await createUserWithKey(t.iam, 'tagged-user');
  await t.iam.send(
    new PutUserPolicyCommand({ UserName: 'tagged-user', PolicyName: 'p', PolicyDocument: document(allow('dynamodb:ListTables', '*', { StringEquals: { 'aws:PrincipalTag/team': 'blue' } })) }),
  );
  const client = dynamo(t.endpoint, keys);
  assert.equal((await errorOf(client.send(new ListTablesCommand({})))).name, 'AccessDeniedException');
  await t.iam.send(new TagUserCommand({ UserName: 'tagged-user', Tags: [{ Key: 'team', Value: 'blue' }, { Key: 'cost', Value: '7' }] }));
  await client.send(new ListTablesCommand({}));
  assert.deepEqual((await t.iam.send(new ListUserTagsCommand({ UserName: 'tagged-user' }))).Tags, [{ Key: 'team', Value: 'blue' }, { Key: 'cost', Value: '7' }]);
  await t.iam.send(new TagUserCommand({ UserName: 'tagged-user', Tags: [{ Key: 'team', Value: 'red' }] }));
  assert.equal((await errorOf(client.send(new ListTablesCommand({})))).name, 'AccessDeniedException');
  await t.iam.send(new UntagUserCommand({ UserName: 'tagged-user', TagKeys: ['team'] }));
  assert.deepEqual((await t.iam.send(new ListUserTagsCommand({ UserName: 'tagged-user' }))).Tags, [{ Key: 'cost', Value: '7' }]);
  assert.deepEqual((await t.iam.send(new GetUserCommand({ UserName: 'tagged-user' }))).User!.Tags, [{ Key: 'cost', Value: '7' }]);
  client.destroy();
});

test('role tags reach the role\'s sessions as aws:PrincipalTag', async () => {
  const trust = document({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' });
  await t.iam.send(new CreateRoleCommand({ RoleName: 'tagged-role', AssumeRolePolicyDocument: trust }));
  await t.iam.send(new PutRolePolicyCommand({ RoleName: 'tagged-role', PolicyName: 'p', PolicyDocument: document(allow('dynamodb:ListTables', '*', { StringEquals: { 'aws:PrincipalTag/env': 'dev' } })) }));
  const assumer = await createUserWithKey(t.iam, 'role-assumer');
  await t.iam.send(new PutUserPolicyCommand({ UserName: 'role-assumer', PolicyName: 'p', PolicyDocument: document(allow('sts:AssumeRole')) }));
  const client = dynamo(t.endpoint, await assumeRole(t.endpoint, assumer, `arn:aws:iam::${account}:role/tagged-role`, 'tags'));
  assert.equal((await errorOf(client.send(new ListTablesCommand({})))).name, 'AccessDeniedException');
  await t.iam.send(new TagRoleCommand({ RoleName: 'tagged-role', Tags: [{ Key: 'env', Value: 'dev' }] }));
  await client.send(new ListTablesCommand({}));
  assert.deepEqual((await t.iam.send(new ListRoleTagsCommand({ RoleName: 'tagged-role' }))).Tags, [{ Key: 'env', Value: 'dev' }]);
  client.destroy();
});

test('policy versions: create, set default (evaluation follows it), list, delete, at most five', async () => {
  const keys = await createUserWithKey(t.iam, 'versioned-user');
  const policy = (await t.iam.send(new CreatePolicyCommand({ PolicyName: 'versioned', PolicyDocument: document(allow('dynamodb:DescribeLimits')) }))).Policy!;
  const policyArn = policy.Arn!;
  await t.iam.send(new AttachUserPolicyCommand({ UserName: 'versioned-user', PolicyArn: policyArn }));
  const client = dynamo(t.endpoint, keys);
  assert.equal((await errorOf(client.send(new ListTablesCommand({})))).name, 'AccessDeniedException');
  const v2 = (await t.iam.send(new CreatePolicyVersionCommand({ PolicyArn: policyArn, PolicyDocument: document(allow('dynamodb:ListTables')) }))).PolicyVersion!;
  assert.equal(v2.VersionId, 'v2');
  assert.equal(v2.IsDefaultVersion, false);
  assert.equal((await errorOf(client.send(new ListTablesCommand({})))).name, 'AccessDeniedException'); // v1 still the default
  await t.iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: policyArn, VersionId: 'v2' }));
  await client.send(new ListTablesCommand({}));
  assert.equal((await t.iam.send(new GetPolicyCommand({ PolicyArn: policyArn }))).Policy!.DefaultVersionId, 'v2');
  const fetched = (await t.iam.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: 'v2' }))).PolicyVersion!;
  assert.equal(decodeURIComponent(fetched.Document!), document(allow('dynamodb:ListTables')));
  assert.equal(fetched.IsDefaultVersion, true);
  const busy = await errorOf(t.iam.send(new DeletePolicyVersionCommand({ PolicyArn: policyArn, VersionId: 'v2' })));
  assert.equal(busy.name, 'DeleteConflictException');
  assert.equal(busy.message, 'Cannot delete the default version of a policy.');
  await t.iam.send(new DeletePolicyVersionCommand({ PolicyArn: policyArn, VersionId: 'v1' }));
  for (const _ of [3, 4, 5, 6]) await t.iam.send(new CreatePolicyVersionCommand({ PolicyArn: policyArn, PolicyDocument: document(allow('dynamodb:ListTables')) }));
  const listed = await t.iam.send(new ListPolicyVersionsCommand({ PolicyArn: policyArn }));
  assert.deepEqual(listed.Versions!.map((version) => [version.VersionId, version.IsDefaultVersion]), [['v6', false], ['v5', false], ['v4', false], ['v3', false], ['v2', true]]);
  const sixth = await errorOf(t.iam.send(new CreatePolicyVersionCommand({ PolicyArn: policyArn, PolicyDocument: document(allow('dynamodb:ListTables')) })));
  assert.equal(sixth.name, 'LimitExceededException');
  // A deleted version's id is never reused; SetAsDefault switches at once.
  await t.iam.send(new DeletePolicyVersionCommand({ PolicyArn: policyArn, VersionId: 'v3' }));
  const v7 = (await t.iam.send(new CreatePolicyVersionCommand({ PolicyArn: policyArn, PolicyDocument: document(allow('dynamodb:DescribeLimits')), SetAsDefault: true }))).PolicyVersion!;
  assert.equal(v7.VersionId, 'v7');
  assert.equal((await errorOf(client.send(new ListTablesCommand({})))).name, 'AccessDeniedException');
  const unknown = await errorOf(t.iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: policyArn, VersionId: 'v3' })));
  assert.equal(unknown.name, 'NoSuchEntityException');
  assert.equal(unknown.message, `Policy ${policyArn} version v3 does not exist or is not attachable.`);
  client.destroy();
});

test('permissions boundaries: effective permissions are identity ∩ boundary', async () => {
  const keys = await createUserWithKey(t.iam, 'bounded-user');
  await t.iam.send(new PutUserPolicyCommand({ UserName: 'bounded-user', PolicyName: 'all', PolicyDocument: document(allow('dynamodb:*')) }));
  const boundary = (await t.iam.send(new CreatePolicyCommand({ PolicyName: 'boundary-list-get', PolicyDocument: document(allow(['dynamodb:ListTables', 'dynamodb:DescribeLimits', 'iam:ListUsers'])) }))).Policy!;
  const client = dynamo(t.endpoint, keys);
  const table = uniqueTableName('bounded');
  const create = () => createTable(client, { name: table, partitionKey: ['pk', 'S'] });
  await t.iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'bounded-user', PermissionsBoundary: boundary.Arn! }));
  assert.deepEqual((await t.iam.send(new GetUserCommand({ UserName: 'bounded-user' }))).User!.PermissionsBoundary, {
    PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
    PermissionsBoundaryArn: boundary.Arn,
  });
  assert.equal((await t.iam.send(new GetPolicyCommand({ PolicyArn: boundary.Arn! }))).Policy!.PermissionsBoundaryUsageCount, 1);
  await client.send(new ListTablesCommand({}));
  const denied = await errorOf(create());
  assert.equal(denied.name, 'AccessDeniedException');
  const tableArn = `arn:aws:dynamodb:us-east-1:${account}:table/${table}`;
  assert.equal(denied.message, `User: arn:aws:iam::${account}:user/bounded-user is not authorized to perform: dynamodb:CreateTable on resource: ${tableArn} because no permissions boundary allows the dynamodb:CreateTable action`);
  // The boundary alone grants nothing: iam:ListUsers is in it but in no identity policy.
  const asIam = iamClient(t.endpoint, keys);
  assert.equal((await errorOf(asIam.send(new ListGroupsCommand({})))).name, 'AccessDenied');
  asIam.destroy();
  const inUse = await errorOf(t.iam.send(new DeletePolicyCommand({ PolicyArn: boundary.Arn! })));
  assert.equal(inUse.name, 'DeleteConflictException');

  // A resource-based policy naming the user is not limited by the boundary.
  await createTable(t.client, { name: table, partitionKey: ['pk', 'S'] });
  assert.equal((await errorOf(client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'x' } } })))).name, 'AccessDeniedException');
  await t.client.send(
    new PutResourcePolicyCommand({
      ResourceArn: tableArn,
      Policy: document({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:user/bounded-user` }, Action: 'dynamodb:GetItem', Resource: tableArn }),
    }),
  );
  await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'x' } } }));

  await t.iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName: 'bounded-user' }));
  assert.equal((await t.iam.send(new GetUserCommand({ UserName: 'bounded-user' }))).User!.PermissionsBoundary, undefined);
  await createTable(client, { name: `${table}-2`, partitionKey: ['pk', 'S'] });
  client.destroy();
});

test('role boundaries: an explicit Deny in the boundary wins, CreateRole takes a boundary', async () => {
  const boundary = (await t.iam.send(new CreatePolicyCommand({
    PolicyName: 'boundary-no-list',
    PolicyDocument: document(allow('dynamodb:*'), { Effect: 'Deny', Action: 'dynamodb:ListTables', Resource: '*' }),
  }))).Policy!;
  const trust = document({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' });
  await t.iam.send(new CreateRoleCommand({ RoleName: 'bounded-role', AssumeRolePolicyDocument: trust, PermissionsBoundary: boundary.Arn! }));
  assert.equal((await t.iam.send(new GetRoleCommand({ RoleName: 'bounded-role' }))).Role!.PermissionsBoundary?.PermissionsBoundaryArn, boundary.Arn);
  await t.iam.send(new PutRolePolicyCommand({ RoleName: 'bounded-role', PolicyName: 'p', PolicyDocument: document(allow(['dynamodb:ListTables', 'dynamodb:DescribeLimits'])) }));
  const assumer = await createUserWithKey(t.iam, 'bounded-assumer');
  await t.iam.send(new PutUserPolicyCommand({ UserName: 'bounded-assumer', PolicyName: 'p', PolicyDocument: document(allow('sts:AssumeRole')) }));
  const client = dynamo(t.endpoint, await assumeRole(t.endpoint, assumer, `arn:aws:iam::${account}:role/bounded-role`, 'bb'));
  const denied = await errorOf(client.send(new ListTablesCommand({})));
  assert.match(denied.message, new RegExp(`^User: arn:aws:sts::${account}:assumed-role/bounded-role/bb is not authorized to perform: dynamodb:ListTables on resource: \\S+ with an explicit deny in a permissions boundary: ${boundary.Arn}$`));
  const missing = await errorOf(t.iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'bounded-role', PermissionsBoundary: `arn:aws:iam::${account}:policy/nope` })));
  assert.equal(missing.name, 'NoSuchEntityException');
  assert.equal(missing.message, `Policy arn:aws:iam::${account}:policy/nope does not exist or is not attachable.`);
  client.destroy();
});
