// Exact decimal numbers as DynamoDB stores them: up to 38 significant digits, leading-digit
// exponent from -130 to +125. Never converted to JS floats: parsed into digits + exponent,
// compared digit-wise, and added with BigInt on aligned coefficients.
//
// DynamoDB runs one of two validation layers depending on the operation, and they word a bad
// number differently (captured against AWS, 2026-10, paritysuite/dynamodb-conformance
// tests/tier3/error-messages/valueLayers.test.ts):
//   current  PutItem, UpdateItem, DeleteItem, GetItem, BatchGetItem, Query. The exponent is read
//            as a 64-bit integer and range-checked exactly; an empty number echoes ": ".
//   legacy   BatchWriteItem, TransactWriteItems, TransactGetItems, Scan, PartiQL parameters.
//            Java BigDecimal semantics: exponent and scale must fit 32 bits, and the magnitude
//            check (precision - scale) wraps in 32-bit arithmetic; an empty number has no colon.
import { validationError } from './errors.js';
import { numberExponentMax, numberExponentMin, numberPrecisionDigitsMax } from './limits.js';

/** Which of DynamoDB's two value-validation layers an operation runs (see above). */
export type ValidationLayer = 'current' | 'legacy';

/**
 * A parsed number. `digits` holds the significant digits without leading or trailing zeros
 * ('' for zero); `exponent` is the power of ten of the first digit (scientific notation).
 * Zero is { negative: false, digits: '', exponent: 0 }.
 */
export interface DecimalParts {
  negative: boolean;
  digits: string;
  exponent: number;
}

const zeroParts: DecimalParts = Object.freeze({ negative: false, digits: '', exponent: 0 });

// The grammar of Java's BigDecimal(String), which DynamoDB accepts: optional sign, digits with an
// optional point (".5" and "5." both parse), optional exponent. No spaces, NaN, Infinity or hex.
const numberPattern = /^([+-])?(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:[eE]([+-]?)(\d+))?$/;
const leadingZeros = /^0+/;
const trailingZeros = /0+$/;
const int32Max = 2147483647;
const int32Min = -2147483648;
// Decimal digits of 2^63: an exponent literal longer than this cannot be a 64-bit integer.
const int64PositiveMax = '9223372036854775807';
const int64NegativeMax = '9223372036854775808';
// Past this many digits the exponent alone decides the direction: no digit string in a
// 16 MB request can move the leading exponent by 10^15.
const exponentDigitsDecisive = 15;

// Message texts, verified against DynamoDB captures (dynalite, ScyllaDB alternator and
// paritysuite conformance suites); the "1 validation error detected: " envelope that some
// operations add is the caller's business.
const notNumericMessage = 'The parameter cannot be converted to a numeric value';
const precisionMessage = `Attempting to store more than ${numberPrecisionDigitsMax} significant digits in a Number`;
const overflowMessage =
  'Number overflow. Attempting to store a number with magnitude larger than supported range';
const underflowMessage =
  'Number underflow. Attempting to store a number with magnitude smaller than supported range';

function notNumeric(text: string, layer: ValidationLayer): Error {
  if (text === '' && layer === 'legacy') return validationError(notNumericMessage);
  return validationError(`${notNumericMessage}: ${text}`);
}

/** True when the unsigned digit string `digits` (no leading zeros) exceeds `max` numerically. */
function exceeds(digits: string, max: string): boolean {
  return digits.length > max.length || (digits.length === max.length && digits > max);
}

/**
 * Reads the exponent literal as the layer does; returns undefined when it cannot be converted.
 * The current layer reads a 64-bit integer; the legacy layer a 32-bit one.
 */
function readExponent(sign: string, text: string, layer: ValidationLayer): number | undefined {
  const digits = text.replace(leadingZeros, '');
  if (digits === '') return 0;
  const negative = sign === '-';
  if (layer === 'current') {
    if (exceeds(digits, negative ? int64NegativeMax : int64PositiveMax)) return undefined;
    // Inexact past 2^53, which cannot change any range decision (see exponentDigitsDecisive).
    const magnitude = Number(digits);
    return negative ? -magnitude : magnitude;
  }
  const value = negative ? -Number(digits) : Number(digits);
  return value < int32Min || value > int32Max ? undefined : value;
}

