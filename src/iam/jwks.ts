// An OIDC issuer's signing keys fetched from its JWKS document (jwksUri), over HTTP(S), and
// cached. The first token fetches them; a token whose key id the cache lacks fetches them
// again (an issuer rotating its keys), but no sooner than jwksRefetchIntervalMs after the last
// attempt, so a stream of tokens with made-up key ids cannot turn into a stream of fetches.
// Each fetch is bounded in time, bytes and keys.
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { jwksBytesMax, jwksFetchTimeoutMs, jwksKeysMax, jwksRefetchIntervalMs } from './limits.js';

export interface SigningKey {
  kid: string | undefined;
  key: KeyObject;
  alg: string | undefined;
}

/** A JWK as a verification key; undefined for keys that are not for signatures or do not load. */
export function signingKey(jwk: JsonWebKey): SigningKey | undefined {
  if (jwk.use !== undefined && jwk.use !== 'sig') return undefined;
  try {
    return { kid: typeof jwk.kid === 'string' ? jwk.kid : undefined, key: createPublicKey({ key: jwk, format: 'jwk' }), alg: typeof jwk.alg === 'string' ? jwk.alg : undefined };
  } catch {
    return undefined;
  }
}

export class RemoteJwks {
  private keys: SigningKey[] = [];
  private fetched = false;
  private lastAttemptMs: number | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(readonly uri: string) {}

  /**
   * The keys to try for a token with key id `kid` (undefined: any). Fetches when nothing was
   * fetched yet, or when `kid` is unknown and the last attempt is old enough. Throws when the
   * document could never be fetched.
   */
  async keysFor(kid: string | undefined, nowMs: number): Promise<SigningKey[]> {
    const known = kid === undefined || this.keys.some((entry) => entry.kid === kid);
    const due = this.lastAttemptMs === undefined || nowMs - this.lastAttemptMs >= jwksRefetchIntervalMs;
    if ((!this.fetched || !known) && due) {
      this.inFlight ??= this.refresh(nowMs).finally(() => (this.inFlight = undefined));
      await this.inFlight;
    } else if (this.inFlight !== undefined) await this.inFlight;
    if (!this.fetched) throw new Error(`the JWKS at ${this.uri} could not be fetched`);
    return this.keys;
  }

  private async refresh(nowMs: number): Promise<void> {
    this.lastAttemptMs = nowMs;
    try {
      this.keys = parseJwks(await fetchBounded(this.uri));
      this.fetched = true;
    } catch {
      // Keep the keys we have: an issuer briefly unreachable does not invalidate them.
    }
  }
}

async function fetchBounded(uri: string): Promise<string> {
  const response = await fetch(uri, { signal: AbortSignal.timeout(jwksFetchTimeoutMs), redirect: 'follow' });
  if (!response.ok || response.body === null) throw new Error(`JWKS fetch: HTTP ${response.status}`);
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > jwksBytesMax) throw new Error('JWKS too large');
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > jwksBytesMax) throw new Error('JWKS too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJwks(text: string): SigningKey[] {
  const document: unknown = JSON.parse(text);
  const keys = document !== null && typeof document === 'object' ? (document as { keys?: unknown }).keys : undefined;
  if (!Array.isArray(keys)) throw new Error('JWKS without keys');
  const loaded: SigningKey[] = [];
  for (const jwk of keys.slice(0, jwksKeysMax)) {
    if (jwk === null || typeof jwk !== 'object') continue;
    const entry = signingKey(jwk as JsonWebKey);
    if (entry !== undefined) loaded.push(entry);
  }
  return loaded;
}
