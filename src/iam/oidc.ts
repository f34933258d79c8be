// Web identity tokens (OIDC ID tokens, JWTs) for AssumeRoleWithWebIdentity, verified against the
// issuers configured at start: signature (RS256/384/512, ES256/384 through node:crypto), issuer,
// audience, expiry. An issuer's keys are given inline, fetched from its jwksUri (jwks.ts), or
// both. The claims become condition keys and policy variables named after the provider, e.g.
// cognito-identity.amazonaws.com:sub, accounts.google.com:aud, www.amazon.com:user_id.
import { verify, type JsonWebKey } from 'node:crypto';
import { IamError } from './errors.js';
import { RemoteJwks, signingKey, type SigningKey } from './jwks.js';

export interface OidcProviderConfig {
  /** The issuer, as the tokens' "iss" claim names it: https://cognito-identity.amazonaws.com, https://idp.example.com/realm. */
  url: string;
  /** Accepted audiences ("aud"); empty accepts any (IAM's OIDC providers list client ids). */
  clientIds?: string[];
  /** The issuer's public keys (a JWKS "keys" array). */
  keys?: JsonWebKey[];
  /** Where the issuer publishes its JWKS (https://.../.well-known/jwks.json): fetched and cached. */
  jwksUri?: string;
}

export interface OidcProvider {
  /** The issuer without its scheme: the prefix of its condition keys and its Federated principal name. */
  id: string;
  url: string;
  clientIds: string[];
  keys: SigningKey[];
  remote: RemoteJwks | undefined;
}

export interface VerifiedToken {
  provider: OidcProvider;
  claims: Record<string, unknown>;
  subject: string;
  audience: string;
}

const algorithms: Record<string, { hash: string; ec: boolean }> = {
  RS256: { hash: 'sha256', ec: false },
  RS384: { hash: 'sha384', ec: false },
  RS512: { hash: 'sha512', ec: false },
  ES256: { hash: 'sha256', ec: true },
  ES384: { hash: 'sha384', ec: true },
};

