// Fine-grained access control through the real SDKs: a Cognito-style web identity assumes a
// role (AssumeRoleWithWebIdentity, JWT verified against the configured issuer) whose policy is
// the canonical one: GetItem/Query/UpdateItem only on items whose partition key is the caller's
// ${cognito-identity.amazonaws.com:sub}, only attributes userId/name/email/preferences, only with
// Select=SPECIFIC_ATTRIBUTES. Allowed and denied requests of every shape, with AWS's texts;
// plus default deny, explicit deny, transactions, expired sessions and the audit trail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchGetItemCommand, DeleteItemCommand, GetItemCommand, ListTablesCommand, PutItemCommand,
  QueryCommand, ScanCommand, TransactGetItemsCommand, UpdateItemCommand, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { AssumeRoleWithWebIdentityCommand } from '@aws-sdk/client-sts';
import { startTestServer, type TestServer } from '../support/server.js';
import { createTable } from '../support/tables.js';
import type { IamConfig } from '../../src/iam/index.js';
import { dynamo, oidcIssuer, sessionKeys, stsClient, type Keys } from './support.js';
import { errorOf } from '../support/errors.js';

const account = '000000000000';
const table = 'Profiles';
const tableArn = `arn:aws:dynamodb:us-east-1:${account}:table/${table}`;
const pool = 'us-east-1:11111111-2222-3333-4444-555555555555';
const issuer = oidcIssuer();
const alice = 'us-east-1:aaaaaaaa-0000-0000-0000-000000000001';
const bob = 'us-east-1:bbbbbbbb-0000-0000-0000-000000000002';

const fineGrainedCondition = {
  'ForAllValues:StringEquals': {
    'dynamodb:LeadingKeys': ['${cognito-identity.amazonaws.com:sub}'],
    'dynamodb:Attributes': ['userId', 'name', 'email', 'preferences'],
  },
  StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
};

const trust = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: 'cognito-identity.amazonaws.com' },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: { 'cognito-identity.amazonaws.com:aud': pool },
        'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
      },
    },
  ],
};

const config: IamConfig = {
  oidcProviders: [{ url: 'https://cognito-identity.amazonaws.com', clientIds: [pool], keys: [issuer.jwk] }],
  roles: [
    {
      roleName: 'AppUser',
      assumeRolePolicyDocument: trust,
      policies: {
        OwnItemsOnly: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'], Resource: [tableArn], Condition: fineGrainedCondition },
          ],
        },
      },
    },
    {
      roleName: 'AppUserBatch',
      assumeRolePolicyDocument: trust,
      policies: {
        OwnItemsBatch: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: ['dynamodb:BatchGetItem', 'dynamodb:GetItem'], Resource: [tableArn], Condition: fineGrainedCondition }],
        },
      },
    },
  ],
  users: [
    { userName: 'nobody', accessKeys: [{ accessKeyId: 'AKIANOBODY0000000001', secretAccessKey: 'nobody-secret' }] },
    {
      userName: 'operator',
      accessKeys: [{ accessKeyId: 'AKIAOPERATOR00000001', secretAccessKey: 'operator-secret' }],
      policies: {
        AllButDelete: {
          Version: '2012-10-17',
          Statement: [
            { Sid: 'Everything', Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' },
            { Sid: 'NoDeletes', Effect: 'Deny', Action: ['dynamodb:DeleteItem', 'dynamodb:DeleteTable'], Resource: tableArn },
          ],
        },
      },
    },
  ],
};

let clockOffsetMs = 0;
let t: TestServer;
let asAlice: DynamoDBClient;
let asAliceBatch: DynamoDBClient;
let aliceArn: string;

