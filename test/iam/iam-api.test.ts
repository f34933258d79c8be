// The IAM Query API through @aws-sdk/client-iam against a real server: users, keys, groups,
// roles, managed and inline policies, their errors with IAM's codes and texts, who may call
// IAM (root, or a principal allowed iam:*), and durability across a restart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AddUserToGroupCommand, AttachRolePolicyCommand, AttachUserPolicyCommand, CreateGroupCommand,
  CreatePolicyCommand, CreateRoleCommand, CreateUserCommand, DeleteAccessKeyCommand, DeletePolicyCommand, DeleteRoleCommand,
  DeleteRolePolicyCommand, DeleteUserCommand, DeleteUserPolicyCommand, DetachRolePolicyCommand, DetachUserPolicyCommand,
  GetPolicyCommand, GetRoleCommand, GetUserCommand, GetUserPolicyCommand, ListAccessKeysCommand, ListUsersCommand,
  PutGroupPolicyCommand, PutRolePolicyCommand, PutUserPolicyCommand, } from '@aws-sdk/client-iam';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { startTestServer } from '../support/server.js';
import { createUserWithKey, dynamo, iamClient, startIamTestServer, stsClient, type IamTestServer } from './support.js';
import { errorOf } from '../support/errors.js';

const account = '000000000000';
let t: IamTestServer;

before(async () => (t = await startIamTestServer()));
after(() => t.close());

const allow = (action: string | string[], resource = '*') => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: resource }] });

test('CreateUser, GetUser, ListUsers, DeleteUser', async () => {
  const created = (await t.iam.send(new CreateUserCommand({ UserName: 'carol', Path: '/staff/', Tags: [{ Key: 'team', Value: 'red' }] }))).User!;
  assert.equal(created.Arn, `arn:aws:iam::${account}:user/staff/carol`);
  assert.equal(created.Path, '/staff/');
  assert.match(created.UserId!, /^AIDA[A-Z2-7]{17}$/);
  assert.ok(created.CreateDate instanceof Date);
  const fetched = (await t.iam.send(new GetUserCommand({ UserName: 'CAROL' }))).User!; // names ignore case
  assert.equal(fetched.UserName, 'carol');
  assert.deepEqual(fetched.Tags, [{ Key: 'team', Value: 'red' }]);
  const listed = await t.iam.send(new ListUsersCommand({ PathPrefix: '/staff/' }));
  assert.deepEqual(listed.Users!.map((user) => user.UserName), ['carol']);
  assert.equal(listed.IsTruncated, false);
  const duplicate = await errorOf(t.iam.send(new CreateUserCommand({ UserName: 'Carol' })));
  assert.equal(duplicate.name, 'EntityAlreadyExistsException');
  assert.equal(duplicate.message, 'User with name Carol already exists.');
  assert.equal(duplicate.$metadata?.httpStatusCode, 409);
  await t.iam.send(new DeleteUserCommand({ UserName: 'carol' }));
  const gone = await errorOf(t.iam.send(new GetUserCommand({ UserName: 'carol' })));
  assert.equal(gone.name, 'NoSuchEntityException');
  assert.equal(gone.message, 'The user with name carol cannot be found.');
  assert.equal(gone.$metadata?.httpStatusCode, 404);
});

test('parameter validation uses IAM\'s texts', async () => {
  const bad = await errorOf(t.iam.send(new CreateUserCommand({ UserName: 'no spaces' })));
  assert.equal(bad.name, 'ValidationError');
  assert.equal(
    bad.message,
    "1 validation error detected: Value 'no spaces' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
  );
});

test('ListUsers pages with MaxItems and Marker', async () => {
  for (const name of ['page-a', 'page-b', 'page-c']) await t.iam.send(new CreateUserCommand({ UserName: name, Path: '/paging/' }));
  const first = await t.iam.send(new ListUsersCommand({ PathPrefix: '/paging/', MaxItems: 2 }));
  assert.deepEqual(first.Users!.map((user) => user.UserName), ['page-a', 'page-b']);
  assert.equal(first.IsTruncated, true);
  const second = await t.iam.send(new ListUsersCommand({ PathPrefix: '/paging/', MaxItems: 2, Marker: first.Marker! }));
  assert.deepEqual(second.Users!.map((user) => user.UserName), ['page-c']);
  assert.equal(second.IsTruncated, false);
});

