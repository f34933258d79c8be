// Every authorization and IAM/STS error text, table-driven, each produced through the real
// SDKs and compared exactly. Each row names where its text comes from:
//   guide    - the IAM User Guide's "Troubleshoot access denied error messages" examples
//              (awsdocs/iam-user-guide, doc_source/troubleshoot_access-denied.md);
//   observed - the service's own output quoted in public bug reports and CLI transcripts;
//   unverified - our best reading, not confirmed against the service (see the report).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeleteItemCommand, GetItemCommand, ListTablesCommand, PutItemCommand, PutResourcePolicyCommand, QueryCommand, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  AttachUserPolicyCommand, CreateAccessKeyCommand, CreateGroupCommand, CreatePolicyCommand, CreateRoleCommand, CreateUserCommand, DeleteAccessKeyCommand,
  DeleteUserPolicyCommand, GetGroupCommand, GetPolicyCommand, GetRoleCommand, GetUserCommand, ListUsersCommand, PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetFederationTokenCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { uniqueTableName } from '../support/server.js';
import { createTable } from '../support/tables.js';
import { errorOf } from '../support/errors.js';
import { ManualClock } from '../support/clock.js';
import { defaultAccessKey } from '../../src/server/tabula.js';
import { dynamo, iamClient, sessionKeys, startIamTestServer, stsClient, type IamTestServer, type Keys } from './support.js';

const home = '000000000000';
const other = '111111111111';
const clock = new ManualClock(Date.now());
const doc = (...statements: object[]) => ({ Version: '2012-10-17', Statement: statements });
const policy = (...statements: object[]) => JSON.stringify(doc(...statements));
const userArn = (name: string, account = home) => `arn:aws:iam::${account}:user/${name}`;
const key = (name: string): Keys => ({ accessKeyId: `AKIA${name.toUpperCase().padEnd(16, '0').slice(0, 16)}`, secretAccessKey: `${name}-secret` });

let t: IamTestServer;
let table: string;
let tableArn: string;
const open: Array<{ destroy(): void }> = [];
function onClock<T extends { config: object; destroy(): void }>(client: T): T {
  Object.defineProperty(client.config, 'systemClockOffset', { get: () => clock.now() - Date.now(), set: () => {}, configurable: true });
  open.push(client);
  return client;
}
const db = (keys: Keys): DynamoDBClient => onClock(dynamo(t.endpoint, keys));
const sts = (keys: Keys) => onClock(stsClient(t.endpoint, keys));
const iam = (keys: Keys) => onClock(iamClient(t.endpoint, keys));
const getItem = (client: DynamoDBClient, tableName = table) => client.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: 'a' } } }));
const deny = (who: string, action: string, resource: string, why: string) => `User: ${who} is not authorized to perform: ${action} on resource: ${resource} ${why}`;

before(async () => {
  t = await startIamTestServer({
    clock,
    iamConfig: {
      policies: [
        { policyName: 'bound', document: doc({ Effect: 'Allow', Action: ['dynamodb:Query', 'dynamodb:PutItem'], Resource: '*' }, { Effect: 'Deny', Action: 'dynamodb:PutItem', Resource: '*' }) },
        { policyName: 'NoReads', document: doc({ Effect: 'Deny', Action: 'dynamodb:GetItem', Resource: '*' }) },
      ],
      users: [
        { userName: 'none', accessKeys: [key('none')] },
        { userName: 'denied', accessKeys: [key('denied')], policies: { p: doc({ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }, { Effect: 'Deny', Action: 'dynamodb:GetItem', Resource: '*' }) } },
        {
          userName: 'managed-denied',
          accessKeys: [key('managed-denied')],
          policies: { p: doc({ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }) },
          attachedPolicies: [`arn:aws:iam::${home}:policy/NoReads`],
        },
        { userName: 'bounded', accessKeys: [key('bounded')], policies: { p: doc({ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }) }, permissionsBoundary: `arn:aws:iam::${home}:policy/bound` },
        { userName: 'rbp', accessKeys: [key('rbp')], policies: { p: doc({ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }) } },
        {
          userName: 'worker',
          accessKeys: [key('worker')],
          policies: { p: doc({ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:GetFederationToken', 'dynamodb:*'], Resource: '*' }) },
        },
      ],
      roles: [
        {
          roleName: 'Worker',
          assumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: home }, Action: 'sts:AssumeRole' }),
          policies: { p: doc({ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }) },
        },
      ],
      accounts: [{ accountId: other, users: [{ userName: 'remote', accessKeys: [key('remote')], policies: { p: doc({ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }) } }] }],
    },
  });
  onClock(t.iam);
  onClock(t.client);
  table = uniqueTableName('texts');
  tableArn = `arn:aws:dynamodb:us-east-1:${home}:table/${table}`;
  await createTable(t.client, { name: table, partitionKey: ['pk', 'S'] });
  await t.client.send(
    new PutResourcePolicyCommand({
      ResourceArn: tableArn,
      Policy: policy({ Effect: 'Deny', Principal: { AWS: userArn('rbp') }, Action: 'dynamodb:DeleteItem', Resource: tableArn }),
    }),
  );
});

