// ExecuteStatement's NextToken: opaque to clients, it carries where the read stopped (which of
// the statement's Queries, and that Query's LastEvaluatedKey) and a fingerprint of the
// statement and its parameters, so a token is refused by any other request ("NextToken does
// not match request", as DynamoDB answers a token replayed against another statement).
import { createHash } from 'node:crypto';
import type { AttributeValue, Item } from '../model/attribute-value.js';
import { messages, semantic } from './messages.js';

export interface PagePosition {
  /** Which of the statement's reads (one per partition key value of an IN list) to resume. */
  part: number;
  /** That read's ExclusiveStartKey; absent to start the part from its beginning. */
  startKey?: Item;
}

interface TokenBody {
  f: string;
  p: number;
  k?: Item;
}

export function requestFingerprint(statement: string, parameters: readonly AttributeValue[]): string {
  return createHash('sha256').update(statement).update('\u0000').update(JSON.stringify(parameters)).digest('base64url').slice(0, 22);
}

export function encodeNextToken(fingerprint: string, position: PagePosition): string {
  const body: TokenBody = { f: fingerprint, p: position.part };
  if (position.startKey !== undefined) body.k = position.startKey;
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64');
}

export function decodeNextToken(token: string, fingerprint: string): PagePosition {
  let body: TokenBody;
  try {
    body = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as TokenBody;
  } catch {
    throw semantic(messages.invalidNextToken);
  }
  const wellFormed =
    body !== null && typeof body === 'object' && typeof body.f === 'string' && Number.isInteger(body.p) && body.p >= 0 &&
    (body.k === undefined || (body.k !== null && typeof body.k === 'object' && !Array.isArray(body.k)));
  if (!wellFormed) throw semantic(messages.invalidNextToken);
  if (body.f !== fingerprint) throw semantic(messages.nextTokenMismatch);
  return body.k === undefined ? { part: body.p } : { part: body.p, startKey: body.k };
}
