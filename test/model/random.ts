// Seeded random values for the property tests in this folder: numbers in DynamoDB's range,
// strings across the UTF-16/UTF-8 order boundary, binaries rich in 0x00 and 0xFF.
// A fixed seed keeps failures reproducible; set MODEL_TEST_SEED to explore other seeds.
import { seededRandom } from '../support/random.js';

export function randomSource(seed = Number(process.env['MODEL_TEST_SEED'] ?? 20240611)): () => number {
  return seededRandom(seed);
}

export function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** A valid DynamoDB number in scientific notation, often sharing digits or exponents. */
export function randomNumberText(random: () => number): string {
  if (random() < 0.05) return '0';
  const digitCount = random() < 0.5 ? randomInt(random, 1, 3) : randomInt(random, 1, 38);
  let digits = String(randomInt(random, 1, 9));
  for (let i = 1; i < digitCount; i++) digits += String(random() < 0.3 ? 0 : randomInt(random, 0, 9));
  const exponent = random() < 0.5 ? randomInt(random, -3, 3) : randomInt(random, -130, 125);
  const sign = random() < 0.5 ? '-' : '';
  return `${sign}${digits[0]}.${digits.slice(1) || '0'}e${exponent}`;
}

const alphabet = [0x00, 0x01, 0x41, 0x61, 0x7f, 0x80, 0xe9, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xfffd, 0xffff, 0x10000, 0x1f600, 0x10ffff];

/** Short strings from an alphabet at the code point boundaries, with shared prefixes. */
export function randomString(random: () => number): string {
  const length = randomInt(random, 0, 6);
  let text = '';
  for (let i = 0; i < length; i++) text += String.fromCodePoint(alphabet[randomInt(random, 0, alphabet.length - 1)]!);
  return text;
}

/** Short byte strings over 00, 01, 7F, 80, FE, FF, base64-encoded as on the wire. */
export function randomBinary(random: () => number): string {
  const bytes = [0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff];
  const length = randomInt(random, 0, 6);
  const buffer = Buffer.alloc(length);
  for (let i = 0; i < length; i++) buffer[i] = bytes[randomInt(random, 0, bytes.length - 1)]!;
  return buffer.toString('base64');
}

/** A number's exact value times 10^200, as a BigInt: the oracle for order and sums. */
export function scaledNumber(text: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text);
  if (match === null) throw new Error(`oracle cannot read ${text}`);
  const digits = match[2]! + (match[3] ?? '');
  const exponent = Number(match[4] ?? 0) - (match[3] ?? '').length + 200; // shift to >= 0
  const value = BigInt(digits) * 10n ** BigInt(exponent);
  return match[1] === '-' ? -value : value;
}

/** Exact order of two numbers, computed with BigInt as an oracle. */
export function compareNumberTextsExactly(a: string, b: string): number {
  const difference = scaledNumber(a) - scaledNumber(b);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}