test('access keys: create, list, use, delete; a user needs its keys and policies removed before deletion', async () => {
  const key = await createUserWithKey(t.iam, 'dave');
  const listed = await t.iam.send(new ListAccessKeysCommand({ UserName: 'dave' }));
  assert.deepEqual(listed.AccessKeyMetadata!.map((k) => [k.AccessKeyId, k.Status]), [[key.accessKeyId, 'Active']]);
  assert.match(key.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
  const sts = stsClient(t.endpoint, key);
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  assert.equal(identity.Arn, `arn:aws:iam::${account}:user/dave`);
  sts.destroy();
  await t.iam.send(new PutUserPolicyCommand({ UserName: 'dave', PolicyName: 'p', PolicyDocument: allow('dynamodb:ListTables') }));
  const conflict = await errorOf(t.iam.send(new DeleteUserCommand({ UserName: 'dave' })));
  assert.equal(conflict.name, 'DeleteConflictException');
  assert.equal(conflict.message, 'Cannot delete entity, must delete access keys first.');
  await t.iam.send(new DeleteAccessKeyCommand({ UserName: 'dave', AccessKeyId: key.accessKeyId }));
  const policies = await errorOf(t.iam.send(new DeleteUserCommand({ UserName: 'dave' })));
  assert.equal(policies.message, 'Cannot delete entity, must delete policies first.');
  await t.iam.send(new DeleteUserPolicyCommand({ UserName: 'dave', PolicyName: 'p' }));
  await t.iam.send(new DeleteUserCommand({ UserName: 'dave' }));
  // The deleted key no longer signs.
  const client = dynamo(t.endpoint, key);
  assert.equal((await errorOf(client.send(new ListTablesCommand({})))).name, 'UnrecognizedClientException');
  client.destroy();
});

test('inline policies take effect immediately and can be read back', async () => {
  const key = await createUserWithKey(t.iam, 'erin');
  const client = dynamo(t.endpoint, key);
  assert.equal((await errorOf(client.send(new ListTablesCommand({})))).name, 'AccessDeniedException');
  const document = allow('dynamodb:ListTables');
  await t.iam.send(new PutUserPolicyCommand({ UserName: 'erin', PolicyName: 'list', PolicyDocument: document }));
  await client.send(new ListTablesCommand({}));
  const stored = await t.iam.send(new GetUserPolicyCommand({ UserName: 'erin', PolicyName: 'list' }));
  assert.equal(decodeURIComponent(stored.PolicyDocument!), document);
  const missing = await errorOf(t.iam.send(new DeleteUserPolicyCommand({ UserName: 'erin', PolicyName: 'nope' })));
  assert.equal(missing.message, 'The user policy with name nope cannot be found.');
  client.destroy();
});

test('malformed policy documents are MalformedPolicyDocument', async () => {
  await t.iam.send(new CreateUserCommand({ UserName: 'frank' }));
  const error = await errorOf(
    t.iam.send(new PutUserPolicyCommand({ UserName: 'frank', PolicyName: 'p', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:GetItem' }] }) })),
  );
  assert.equal(error.name, 'MalformedPolicyDocumentException');
  assert.equal(error.message, 'Policy statement must contain resources.');
});

test('managed policies: create, get, attach to users and roles, detach, delete', async () => {
  const created = (await t.iam.send(new CreatePolicyCommand({ PolicyName: 'ListTablesOnly', PolicyDocument: allow('dynamodb:ListTables'), Path: '/app/' }))).Policy!;
  assert.equal(created.Arn, `arn:aws:iam::${account}:policy/app/ListTablesOnly`);
  assert.equal(created.DefaultVersionId, 'v1');
  assert.equal(created.AttachmentCount, 0);
  const key = await createUserWithKey(t.iam, 'gina');
  await t.iam.send(new AttachUserPolicyCommand({ UserName: 'gina', PolicyArn: created.Arn! }));
  const client = dynamo(t.endpoint, key);
  await client.send(new ListTablesCommand({}));
  assert.equal((await t.iam.send(new GetPolicyCommand({ PolicyArn: created.Arn! }))).Policy!.AttachmentCount, 1);
  const inUse = await errorOf(t.iam.send(new DeletePolicyCommand({ PolicyArn: created.Arn! })));
  assert.equal(inUse.name, 'DeleteConflictException');
  assert.equal(inUse.message, 'Cannot delete a policy attached to entities.');
  await t.iam.send(new DetachUserPolicyCommand({ UserName: 'gina', PolicyArn: created.Arn! }));
  assert.equal((await errorOf(client.send(new ListTablesCommand({})))).name, 'AccessDeniedException');
  await t.iam.send(new CreateRoleCommand({ RoleName: 'attach-target', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: account }, Action: 'sts:AssumeRole' }] }) }));
  await t.iam.send(new AttachRolePolicyCommand({ RoleName: 'attach-target', PolicyArn: created.Arn! }));
  await t.iam.send(new DetachRolePolicyCommand({ RoleName: 'attach-target', PolicyArn: created.Arn! }));
  await t.iam.send(new DeletePolicyCommand({ PolicyArn: created.Arn! }));
  const gone = await errorOf(t.iam.send(new GetPolicyCommand({ PolicyArn: created.Arn! })));
  assert.equal(gone.name, 'NoSuchEntityException');
  assert.equal(gone.message, `Policy ${created.Arn} was not found.`);
  const notAttachable = await errorOf(t.iam.send(new AttachUserPolicyCommand({ UserName: 'gina', PolicyArn: created.Arn! })));
  assert.equal(notAttachable.message, `Policy ${created.Arn} does not exist or is not attachable.`);
  // AWS managed policies can be attached by ARN.
  await t.iam.send(new AttachUserPolicyCommand({ UserName: 'gina', PolicyArn: 'arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess' }));
  await client.send(new ListTablesCommand({}));
  client.destroy();
});