async function webIdentitySession(roleName: string, sub: string, sessionName: string): Promise<{ keys: Keys; arn: string }> {
  const token = issuer.sign({
    iss: 'https://cognito-identity.amazonaws.com',
    aud: pool,
    sub,
    amr: ['authenticated', 'cognito-idp.us-east-1.amazonaws.com'],
    iat: Math.floor(Date.now() / 1000),
    exp: Math.floor(Date.now() / 1000) + 600,
  });
  const sts = stsClient(t.endpoint);
  const result = await sts.send(
    new AssumeRoleWithWebIdentityCommand({ RoleArn: `arn:aws:iam::${account}:role/${roleName}`, RoleSessionName: sessionName, WebIdentityToken: token }),
  );
  sts.destroy();
  const credentials = result.Credentials!;
  return {
    keys: sessionKeys(credentials),
    arn: result.AssumedRoleUser!.Arn!,
  };
}

before(async () => {
  t = await startTestServer({ iamConfig: config, clock: { now: () => Date.now() + clockOffsetMs } });
  await createTable(t.client, { name: table, partitionKey: ['userId', 'S'] });
  for (const userId of [alice, bob]) {
    await t.client.send(
      new PutItemCommand({
        TableName: table,
        Item: { userId: { S: userId }, name: { S: `name of ${userId}` }, email: { S: 'e@example.com' }, preferences: { M: {} }, secret: { S: 'hidden' } },
      }),
    );
  }
  const session = await webIdentitySession('AppUser', alice, 'alice-app');
  aliceArn = session.arn;
  asAlice = dynamo(t.endpoint, session.keys);
  asAliceBatch = dynamo(t.endpoint, (await webIdentitySession('AppUserBatch', alice, 'alice-batch')).keys);
});

after(async () => {
  asAlice.destroy();
  asAliceBatch.destroy();
  await t.close();
});

function denied(action: string, resource = tableArn, principal = aliceArn): string {
  return `User: ${principal} is not authorized to perform: dynamodb:${action} on resource: ${resource} because no identity-based policy allows the dynamodb:${action} action`;
}

async function expectDenied(promise: Promise<unknown>, action: string, resource = tableArn): Promise<void> {
  const error = await errorOf(promise);
  assert.equal(error.name, 'AccessDeniedException');
  assert.equal(error.message, denied(action, resource));
}

const names = { '#n': 'name' };

test('the web identity session is the assumed role with the token subject', () => {
  assert.equal(aliceArn, `arn:aws:sts::${account}:assumed-role/AppUser/alice-app`);
});

test('GetItem of the caller\'s own item, allowed attributes only: allowed', async () => {
  const result = await asAlice.send(
    new GetItemCommand({ TableName: table, Key: { userId: { S: alice } }, ProjectionExpression: 'userId, #n, email', ExpressionAttributeNames: names }),
  );
  assert.deepEqual(result.Item, { userId: { S: alice }, name: { S: `name of ${alice}` }, email: { S: 'e@example.com' } });
  const legacy = await asAlice.send(new GetItemCommand({ TableName: table, Key: { userId: { S: alice } }, AttributesToGet: ['preferences'] }));
  assert.deepEqual(legacy.Item, { preferences: { M: {} } });
});

test('GetItem of another user\'s item: denied', async () => {
  await expectDenied(
    asAlice.send(new GetItemCommand({ TableName: table, Key: { userId: { S: bob } }, ProjectionExpression: 'userId, email' })),
    'GetItem',
  );
});

test('GetItem projecting an attribute outside the list: denied', async () => {
  await expectDenied(
    asAlice.send(new GetItemCommand({ TableName: table, Key: { userId: { S: alice } }, ProjectionExpression: 'userId, secret' })),
    'GetItem',
  );
});

test('GetItem without a projection (all attributes): denied', async () => {
  await expectDenied(asAlice.send(new GetItemCommand({ TableName: table, Key: { userId: { S: alice } } })), 'GetItem');
});

