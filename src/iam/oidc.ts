// Web identity tokens (OIDC ID tokens, JWTs) for AssumeRoleWithWebIdentity, verified against the
// issuers configured at start: signature (RS256/384/512, ES256/384 through node:crypto), issuer,
// audience, expiry. The claims become condition keys and policy variables named after the
// provider, e.g. cognito-identity.amazonaws.com:sub, accounts.google.com:aud, www.amazon.com:user_id.
import { createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { IamError } from './errors.js';

export interface OidcProviderConfig {
  /** The issuer, as the tokens' "iss" claim names it: https://cognito-identity.amazonaws.com, https://idp.example.com/realm. */
  url: string;
  /** Accepted audiences ("aud"); empty accepts any (IAM's OIDC providers list client ids). */
  clientIds?: string[];
  /** The issuer's public keys (a JWKS "keys" array). */
  keys: JsonWebKey[];
}

export interface OidcProvider {
  /** The issuer without its scheme: the prefix of its condition keys and its Federated principal name. */
  id: string;
  url: string;
  clientIds: string[];
  keys: Array<{ kid: string | undefined; key: KeyObject; alg: string | undefined }>;
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

export function loadOidcProviders(configs: readonly OidcProviderConfig[]): OidcProvider[] {
  return configs.map((config) => ({
    id: providerId(config.url),
    url: config.url.replace(/\/+$/, ''),
    clientIds: config.clientIds ?? [],
    keys: config.keys.map((jwk) => ({
      kid: typeof jwk.kid === 'string' ? jwk.kid : undefined,
      key: createPublicKey({ key: jwk, format: 'jwk' }),
      alg: typeof jwk.alg === 'string' ? jwk.alg : undefined,
    })),
  }));
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

export function verifyWebIdentityToken(token: string, providers: readonly OidcProvider[], nowMs: number): VerifiedToken {
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
  const candidates = provider.keys.filter((entry) => kid === undefined || entry.kid === undefined || entry.kid === kid);
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
