// Virtual MFA: RFC 6238 time-based one-time passwords (HMAC-SHA1, 30-second steps, 6 digits,
// the parameters authenticator apps use with IAM's virtual devices), the base32 seed IAM hands
// out, and a guard that accepts each code once (a code AWS has seen is refused as invalid).
import { createHmac, randomBytes } from 'node:crypto';
import { mfaSeedBytes, totpStepSeconds, totpWindowSteps } from './limits.js';

const base32Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding (the seed length is a multiple of 5 bytes). */
export function base32Encode(bytes: Uint8Array): string {
  let text = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      text += base32Alphabet[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) text += base32Alphabet[(buffer << (5 - bits)) & 31];
  return text;
}

export function base32Decode(text: string): Buffer {
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of text.replace(/=+$/, '').toUpperCase()) {
    const value = base32Alphabet.indexOf(char);
    if (value < 0) throw new Error(`not base32: ${char}`);
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((buffer >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/** A new device seed, base32. */
export function newSeed(): string {
  return base32Encode(randomBytes(mfaSeedBytes));
}

/** The RFC 6238 time step of a moment. */
export function totpStep(nowMs: number): number {
  return Math.floor(nowMs / 1000 / totpStepSeconds);
}

/** The 6-digit code of one time step (RFC 4226 HOTP with the step as counter). */
export function totpCode(seedBase32: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const digest = createHmac('sha1', base32Decode(seedBase32)).update(counter).digest();
  const offset = digest[digest.length - 1]! & 0x0f;
  const binary = ((digest[offset]! & 0x7f) << 24) | (digest[offset + 1]! << 16) | (digest[offset + 2]! << 8) | digest[offset + 3]!;
  return String(binary % 1_000_000).padStart(6, '0');
}

/** The step within the accepted window around `nowMs` whose code is `code`, or undefined. */
export function matchingStep(seedBase32: string, code: string, nowMs: number): number | undefined {
  const now = totpStep(nowMs);
  for (let step = now - totpWindowSteps; step <= now + totpWindowSteps; step++) if (totpCode(seedBase32, step) === code) return step;
  return undefined;
}

/** The step of the first of two consecutive codes (EnableMFADevice), or undefined. */
export function consecutiveStep(seedBase32: string, first: string, second: string, nowMs: number): number | undefined {
  const now = totpStep(nowMs);
  for (let step = now - totpWindowSteps - 1; step <= now + totpWindowSteps; step++) {
    if (totpCode(seedBase32, step) === first && totpCode(seedBase32, step + 1) === second) return step;
  }
  return undefined;
}

/**
 * The last step accepted per device: a code is good once. Held in memory (a restart forgets
 * it, which reopens at most the current window); bounded by the account's devices.
 */
export class MfaCodeGuard {
  private readonly lastStep = new Map<string, number>();

  /** Accepts `step` for the device if no later or equal step was accepted before. */
  accept(serialNumber: string, step: number): boolean {
    const last = this.lastStep.get(serialNumber);
    if (last !== undefined && step <= last) return false;
    this.lastStep.set(serialNumber, step);
    return true;
  }

  forget(serialNumber: string): void {
    this.lastStep.delete(serialNumber);
  }
}
