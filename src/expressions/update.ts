// Applies a compiled update to an item without mutating it: containers on the written paths
// are copied, everything else is shared. Every value is worked out from the item as it was
// before the update (so "SET a = b REMOVE b" copies b). Runtime errors are reported in
// DynamoDB's order: a parent of the wrong kind, a wrong operand type anywhere, then clause by
// clause from the last: a path that cannot be written, an attribute read that is missing.
import type { AttributeValue, Item } from '../model/attribute-value.js';
import { addNumbers, subtractNumbers } from '../model/decimal.js';
import { DynamoError, validationError } from '../model/errors.js';
import type { CompiledUpdate, DocumentPath, UpdateAction, UpdateOperand, UpdateValue } from './compiled.js';
import { resolvePath } from './evaluate.js';

export const wrongOperandTypeMessage = 'An operand in the update expression has an incorrect data type';
export const missingAttributeMessage = 'The provided expression refers to an attribute that does not exist in the item';
export const invalidPathMessage = 'The document path provided in the update expression is invalid for update';
// Legacy AttributeUpdates word it differently.
export const legacyTypeMismatchMessage = 'Type mismatch for attribute to update';

export interface UpdateResult {
  item: Item;
  /** The paths the update wrote, in written order (for ReturnValues UPDATED_OLD/UPDATED_NEW). */
  updatedPaths: DocumentPath[];
}

class MissingAttribute extends Error {}

function wrongType(): DynamoError {
  return validationError(wrongOperandTypeMessage);
}

function parentOf(item: Item, path: DocumentPath): AttributeValue | undefined {
  return resolvePath(item, path.slice(0, -1));
}

/** Whether a container of this kind can hold the path's last step. */
function fits(parent: AttributeValue, last: string | number): boolean {
  return typeof last === 'number' ? 'L' in parent : 'M' in parent;
}

function writable(item: Item, path: DocumentPath): boolean {
  if (path.length === 1) return true;
  const parent = parentOf(item, path);
  return parent !== undefined && fits(parent, path[path.length - 1]!);
}

function operandValue(operand: UpdateOperand, item: Item): AttributeValue {
  switch (operand.kind) {
    case 'value':
      return operand.value;
    case 'path': {
      const value = resolvePath(item, operand.path);
      if (value === undefined) throw new MissingAttribute();
      return value;
    }
    case 'ifNotExists':
      return resolvePath(item, operand.path) ?? operandValue(operand.fallback, item);
    case 'listAppend': {
      const left = operandValue(operand.left, item);
      if (!('L' in left)) throw wrongType();
      const right = operandValue(operand.right, item);
      if (!('L' in right)) throw wrongType();
      return { L: left.L.concat(right.L) };
    }
  }
}

function setValue(value: UpdateValue, item: Item): AttributeValue {
  if (value.kind !== 'plus' && value.kind !== 'minus') return operandValue(value as UpdateOperand, item);
  const left = operandValue(value.left, item);
  if (!('N' in left)) throw wrongType();
  const right = operandValue(value.right, item);
  if (!('N' in right)) throw wrongType();
  return { N: value.kind === 'plus' ? addNumbers(left.N, right.N) : subtractNumbers(left.N, right.N) };
}

function binaryKey(member: string): string {
  return Buffer.from(member, 'base64').toString('base64');
}

function memberKeys(value: AttributeValue): Set<string> {
  if ('SS' in value) return new Set(value.SS);
  if ('NS' in value) return new Set(value.NS);
  if ('BS' in value) return new Set(value.BS.map(binaryKey));
  return new Set();
}

function membersOf(value: AttributeValue): string[] {
  if ('SS' in value) return value.SS;
  if ('NS' in value) return value.NS;
  if ('BS' in value) return value.BS;
  return [];
}

const setKey = (value: AttributeValue, member: string): string => ('BS' in value ? binaryKey(member) : member);

function makeSet(like: AttributeValue, members: string[]): AttributeValue {
  if ('SS' in like) return { SS: members };
  if ('NS' in like) return { NS: members };
  return { BS: members };
}

