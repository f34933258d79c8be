// STS GetFederationToken through @aws-sdk/client-sts and the AWS CLI: the federated-user ARN
// and id, permissions as the intersection of the calling user's policies and the session policy
// (none without one), a table policy naming the federated user granting on its own, the limits
// on Name and DurationSeconds (boundary and one past), the root's one-hour cap, and the calls
// such credentials may not make.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { GetItemCommand, PutItemCommand, PutResourcePolicyCommand } from '@aws-sdk/client-dynamodb';
import { ListUsersCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetFederationTokenCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { uniqueTableName } from '../support/server.js';
import { createTable } from '../support/tables.js';
import { errorOf } from '../support/errors.js';
import { defaultAccessKey } from '../../src/server/tabula.js';
import { createUserWithKey, dynamo, iamClient, sessionKeys, startIamTestServer, stsClient, type IamTestServer, type Keys } from './support.js';
import { pythonClientEnv } from '../support/python.js';

const run = promisify(execFile);
const account = '000000000000';
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const fedArn = (name: string) => `arn:aws:sts::${account}:federated-user/${name}`;

let t: IamTestServer;
let broker: Keys;
let table: string;
let tableArn: string;

before(async () => {
  t = await startIamTestServer();
  table = uniqueTableName('fed');
  tableArn = `arn:aws:dynamodb:us-east-1:${account}:table/${table}`;
  await createTable(t.client, { name: table, partitionKey: ['pk', 'S'] });
  await t.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'a' } } }));
  broker = await createUserWithKey(t.iam, 'broker');
  await t.iam.send(
    new PutUserPolicyCommand({
      UserName: 'broker',
      PolicyName: 'broker',
      PolicyDocument: policy(
        { Effect: 'Allow', Action: 'sts:GetFederationToken', Resource: `arn:aws:sts::${account}:federated-user/*` },
        { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: '*' },
      ),
    }),
  );
});

after(() => t.close());

async function federate(name: string, sessionPolicy?: string, caller: Keys = broker, seconds?: number) {
  const sts = stsClient(t.endpoint, caller);
  try {
    return await sts.send(new GetFederationTokenCommand({ Name: name, ...(sessionPolicy !== undefined ? { Policy: sessionPolicy } : {}), ...(seconds !== undefined ? { DurationSeconds: seconds } : {}) }));
  } finally {
    sts.destroy();
  }
}

const denial = (who: string, action: string, why: string) => `User: ${who} is not authorized to perform: ${action} on resource: ${tableArn} ${why}`;

test('the federated user: its ARN, id and caller identity', async () => {
  const result = await federate('bob', policy({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' }));
  assert.deepEqual(result.FederatedUser, { Arn: fedArn('bob'), FederatedUserId: `${account}:bob` });
  assert.match(result.Credentials!.AccessKeyId!, /^ASIA/);
  const sts = stsClient(t.endpoint, sessionKeys(result.Credentials!));
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  assert.deepEqual([identity.Arn, identity.UserId, identity.Account], [fedArn('bob'), `${account}:bob`, account]);
  sts.destroy();
});

test('permissions are the user\'s policies intersected with the session policy', async () => {
  const result = await federate('carol', policy({ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: tableArn }));
  const client = dynamo(t.endpoint, sessionKeys(result.Credentials!));
  assert.deepEqual((await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'a' } } }))).Item, { pk: { S: 'a' } });
  // The session policy allows PutItem, the user's policies do not.
  const put = await errorOf(client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'b' } } })));
  assert.equal(put.message, denial(fedArn('carol'), 'dynamodb:PutItem', 'because no identity-based policy allows the dynamodb:PutItem action'));
  client.destroy();
  // The user's policies allow Query, the session policy does not.
  const narrow = await federate('dave', policy({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: tableArn }));
  const narrowClient = dynamo(t.endpoint, sessionKeys(narrow.Credentials!));
  const query = await errorOf(narrowClient.send(new GetItemCommand({ TableName: `${table}x`, Key: { pk: { S: 'a' } } })));
  assert.equal(query.message, `User: ${fedArn('dave')} is not authorized to perform: dynamodb:GetItem on resource: ${tableArn}x because no session policy allows the dynamodb:GetItem action`);
  narrowClient.destroy();
});

test('without a session policy the federated user may do nothing, unless a table policy names it', async () => {
  const result = await federate('erin');
  const client = dynamo(t.endpoint, sessionKeys(result.Credentials!));
  const error = await errorOf(client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'a' } } })));
  assert.equal(error.message, denial(fedArn('erin'), 'dynamodb:GetItem', 'because no session policy allows the dynamodb:GetItem action'));
  await t.client.send(
    new PutResourcePolicyCommand({
      ResourceArn: tableArn,
      Policy: policy({ Effect: 'Allow', Principal: { AWS: fedArn('erin') }, Action: 'dynamodb:PutItem', Resource: tableArn }),
    }),
  );
  await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'from-erin' } } }));
  client.destroy();
});