test('roles: create with a trust policy, get (URL-encoded document), inline policies, delete', async () => {
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' }] });
  const created = (await t.iam.send(new CreateRoleCommand({ RoleName: 'reader', AssumeRolePolicyDocument: trust, Description: 'reads' }))).Role!;
  assert.equal(created.Arn, `arn:aws:iam::${account}:role/reader`);
  assert.match(created.RoleId!, /^AROA/);
  const fetched = (await t.iam.send(new GetRoleCommand({ RoleName: 'reader' }))).Role!;
  assert.equal(decodeURIComponent(fetched.AssumeRolePolicyDocument!), trust);
  assert.equal(fetched.MaxSessionDuration, 3600);
  assert.equal(fetched.Description, 'reads');
  const badTrust = await errorOf(t.iam.send(new CreateRoleCommand({ RoleName: 'bad', AssumeRolePolicyDocument: allow('sts:AssumeRole') })));
  assert.equal(badTrust.name, 'MalformedPolicyDocumentException');
  await t.iam.send(new PutRolePolicyCommand({ RoleName: 'reader', PolicyName: 'read', PolicyDocument: allow('dynamodb:GetItem') }));
  const conflict = await errorOf(t.iam.send(new DeleteRoleCommand({ RoleName: 'reader' })));
  assert.equal(conflict.message, 'Cannot delete entity, must delete policies first.');
  await t.iam.send(new DeleteRolePolicyCommand({ RoleName: 'reader', PolicyName: 'read' }));
  await t.iam.send(new DeleteRoleCommand({ RoleName: 'reader' }));
  const gone = await errorOf(t.iam.send(new GetRoleCommand({ RoleName: 'reader' })));
  assert.equal(gone.message, 'The role with name reader cannot be found.');
});

test('groups: a member gets the group\'s policies', async () => {
  const key = await createUserWithKey(t.iam, 'hank');
  await t.iam.send(new CreateGroupCommand({ GroupName: 'listers' }));
  await t.iam.send(new PutGroupPolicyCommand({ GroupName: 'listers', PolicyName: 'list', PolicyDocument: allow('dynamodb:ListTables') }));
  const client = dynamo(t.endpoint, key);
  assert.equal((await errorOf(client.send(new ListTablesCommand({})))).name, 'AccessDeniedException');
  await t.iam.send(new AddUserToGroupCommand({ GroupName: 'listers', UserName: 'hank' }));
  await client.send(new ListTablesCommand({}));
  client.destroy();
});

test('only the root or a principal allowed iam:* actions may call IAM', async () => {
  const key = await createUserWithKey(t.iam, 'ivan');
  const asIvan = iamClient(t.endpoint, key);
  const denied = await errorOf(asIvan.send(new CreateUserCommand({ UserName: 'ivan2' })));
  assert.equal(denied.name, 'AccessDenied');
  assert.equal(denied.$metadata?.httpStatusCode, 403);
  assert.equal(
    denied.message,
    `User: arn:aws:iam::${account}:user/ivan is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${account}:user/ivan2 because no identity-based policy allows the iam:CreateUser action`,
  );
  await t.iam.send(new PutUserPolicyCommand({ UserName: 'ivan', PolicyName: 'admin', PolicyDocument: allow('iam:*') }));
  await asIvan.send(new CreateUserCommand({ UserName: 'ivan2' }));
  // Self-service without UserName acts on the caller.
  const own = await asIvan.send(new ListAccessKeysCommand({}));
  assert.deepEqual(own.AccessKeyMetadata!.map((k) => k.AccessKeyId), [key.accessKeyId]);
  assert.equal((await asIvan.send(new GetUserCommand({}))).User!.UserName, 'ivan');
  const audit = t.server.iam.queryAudit({ kind: 'iam', action: 'iam:CreateUser', principal: `arn:aws:iam::${account}:user/ivan` });
  assert.equal(audit.length, 1);
  asIvan.destroy();
});

test('unknown actions and unsigned IAM calls fail as IAM does', async () => {
  const response = await fetch(t.endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=ListUsers&Version=2010-05-08' });
  assert.equal(response.status, 403);
  const body = await response.text();
  assert.match(body, /^<ErrorResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"><Error><Type>Sender<\/Type><Code>MissingAuthenticationToken<\/Code>/);
});

test('IAM state survives a restart of a persistent server', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tabula-iam-'));
  try {
    const first = await startIamTestServer({ dataDir });
    const key = await createUserWithKey(first.iam, 'durable');
    await first.iam.send(new PutUserPolicyCommand({ UserName: 'durable', PolicyName: 'list', PolicyDocument: allow('dynamodb:ListTables') }));
    await first.close();
    const second = await startTestServer({ dataDir });
    const ddb = dynamo(second.endpoint, key);
    await ddb.send(new ListTablesCommand({}));
    ddb.destroy();
    await second.close();
    const lines = readFileSync(join(dataDir, 'audit.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { action: string; decision: string });
    assert.ok(lines.some((line) => line.action === 'iam:CreateUser'));
    assert.ok(lines.some((line) => line.action === 'dynamodb:ListTables' && line.decision === 'Allow'));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