export function providerId(url: string): string {
  return url.replace(/^https:\/\//, '').replace(/\/+$/, '');
}

/** The configured issuers; throws on a key that does not load or an issuer without keys. */
export function loadOidcProviders(configs: readonly OidcProviderConfig[]): OidcProvider[] {
  return configs.map((config) => {
    if (config.keys === undefined && config.jwksUri === undefined) throw new Error(`IAM config: OIDC provider ${config.url}: give keys or a jwksUri`);
    if (config.jwksUri !== undefined && !/^https?:\/\//.test(config.jwksUri)) throw new Error(`IAM config: OIDC provider ${config.url}: jwksUri must be an http(s) URL`);
    const keys = (config.keys ?? []).map((jwk) => {
      const key = signingKey(jwk);
      if (key === undefined) throw new Error(`IAM config: OIDC provider ${config.url}: a key does not load as a signing key`);
      return key;
    });
    return {
      id: providerId(config.url),
      url: config.url.replace(/\/+$/, ''),
      clientIds: config.clientIds ?? [],
      keys,
      remote: config.jwksUri === undefined ? undefined : new RemoteJwks(config.jwksUri),
    };
  });
}

// When no key with the token's key id can be had (inline or from the JWKS), as STS says it.
const keyUnavailable = (): IamError =>
  new IamError('InvalidIdentityToken', "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements");

/** The keys that may have signed a token with key id `kid`: inline ones first, then the issuer's JWKS. */
async function candidateKeys(provider: OidcProvider, kid: string | undefined, nowMs: number): Promise<SigningKey[]> {
  const matches = (entry: SigningKey) => kid === undefined || entry.kid === undefined || entry.kid === kid;
  const inline = provider.keys.filter(matches);
  if (provider.remote === undefined || (inline.length > 0 && kid !== undefined)) return inline;
  let remote: SigningKey[];
  try {
    remote = await provider.remote.keysFor(kid, nowMs);
  } catch {
    if (inline.length > 0) return inline;
    throw keyUnavailable();
  }
  return [...inline, ...remote.filter(matches)];
}

const invalidJwt = (): IamError => new IamError('InvalidIdentityToken', 'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)');

function decodePart(part: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw invalidJwt();
}

export async function verifyWebIdentityToken(token: string, providers: readonly OidcProvider[], nowMs: number): Promise<VerifiedToken> {
  const parts = token.split('.');
  if (parts.length !== 3) throw invalidJwt();
  const header = decodePart(parts[0]!);
  const claims = decodePart(parts[1]!);
  const issuer = typeof claims.iss === 'string' ? claims.iss.replace(/\/+$/, '') : '';
  const provider = providers.find((candidate) => candidate.url === issuer || candidate.id === providerId(issuer));
  if (provider === undefined) {
    throw new IamError('InvalidIdentityToken', `No OpenIDConnect provider found in your account for ${String(claims.iss ?? '')}`);
  }
  const algorithm = typeof header.alg === 'string' ? algorithms[header.alg] : undefined;
  if (algorithm === undefined) throw new IamError('InvalidIdentityToken', 'The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.');
  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  const candidates = await candidateKeys(provider, kid, nowMs);
  if (candidates.length === 0) throw keyUnavailable();
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
  const signature = Buffer.from(parts[2]!, 'base64url');
  const valid = candidates.some((entry) => {
    try {
      return verify(algorithm.hash, signed, algorithm.ec ? { key: entry.key, dsaEncoding: 'ieee-p1363' } : entry.key, signature);
    } catch {
      return false;
    }
  });
  if (!valid) {
    throw new IamError('InvalidIdentityToken', 'The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.');
  }
  const nowSeconds = Math.floor(nowMs / 1000);
  if (typeof claims.exp !== 'number') throw invalidJwt();
  if (nowSeconds >= claims.exp) {
    throw new IamError('ExpiredTokenException', `Token expired: current date/time ${nowSeconds} must be before the expiration date/time ${claims.exp}`);
  }
  if (typeof claims.nbf === 'number' && nowSeconds < claims.nbf) throw invalidJwt();
  const audiences = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud.filter((a): a is string => typeof a === 'string') : [];
  const audience = provider.clientIds.length === 0 ? audiences[0] : audiences.find((candidate) => provider.clientIds.includes(candidate));
  if (audience === undefined) throw new IamError('InvalidIdentityToken', 'Incorrect token audience');
  if (typeof claims.sub !== 'string' || claims.sub === '') throw invalidJwt();
  return { provider, claims, subject: claims.sub, audience };
}

/**
 * The web identity condition keys of a verified token. Every provider gets <id>:sub, <id>:aud
 * and, when the token has them, <id>:amr and <id>:oaud; Login with Amazon and Facebook also
 * get the names IAM documents for them (www.amazon.com:user_id / app_id, graph.facebook.com:id / app_id).
 */
export function webIdentityKeys(token: VerifiedToken): Record<string, string | string[]> {
  const id = token.provider.id;
  const keys: Record<string, string | string[]> = { [`${id}:sub`]: token.subject, [`${id}:aud`]: token.audience };
  const amr = token.claims.amr;
  if (typeof amr === 'string') keys[`${id}:amr`] = amr;
  else if (Array.isArray(amr)) keys[`${id}:amr`] = amr.filter((value): value is string => typeof value === 'string');
  if (typeof token.claims.azp === 'string') keys[`${id}:oaud`] = token.audience;
  if (id === 'www.amazon.com') {
    keys['www.amazon.com:user_id'] = token.subject;
    keys['www.amazon.com:app_id'] = token.audience;
  }
  if (id === 'graph.facebook.com') {
    keys['graph.facebook.com:id'] = token.subject;
    keys['graph.facebook.com:app_id'] = token.audience;
  }
  if (id === 'accounts.google.com' && typeof token.claims.email === 'string') keys['accounts.google.com:email'] = token.claims.email;
  return keys;
}