test('Query on the caller\'s partition with Select=SPECIFIC_ATTRIBUTES: allowed; without projection or on another partition: denied', async () => {
  const result = await asAlice.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'userId = :me',
      ExpressionAttributeValues: { ':me': { S: alice } },
      ProjectionExpression: 'userId, #n',
      ExpressionAttributeNames: names,
      Select: 'SPECIFIC_ATTRIBUTES',
    }),
  );
  assert.deepEqual(result.Items, [{ userId: { S: alice }, name: { S: `name of ${alice}` } }]);
  await expectDenied(
    asAlice.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'userId = :me', ExpressionAttributeValues: { ':me': { S: alice } } })),
    'Query',
  );
  await expectDenied(
    asAlice.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'userId = :me', ExpressionAttributeValues: { ':me': { S: alice } }, Select: 'ALL_ATTRIBUTES' })),
    'Query',
  );
  await expectDenied(
    asAlice.send(
      new QueryCommand({ TableName: table, KeyConditionExpression: 'userId = :u', ExpressionAttributeValues: { ':u': { S: bob } }, ProjectionExpression: 'userId' }),
    ),
    'Query',
  );
  // A filter on an attribute outside the list names it too.
  await expectDenied(
    asAlice.send(
      new QueryCommand({
        TableName: table, KeyConditionExpression: 'userId = :me', FilterExpression: 'attribute_exists(secret)',
        ExpressionAttributeValues: { ':me': { S: alice } }, ProjectionExpression: 'userId',
      }),
    ),
    'Query',
  );
});

test('Scan is not allowed at all', async () => {
  await expectDenied(asAlice.send(new ScanCommand({ TableName: table, ProjectionExpression: 'userId' })), 'Scan');
});

test('UpdateItem of allowed attributes of the own item: allowed; other attributes or items: denied', async () => {
  await asAlice.send(
    new UpdateItemCommand({
      TableName: table, Key: { userId: { S: alice } }, UpdateExpression: 'SET preferences = :p, email = :e',
      ExpressionAttributeValues: { ':p': { M: { theme: { S: 'dark' } } }, ':e': { S: 'new@example.com' } },
    }),
  );
  const check = await t.client.send(new GetItemCommand({ TableName: table, Key: { userId: { S: alice } } }));
  assert.equal(check.Item!.email!.S, 'new@example.com');
  await expectDenied(
    asAlice.send(new UpdateItemCommand({ TableName: table, Key: { userId: { S: alice } }, UpdateExpression: 'SET secret = :s', ExpressionAttributeValues: { ':s': { S: 'x' } } })),
    'UpdateItem',
  );
  await expectDenied(
    asAlice.send(new UpdateItemCommand({ TableName: table, Key: { userId: { S: alice } }, UpdateExpression: 'REMOVE secret' })),
    'UpdateItem',
  );
  await expectDenied(
    asAlice.send(new UpdateItemCommand({ TableName: table, Key: { userId: { S: bob } }, UpdateExpression: 'SET email = :e', ExpressionAttributeValues: { ':e': { S: 'x' } } })),
    'UpdateItem',
  );
  await expectDenied(
    asAlice.send(
      new UpdateItemCommand({
        TableName: table, Key: { userId: { S: alice } }, UpdateExpression: 'SET email = :e', ConditionExpression: 'secret = :e',
        ExpressionAttributeValues: { ':e': { S: 'x' } },
      }),
    ),
    'UpdateItem',
  );
});

test('actions the policy does not name are denied: PutItem, DeleteItem, BatchGetItem, ListTables', async () => {
  await expectDenied(asAlice.send(new PutItemCommand({ TableName: table, Item: { userId: { S: alice } } })), 'PutItem');
  await expectDenied(asAlice.send(new DeleteItemCommand({ TableName: table, Key: { userId: { S: alice } } })), 'DeleteItem');
  await expectDenied(
    asAlice.send(new BatchGetItemCommand({ RequestItems: { [table]: { Keys: [{ userId: { S: alice } }], ProjectionExpression: 'userId' } } })),
    'BatchGetItem',
  );
  // DynamoDB reports ListTables against the account's table/* ARN.
  await expectDenied(asAlice.send(new ListTablesCommand({})), 'ListTables', `arn:aws:dynamodb:us-east-1:${account}:table/*`);
});

