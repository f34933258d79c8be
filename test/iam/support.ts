// Helpers for IAM tests: OIDC tokens signed with a generated RSA key, clients for any
// credentials, and error capture.
import { createSign, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';

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

export function stsClient(endpoint: string, credentials?: Keys): STSClient {
  return new STSClient({
    endpoint,
    region: 'us-east-1',
    maxAttempts: 1,
    // Web-identity calls are unsigned; the SDK still wants a provider it never calls.
    credentials: credentials ?? (async () => { throw new Error('no credentials'); }),
  });
}

export async function errorOf(promise: Promise<unknown>): Promise<{ name: string; message: string; $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as { name: string; message: string };
  }
  throw new Error('expected the request to fail');
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