interface ScannedNumber {
  parts: DecimalParts;
  /** Exponent the range check applies: the leading digit's, or for zero the written one. */
  rangeExponent: number;
}

/** Parses client text as the layer does, without range checks. */
function scanNumber(text: string, layer: ValidationLayer): ScannedNumber {
  const match = numberPattern.exec(text);
  if (match === null) throw notNumeric(text, layer);
  const integerPart = match[2] ?? '';
  const fractionPart = match[3] ?? match[4] ?? '';
  const exponentLiteral = match[6] === undefined ? 0 : readExponent(match[5] ?? '', match[6], layer);
  if (exponentLiteral === undefined) throw notNumeric(text, layer);
  const allDigits = integerPart + fractionPart;
  const withoutLeading = allDigits.replace(leadingZeros, '');
  if (layer === 'legacy') return scanLegacy(text, match[1] === '-', withoutLeading, fractionPart.length, exponentLiteral);
  if (withoutLeading === '') return { parts: zeroParts, rangeExponent: exponentLiteral - fractionPart.length };
  const leadingZeroCount = allDigits.length - withoutLeading.length;
  const exponent = integerPart.length - 1 - leadingZeroCount + exponentLiteral;
  const parts = { negative: match[1] === '-', digits: withoutLeading.replace(trailingZeros, ''), exponent };
  return { parts, rangeExponent: exponent };
}

/**
 * BigDecimal's reading: scale = fraction digits - exponent must fit 32 bits, and the magnitude
 * test uses precision - scale computed in 32-bit arithmetic, so "1e2147483647" wraps to an
 * underflow (captured on AWS for the legacy layer).
 */
function scanLegacy(
  text: string,
  negative: boolean,
  unscaledDigits: string,
  fractionLength: number,
  exponentLiteral: number,
): ScannedNumber {
  const scale = fractionLength - exponentLiteral;
  if (scale < int32Min || scale > int32Max) throw notNumeric(text, 'legacy');
  const precision = unscaledDigits === '' ? 1 : unscaledDigits.length;
  const rangeExponent = ((precision - scale) | 0) - 1;
  if (unscaledDigits === '') return { parts: zeroParts, rangeExponent };
  const digits = unscaledDigits.replace(trailingZeros, '');
  return { parts: { negative, digits, exponent: precision - scale - 1 }, rangeExponent };
}

function checkRange({ parts, rangeExponent }: ScannedNumber): void {
  // Zero has no magnitude: "0e1000" is a valid zero (ScyllaDB's suite, run against DynamoDB,
  // accepts it). Otherwise magnitude before precision: "1e126" overflows whatever its digits.
  if (parts.digits === '') return;
  if (rangeExponent > numberExponentMax) throw validationError(overflowMessage);
  if (rangeExponent < numberExponentMin) throw validationError(underflowMessage);
  // Trailing zeros are not significant: "1" followed by 125 zeros is one digit.
  if (parts.digits.length > numberPrecisionDigitsMax) throw validationError(precisionMessage);
}

/** Parses and range-checks a client number; throws DynamoDB's ValidationException. */
export function parseNumber(text: string, layer: ValidationLayer = 'current'): DecimalParts {
  const scanned = scanNumber(text, layer);
  checkRange(scanned);
  return scanned.parts;
}

/** Parses a number already known to be valid (stored or normalized); no range checks. */
export function parseNumberText(text: string): DecimalParts {
  return scanNumber(text, 'current').parts;
}

/**
 * DynamoDB's printed form: plain digits, never an exponent ("1E+3" reads back as "1000",
 * "1E125" as 126 digits), no leading zeros, no trailing fraction zeros, no sign on zero.
 */