/** Union keeping the existing members first. Numbers are canonical, so text equality works. */
function setUnion(current: AttributeValue, added: AttributeValue): AttributeValue {
  const keys = memberKeys(current);
  const members = membersOf(current).slice();
  for (const member of membersOf(added)) {
    const key = setKey(added, member);
    if (!keys.has(key)) {
      keys.add(key);
      members.push(member);
    }
  }
  return makeSet(current, members);
}

function setDifference(current: AttributeValue, removed: AttributeValue): AttributeValue | undefined {
  const keys = memberKeys(removed);
  const members = membersOf(current).filter((member) => !keys.has(setKey(current, member)));
  return members.length === 0 ? undefined : makeSet(current, members);
}

function sameSetType(a: AttributeValue, b: AttributeValue): boolean {
  return ('SS' in a && 'SS' in b) || ('NS' in a && 'NS' in b) || ('BS' in a && 'BS' in b);
}

interface Write {
  path: DocumentPath;
  value: AttributeValue | undefined; // undefined: remove
}

interface Pending {
  action: UpdateAction;
  value?: AttributeValue;
  failure?: Error;
}

/**
 * Computes the value each action writes, checking types; see the file comment for order.
 * `missing`: there is no item yet. DynamoDB then ignores a REMOVE of a nested path (it
 * refuses the same REMOVE on an item without the parent attribute; ScyllaDB's suite,
 * test_nested_attribute_remove_from_missing_item).
 */
function computeWrites(actions: UpdateAction[], clauseCount: number, item: Item, missing: boolean): Write[] {
  if (missing && actions.some((action) => action.kind === 'REMOVE' && !writable(item, action.path))) {
    actions = actions.filter((action) => action.kind !== 'REMOVE' || writable(item, action.path));
  }
  for (const action of actions) {
    if (action.path.length > 1) {
      const parent = parentOf(item, action.path);
      if (parent !== undefined && !fits(parent, action.path[action.path.length - 1]!)) throw validationError(invalidPathMessage);
    }
  }
  const pending: Pending[] = actions.map((action) => ({ action }));
  for (const entry of pending) {
    const action = entry.action;
    if (action.kind === 'SET') {
      try {
        entry.value = setValue(action.value, item);
      } catch (error) {
        // A wrong type is reported at once; a missing attribute or a number out of range later.
        if (error instanceof DynamoError && error.message === wrongOperandTypeMessage) throw error;
        entry.failure = error as Error;
      }
    } else if (action.kind !== 'REMOVE') {
      const current = writable(item, action.path) ? resolvePath(item, action.path) : undefined;
      entry.value = combine(action, current);
    }
  }
  for (let clause = clauseCount - 1; clause >= 0; clause--) {
    for (const entry of pending) {
      if (entry.action.clause === clause && !writable(item, entry.action.path)) throw validationError(invalidPathMessage);
    }
    for (const entry of pending) {
      if (entry.action.clause === clause && entry.failure instanceof MissingAttribute) {
        throw validationError(missingAttributeMessage);
      }
    }
  }
  for (const entry of pending) if (entry.failure !== undefined) throw entry.failure;

  const writes: Write[] = [];
  for (const entry of pending) {
    const action = entry.action;
    if (action.kind === 'REMOVE') writes.push({ path: action.path, value: undefined });
    else if (action.kind === 'DELETE' || action.kind === 'LEGACY_DELETE') {
      // DELETE on a missing attribute does nothing; deleting the last members removes the set.
      if (resolvePath(item, action.path) !== undefined) writes.push({ path: action.path, value: entry.value });
    } else writes.push({ path: action.path, value: entry.value });
  }
  return writes;
}

/** The value ADD / DELETE leave (undefined: the set became empty). */
function combine(action: Exclude<UpdateAction, { kind: 'SET' | 'REMOVE' }>, current: AttributeValue | undefined): AttributeValue | undefined {
  const value = action.value;
  const legacy = action.kind === 'LEGACY_ADD' || action.kind === 'LEGACY_DELETE';
  const mismatch = (): DynamoError => (legacy ? validationError(legacyTypeMismatchMessage) : wrongType());
  switch (action.kind) {
    case 'ADD':
    case 'LEGACY_ADD':
      if (current === undefined) return value;
      if ('N' in value) {
        if (!('N' in current)) throw mismatch();
        return { N: addNumbers(current.N, value.N) };
      }
      if (legacy && 'L' in value) {
        if (!('L' in current)) throw mismatch();
        return { L: current.L.concat(value.L) };
      }
      if (!sameSetType(current, value)) throw mismatch();
      return setUnion(current, value);
    case 'DELETE':
    case 'LEGACY_DELETE':
      if (current === undefined) return undefined;
      if (!sameSetType(current, value)) throw mismatch();
      return setDifference(current, value);
  }
}

