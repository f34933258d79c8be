// Several accounts through the real SDKs: the IAM config declares account 111111111111 (users,
// roles, root keys) besides the server's 000000000000, which holds the tables. A principal of
// the other account reaches a table by its ARN only when its identity policies allow AND the
// table's resource-based policy allows it; by plain name it addresses its own account, which
// has no tables. Cross-account AssumeRole needs the trust policy and the caller's identity.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  DescribeTableCommand, GetItemCommand, ListTablesCommand, PutItemCommand, PutResourcePolicyCommand, QueryCommand, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { CreateUserCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { uniqueTableName } from '../support/server.js';
import { createTable } from '../support/tables.js';
import { errorOf } from '../support/errors.js';
import { dynamo, iamClient, sessionKeys, startIamTestServer, stsClient, type IamTestServer, type Keys } from './support.js';
import { pythonClientEnv } from '../support/python.js';

const run = promisify(execFile);
const home = '000000000000';
const other = '111111111111';
const region = 'us-east-1';
const tableArn = (account: string, table: string) => `arn:aws:dynamodb:${region}:${account}:table/${table}`;
const doc = (...statements: object[]) => ({ Version: '2012-10-17', Statement: statements });
const policy = (...statements: object[]) => JSON.stringify(doc(...statements));
const denied = (who: string, action: string, resource: string, why: string) => `User: ${who} is not authorized to perform: ${action} on resource: ${resource} ${why}`;

const keys = {
  remote: { accessKeyId: 'AKIAREMOTE0000000001', secretAccessKey: 'remote-secret' },
  bare: { accessKeyId: 'AKIAREMOTE0000000002', secretAccessKey: 'bare-secret' },
  otherRoot: { accessKeyId: 'AKIAOTHERROOT0000001', secretAccessKey: 'other-root-secret' },
  local: { accessKeyId: 'AKIALOCAL00000000001', secretAccessKey: 'local-secret' },
} satisfies Record<string, Keys>;
const remoteArn = `arn:aws:iam::${other}:user/remote`;
const bareArn = `arn:aws:iam::${other}:user/bare`;

let t: IamTestServer;
let table: string;
let clients: DynamoDBClient[] = [];
const client = (credentials: Keys) => {
  const created = dynamo(t.endpoint, credentials);
  clients.push(created);
  return created;
};

