// OIDC issuers whose keys come from a jwksUri: a local HTTP server serves the JWKS documents and
// counts fetches, the TabulaDB server's clock is the test's. Keys are fetched on first use and
// cached; a token with an unknown key id fetches again, but no sooner than 30 s after the last
// attempt; inline keys need no fetch; an unreachable or oversized JWKS is STS's
// "Couldn't retrieve verification key"; the byte and key-count bounds, at and one past.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JsonWebKey } from 'node:crypto';
import { AssumeRoleWithWebIdentityCommand } from '@aws-sdk/client-sts';
import { errorOf } from '../support/errors.js';
import { ManualClock } from '../support/clock.js';
import { oidcIssuer, startIamTestServer, stsClient, type IamTestServer } from './support.js';
import type { OidcProviderConfig } from '../../src/iam/oidc.js';

const account = '000000000000';
const clock = new ManualClock(Date.now());
const keyUnavailable = "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements";

// The JWKS host: each path answers with what `documents` holds for it and counts requests.
const documents = new Map<string, { status: number; body: string }>();
const fetches = new Map<string, number>();
let jwksServer: Server;
let jwksBase: string;

const first = oidcIssuer('key-a');
const second = oidcIssuer('key-b');
const inlineOnly = oidcIssuer('inline');
const jwks = (...keys: JsonWebKey[]) => JSON.stringify({ keys });
/** A JWKS document of exactly `bytes` bytes, padded with an extra member. */
function paddedJwks(bytes: number, key: JsonWebKey): string {
  const head = `{"keys":[${JSON.stringify(key)}],"pad":"`;
  return head + 'x'.repeat(bytes - head.length - 2) + '"}';
}
/** `count` keys, all copies of one public key under other ids, the real id last. */
function manyKeys(count: number, key: JsonWebKey): string {
  return jwks(...Array.from({ length: count - 1 }, (_, i) => ({ ...key, kid: `filler-${i}` })), key);
}

const hosts = ['main', 'exact', 'over', 'keys100', 'keys101', 'down', 'mixed'] as const;
const issuerUrl = (host: string) => `https://${host}.idp.test`;

let t: IamTestServer;

before(async () => {
  jwksServer = createServer((request, response) => {
    const path = request.url ?? '';
    fetches.set(path, (fetches.get(path) ?? 0) + 1);
    const document = documents.get(path) ?? { status: 404, body: 'not found' };
    response.writeHead(document.status, { 'content-type': 'application/json' });
    response.end(document.body);
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  jwksBase = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}`;
  documents.set('/main', { status: 200, body: jwks(first.jwk) });
  documents.set('/exact', { status: 200, body: paddedJwks(1 << 20, first.jwk) });
  documents.set('/over', { status: 200, body: paddedJwks((1 << 20) + 1, first.jwk) });
  documents.set('/keys100', { status: 200, body: manyKeys(100, first.jwk) });
  documents.set('/keys101', { status: 200, body: manyKeys(101, first.jwk) });
  documents.set('/down', { status: 503, body: 'unavailable' });
  documents.set('/mixed', { status: 200, body: jwks(first.jwk) });
  const providers: OidcProviderConfig[] = hosts.map((host) => ({
    url: issuerUrl(host),
    clientIds: ['app'],
    jwksUri: `${jwksBase}/${host}`,
    ...(host === 'mixed' ? { keys: [inlineOnly.jwk] } : {}),
  }));
  t = await startIamTestServer({
    clock,
    iamConfig: {
      oidcProviders: providers,
      roles: [
        {
          roleName: 'Web',
          assumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Federated: hosts.map((host) => `arn:aws:iam::${account}:oidc-provider/${host}.idp.test`) },
                Action: 'sts:AssumeRoleWithWebIdentity',
              },
            ],
          },
        },
      ],
    },
  });
});

after(async () => {
  await t.close();
  await new Promise<void>((resolve) => jwksServer.close(() => resolve()));
});

function assume(issuer: ReturnType<typeof oidcIssuer>, host: string) {
  const nowSeconds = Math.floor(clock.now() / 1000);
  const token = issuer.sign({ iss: issuerUrl(host), aud: 'app', sub: 'user-1', exp: nowSeconds + 600 });
  const sts = stsClient(t.endpoint);
  return sts
    .send(new AssumeRoleWithWebIdentityCommand({ RoleArn: `arn:aws:iam::${account}:role/Web`, RoleSessionName: 'web', WebIdentityToken: token }))
    .finally(() => sts.destroy());
}

test('keys are fetched on first use and cached', async () => {
  const result = await assume(first, 'main');
  assert.equal(result.SubjectFromWebIdentityToken, 'user-1');
  await assume(first, 'main');
  assert.equal(fetches.get('/main'), 1);
});

test('an unknown key id refetches, at most once per 30 seconds', async () => {
  documents.set('/main', { status: 200, body: jwks(first.jwk, second.jwk) });
  // Within 30 s of the first fetch: no new fetch, so the new key is not known yet.
  const early = await errorOf(assume(second, 'main'));
  assert.deepEqual([early.name, early.message], ['InvalidIdentityTokenException', keyUnavailable]);
  assert.equal(fetches.get('/main'), 1);
  clock.advance(30_000);
  await assume(second, 'main');
  assert.equal(fetches.get('/main'), 2);
  // A made-up key id: fetched for once the interval allows, then not again until the next.
  const stranger = oidcIssuer('key-made-up');
  clock.advance(30_000);
  assert.equal((await errorOf(assume(stranger, 'main'))).message, keyUnavailable);
  assert.equal((await errorOf(assume(stranger, 'main'))).message, keyUnavailable);
  assert.equal(fetches.get('/main'), 3);
  // Known keys keep working from the cache.
  await assume(first, 'main');
  assert.equal(fetches.get('/main'), 3);
});

test('a forged token with a known key id is refused as not validated', async () => {
  const forger = oidcIssuer('key-a');
  const error = await errorOf(assume(forger, 'main'));
  assert.equal(error.name, 'InvalidIdentityTokenException');
  assert.match(error.message, /could not be validated/);
});

test('inline keys need no fetch; the JWKS is consulted for the others', async () => {
  await assume(inlineOnly, 'mixed');
  assert.equal(fetches.get('/mixed') ?? 0, 0);
  await assume(first, 'mixed');
  assert.equal(fetches.get('/mixed'), 1);
});

test('an issuer whose JWKS cannot be fetched: STS\'s "Couldn\'t retrieve verification key"', async () => {
  const error = await errorOf(assume(first, 'down'));
  assert.deepEqual([error.name, error.message], ['InvalidIdentityTokenException', keyUnavailable]);
});

test('bounds: a JWKS of 1 MiB is read, one byte more is not; 100 keys are read, the 101st is not', async () => {
  await assume(first, 'exact');
  assert.equal((await errorOf(assume(first, 'over'))).message, keyUnavailable);
  await assume(first, 'keys100');
  assert.equal((await errorOf(assume(first, 'keys101'))).message, keyUnavailable);
});