test('BatchGetItem: every key must be the caller\'s; one foreign key denies the batch', async () => {
  const own = await asAliceBatch.send(
    new BatchGetItemCommand({ RequestItems: { [table]: { Keys: [{ userId: { S: alice } }], ProjectionExpression: 'userId, email' } } }),
  );
  assert.equal(own.Responses![table]!.length, 1);
  const error = await errorOf(
    asAliceBatch.send(
      new BatchGetItemCommand({ RequestItems: { [table]: { Keys: [{ userId: { S: alice } }, { userId: { S: bob } }], ProjectionExpression: 'userId' } } }),
    ),
  );
  assert.equal(error.name, 'AccessDeniedException');
  assert.equal(error.message, denied('BatchGetItem', tableArn, `arn:aws:sts::${account}:assumed-role/AppUserBatch/alice-batch`));
});

test('TransactGetItems is authorized per item as GetItem', async () => {
  const get = (userId: string) => ({ Get: { TableName: table, Key: { userId: { S: userId } }, ProjectionExpression: 'userId' } });
  const result = await asAlice.send(new TransactGetItemsCommand({ TransactItems: [get(alice)] }));
  assert.deepEqual(result.Responses![0]!.Item, { userId: { S: alice } });
  await expectDenied(asAlice.send(new TransactGetItemsCommand({ TransactItems: [get(alice), get(bob)] })), 'GetItem');
});

test('a principal without policies is denied everything (default deny)', async () => {
  const nobody = dynamo(t.endpoint, { accessKeyId: 'AKIANOBODY0000000001', secretAccessKey: 'nobody-secret' });
  const principal = `arn:aws:iam::${account}:user/nobody`;
  const error = await errorOf(nobody.send(new GetItemCommand({ TableName: table, Key: { userId: { S: alice } } })));
  assert.equal(error.name, 'AccessDeniedException');
  assert.equal(error.message, denied('GetItem', tableArn, principal));
  const list = await errorOf(nobody.send(new ListTablesCommand({})));
  assert.equal(list.message, denied('ListTables', `arn:aws:dynamodb:us-east-1:${account}:table/*`, principal));
  // Authorization comes before the table lookup: a missing table is still AccessDenied.
  const missing = await errorOf(nobody.send(new GetItemCommand({ TableName: 'NoSuchTable', Key: { userId: { S: alice } } })));
  assert.equal(missing.message, denied('GetItem', `arn:aws:dynamodb:us-east-1:${account}:table/NoSuchTable`, principal));
  nobody.destroy();
});

test('an explicit Deny overrides a broad Allow, with the explicit-deny text', async () => {
  const operator = dynamo(t.endpoint, { accessKeyId: 'AKIAOPERATOR00000001', secretAccessKey: 'operator-secret' });
  const item = await operator.send(new GetItemCommand({ TableName: table, Key: { userId: { S: bob } } }));
  assert.equal(item.Item!.secret!.S, 'hidden');
  const error = await errorOf(operator.send(new DeleteItemCommand({ TableName: table, Key: { userId: { S: bob } } })));
  assert.equal(error.name, 'AccessDeniedException');
  assert.equal(
    error.message,
    `User: arn:aws:iam::${account}:user/operator is not authorized to perform: dynamodb:DeleteItem on resource: ${tableArn} with an explicit deny in an identity-based policy`,
  );
  operator.destroy();
  const audit = t.server.iam.queryAudit({ principal: `arn:aws:iam::${account}:user/operator`, decision: 'ExplicitDeny' });
  assert.equal(audit.length, 1);
  assert.equal(audit[0]!.action, 'dynamodb:DeleteItem');
  assert.equal(audit[0]!.sid, 'NoDeletes');
  assert.equal(audit[0]!.policy, 'user/operator/AllButDelete');
});

