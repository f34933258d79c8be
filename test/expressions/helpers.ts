// Shared helpers for the expression tests: run prepareExpressions and capture its error text.
import assert from 'node:assert/strict';
import { prepareExpressions, type ExpressionInput, type PreparedExpressions } from '../../src/expressions/index.js';
import { DynamoError } from '../../src/model/errors.js';

export function prepare(input: ExpressionInput): PreparedExpressions {
  return prepareExpressions(input);
}

/** Asserts prepareExpressions fails with a ValidationException of exactly `message`. */
export function assertInvalid(input: ExpressionInput, message: string | RegExp): void {
  assertThrowsValidation(() => prepareExpressions(input), message);
}

export function assertThrowsValidation(run: () => unknown, message: string | RegExp): void {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof DynamoError, `not a DynamoError: ${String(error)}`);
    assert.equal(error.name, 'ValidationException');
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return;
  }
  assert.fail(`expected ValidationException: ${String(message)}`);
}

export const S = (text: string) => ({ S: text });
export const N = (text: string) => ({ N: text });