/** Copy-on-write access to the container at `prefix` (its M or L copied once per update). */
function mutableContainer(root: Item, prefix: DocumentPath, copied: Set<object>): AttributeValue {
  let holder: Record<string | number, AttributeValue> = root;
  let current: AttributeValue | undefined;
  for (const element of prefix) {
    current = holder[element]!;
    if ('M' in current) {
      if (!copied.has(current.M)) {
        current = { M: { ...current.M } };
        copied.add(current.M);
        holder[element] = current;
      }
      holder = current.M;
    } else if ('L' in current) {
      if (!copied.has(current.L)) {
        current = { L: current.L.slice() };
        copied.add(current.L);
        holder[element] = current;
      }
      holder = current.L as unknown as Record<number, AttributeValue>;
    } else {
      throw new Error('invariant broken: update path through a scalar');
    }
  }
  return current!;
}

function applyWrites(base: Item, writes: Write[]): Item {
  const result: Item = { ...base };
  const copied = new Set<object>();
  // Writes into lists change positions, so they run last, deepest lists first, each list's
  // operations together against its positions before the update.
  const listGroups = new Map<string, { parent: DocumentPath; writes: Write[] }>();
  for (const write of writes) {
    const last = write.path[write.path.length - 1]!;
    if (write.path.length === 1) {
      if (write.value === undefined) delete result[last as string];
      else result[last as string] = write.value;
    } else if (typeof last === 'string') {
      const parent = mutableContainer(result, write.path.slice(0, -1), copied) as { M: Item };
      if (write.value === undefined) delete parent.M[last];
      else parent.M[last] = write.value;
    } else {
      const parentPath = write.path.slice(0, -1);
      const key = JSON.stringify(parentPath);
      let group = listGroups.get(key);
      if (group === undefined) listGroups.set(key, (group = { parent: parentPath, writes: [] }));
      group.writes.push(write);
    }
  }
  const groups = [...listGroups.values()].sort((a, b) => b.parent.length - a.parent.length);
  for (const group of groups) {
    const list = mutableContainer(result, group.parent, copied) as { L: AttributeValue[] };
    const old = list.L;
    const removed = new Set<number>();
    const appended: Array<{ index: number; value: AttributeValue }> = [];
    for (const write of group.writes) {
      const index = write.path[write.path.length - 1] as number;
      if (write.value === undefined) {
        if (index < old.length) removed.add(index);
      } else if (index < old.length) {
        old[index] = write.value;
      } else {
        appended.push({ index, value: write.value }); // past the end: appended, in index order
      }
    }
    appended.sort((a, b) => a.index - b.index);
    const next = removed.size === 0 ? old : old.filter((_, index) => !removed.has(index));
    for (const entry of appended) next.push(entry.value);
    list.L = next;
  }
  return result;
}

/**
 * Applies the update to `existing` (undefined: no item yet, start from `key`; a REMOVE of a
 * nested path is then ignored). Never mutates its inputs. Throws DynamoDB's
 * ValidationExceptions for runtime failures.
 */
export function applyUpdate(update: CompiledUpdate, existing: Item | undefined, key?: Item): UpdateResult {
  const base = existing ?? (key !== undefined ? { ...key } : {});
  const writes = computeWrites(update.actions, update.clauseCount, base, existing === undefined);
  return { item: applyWrites(base, writes), updatedPaths: update.actions.map((action) => action.path) };
}

/** Refuses an update that writes a key attribute (by its top-level name). */
export function checkKeyUpdate(update: CompiledUpdate, keyAttributeNames: readonly string[]): void {
  for (const action of update.actions) {
    const name = action.path[0] as string;
    if (keyAttributeNames.includes(name)) {
      throw validationError(`One or more parameter values were invalid: Cannot update attribute ${name}. This attribute is part of the key`);
    }
  }
}
