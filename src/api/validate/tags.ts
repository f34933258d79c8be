// Tag checks for TagResource, UntagResource and CreateTable's Tags, with DynamoDB's texts.
// All tag validation is synchronous and all-or-nothing: one bad tag rejects the request.
// The 50-tag limit is a ValidationException on the merged set, never LimitExceededException.
import { validationError } from '../../model/errors.js';
import { tagKeyLengthMax, tagKeyLengthMin, tagsPerResourceMax, tagValueLengthMax } from '../../model/limits.js';
import { ConstraintErrors, optionalList, optionalString, optionalStructure } from './common.js';

export interface Tag {
  Key: string;
  Value: string;
}

/**
 * The characters AWS allows in tag keys and values: letters and digits of any script,
 * white space, and + - = . _ : / @ (recorded from DynamoDB: emoji, ',', '%', quotes, '&',
 * '*', ';', '?', '|', '\', '<', '>', '~' and '#' are refused; Cyrillic, CJK, NBSP accepted).
 */
const tagCharacters = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Reserved prefix for AWS-generated tags. */
// unverified: whether 'AWS:' (upper case) is refused too; DynamoDB's text is recorded for 'aws:'.
const reservedPrefix = 'aws:';

function invalidKey(key: string | undefined) {
  return validationError(`The Tag Key provided is invalid, Key: ${key === undefined ? 'null' : key}`);
}

function invalidValue(value: string | undefined) {
  return validationError(`The Tag Value provided is invalid, Value: ${value === undefined ? 'null' : value}`);
}

/** Throws DynamoDB's text unless `key` is a valid tag key. */
export function checkTagKey(value: unknown): string {
  const key = optionalString(value);
  if (key === undefined) throw invalidKey(undefined);
  if (key.length < tagKeyLengthMin || key.length > tagKeyLengthMax || !tagCharacters.test(key)) throw invalidKey(key);
  return key;
}

/** Throws DynamoDB's text unless `value` is a valid tag value (0..256 characters). */
export function checkTagValue(value: unknown): string {
  const text = optionalString(value);
  if (text === undefined) throw invalidValue(undefined);
  if (text.length > tagValueLengthMax || !tagCharacters.test(text)) throw invalidValue(text);
  return text;
}

/**
 * Checks a Tags list. `requireNonEmpty` is true for TagResource ("Atleast one Tag needs to
 * be provided as Input."); CreateTable accepts an empty list. Per tag: key, value, the
 * 'aws:' prefix; then duplicate keys. Returns the tags as plain records.
 */
export function checkTags(tags: unknown, options: { requireNonEmpty: boolean; paramName?: string } = { requireNonEmpty: true }): Tag[] {
  const list = optionalList(tags);
  if (list === undefined) {
    if (!options.requireNonEmpty) return [];
    // unverified: TagResource without Tags; the shape validator's usual "not null" text.
    const errors = new ConstraintErrors();
    errors.notNull(options.paramName ?? 'tags', undefined);
    errors.throwIfAny();
  }
  const entries = list ?? [];
  if (entries.length === 0 && options.requireNonEmpty) {
    throw validationError('Atleast one Tag needs to be provided as Input.');
  }
  const seen = new Set<string>();
  const result: Tag[] = [];
  for (const entry of entries) {
    const tag = optionalStructure(entry) ?? {};
    const key = checkTagKey(tag['Key']);
    const value = checkTagValue(tag['Value']);
    if (key.startsWith(reservedPrefix)) throw validationError(`Tag Key cannot be prefixed with aws:, Key: ${key}`);
    if (seen.has(key)) {
      throw validationError(`Duplicate Tag Keys provided as input: Duplicate Tag Key found ${key}`);
    }
    seen.add(key);
    result.push({ Key: key, Value: value });
  }
  return result;
}

/** The text DynamoDB uses for more than 50 tags (also for UntagResource with 51 keys). */
export function tooManyTags() {
  return validationError('Number of Tags exceed the current limit for the provided ResourceArn');
}

/**
 * Checks UntagResource's TagKeys: non-empty, each a valid key, at most 50 of them.
 * Removing a key the table does not carry is allowed.
 */
// unverified: TagKeys absent (shape "not null" text) and whether the count is checked
// before the keys; recorded: 51 valid keys give the tag-count text.
export function checkTagKeys(keys: unknown, paramName = 'tagKeys'): string[] {
  const list = optionalList(keys);
  if (list === undefined) {
    const errors = new ConstraintErrors();
    errors.notNull(paramName, undefined);
    errors.throwIfAny();
  }
  const entries = list ?? [];
  if (entries.length === 0) throw validationError('Atleast one Tag Key needs to be provided as Input.');
  const result = entries.map((key) => checkTagKey(key));
  if (result.length > tagsPerResourceMax) throw tooManyTags();
  return result;
}

/**
 * Merges `added` into `existing` (TagResource upserts by key) and checks the result
 * against the 50-tag limit. Returns the merged set, existing order first.
 */
export function checkTagCount(existing: readonly Tag[], added: readonly Tag[]): Tag[] {
  const merged = new Map<string, string>();
  for (const tag of existing) merged.set(tag.Key, tag.Value);
  for (const tag of added) merged.set(tag.Key, tag.Value);
  if (merged.size > tagsPerResourceMax) throw tooManyTags();
  return [...merged].map(([Key, Value]) => ({ Key, Value }));
}
