// What the STS actions share: durations, issuing a session (stored like an access key, with a
// token and an expiry), the Credentials shape, session policies, and checking the MFA code a
// caller presents (SerialNumber + TokenCode) against its virtual MFA device.
import { IamError } from './errors.js';
import { accessKeyId, secretAccessKey, sessionToken } from './ids.js';
import { liveSessionsMax, sessionPolicyCharsMax } from './limits.js';
import { matchingStep } from './mfa.js';
import { validation } from './params.js';
import { compilePolicy } from './policy.js';
import type { IamContext, QueryCall } from './service.js';
import type { SessionRecord, SessionSubject } from './store.js';
import { isoTime, type XmlValue } from './xml.js';

export type { Action, Result } from './iam-api-common.js';

export function durationSeconds(call: QueryCall, min: number, max: number, fallback: number): number {
  const seconds = call.params.integer('DurationSeconds') ?? fallback;
  if (seconds < min) throw validation(`Value '${seconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to ${min}`);
  if (seconds > max) throw validation(`Value '${seconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
  return seconds;
}

export async function issueSession(
  context: IamContext,
  subject: SessionSubject,
  seconds: number,
  sessionPolicy: string | undefined,
  mfaAuthenticatedAtMs: number | undefined,
): Promise<SessionRecord> {
  const now = context.now();
  const session: SessionRecord = {
    accessKeyId: accessKeyId('ASIA'),
    secretAccessKey: secretAccessKey(),
    sessionToken: sessionToken(),
    expiresAtMs: now + seconds * 1000,
    subject,
    ...(sessionPolicy !== undefined ? { sessionPolicy } : {}),
    ...(mfaAuthenticatedAtMs !== undefined ? { mfaAuthenticatedAtMs } : {}),
  };
  // Expired sessions are dropped as new ones are issued; the live ones are bounded.
  const expired = [...context.store.sessions.values()].filter((old) => old.expiresAtMs <= now - 3600_000);
  if (context.store.sessions.size - expired.length >= liveSessionsMax) {
    throw new IamError('LimitExceeded', `Cannot exceed quota for live sessions: ${liveSessionsMax}`);
  }
  await context.store.commit([[context.store.sessions, session]], expired.slice(0, 1000).map((old) => [context.store.sessions, old] as const));
  return session;
}

export function credentialsShape(session: SessionRecord): Record<string, XmlValue> {
  return {
    AccessKeyId: session.accessKeyId,
    SecretAccessKey: session.secretAccessKey,
    SessionToken: session.sessionToken,
    Expiration: isoTime(session.expiresAtMs),
  };
}

export function sessionPolicyOf(call: QueryCall): string | undefined {
  const policy = call.params.optional('Policy');
  if (policy === undefined) return undefined;
  compilePolicy(policy, 'session', 'session');
  if (policy.replace(/\s/g, '').length > sessionPolicyCharsMax) {
    throw new IamError('PackedPolicyTooLarge', 'Packed policy consumes 100% of allotted space, please use smaller policy.');
  }
  return policy;
}

// STS's answers to MFA codes it cannot accept (the double space is STS's).
const unableToValidate = (): IamError =>
  new IamError('AccessDenied', 'MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.');
// The text as STS sends it, trailing space included (as recorded in client code that matches it exactly).
const invalidCode = (): IamError => new IamError('AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code. ');

/**
 * Checks SerialNumber and TokenCode (both or neither) for the IAM user `userName` of the
 * caller's account and answers when MFA authenticated the caller, or undefined without MFA.
 * A code is accepted once, within one step of now either way.
 */
export function verifyMfaCode(context: IamContext, call: QueryCall, userName: string | undefined): number | undefined {
  const serialNumber = call.params.optional('SerialNumber');
  const tokenCode = call.params.optional('TokenCode');
  if (serialNumber === undefined && tokenCode === undefined) return undefined;
  if (serialNumber !== undefined) checkSerialShape(serialNumber);
  if (tokenCode !== undefined) checkTokenShape(tokenCode);
  // unverified: which of the two texts STS gives when only one of the parameters is sent.
  if (serialNumber === undefined || tokenCode === undefined || userName === undefined) throw unableToValidate();
  const name = serialNumber.slice(serialNumber.lastIndexOf('/') + 1);
  const device = context.store.mfaDevices.get(name);
  if (device === undefined || device.serialNumber !== serialNumber || device.userName?.toLowerCase() !== userName.toLowerCase()) throw unableToValidate();
  const step = matchingStep(device.seedBase32, tokenCode, call.facts.nowMs);
  if (step === undefined || !context.mfaCodes.accept(device.serialNumber, step)) throw invalidCode();
  return call.facts.nowMs;
}

/** STS serialNumberType: 9..256 characters of [\w+=/:,.@-]. */
function checkSerialShape(value: string): void {
  if (value.length < 9 || value.length > 256) {
    throw validation(`Value '${value}' at 'serialNumber' failed to satisfy constraint: Member must have length ${value.length < 9 ? 'greater than or equal to 9' : 'less than or equal to 256'}`);
  }
  if (!/^[\w+=/:,.@-]*$/.test(value)) {
    throw validation(`Value '${value}' at 'serialNumber' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=/:,.@-]*`);
  }
}

/** STS tokenCodeType: exactly 6 digits. */
function checkTokenShape(value: string): void {
  if (value.length !== 6) {
    throw validation(`Value '${value}' at 'tokenCode' failed to satisfy constraint: Member must have length ${value.length < 6 ? 'greater than or equal to 6' : 'less than or equal to 6'}`);
  }
  if (!/^\d*$/.test(value)) throw validation(`Value '${value}' at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\d]*`);
}
