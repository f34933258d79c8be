// AWS Signature Version 4 (header form) verification, with the real service's error texts.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { DynamoError } from '../model/errors.js';
import { signatureSkewMsMax } from '../model/limits.js';
import type { Credential, CredentialStore, Principal } from './credentials.js';

export interface SignedRequest {
  method: string;
  /** Path and query as received, e.g. "/" or "/?a=b". */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const authorizationPattern =
  /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)\s*$/;
const amzDatePattern = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const signatureMismatch =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** The services a DynamoDB endpoint request may be signed for. */
export const dynamodbServices: readonly string[] = ['dynamodb'];

/**
 * Verifies the request's signature and returns who signed it. `services` are the credential
 * scopes this endpoint answers for: DynamoDB requests are signed for "dynamodb"; the IAM and
 * STS Query APIs for "iam" and "sts", which may also be signed for us-east-1 (their global
 * endpoints' signing region).
 */
export function verifySignature(
  request: SignedRequest,
  credentials: CredentialStore,
  region: string,
  nowMs: number,
  services: readonly string[] = dynamodbServices,
): Principal {
  const authorization = request.headers.authorization;
  if (authorization === undefined) {
    throw new DynamoError('MissingAuthenticationTokenException', 'Request is missing Authentication Token');
  }
  const match = authorizationPattern.exec(authorization);
  if (!match) throw incomplete(authorization);
  const [, credential, signedHeaders, signature] = match as unknown as [string, string, string, string];
  const scope = credential.split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request') {
    throw new DynamoError(
      'IncompleteSignatureException',
      `Credential should be scoped to a valid region, not '${scope[2] ?? ''}'. `,
    );
  }
  const [accessKeyId, scopeDate, scopeRegion, scopeService] = scope as [string, string, string, string];
  const known = credentials.find(accessKeyId);
  if (!known) {
    throw new DynamoError('UnrecognizedClientException', 'The security token included in the request is invalid.');
  }
  const globalService = scopeService === 'iam' || scopeService === 'sts';
  if (scopeRegion !== region && !(globalService && scopeRegion === 'us-east-1')) {
    throw new DynamoError('InvalidSignatureException', `Credential should be scoped to a valid region, not '${scopeRegion}'. `);
  }
  if (!services.includes(scopeService)) {
    throw new DynamoError('InvalidSignatureException', `Credential should be scoped to correct service: '${services[0]}'. `);
  }
  checkSessionToken(request.headers, known, nowMs);
  const amzDate = headerValue(request.headers, 'x-amz-date') ?? '';
  const signedAtMs = parseAmzDate(amzDate);
  if (signedAtMs === undefined) {
    throw new DynamoError(
      'IncompleteSignatureException',
      `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${authorization}`,
    );
  }
  checkSkew(amzDate, signedAtMs, nowMs);
  if (!amzDate.startsWith(scopeDate)) throw new DynamoError('InvalidSignatureException', signatureMismatch);

  const expected = computeSignature(
    request, signedHeaders, amzDate, scope.slice(1).join('/'), known.secretAccessKey, scopeDate, scopeRegion, scopeService,
  );
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new DynamoError('InvalidSignatureException', signatureMismatch);
  }
  return known.principal;
}

/** The service named in the request's credential scope ("dynamodb", "iam", "sts"), if any. */
export function signedService(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (authorization === undefined) return undefined;
  const match = authorizationPattern.exec(authorization);
  return match ? match[1]!.split('/')[3] : undefined;
}

/**
 * Temporary credentials carry their session token in x-amz-security-token; a long-term key
 * must not. A wrong or missing token reads as an unknown key, as AWS reports it.
 */
function checkSessionToken(headers: IncomingHttpHeaders, known: Credential, nowMs: number): void {
  const token = headerValue(headers, 'x-amz-security-token');
  if (known.sessionToken === undefined) {
    if (token !== undefined) throw invalidToken();
    return;
  }
  if (token !== known.sessionToken) throw invalidToken();
  if (known.expiresAtMs !== undefined && nowMs >= known.expiresAtMs) {
    throw new DynamoError('ExpiredTokenException', 'The security token included in the request is expired');
  }
}