export function formatNumber(parts: DecimalParts): string {
  const { digits, exponent } = parts;
  if (digits === '') return '0';
  const sign = parts.negative ? '-' : '';
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  if (exponent >= digits.length - 1) return sign + digits + '0'.repeat(exponent - digits.length + 1);
  return `${sign}${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
}

/** Validates a client number string and returns the form DynamoDB returns on read. */
export function normalizeNumber(text: string, layer: ValidationLayer = 'current'): string {
  return formatNumber(parseNumber(text, layer));
}

function compareMagnitudes(a: DecimalParts, b: DecimalParts): number {
  if (a.exponent !== b.exponent) return a.exponent < b.exponent ? -1 : 1;
  // Same leading exponent: digit strings compare lexicographically (a prefix is smaller).
  return a.digits < b.digits ? -1 : a.digits > b.digits ? 1 : 0;
}

function signOf(parts: DecimalParts): number {
  return parts.digits === '' ? 0 : parts.negative ? -1 : 1;
}

/** Orders two parsed numbers exactly: -1, 0 or 1. */
export function compareParts(a: DecimalParts, b: DecimalParts): number {
  const signA = signOf(a);
  const signB = signOf(b);
  if (signA !== signB) return signA < signB ? -1 : 1;
  if (signA === 0) return 0;
  const magnitude = compareMagnitudes(a, b);
  return signA < 0 ? -magnitude : magnitude;
}

/** Orders two valid numbers exactly: -1, 0 or 1. */
export function compareNumbers(a: string, b: string): number {
  if (a === b) return 0;
  return compareParts(parseNumberText(a), parseNumberText(b));
}

/** The exponent of the last digit: value = coefficient × 10^lastDigitExponent. */
function lastDigitExponent(parts: DecimalParts): number {
  return parts.exponent - parts.digits.length + 1;
}

function toScaledBigInt(parts: DecimalParts, scaleExponent: number): bigint {
  if (parts.digits === '') return 0n;
  const coefficient = BigInt(parts.digits + '0'.repeat(lastDigitExponent(parts) - scaleExponent));
  return parts.negative ? -coefficient : coefficient;
}

function fromScaledBigInt(value: bigint, scaleExponent: number): DecimalParts {
  if (value === 0n) return zeroParts;
  const negative = value < 0n;
  const text = (negative ? -value : value).toString();
  return { negative, digits: text.replace(trailingZeros, ''), exponent: scaleExponent + text.length - 1 };
}

function checkArithmeticResult(parts: DecimalParts): void {
  if (parts.digits === '') return;
  // DynamoDB reports a result that needs more than 38 digits (1e50 + 1) as an overflow, not
  // as a precision error (observed on DynamoDB; ScyllaDB test_number.py records it).
  if (parts.exponent > numberExponentMax || parts.digits.length > numberPrecisionDigitsMax) {
    throw validationError(overflowMessage);
  }
  // unverified: a difference below 1E-130 (1.1E-130 - 1E-130) is assumed to report underflow.
  if (parts.exponent < numberExponentMin) throw validationError(underflowMessage);
}

function addParts(a: DecimalParts, b: DecimalParts): DecimalParts {
  if (a.digits === '') return b;
  if (b.digits === '') return a;
  // Operands are range-checked, so aligned coefficients stay under ~300 digits.
  const scale = Math.min(lastDigitExponent(a), lastDigitExponent(b));
  const sum = fromScaledBigInt(toScaledBigInt(a, scale) + toScaledBigInt(b, scale), scale);
  checkArithmeticResult(sum);
  return sum;
}

function negate(parts: DecimalParts): DecimalParts {
  return parts.digits === '' ? parts : { ...parts, negative: !parts.negative };
}

/** a + b exactly (UpdateExpression "+", ADD); operands valid numbers, result normalized. */
export function addNumbers(a: string, b: string): string {
  return formatNumber(addParts(parseNumberText(a), parseNumberText(b)));
}

/** a - b exactly (UpdateExpression "-"); operands valid numbers, result normalized. */
export function subtractNumbers(a: string, b: string): string {
  return formatNumber(addParts(parseNumberText(a), negate(parseNumberText(b))));
}