before(async () => {
  t = await startIamTestServer({
    iamConfig: {
      users: [
        {
          userName: 'local',
          accessKeys: [keys.local],
          policies: { assume: doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${other}:role/*` }) },
        },
      ],
      roles: [
        {
          roleName: 'shared',
          assumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: other }, Action: 'sts:AssumeRole' }),
          policies: { data: doc({ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }) },
        },
        {
          roleName: 'named',
          assumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: bareArn }, Action: 'sts:AssumeRole' }),
        },
        { roleName: 'closed', assumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: home }, Action: 'sts:AssumeRole' }) },
      ],
      accounts: [
        {
          accountId: other,
          rootAccessKeys: [keys.otherRoot],
          users: [
            {
              userName: 'remote',
              accessKeys: [keys.remote],
              policies: {
                data: doc(
                  { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:ListTables', 'dynamodb:DescribeTable'], Resource: '*' },
                  { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${home}:role/*` },
                ),
              },
            },
            // No identity policy at all.
            { userName: 'bare', accessKeys: [keys.bare] },
          ],
          roles: [
            {
              roleName: 'remote-role',
              assumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${home}:root` }, Action: 'sts:AssumeRole' }),
              policies: { data: doc({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' }) },
            },
          ],
        },
      ],
    },
  });
  table = uniqueTableName('xacct');
  await createTable(t.client, { name: table, partitionKey: ['pk', 'S'] });
  await t.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'a' }, v: { S: 'home' } } }));
});

after(async () => {
  for (const created of clients) created.destroy();
  clients = [];
  await t.close();
});

async function setTablePolicy(...statements: object[]): Promise<void> {
  await t.client.send(new PutResourcePolicyCommand({ ResourceArn: tableArn(home, table), Policy: policy(...statements) }));
}

const getByArn = (from: DynamoDBClient) => from.send(new GetItemCommand({ TableName: tableArn(home, table), Key: { pk: { S: 'a' } } }));

test('a principal of another account is who the IAM config says', async () => {
  const sts = stsClient(t.endpoint, keys.remote);
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  assert.deepEqual([identity.Account, identity.Arn], [other, remoteArn]);
  sts.destroy();
  const root = stsClient(t.endpoint, keys.otherRoot);
  assert.equal((await root.send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:iam::${other}:root`);
  root.destroy();
});

test('by ARN: identity allows but no resource-based policy does: denied', async () => {
  const error = await errorOf(getByArn(client(keys.remote)));
  assert.equal(error.name, 'AccessDeniedException');
  assert.equal(error.message, denied(remoteArn, 'dynamodb:GetItem', tableArn(home, table), 'because no resource-based policy allows the dynamodb:GetItem action'));
});

test('by ARN: both the identity and the table policy allow: allowed; the policy alone is not enough', async () => {
  await setTablePolicy({ Sid: 'users', Effect: 'Allow', Principal: { AWS: [remoteArn, bareArn] }, Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: tableArn(home, table) });
  const item = await getByArn(client(keys.remote));
  assert.deepEqual(item.Item, { pk: { S: 'a' }, v: { S: 'home' } });
  const query = await client(keys.remote).send(
    new QueryCommand({ TableName: tableArn(home, table), KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'a' } } }),
  );
  assert.equal(query.Count, 1);
  // The table policy names `bare` too, but across accounts its identity must allow as well.
  const bare = await errorOf(getByArn(client(keys.bare)));
  assert.equal(bare.message, denied(bareArn, 'dynamodb:GetItem', tableArn(home, table), 'because no identity-based policy allows the dynamodb:GetItem action'));
  // Allowed GetItem/Query only: PutItem is not in the table's policy.
  const put = await errorOf(client(keys.remote).send(new PutItemCommand({ TableName: tableArn(home, table), Item: { pk: { S: 'b' } } })));
  assert.equal(put.message, denied(remoteArn, 'dynamodb:PutItem', tableArn(home, table), 'because no resource-based policy allows the dynamodb:PutItem action'));
});

test('by ARN: an explicit Deny in the table policy wins', async () => {
  await setTablePolicy(
    { Sid: 'users', Effect: 'Allow', Principal: { AWS: remoteArn }, Action: 'dynamodb:GetItem', Resource: tableArn(home, table) },
    { Sid: 'no', Effect: 'Deny', Principal: { AWS: remoteArn }, Action: 'dynamodb:GetItem', Resource: tableArn(home, table), Condition: { StringEquals: { 'dynamodb:LeadingKeys': 'a' } } },
  );
  const error = await errorOf(getByArn(client(keys.remote)));
  assert.equal(error.message, denied(remoteArn, 'dynamodb:GetItem', tableArn(home, table), 'with an explicit deny in a resource-based policy'));
});

test('a table policy naming the account delegates to its identity policies; its root needs nothing more', async () => {
  await setTablePolicy({ Sid: 'account', Effect: 'Allow', Principal: { AWS: other }, Action: 'dynamodb:GetItem', Resource: tableArn(home, table) });
  assert.equal((await getByArn(client(keys.remote))).Item?.v?.S, 'home');
  assert.equal((await errorOf(getByArn(client(keys.bare)))).name, 'AccessDeniedException');
  assert.equal((await getByArn(client(keys.otherRoot))).Item?.v?.S, 'home');
  await setTablePolicy({ Sid: 'someone', Effect: 'Allow', Principal: { AWS: remoteArn }, Action: 'dynamodb:GetItem', Resource: tableArn(home, table) });
  const root = await errorOf(getByArn(client(keys.otherRoot)));
  assert.equal(root.message, denied(`arn:aws:iam::${other}:root`, 'dynamodb:GetItem', tableArn(home, table), 'because no resource-based policy allows the dynamodb:GetItem action'));
});

test('by plain name: the caller\'s own account, which has no tables', async () => {
  const remote = client(keys.remote);
  const missing = await errorOf(remote.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'a' } } })));
  assert.deepEqual([missing.name, missing.message], ['ResourceNotFoundException', 'Requested resource not found']);
  const described = await errorOf(remote.send(new DescribeTableCommand({ TableName: table })));
  assert.deepEqual([described.name, described.message], ['ResourceNotFoundException', `Requested resource not found: Table: ${table} not found`]);
  assert.deepEqual((await remote.send(new ListTablesCommand({}))).TableNames, []);
  // Without an identity Allow it is a denial, against the ARN in the caller's account.
  const bare = await errorOf(client(keys.bare).send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'a' } } })));
  assert.equal(bare.message, denied(bareArn, 'dynamodb:GetItem', tableArn(other, table), 'because no identity-based policy allows the dynamodb:GetItem action'));
  const list = await errorOf(client(keys.bare).send(new ListTablesCommand({})));
  assert.equal(list.message, denied(bareArn, 'dynamodb:ListTables', tableArn(other, '*'), 'because no identity-based policy allows the dynamodb:ListTables action'));
});

test('the server\'s own principals may address their tables by ARN too', async () => {
  const item = await t.client.send(new GetItemCommand({ TableName: tableArn(home, table), Key: { pk: { S: 'a' } } }));
  assert.equal(item.Item?.v?.S, 'home');
});

test('cross-account AssumeRole: the trust policy names the account and the caller\'s identity allows it', async () => {
  const roleArn = `arn:aws:iam::${home}:role/shared`;
  const sts = stsClient(t.endpoint, keys.remote);
  const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'visitor' }));
  sts.destroy();
  assert.equal(assumed.AssumedRoleUser?.Arn, `arn:aws:sts::${home}:assumed-role/shared/visitor`);
  // The session is a principal of the role's account: plain names are the server's tables.
  const session = client(sessionKeys(assumed.Credentials!));
  assert.equal((await session.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'a' } } }))).Item?.v?.S, 'home');
  // Without an identity policy allowing sts:AssumeRole, the trust policy alone does not do.
  const bare = stsClient(t.endpoint, keys.bare);
  const error = await errorOf(bare.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'visitor' })));
  assert.deepEqual([error.name, error.message], ['AccessDenied', `User: ${bareArn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`]);
  // Even a trust policy naming the caller itself needs the caller's identity across accounts.
  const named = `arn:aws:iam::${home}:role/named`;
  const namedError = await errorOf(bare.send(new AssumeRoleCommand({ RoleArn: named, RoleSessionName: 'visitor' })));
  assert.equal(namedError.message, `User: ${bareArn} is not authorized to perform: sts:AssumeRole on resource: ${named}`);
  bare.destroy();
  // A trust policy that names only the role's own account keeps the other account out.
  const remote = stsClient(t.endpoint, keys.remote);
  const closed = `arn:aws:iam::${home}:role/closed`;
  assert.equal((await errorOf(remote.send(new AssumeRoleCommand({ RoleArn: closed, RoleSessionName: 'visitor' })))).message, `User: ${remoteArn} is not authorized to perform: sts:AssumeRole on resource: ${closed}`);
  remote.destroy();
});

test('a server-account user assumes a role of the other account, and reaches the table only as a cross-account caller', async () => {
  const sts = stsClient(t.endpoint, keys.local);
  const roleArn = `arn:aws:iam::${other}:role/remote-role`;
  const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'out' }));
  sts.destroy();
  const sessionArn = `arn:aws:sts::${other}:assumed-role/remote-role/out`;
  assert.equal(assumed.AssumedRoleUser?.Arn, sessionArn);
  const session = client(sessionKeys(assumed.Credentials!));
  await setTablePolicy({ Sid: 'users', Effect: 'Allow', Principal: { AWS: remoteArn }, Action: 'dynamodb:GetItem', Resource: tableArn(home, table) });
  const error = await errorOf(getByArn(session));
  assert.equal(error.message, denied(sessionArn, 'dynamodb:GetItem', tableArn(home, table), 'because no resource-based policy allows the dynamodb:GetItem action'));
  // A table policy naming the role grants its sessions.
  await setTablePolicy({ Sid: 'role', Effect: 'Allow', Principal: { AWS: roleArn }, Action: 'dynamodb:GetItem', Resource: tableArn(home, table) });
  assert.equal((await getByArn(session)).Item?.v?.S, 'home');
});

test('each account has its own IAM: the other account\'s root creates users there', async () => {
  const otherIam = iamClient(t.endpoint, keys.otherRoot);
  const created = await otherIam.send(new CreateUserCommand({ UserName: 'made-there' }));
  assert.equal(created.User?.Arn, `arn:aws:iam::${other}:user/made-there`);
  const there = (await otherIam.send(new ListUsersCommand({}))).Users!.map((user) => user.UserName);
  assert.deepEqual(there.sort(), ['bare', 'made-there', 'remote']);
  const here = (await t.iam.send(new ListUsersCommand({}))).Users!.map((user) => user.UserName);
  assert.ok(!here.includes('made-there') && here.includes('local'));
  otherIam.destroy();
});

test('AWS CLI: get-item across accounts by table ARN', async () => {
  await setTablePolicy({ Sid: 'users', Effect: 'Allow', Principal: { AWS: remoteArn }, Action: 'dynamodb:GetItem', Resource: tableArn(home, table) });
  const env = pythonClientEnv(keys.remote, {}, region);
  const { stdout } = await run(
    'aws',
    ['dynamodb', 'get-item', '--endpoint-url', t.endpoint, '--table-name', tableArn(home, table), '--key', '{"pk":{"S":"a"}}', '--output', 'json'],
    { env },
  );
  assert.deepEqual(JSON.parse(stdout), { Item: { pk: { S: 'a' }, v: { S: 'home' } } });
});

test('an IAM config naming the server\'s account again, or a malformed account id, is refused at start', async () => {
  const { startTestServer } = await import('../support/server.js');
  await assert.rejects(startTestServer({ iamConfig: { accounts: [{ accountId: home }] } }), /is the server's own account/);
  await assert.rejects(startTestServer({ iamConfig: { accounts: [{ accountId: '12345' }] } }), /is not a 12-digit account id/);
});
