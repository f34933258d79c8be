// Helpers for IAM tests: a server with an IAM client for the account root, users with access
// keys, OIDC tokens signed with a generated RSA key, and clients for any credentials.
import { createSign, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient, type Credentials } from '@aws-sdk/client-sts';
import { startTestServer, type TestServer } from '../support/server.js';
import { defaultAccessKey, type TabulaOptions } from '../../src/server/tabula.js';

export interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export function dynamo(endpoint: string, credentials: Keys): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
}

export function iamClient(endpoint: string, credentials: Keys): IAMClient {
  return new IAMClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
}

export interface IamTestServer extends TestServer {
  /** Signed as the account root, which may call every IAM action. */
  iam: IAMClient;
}

export async function startIamTestServer(options: TabulaOptions = {}): Promise<IamTestServer> {
  const server = await startTestServer(options);
  const iam = iamClient(server.endpoint, defaultAccessKey);
  return {
    ...server,
    iam,
    async close() {
      iam.destroy();
      await server.close();
    },
  };
}

/** Creates an IAM user with one access key and answers the key. */
export async function createUserWithKey(iam: IAMClient, userName: string): Promise<Keys> {
  await iam.send(new CreateUserCommand({ UserName: userName }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: userName }))).AccessKey!;
  return { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
}

/** The keys of STS temporary credentials. */
export function sessionKeys(credentials: Credentials): Keys {
  return { accessKeyId: credentials.AccessKeyId!, secretAccessKey: credentials.SecretAccessKey!, sessionToken: credentials.SessionToken! };
}

/** Assumes `roleArn` as `caller` and answers the session's keys. */
export async function assumeRole(endpoint: string, caller: Keys, roleArn: string, sessionName: string): Promise<Keys> {
  const sts = stsClient(endpoint, caller);
  try {
    return sessionKeys((await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName }))).Credentials!);
  } finally {
    sts.destroy();
  }
}

export function stsClient(endpoint: string, credentials?: Keys): STSClient {
  return new STSClient({
    endpoint,
    region: 'us-east-1',
    maxAttempts: 1,
    // Web-identity calls are unsigned; the SDK still wants a provider it never calls.
    credentials: credentials ?? (async () => { throw new Error('no credentials'); }),
  });
}

/** An OIDC issuer: its public JWK and a function that signs ID tokens. */
export function oidcIssuer(kid = 'test-key'): { jwk: JsonWebKey; sign(claims: Record<string, unknown>): string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  return {
    jwk,
    sign(claims) {
      const header = Buffer.from(JSON.stringify({ alg: 'RS256', kid, typ: 'JWT' })).toString('base64url');
      const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
      const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(privateKey).toString('base64url');
      return `${header}.${payload}.${signature}`;
    },
  };
}