test('the caller needs sts:GetFederationToken; session credentials may not call it', async () => {
  const plain = await createUserWithKey(t.iam, 'no-fed');
  const refused = await errorOf(federate('frank', undefined, plain));
  assert.equal(refused.name, 'AccessDenied');
  assert.equal(
    refused.message,
    `User: arn:aws:iam::${account}:user/no-fed is not authorized to perform: sts:GetFederationToken on resource: ${fedArn('frank')} because no identity-based policy allows the sts:GetFederationToken action`,
  );
  const sts = stsClient(t.endpoint, broker);
  const session = sessionKeys((await sts.send(new GetSessionTokenCommand({}))).Credentials!);
  sts.destroy();
  const chained = await errorOf(federate('frank', undefined, session));
  assert.deepEqual([chained.name, chained.message], ['AccessDenied', 'Cannot call GetFederationToken with session credentials']);
});

test('Name: 2..32 characters of [\\w+=,.@-]; DurationSeconds: 900..129600', async () => {
  await federate('ab');
  await federate('a'.repeat(32));
  const short = await errorOf(federate('a'));
  assert.deepEqual([short.name, short.message], ['ValidationError', "1 validation error detected: Value 'a' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 2"]);
  const long = await errorOf(federate('a'.repeat(33)));
  assert.equal(long.message, `1 validation error detected: Value '${'a'.repeat(33)}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 32`);
  const pattern = await errorOf(federate('a b'));
  assert.equal(pattern.message, "1 validation error detected: Value 'a b' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*");
  const startedMs = Date.now();
  const longest = await federate('longest', undefined, broker, 129600);
  assert.ok(longest.Credentials!.Expiration!.getTime() >= startedMs - 1000 + 129600 * 1000 - 2000);
  await federate('shortest', undefined, broker, 900);
  const over = await errorOf(federate('over', undefined, broker, 129601));
  assert.equal(over.message, "1 validation error detected: Value '129601' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 129600");
  const under = await errorOf(federate('under', undefined, broker, 899));
  assert.equal(under.message, "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900");
});

test('the root may federate; its sessions last at most an hour', async () => {
  const startedMs = Date.now();
  const result = await federate('rooted', policy({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' }), defaultAccessKey, 7200);
  const expires = result.Credentials!.Expiration!.getTime();
  assert.ok(expires <= Date.now() + 3600_000 + 1000 && expires >= startedMs + 3600_000 - 2000);
  const client = dynamo(t.endpoint, sessionKeys(result.Credentials!));
  await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'a' } } }));
  const put = await errorOf(client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'r' } } })));
  assert.equal(put.message, denial(fedArn('rooted'), 'dynamodb:PutItem', 'because no session policy allows the dynamodb:PutItem action'));
  client.destroy();
});

test('federation credentials may call neither IAM nor STS beyond GetCallerIdentity', async () => {
  const keys = sessionKeys((await federate('gina', policy({ Effect: 'Allow', Action: '*', Resource: '*' }))).Credentials!);
  const iam = iamClient(t.endpoint, keys);
  const iamError = await errorOf(iam.send(new ListUsersCommand({})));
  assert.equal(iamError.name, 'InvalidClientTokenId');
  iam.destroy();
  const sts = stsClient(t.endpoint, keys);
  assert.equal((await errorOf(sts.send(new GetSessionTokenCommand({})))).message, 'Cannot call GetSessionToken with session credentials');
  const assume = await errorOf(sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/any`, RoleSessionName: 'x1' })));
  assert.equal(assume.name, 'AccessDenied');
  sts.destroy();
});

test('AWS CLI: aws sts get-federation-token', async () => {
  const env = pythonClientEnv(broker);
  const { stdout } = await run(
    'aws',
    ['sts', 'get-federation-token', '--endpoint-url', t.endpoint, '--name', 'cli-user', '--policy', policy({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' }), '--output', 'json'],
    { env },
  );
  const parsed = JSON.parse(stdout) as { FederatedUser: { Arn: string; FederatedUserId: string }; Credentials: { SessionToken: string } };
  assert.deepEqual(parsed.FederatedUser, { Arn: fedArn('cli-user'), FederatedUserId: `${account}:cli-user` });
  assert.ok(parsed.Credentials.SessionToken.length > 100);
});
