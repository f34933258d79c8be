// STS through @aws-sdk/client-sts, and IAM/STS through the AWS CLI and boto3: caller identity,
// AssumeRole with AWS's trust rules (a trust naming the caller suffices; one naming the account
// delegates to identity policies; root may not assume roles), session policies and tags,
// GetSessionToken and the limits on its credentials.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CreateRoleCommand, ListUsersCommand, PutRolePolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { GetItemCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { uniqueTableName } from '../support/server.js';
import { createTable } from '../support/tables.js';
import { defaultAccessKey } from '../../src/server/tabula.js';
import { createUserWithKey, dynamo, iamClient, sessionKeys, startIamTestServer, stsClient, type IamTestServer, type Keys } from './support.js';
import { errorOf } from '../support/errors.js';
import { pythonClientEnv } from '../support/python.js';

const run = promisify(execFile);
const account = '000000000000';
let t: IamTestServer;
let user: Keys;

const document = (statement: Record<string, unknown>) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });

before(async () => {
  t = await startIamTestServer();
  user = await createUserWithKey(t.iam, 'worker');
  // Named in a trust policy by ARN: no identity policy needed.
  await t.iam.send(
    new CreateRoleCommand({
      RoleName: 'named',
      AssumeRolePolicyDocument: document({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:user/worker` }, Action: ['sts:AssumeRole', 'sts:TagSession'] }),
      Tags: [{ Key: 'tier', Value: 'gold' }],
    }),
  );
  await t.iam.send(new PutRolePolicyCommand({ RoleName: 'named', PolicyName: 'all', PolicyDocument: document({ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }) }));
  // Trusting the account delegates to the caller's identity policies.
  await t.iam.send(
    new CreateRoleCommand({ RoleName: 'delegated', AssumeRolePolicyDocument: document({ Effect: 'Allow', Principal: { AWS: account }, Action: 'sts:AssumeRole' }) }),
  );
});

after(() => t.close());

test('GetCallerIdentity for the root, a user and a role session', async () => {
  const root = stsClient(t.endpoint, defaultAccessKey);
  assert.deepEqual(
    { ...(await root.send(new GetCallerIdentityCommand({}))), $metadata: undefined },
    { UserId: account, Account: account, Arn: `arn:aws:iam::${account}:root`, $metadata: undefined },
  );
  root.destroy();
  const asUser = stsClient(t.endpoint, user);
  const identity = await asUser.send(new GetCallerIdentityCommand({}));
  assert.equal(identity.Arn, `arn:aws:iam::${account}:user/worker`);
  assert.match(identity.UserId!, /^AIDA/);
  const assumed = await asUser.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/named`, RoleSessionName: 'job-1' }));
  assert.equal(assumed.AssumedRoleUser!.Arn, `arn:aws:sts::${account}:assumed-role/named/job-1`);
  assert.match(assumed.AssumedRoleUser!.AssumedRoleId!, /^AROA[A-Z2-7]{17}:job-1$/);
  assert.match(assumed.Credentials!.AccessKeyId!, /^ASIA/);
  assert.ok(assumed.Credentials!.Expiration! > new Date());
  const asRole = stsClient(t.endpoint, sessionKeys(assumed.Credentials!));
  const roleIdentity = await asRole.send(new GetCallerIdentityCommand({}));
  assert.equal(roleIdentity.Arn, `arn:aws:sts::${account}:assumed-role/named/job-1`);
  assert.equal(roleIdentity.UserId, assumed.AssumedRoleUser!.AssumedRoleId);
  asRole.destroy();
  asUser.destroy();
});

test('AssumeRole: an account trust needs an identity policy; root may not assume roles', async () => {
  const asUser = stsClient(t.endpoint, user);
  const roleArn = `arn:aws:iam::${account}:role/delegated`;
  const denied = await errorOf(asUser.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'sess' })));
  assert.equal(denied.name, 'AccessDenied');
  assert.equal(denied.message, `User: arn:aws:iam::${account}:user/worker is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
  await t.iam.send(new PutUserPolicyCommand({ UserName: 'worker', PolicyName: 'assume', PolicyDocument: document({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roleArn }) }));
  await asUser.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'sess' }));
  const missing = await errorOf(asUser.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/none`, RoleSessionName: 'sess' })));
  assert.equal(missing.name, 'AccessDenied');
  const tooLong = await errorOf(asUser.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'sess', DurationSeconds: 7200 })));
  assert.equal(tooLong.name, 'ValidationError');
  assert.equal(tooLong.message, 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  asUser.destroy();
  const root = stsClient(t.endpoint, defaultAccessKey);
  const rootError = await errorOf(root.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'sess' })));
  assert.equal(rootError.message, 'Roles may not be assumed by root accounts.');
  root.destroy();
});