after(async () => {
  for (const client of open) client.destroy();
  await t.close();
});

interface Row {
  title: string;
  source: 'guide' | 'observed' | 'unverified';
  produce: () => Promise<unknown>;
  name: string;
  message: string | (() => string);
}

async function session(options: { Policy?: string }): Promise<Keys> {
  const result = await sts(key('worker')).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${home}:role/Worker`, RoleSessionName: 'texts', ...options }));
  return sessionKeys(result.Credentials!);
}

const rows: Row[] = [
  // ---- DynamoDB AccessDeniedException, one row per policy type and effect
  {
    title: 'no identity-based policy allows',
    source: 'guide',
    produce: () => getItem(db(key('none'))),
    name: 'AccessDeniedException',
    message: () => deny(userArn('none'), 'dynamodb:GetItem', tableArn, 'because no identity-based policy allows the dynamodb:GetItem action'),
  },
  {
    title: 'explicit deny in an identity-based policy',
    source: 'guide',
    produce: () => getItem(db(key('denied'))),
    name: 'AccessDeniedException',
    message: () => deny(userArn('denied'), 'dynamodb:GetItem', tableArn, 'with an explicit deny in an identity-based policy'),
  },
  {
    // An inline policy has no ARN: the text ends with the policy type. A managed one is named.
    title: 'explicit deny in a managed identity-based policy',
    source: 'observed',
    produce: () => getItem(db(key('managed-denied'))),
    name: 'AccessDeniedException',
    message: () => deny(userArn('managed-denied'), 'dynamodb:GetItem', tableArn, `with an explicit deny in an identity-based policy: arn:aws:iam::${home}:policy/NoReads`),
  },
  {
    title: 'no permissions boundary allows',
    source: 'guide',
    produce: () => getItem(db(key('bounded'))),
    name: 'AccessDeniedException',
    message: () => deny(userArn('bounded'), 'dynamodb:GetItem', tableArn, 'because no permissions boundary allows the dynamodb:GetItem action'),
  },
  {
    title: 'explicit deny in a permissions boundary',
    source: 'guide',
    produce: () => db(key('bounded')).send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'b' } } })),
    name: 'AccessDeniedException',
    // Since 2026 the denying managed policy's ARN follows (AWS Security Blog, "Enhanced access denied error messages with policy ARNs").
    message: () => deny(userArn('bounded'), 'dynamodb:PutItem', tableArn, `with an explicit deny in a permissions boundary: arn:aws:iam::${home}:policy/bound`),
  },
  {
    title: 'explicit deny in a resource-based policy',
    source: 'guide',
    produce: () => db(key('rbp')).send(new DeleteItemCommand({ TableName: table, Key: { pk: { S: 'a' } } })),
    name: 'AccessDeniedException',
    message: () => deny(userArn('rbp'), 'dynamodb:DeleteItem', tableArn, 'with an explicit deny in a resource-based policy'),
  },
  {
    title: 'no resource-based policy allows (another account, by ARN)',
    source: 'guide',
    produce: () => getItem(db(key('remote')), tableArn),
    name: 'AccessDeniedException',
    message: () => deny(userArn('remote', other), 'dynamodb:GetItem', tableArn, 'because no resource-based policy allows the dynamodb:GetItem action'),
  },
  {
    title: 'no session policy allows (an assumed-role ARN)',
    source: 'guide',
    produce: async () => getItem(db(await session({ Policy: policy({ Effect: 'Allow', Action: 'dynamodb:Query', Resource: '*' }) }))),
    name: 'AccessDeniedException',
    message: () => deny(`arn:aws:sts::${home}:assumed-role/Worker/texts`, 'dynamodb:GetItem', tableArn, 'because no session policy allows the dynamodb:GetItem action'),
  },
  {
    title: 'explicit deny in a session policy',
    source: 'observed', // the guide's example reads "a sessions policy"; the service says "a session policy"
    produce: async () =>
      getItem(db(await session({ Policy: policy({ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }, { Effect: 'Deny', Action: 'dynamodb:GetItem', Resource: '*' }) }))),
    name: 'AccessDeniedException',
    message: () => deny(`arn:aws:sts::${home}:assumed-role/Worker/texts`, 'dynamodb:GetItem', tableArn, 'with an explicit deny in a session policy'),
  },
  {
    title: 'a federated-user ARN',
    source: 'unverified',
    produce: async () => {
      const result = await sts(key('worker')).send(new GetFederationTokenCommand({ Name: 'fed-texts', Policy: policy({ Effect: 'Allow', Action: 'dynamodb:Query', Resource: '*' }) }));
      return getItem(db(sessionKeys(result.Credentials!)));
    },
    name: 'AccessDeniedException',
    message: () => deny(`arn:aws:sts::${home}:federated-user/fed-texts`, 'dynamodb:GetItem', tableArn, 'because no session policy allows the dynamodb:GetItem action'),
  },
  {
    title: 'ListTables is checked against the account\'s table/* ARN',
    source: 'observed',
    produce: () => db(key('none')).send(new ListTablesCommand({})),
    name: 'AccessDeniedException',
    message: () => deny(userArn('none'), 'dynamodb:ListTables', `arn:aws:dynamodb:us-east-1:${home}:table/*`, 'because no identity-based policy allows the dynamodb:ListTables action'),
  },
  // ---- credentials
  {
    title: 'DynamoDB: an unknown access key',
    source: 'observed',
    produce: () => getItem(db(key('nobody'))),
    name: 'UnrecognizedClientException',
    message: 'The security token included in the request is invalid.',
  },
  {
    title: 'DynamoDB: an expired session',
    source: 'observed',
    produce: async () => {
      const keys = sessionKeys((await sts(key('worker')).send(new GetSessionTokenCommand({ DurationSeconds: 900 }))).Credentials!);
      clock.advance(900_000);
      return db(keys).send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'a' } } }));
    },
    name: 'ExpiredTokenException',
    message: 'The security token included in the request is expired',
  },
  {
    title: 'STS: an unknown access key',
    source: 'observed',
    produce: () => sts(key('nobody')).send(new GetCallerIdentityCommand({})),
    name: 'InvalidClientTokenId',
    message: 'The security token included in the request is invalid.',
  },
  {
    title: 'STS: an expired session',
    source: 'observed',
    produce: async () => {
      const keys = sessionKeys((await sts(key('worker')).send(new GetSessionTokenCommand({ DurationSeconds: 900 }))).Credentials!);
      clock.advance(900_000);
      return sts(keys).send(new GetCallerIdentityCommand({}));
    },
    name: 'ExpiredToken',
    message: 'The security token included in the request is expired',
  },
  {
    title: 'IAM: GetSessionToken credentials without MFA',
    source: 'observed',
    produce: async () => iam(sessionKeys((await sts(key('worker')).send(new GetSessionTokenCommand({}))).Credentials!)).send(new ListUsersCommand({})),
    name: 'InvalidClientTokenId',
    message: 'The security token included in the request is invalid',
  },
  {
    title: 'IAM: an unknown access key',
    source: 'observed',
    produce: () => iam(key('nobody')).send(new ListUsersCommand({})),
    name: 'InvalidClientTokenId',
    message: 'The security token included in the request is invalid.',
  },
  {
    title: 'STS: AssumeRole not allowed',
    source: 'observed',
    produce: () => sts(key('none')).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${home}:role/Worker`, RoleSessionName: 'texts' })),
    name: 'AccessDenied',
    message: () => `User: ${userArn('none')} is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${home}:role/Worker`,
  },
  // ---- IAM entities
  { title: 'NoSuchEntity: user', source: 'observed', produce: () => t.iam.send(new GetUserCommand({ UserName: 'ghost' })), name: 'NoSuchEntityException', message: 'The user with name ghost cannot be found.' },
  { title: 'NoSuchEntity: role', source: 'observed', produce: () => t.iam.send(new GetRoleCommand({ RoleName: 'ghost' })), name: 'NoSuchEntityException', message: 'The role with name ghost cannot be found.' },
  { title: 'NoSuchEntity: group', source: 'observed', produce: () => t.iam.send(new GetGroupCommand({ GroupName: 'ghost' })), name: 'NoSuchEntityException', message: 'The group with name ghost cannot be found.' },
  {
    title: 'NoSuchEntity: managed policy',
    source: 'observed',
    produce: () => t.iam.send(new GetPolicyCommand({ PolicyArn: `arn:aws:iam::${home}:policy/ghost` })),
    name: 'NoSuchEntityException',
    message: `Policy arn:aws:iam::${home}:policy/ghost was not found.`,
  },
  {
    title: 'NoSuchEntity: access key',
    source: 'observed',
    produce: () => t.iam.send(new DeleteAccessKeyCommand({ UserName: 'none', AccessKeyId: 'AKIAGHOST00000000000' })),
    name: 'NoSuchEntityException',
    message: 'The Access Key with id AKIAGHOST00000000000 cannot be found.',
  },
  {
    title: 'NoSuchEntity: inline user policy',
    source: 'observed',
    produce: () => t.iam.send(new DeleteUserPolicyCommand({ UserName: 'none', PolicyName: 'ghost' })),
    name: 'NoSuchEntityException',
    message: 'The user policy with name ghost cannot be found.',
  },
  { title: 'EntityAlreadyExists: user', source: 'observed', produce: () => t.iam.send(new CreateUserCommand({ UserName: 'none' })), name: 'EntityAlreadyExistsException', message: 'User with name none already exists.' },
  {
    title: 'EntityAlreadyExists: role',
    source: 'observed',
    produce: () => t.iam.send(new CreateRoleCommand({ RoleName: 'Worker', AssumeRolePolicyDocument: policy({ Effect: 'Allow', Principal: { AWS: home }, Action: 'sts:AssumeRole' }) })),
    name: 'EntityAlreadyExistsException',
    message: 'Role with name Worker already exists.',
  },
  {
    title: 'EntityAlreadyExists: group',
    source: 'observed',
    produce: async () => {
      await t.iam.send(new CreateGroupCommand({ GroupName: 'twice' }));
      return t.iam.send(new CreateGroupCommand({ GroupName: 'twice' }));
    },
    name: 'EntityAlreadyExistsException',
    message: 'Group with name twice already exists.',
  },
  {
    title: 'EntityAlreadyExists: managed policy',
    source: 'observed',
    produce: () => t.iam.send(new CreatePolicyCommand({ PolicyName: 'bound', PolicyDocument: policy({ Effect: 'Allow', Action: '*', Resource: '*' }) })),
    name: 'EntityAlreadyExistsException',
    message: 'A policy called bound already exists. Duplicate names are not allowed.',
  },
  {
    title: 'LimitExceeded: access keys per user',
    source: 'observed',
    produce: async () => {
      await t.iam.send(new CreateAccessKeyCommand({ UserName: 'denied' }));
      return t.iam.send(new CreateAccessKeyCommand({ UserName: 'denied' }));
    },
    name: 'LimitExceededException',
    message: 'Cannot exceed quota for AccessKeysPerUser: 2',
  },
  {
    title: 'LimitExceeded: inline policy size of a user',
    source: 'observed',
    produce: () => t.iam.send(new PutUserPolicyCommand({ UserName: 'none', PolicyName: 'big', PolicyDocument: policy({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: `arn:aws:dynamodb:*:*:table/${'x'.repeat(2048)}` }) })),
    name: 'LimitExceededException',
    message: 'Maximum policy size of 2048 bytes exceeded for user none',
  },
  {
    title: 'LimitExceeded: managed policy size',
    source: 'observed',
    produce: () => t.iam.send(new CreatePolicyCommand({ PolicyName: 'huge', PolicyDocument: policy({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: `arn:aws:dynamodb:*:*:table/${'x'.repeat(6144)}` }) })),
    name: 'LimitExceededException',
    message: 'Cannot exceed quota for PolicySize: 6144',
  },
  {
    title: 'LimitExceeded: trust policy size',
    source: 'observed',
    produce: () =>
      t.iam.send(new CreateRoleCommand({ RoleName: 'big-trust', AssumeRolePolicyDocument: policy({ Effect: 'Allow', Principal: { AWS: home }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'x'.repeat(2048) } } }) })),
    name: 'LimitExceededException',
    message: 'Cannot exceed quota for ACLSizePerRole: 2048',
  },
  {
    title: 'LimitExceeded: managed policies per user',
    source: 'observed',
    produce: async () => {
      for (let i = 0; i < 11; i++) {
        const created = await t.iam.send(new CreatePolicyCommand({ PolicyName: `many-${i}`, PolicyDocument: policy({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' }) }));
        await t.iam.send(new AttachUserPolicyCommand({ UserName: 'none', PolicyArn: created.Policy!.Arn! }));
      }
    },
    name: 'LimitExceededException',
    message: 'Cannot exceed quota for PoliciesPerUser: 10',
  },
  // ---- MalformedPolicyDocument
  { title: 'Malformed: not JSON', source: 'observed', produce: () => putUserPolicy('{"Version":'), name: 'MalformedPolicyDocumentException', message: 'Syntax errors in policy.' },
  {
    title: 'Malformed: a Principal in an identity policy',
    source: 'observed',
    produce: () => putUserPolicy(policy({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' })),
    name: 'MalformedPolicyDocumentException',
    message: 'Policy document should not specify a principal.',
  },
  { title: 'Malformed: no Resource', source: 'observed', produce: () => putUserPolicy(policy({ Effect: 'Allow', Action: '*' })), name: 'MalformedPolicyDocumentException', message: 'Policy statement must contain resources.' },
  { title: 'Malformed: no Action', source: 'observed', produce: () => putUserPolicy(policy({ Effect: 'Allow', Resource: '*' })), name: 'MalformedPolicyDocumentException', message: 'Policy statement must contain actions.' },
  {
    title: 'Malformed: a Resource in a trust policy',
    source: 'observed',
    produce: () => t.iam.send(new CreateRoleCommand({ RoleName: 'bad-trust', AssumeRolePolicyDocument: policy({ Effect: 'Allow', Principal: { AWS: home }, Action: 'sts:AssumeRole', Resource: '*' }) })),
    name: 'MalformedPolicyDocumentException',
    message: 'Has prohibited field Resource',
  },
  {
    title: 'Malformed: no Principal in a trust policy',
    source: 'unverified',
    produce: () => t.iam.send(new CreateRoleCommand({ RoleName: 'no-principal', AssumeRolePolicyDocument: policy({ Effect: 'Allow', Action: 'sts:AssumeRole' }) })),
    name: 'MalformedPolicyDocumentException',
    message: 'Missing required field Principal',
  },
];

function putUserPolicy(document: string) {
  return t.iam.send(new PutUserPolicyCommand({ UserName: 'none', PolicyName: 'bad', PolicyDocument: document }));
}

for (const row of rows) {
  test(`${row.title} (${row.source})`, async () => {
    const error = await errorOf(row.produce());
    const message = typeof row.message === 'string' ? row.message : row.message();
    assert.deepEqual([error.name, error.message], [row.name, message]);
  });
}

// The control: the same request from the root succeeds, so each row fails for its stated reason.
test('the control: the root reads the table', async () => {
  assert.equal((await getItem(db(defaultAccessKey))).Item, undefined);
});
