// IAM's identifiers: unique ids (AIDA users, AROA roles, AGPA groups, ANPA policies), access
// key ids (AKIA long-term, ASIA temporary), secrets and session tokens, from the CSPRNG.
import { randomBytes } from 'node:crypto';

const idAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A prefix and 17 characters of [A-Z2-7], 21 characters in all, like AIDAJQABLZS4A3QDU576Q. */
export function uniqueId(prefix: 'AIDA' | 'AROA' | 'AGPA' | 'ANPA'): string {
  return prefix + randomText(17);
}

/** 20 characters: AKIA or ASIA and 16 of [A-Z2-7]. */
export function accessKeyId(prefix: 'AKIA' | 'ASIA'): string {
  return prefix + randomText(16);
}

/** 40 characters of base64, as AWS secrets look. */
export function secretAccessKey(): string {
  return randomBytes(30).toString('base64');
}

export function sessionToken(): string {
  return 'IQoJb3JpZ2luX2VjE' + randomBytes(192).toString('base64');
}

function randomText(length: number): string {
  const bytes = randomBytes(length);
  let text = '';
  for (const byte of bytes) text += idAlphabet[byte & 31];
  return text;
}