test('a session policy limits the session to the intersection; session tags become principal tags', async () => {
  const table = uniqueTableName('sts');
  await createTable(t.client, { name: table, partitionKey: ['k', 'S'] });
  const asUser = stsClient(t.endpoint, user);
  const assumed = await asUser.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${account}:role/named`,
      RoleSessionName: 'narrow',
      Policy: document({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/tier': 'silver' } } }),
      Tags: [{ Key: 'tier', Value: 'silver' }],
    }),
  );
  asUser.destroy();
  const session = dynamo(t.endpoint, sessionKeys(assumed.Credentials!));
  await session.send(new GetItemCommand({ TableName: table, Key: { k: { S: 'x' } } }));
  const error = await errorOf(session.send(new ListTablesCommand({})));
  assert.equal(error.name, 'AccessDeniedException');
  assert.equal(
    error.message,
    `User: arn:aws:sts::${account}:assumed-role/named/narrow is not authorized to perform: dynamodb:ListTables on resource: arn:aws:dynamodb:us-east-1:${account}:table/* because no session policy allows the dynamodb:ListTables action`,
  );
  session.destroy();
});

test('GetSessionToken: temporary credentials of the same user; IAM refuses them; sessions cannot chain it', async () => {
  const asUser = stsClient(t.endpoint, user);
  const result = await asUser.send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
  asUser.destroy();
  const keys = sessionKeys(result.Credentials!);
  const asSession = stsClient(t.endpoint, keys);
  assert.equal((await asSession.send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:iam::${account}:user/worker`);
  const chained = await errorOf(asSession.send(new GetSessionTokenCommand({})));
  assert.equal(chained.message, 'Cannot call GetSessionToken with session credentials');
  asSession.destroy();
  const iamSession = iamClient(t.endpoint, keys);
  const refused = await errorOf(iamSession.send(new ListUsersCommand({})));
  assert.equal(refused.name, 'InvalidClientTokenId');
  iamSession.destroy();
  const short = stsClient(t.endpoint, user);
  const tooShort = await errorOf(short.send(new GetSessionTokenCommand({ DurationSeconds: 60 })));
  assert.equal(tooShort.name, 'ValidationError');
  assert.equal(tooShort.message, "1 validation error detected: Value '60' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900");
  short.destroy();
});

const cliEnv = pythonClientEnv();

test('AWS CLI: aws sts get-caller-identity, aws iam create-user / list-users / put-user-policy', async () => {
  const cli = async (...args: string[]) => {
    const { stdout } = await run('aws', [...args, '--endpoint-url', t.endpoint, '--output', 'json'], { env: cliEnv });
    return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>);
  };
  assert.deepEqual(await cli('sts', 'get-caller-identity'), { UserId: account, Account: account, Arn: `arn:aws:iam::${account}:root` });
  const created = (await cli('iam', 'create-user', '--user-name', 'cli-user')) as { User: { Arn: string } };
  assert.equal(created.User.Arn, `arn:aws:iam::${account}:user/cli-user`);
  await cli('iam', 'put-user-policy', '--user-name', 'cli-user', '--policy-name', 'p', '--policy-document', document({ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }));
  const users = (await cli('iam', 'list-users')) as { Users: Array<{ UserName: string }> };
  assert.ok(users.Users.some((entry) => entry.UserName === 'cli-user'));
  const policy = (await cli('iam', 'get-user-policy', '--user-name', 'cli-user', '--policy-name', 'p')) as { PolicyDocument: unknown };
  assert.deepEqual(policy.PolicyDocument, JSON.parse(document({ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' })));
  await assert.rejects(cli('iam', 'get-user', '--user-name', 'nobody-here'), /NoSuchEntity.*The user with name nobody-here cannot be found/s);
});

test('boto3: IAM and STS clients parse the responses', async () => {
  const script = [
    'import boto3, os, json',
    "kw = dict(endpoint_url=os.environ['TABULA_ENDPOINT'], region_name='us-east-1')",
    "iam = boto3.client('iam', **kw)",
    "sts = boto3.client('sts', **kw)",
    "u = iam.create_user(UserName='boto-user')['User']",
    "k = iam.create_access_key(UserName='boto-user')['AccessKey']",
    "s = boto3.client('sts', aws_access_key_id=k['AccessKeyId'], aws_secret_access_key=k['SecretAccessKey'], **kw)",
    "print(json.dumps({'arn': u['Arn'], 'me': s.get_caller_identity()['Arn'], 'root': sts.get_caller_identity()['Arn']}))",
  ].join('\n');
  const { stdout } = await run('python3', ['-c', script], { env: { ...cliEnv, TABULA_ENDPOINT: t.endpoint } });
  assert.deepEqual(JSON.parse(stdout), {
    arn: `arn:aws:iam::${account}:user/boto-user`,
    me: `arn:aws:iam::${account}:user/boto-user`,
    root: `arn:aws:iam::${account}:root`,
  });
});