test('an unknown session token or a tampered one is UnrecognizedClientException', async () => {
  const session = await webIdentitySession('AppUser', alice, 'tamper');
  const tampered = dynamo(t.endpoint, { ...session.keys, sessionToken: session.keys.sessionToken + 'x' });
  const error = await errorOf(tampered.send(new ListTablesCommand({})));
  assert.equal(error.name, 'UnrecognizedClientException');
  assert.equal(error.message, 'The security token included in the request is invalid.');
  tampered.destroy();
  const missing = dynamo(t.endpoint, { accessKeyId: session.keys.accessKeyId, secretAccessKey: session.keys.secretAccessKey });
  assert.equal((await errorOf(missing.send(new ListTablesCommand({})))).name, 'UnrecognizedClientException');
  missing.destroy();
});

test('an expired session is ExpiredTokenException', async () => {
  const session = await webIdentitySession('AppUser', alice, 'short');
  clockOffsetMs = 2 * 3600 * 1000;
  try {
    const client = dynamo(t.endpoint, session.keys);
    const error = await errorOf(client.send(new GetItemCommand({ TableName: table, Key: { userId: { S: alice } }, ProjectionExpression: 'userId' })));
    assert.equal(error.name, 'ExpiredTokenException');
    assert.equal(error.message, 'The security token included in the request is expired');
    client.destroy();
  } finally {
    clockOffsetMs = 0;
  }
});

test('web identity tokens are verified: wrong audience, bad signature, expired, unknown issuer', async () => {
  const sts = stsClient(t.endpoint);
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: 'https://cognito-identity.amazonaws.com', aud: pool, sub: alice, amr: ['authenticated'], exp: now + 600 };
  const assume = (token: string) =>
    sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: `arn:aws:iam::${account}:role/AppUser`, RoleSessionName: 's1', WebIdentityToken: token }));
  const audience = await errorOf(assume(issuer.sign({ ...claims, aud: 'other' })));
  assert.equal(audience.name, 'InvalidIdentityTokenException');
  assert.equal(audience.message, 'Incorrect token audience');
  const forged = await errorOf(assume(oidcIssuer().sign(claims)));
  assert.equal(forged.name, 'InvalidIdentityTokenException');
  const expired = await errorOf(assume(issuer.sign({ ...claims, exp: now - 10 })));
  assert.equal(expired.name, 'ExpiredTokenException');
  const unknown = await errorOf(assume(issuer.sign({ ...claims, iss: 'https://elsewhere.example.com' })));
  assert.equal(unknown.message, 'No OpenIDConnect provider found in your account for https://elsewhere.example.com');
  // The trust policy requires amr "authenticated".
  const guest = await errorOf(assume(issuer.sign({ ...claims, amr: ['unauthenticated'] })));
  assert.equal(guest.name, 'AccessDenied');
  assert.equal(guest.message, 'Not authorized to perform sts:AssumeRoleWithWebIdentity');
  sts.destroy();
});

test('a request with broken expressions is refused with DynamoDB\'s ValidationException, never run without its keys', async () => {
  const request = () => new GetItemCommand({ TableName: table, Key: { userId: { S: alice } }, ProjectionExpression: 'userId, #undefined' });
  const fromRoot = await errorOf(t.client.send(request()));
  assert.equal(fromRoot.name, 'ValidationException');
  const fromAlice = await errorOf(asAlice.send(request()));
  assert.deepEqual([fromAlice.name, fromAlice.message], [fromRoot.name, fromRoot.message]);
  const nobody = dynamo(t.endpoint, { accessKeyId: 'AKIANOBODY0000000001', secretAccessKey: 'nobody-secret' });
  assert.equal((await errorOf(nobody.send(request()))).name, 'AccessDeniedException');
  nobody.destroy();
});