function invalidToken(): DynamoError {
  return new DynamoError('UnrecognizedClientException', 'The security token included in the request is invalid.');
}

function incomplete(authorization: string): DynamoError {
  const parts = ['Credential', 'SignedHeaders', 'Signature'].filter((name) => !authorization.includes(`${name}=`));
  const text = parts.length
    ? parts.map((name) => `Authorization header requires '${name}' parameter.`).join(' ')
    : 'Authorization header requires \'Credential\' parameter.';
  return new DynamoError('IncompleteSignatureException', `${text} Authorization=${authorization}`);
}

function checkSkew(amzDate: string, signedAtMs: number, nowMs: number): void {
  if (signedAtMs < nowMs - signatureSkewMsMax) {
    throw new DynamoError(
      'InvalidSignatureException',
      `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(nowMs - signatureSkewMsMax)} (${formatAmzDate(nowMs)} - 15 min.)`,
    );
  }
  if (signedAtMs > nowMs + signatureSkewMsMax) {
    throw new DynamoError(
      'InvalidSignatureException',
      `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(nowMs + signatureSkewMsMax)} (${formatAmzDate(nowMs)} + 15 min.)`,
    );
  }
}

function computeSignature(
  request: SignedRequest,
  signedHeaders: string,
  amzDate: string,
  scope: string,
  secret: string,
  scopeDate: string,
  region: string,
  service: string,
): Buffer {
  const queryStart = request.url.indexOf('?');
  const path = queryStart < 0 ? request.url : request.url.slice(0, queryStart);
  const query = queryStart < 0 ? '' : canonicalQuery(request.url.slice(queryStart + 1));
  const names = signedHeaders.split(';');
  let canonicalHeaders = '';
  for (const name of names) canonicalHeaders += `${name}:${canonicalHeaderValue(request.headers[name])}\n`;
  // The body's own hash, never the client's x-amz-content-sha256 claim: a request whose body
  // was changed after signing must fail the signature check.
  const payloadHash = sha256Hex(request.body);
  const canonicalRequest = [request.method, canonicalPath(path), query, canonicalHeaders, signedHeaders, payloadHash].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = deriveSigningKey(secret, scopeDate, region, service);
  return createHmac('sha256', signingKey).update(stringToSign).digest();
}

// Signing keys change once a day per secret: cache them rather than run four HMACs per request.
const signingKeyCache = new Map<string, Buffer>();
const signingKeyCacheMax = 1024;

function deriveSigningKey(secret: string, date: string, region: string, service: string): Buffer {
  const cacheKey = `${secret}\u0000${date}\u0000${region}\u0000${service}`;
  let key = signingKeyCache.get(cacheKey);
  if (key) return key;
  const dateKey = createHmac('sha256', `AWS4${secret}`).update(date).digest();
  const regionKey = createHmac('sha256', dateKey).update(region).digest();
  const serviceKey = createHmac('sha256', regionKey).update(service).digest();
  key = createHmac('sha256', serviceKey).update('aws4_request').digest();
  if (signingKeyCache.size >= signingKeyCacheMax) signingKeyCache.clear();
  signingKeyCache.set(cacheKey, key);
  return key;
}

function canonicalHeaderValue(value: string | string[] | undefined): string {
  if (value === undefined) return '';
  const joined = Array.isArray(value) ? value.join(',') : value;
  return joined.trim().replace(/\s+/g, ' ');
}

function canonicalPath(path: string): string {
  // DynamoDB is always called on "/"; encode each segment as SigV4 requires for other paths.
  return path
    .split('/')
    .map((segment) => encodeRfc3986(decodeURIComponentSafe(segment)))
    .join('/');
}

function canonicalQuery(query: string): string {
  if (query === '') return '';
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      const value = eq < 0 ? '' : pair.slice(eq + 1);
      return [encodeRfc3986(decodeURIComponentSafe(name)), encodeRfc3986(decodeURIComponentSafe(value))] as const;
    })
    .sort((a, b) => (a[0] === b[0] ? compareAscii(a[1], b[1]) : compareAscii(a[0], b[0])))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

function compareAscii(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function parseAmzDate(text: string): number | undefined {
  const m = amzDatePattern.exec(text);
  if (!m) return undefined;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

export function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
