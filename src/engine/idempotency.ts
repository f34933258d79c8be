// ClientRequestToken idempotency for TransactWriteItems: a token is remembered for 10 minutes
// after the transaction that used it committed, together with a fingerprint of the request.
// A retry with the same token and the same request succeeds without writing again; the same
// token with a different request is IdempotentParameterMismatchException.
//
// Key space 0x03 (space.transactionTokens), two kinds of entries:
//   0x03 0x00 <token UTF-8>                      -> TokenRecord
//   0x03 0x01 <expiresAt ms, 8 bytes BE> <token> -> true   (expiry order, for purging)
// Tokens are at most 36 characters, so both keys are far below the store's key limit.
// Everything runs inside the caller's write transaction, so the check, the writes and the
// record commit together: no "transaction in progress" state is ever visible.
import { createHash } from 'node:crypto';
import { expiredTokensPurgedPerWriteMax, idempotencyWindowMs } from '../model/limits.js';
import type { KvTransaction } from '../storage/index.js';
import { space } from './storage-keys.js';

const recordTag = 0x00;
const expiryTag = 0x01;

export interface TokenRecord {
  /** Digest of the request's content (everything that must match on a retry). */
  fingerprint: string;
  /** Clock time (ms) after which the token is treated as new. */
  expiresAt: number;
}

export type TokenLookup =
  | { state: 'new' }
  | { state: 'replay' }
  | { state: 'mismatch' };

function recordKey(token: string): Buffer {
  return Buffer.concat([Buffer.of(space.transactionTokens, recordTag), Buffer.from(token, 'utf8')]);
}

function expiryKey(expiresAt: number, token: string): Buffer {
  const prefix = Buffer.alloc(10);
  prefix[0] = space.transactionTokens;
  prefix[1] = expiryTag;
  prefix.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(expiresAt))), 2);
  return Buffer.concat([prefix, Buffer.from(token, 'utf8')]);
}

/** Whether `token` is unused (or expired), a replay of the same request, or a mismatch. */
export function lookupToken(tx: KvTransaction, token: string, fingerprint: string, now: number): TokenLookup {
  const record = tx.get(recordKey(token)) as TokenRecord | undefined;
  if (record === undefined || record.expiresAt <= now) return { state: 'new' };
  return record.fingerprint === fingerprint ? { state: 'replay' } : { state: 'mismatch' };
}

/**
 * Remembers `token` for the idempotency window (call after the transaction's writes, in the
 * same store transaction), replacing an expired record, and purges a few expired tokens.
 */
export function recordToken(tx: KvTransaction, token: string, fingerprint: string, now: number): void {
  const key = recordKey(token);
  const previous = tx.get(key) as TokenRecord | undefined;
  if (previous !== undefined) tx.delete(expiryKey(previous.expiresAt, token));
  const record: TokenRecord = { fingerprint, expiresAt: now + idempotencyWindowMs };
  tx.put(key, record);
  tx.put(expiryKey(record.expiresAt, token), true);
  purgeExpiredTokens(tx, now, expiredTokensPurgedPerWriteMax);
}

/** Deletes up to `limit` tokens whose window ended at or before `now`. */
export function purgeExpiredTokens(tx: KvTransaction, now: number, limit: number): number {
  const start = Buffer.of(space.transactionTokens, expiryTag);
  const end = expiryKey(now + 1, '');
  const expired: Buffer[] = [];
  for (const { key } of tx.range({ start, end, limit })) expired.push(Buffer.from(key));
  for (const key of expired) {
    const token = key.subarray(10).toString('utf8');
    const record = tx.get(recordKey(token)) as TokenRecord | undefined;
    // The record may have been renewed since; only drop it if this entry is its expiry.
    if (record !== undefined && expiryKey(record.expiresAt, token).equals(key)) tx.delete(recordKey(token));
    tx.delete(key);
  }
  return expired.length;
}

/**
 * A digest of a request's content that ignores JSON member order (DynamoDB compares the
 * request, not its serialization). List order matters.
 */
export function requestFingerprint(content: unknown): string {
  return createHash('sha256').update(canonicalJson(content)).digest('base64');
}

function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.keys(value as Record<string, unknown>)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}
