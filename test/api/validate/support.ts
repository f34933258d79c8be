// Shared pieces of the CreateTable / UpdateTable validator tests: request-building shorthands
// and the assertion that a validator throws DynamoDB's exact error.
import assert from 'node:assert/strict';

/** Asserts that `run` throws a DynamoError with this name and exactly this message. */
export function throwsExactly(run: () => unknown, message: string, name = 'ValidationException'): void {
  assert.throws(run, (error: any) => {
    assert.equal(error.name, name);
    assert.equal(error.message, message);
    return true;
  });
}

export const invalid = (detail: string) => `One or more parameter values were invalid: ${detail}`;
export const hash = (name: string) => ({ AttributeName: name, KeyType: 'HASH' });
export const range = (name: string) => ({ AttributeName: name, KeyType: 'RANGE' });
export const def = (name: string, type = 'S') => ({ AttributeName: name, AttributeType: type });
