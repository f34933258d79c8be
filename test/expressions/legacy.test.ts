// The legacy parameters as plain functions: Expected, QueryFilter/ScanFilter, KeyConditions,
// AttributeUpdates and AttributesToGet converted to compiled forms and run against items;
// the AttributeValueList rules and texts; the mixing and ConditionalOperator rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  analyzeKeyCondition, applyUpdate, checkParameterMixing, evaluateCondition, prepareExpressions, prepareLegacy, projectItem,
  type ExpressionInput, type LegacyOperation,
} from '../../src/expressions/index.js';
import type { KeySchema } from '../../src/engine/table-spec.js';
import type { AttributeValue, Item } from '../../src/model/attribute-value.js';
import { assertInvalid, assertThrowsValidation, N, S } from './helpers.js';

const invalid = 'One or more parameter values were invalid: ';
const item: Item = {
  p: S('k'), a: N('2'), h: S('hello'), l: { L: [N('2'), S('x')] }, ns: { NS: ['2', '4'] }, nul: { NULL: true }, t: { BOOL: true },
};

function filterHolds(op: string, values: AttributeValue[], name: string): boolean {
  const prepared = prepareExpressions({ ScanFilter: { [name]: { ComparisonOperator: op, AttributeValueList: values } } });
  return evaluateCondition(prepared.filter!, item);
}

test('filter comparisons: types must match, missing attributes fail all but NE and NULL', () => {
  assert.equal(filterHolds('EQ', [N('2.0')], 'a'), true);
  assert.equal(filterHolds('EQ', [{ NS: ['4', '2'] }], 'ns'), true);
  assert.equal(filterHolds('EQ', [{ L: [N('2'), S('x')] }], 'l'), true);
  assert.equal(filterHolds('EQ', [S('2')], 'a'), false);
  assert.equal(filterHolds('NE', [S('2')], 'a'), true);
  assert.equal(filterHolds('NE', [N('2')], 'missing'), true);
  assert.equal(filterHolds('LT', [N('3')], 'a'), true);
  assert.equal(filterHolds('LT', [S('3')], 'a'), false);
  assert.equal(filterHolds('GE', [S('hello')], 'h'), true);
  assert.equal(filterHolds('GT', [S('hello')], 'h'), false);
  assert.equal(filterHolds('LE', [N('1')], 'missing'), false);
  assert.equal(filterHolds('NULL', [], 'missing'), true);
  assert.equal(filterHolds('NULL', [], 'nul'), false);
  assert.equal(filterHolds('NOT_NULL', [], 'nul'), true);
  assert.equal(filterHolds('CONTAINS', [S('ell')], 'h'), true);
  assert.equal(filterHolds('CONTAINS', [N('4')], 'ns'), true);
  assert.equal(filterHolds('CONTAINS', [S('x')], 'l'), true);
  assert.equal(filterHolds('CONTAINS', [{ BOOL: true }], 'l'), false);
  assert.equal(filterHolds('NOT_CONTAINS', [N('1')], 'h'), true);
  assert.equal(filterHolds('NOT_CONTAINS', [N('2')], 'a'), true);
  assert.equal(filterHolds('NOT_CONTAINS', [N('4')], 'ns'), false);
  assert.equal(filterHolds('NOT_CONTAINS', [N('4')], 'missing'), false);
  assert.equal(filterHolds('BEGINS_WITH', [S('he')], 'h'), true);
  assert.equal(filterHolds('BEGINS_WITH', [S('2')], 'a'), false);
  assert.equal(filterHolds('IN', [N('1'), N('2')], 'a'), true);
  assert.equal(filterHolds('IN', [N('2')], 'ns'), false);
  assert.equal(filterHolds('BETWEEN', [N('2'), N('2')], 'a'), true);
  assert.equal(filterHolds('BETWEEN', [N('3'), N('9')], 'a'), false);
  const onMissingItem = prepareExpressions({ ScanFilter: { a: { ComparisonOperator: 'NE', AttributeValueList: [N('2')] } } }).filter!;
  assert.equal(evaluateCondition(onMissingItem, undefined), true);
});

test('AttributeValueList rules, in DynamoDB order', () => {
  const cases: [string, AttributeValue[], string][] = [
    ['EQ', [], `${invalid}Invalid number of argument(s) for the EQ ComparisonOperator`],
    ['NE', [N('1'), N('2')], `${invalid}Invalid number of argument(s) for the NE ComparisonOperator`],
    ['NULL', [N('1')], `${invalid}Invalid number of argument(s) for the NULL ComparisonOperator`],
    ['NOT_NULL', [N('1')], `${invalid}Invalid number of argument(s) for the NOT_NULL ComparisonOperator`],
    ['IN', [], `${invalid}Invalid number of argument(s) for the IN ComparisonOperator`],
    ['BETWEEN', [N('1'), N('2'), N('3')], `${invalid}Invalid number of argument(s) for the BETWEEN ComparisonOperator`],
    ['BEGINS_WITH', [S('a'), S('b')], `${invalid}Invalid number of argument(s) for the BEGINS_WITH ComparisonOperator`],
    ['IN', [N('1'), S('a')], `${invalid}AttributeValues inside AttributeValueList must be of same type`],
    ['IN', [{ BOOL: true }], `${invalid}ComparisonOperator IN is not valid for BOOL AttributeValue type`],
    ['LE', [{ NULL: true }], `${invalid}ComparisonOperator LE is not valid for NULL AttributeValue type`],
    ['GT', [{ M: {} }], `${invalid}ComparisonOperator GT is not valid for M AttributeValue type`],
    ['CONTAINS', [{ SS: ['a'] }], `${invalid}ComparisonOperator CONTAINS is not valid for SS AttributeValue type`],
    ['NOT_CONTAINS', [{ L: [] }], `${invalid}ComparisonOperator NOT_CONTAINS is not valid for L AttributeValue type`],
    ['BEGINS_WITH', [N('1')], `${invalid}ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type`],
    ['BETWEEN', [{ BOOL: true }, { BOOL: false }], `${invalid}ComparisonOperator BETWEEN is not valid for BOOL AttributeValue type`],
    ['BETWEEN', [N('10'), N('9')], 'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound'],
    ['BETWEEN', [S('b'), S('a')], 'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound'],
    // Values are checked before the count.
    ['EQ', [N('1'), {} as AttributeValue], 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes'],
  ];
  for (const [op, values, message] of cases) {
    assertInvalid({ QueryFilter: { a: { ComparisonOperator: op, AttributeValueList: values } } }, message);
  }
  // Accepted: EQ and NE take any type, CONTAINS a BOOL or NULL.
  for (const values of [[{ M: {} }], [{ SS: ['a'] }], [{ L: [] }], [{ BOOL: true }]]) {
    prepareExpressions({ ScanFilter: { a: { ComparisonOperator: 'NE', AttributeValueList: values } } });
  }
  prepareExpressions({ ScanFilter: { a: { ComparisonOperator: 'CONTAINS', AttributeValueList: [{ NULL: true }] } } });
});

test('Expected forms and texts', () => {
  const holds = (expected: Record<string, unknown>, subject: Item | undefined = item, conditionalOperator?: string) =>
    evaluateCondition(prepareExpressions({ Expected: expected, ConditionalOperator: conditionalOperator }).condition!, subject);
  assert.equal(holds({ a: { Value: N('2') } }), true);
  assert.equal(holds({ a: { Exists: true, Value: N('3') } }), false);
  assert.equal(holds({ q: { Exists: false } }), true);
  assert.equal(evaluateCondition(prepareExpressions({ Expected: { a: { Exists: false } } }).condition!, undefined), true);
  assert.equal(holds({ a: { ComparisonOperator: 'GT', Value: N('1') } }), true);
  assert.equal(holds({ a: { ComparisonOperator: 'NOT_NULL' } }), true);
  assert.equal(holds({ a: { Value: N('9') }, h: { Value: S('hello') } }), false);
  assert.equal(holds({ a: { Value: N('9') }, h: { Value: S('hello') } }, item, 'OR'), true);
  assert.equal(prepareExpressions({ Expected: {} }).condition, undefined);
  assert.deepEqual(prepareExpressions({ Expected: { a: { Value: N('1') }, b: { Exists: false } } }).attributesRead, ['a', 'b']);
  const cases: [Record<string, unknown>, string][] = [
    [{ a: {} }, `${invalid}Value must be provided when Exists is null for Attribute: a`],
    [{ a: { Exists: true } }, `${invalid}Value must be provided when Exists is true for Attribute: a`],
    [{ a: { Exists: false, Value: N('1') } }, `${invalid}Value cannot be used when Exists is false for Attribute: a`],
    [{ a: { Value: N('1'), AttributeValueList: [] } }, `${invalid}Value and AttributeValueList cannot be used together for Attribute: a`],
    [{ a: { AttributeValueList: [] } }, `${invalid}AttributeValueList can only be used with a ComparisonOperator for Attribute: a`],
    [{ a: { Exists: true, ComparisonOperator: 'EQ', Value: N('1') } }, `${invalid}Exists and ComparisonOperator cannot be used together for Attribute: a`],
    [{ a: { ComparisonOperator: 'LT' } }, `${invalid}Value or AttributeValueList must be used with ComparisonOperator: LT for Attribute: a`],
    [{ a: { ComparisonOperator: 'BETWEEN', Value: N('1') } }, `${invalid}Invalid number of argument(s) for the BETWEEN ComparisonOperator`],
    [{ a: { ComparisonOperator: 'EQ', AttributeValueList: [] } }, `${invalid}Invalid number of argument(s) for the EQ ComparisonOperator`],
    [{ a: { ComparisonOperator: 'BEGINS_WITH', Value: N('3') } }, `${invalid}ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type`],
    [{ a: { Value: {} } }, 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes'],
  ];
  for (const [expected, message] of cases) assertInvalid({ Expected: expected }, message);
});

test('AttributeUpdates: actions and their texts', () => {
  const run = (updates: Record<string, unknown>, subject: Item | undefined) =>
    applyUpdate(prepareExpressions({ AttributeUpdates: updates }).update!, subject, { p: S('k') }).item;
  assert.deepEqual(run({ a: { Value: S('x') }, h: { Action: 'DELETE' }, missing: { Action: 'DELETE' } }, item).a, S('x'));
  assert.equal(run({ h: { Action: 'DELETE' } }, item).h, undefined);
  assert.deepEqual(run({ a: { Action: 'ADD', Value: N('0.5') }, n: { Action: 'ADD', Value: N('3') } }, item), { ...item, a: N('2.5'), n: N('3') });
  assert.deepEqual(run({ ns: { Action: 'ADD', Value: { NS: ['4', '8'] } } }, item).ns, { NS: ['2', '4', '8'] });
  assert.deepEqual(run({ ns: { Action: 'DELETE', Value: { NS: ['2'] } } }, item).ns, { NS: ['4'] });
  assert.equal(run({ ns: { Action: 'DELETE', Value: { NS: ['2', '4'] } } }, item).ns, undefined);
  assert.equal(run({ gone: { Action: 'DELETE', Value: { NS: ['2'] } } }, item).gone, undefined);
  assert.deepEqual(run({ l: { Action: 'ADD', Value: { L: [N('1')] } } }, item).l, { L: [N('2'), S('x'), N('1')] });
  assert.deepEqual(run({ l: { Action: 'ADD', Value: { L: [N('1')] } } }, undefined), { p: S('k'), l: { L: [N('1')] } });
  assert.equal(prepareExpressions({ AttributeUpdates: {} }).update, undefined);
  const mismatch = 'Type mismatch for attribute to update';
  assertThrowsValidation(() => run({ ns: { Action: 'ADD', Value: N('1') } }, item), mismatch);
  assertThrowsValidation(() => run({ a: { Action: 'ADD', Value: { L: [] } } }, item), mismatch);
  assertThrowsValidation(() => run({ l: { Action: 'DELETE', Value: { SS: ['x'] } } }, item), mismatch);
  assertThrowsValidation(() => run({ ns: { Action: 'DELETE', Value: { SS: ['2'] } } }, item), mismatch);
  const cases: [Record<string, unknown>, string][] = [
    [{ a: {} }, `${invalid}Only DELETE action is allowed when no attribute value is specified`],
    [{ a: { Action: 'ADD' } }, `${invalid}Only DELETE action is allowed when no attribute value is specified`],
    [{ a: { Action: 'DELETE', Value: { B: 'YQ==' } } }, `${invalid}DELETE action with value is not supported for the type B`],
    [{ a: { Action: 'DELETE', Value: { M: {} } } }, `${invalid}DELETE action with value is not supported for the type M`],
    [{ a: { Action: 'ADD', Value: { NULL: true } } }, `${invalid}ADD action is not supported for the type NULL`],
    [{ a: { Action: 'ADD', Value: { B: 'YQ==' } } }, `${invalid}ADD action is not supported for the type B`],
  ];
  for (const [updates, message] of cases) assertInvalid({ AttributeUpdates: updates }, message);
});

test('AttributesToGet: literal top-level names, duplicates refused', () => {
  const projection = prepareExpressions({ AttributesToGet: ['a', 'x.y', 'missing'] }).projection!;
  assert.deepEqual(projection.attributeNames, ['a', 'x.y', 'missing']);
  assert.deepEqual(projectItem({ a: N('1'), b: N('2'), 'x.y': S('dot'), x: { M: { y: S('no') } } }, projection), { a: N('1'), 'x.y': S('dot') });
  assertInvalid({ AttributesToGet: ['a', 'b', 'a'] }, `${invalid}Duplicate value in attribute name: a`);
});

test('KeyConditions compile to key condition parts', () => {
  const schema: KeySchema = { partitionKey: { name: 'p', type: 'S' }, sortKey: { name: 'c', type: 'N' } };
  const compile = (keyConditions: Record<string, unknown>) => prepareExpressions({ KeyConditions: keyConditions }).keyCondition!;
  const eq = { ComparisonOperator: 'EQ', AttributeValueList: [S('x')] };
  assert.deepEqual(analyzeKeyCondition(compile({ p: eq, c: { ComparisonOperator: 'GT', AttributeValueList: [N('1')] } }), schema), {
    partitionValue: S('x'),
    partitionValues: [S('x')],
    sortPrefix: [],
    sort: { op: 'GT', values: [N('1')] },
  });
  const fails: [Record<string, unknown>, string][] = [
    [{ p: { ComparisonOperator: 'GE', AttributeValueList: [S('x')] } }, 'Query key condition not supported'],
    [{ p: eq, c: { ComparisonOperator: 'IN', AttributeValueList: [N('1')] } }, 'Attempted conditional constraint is not an indexable operation'],
    [{ p: eq, c: { ComparisonOperator: 'NULL' } }, 'Attempted conditional constraint is not an indexable operation'],
    [{ c: { ComparisonOperator: 'EQ', AttributeValueList: [N('1')] } }, 'Query condition missed key schema element: p'],
  ];
  for (const [keyConditions, message] of fails) assertThrowsValidation(() => analyzeKeyCondition(compile(keyConditions), schema), message);
  assertInvalid({ KeyConditions: { p: { ComparisonOperator: 'EQ', AttributeValueList: [] } } }, `${invalid}Invalid number of argument(s) for the EQ ComparisonOperator`);
  // KeyConditions are checked after the expressions.
  assertInvalid(
    { KeyConditions: { p: { ComparisonOperator: 'EQ' } }, FilterExpression: 'a = :a' },
    'Invalid FilterExpression: An expression attribute value used in expression is not defined; attribute value: :a',
  );
  // A Scan reads the values of its filter with the legacy layer, which words some texts its own way.
  assertThrowsValidation(
    () => prepareLegacy({ ScanFilter: { a: { ComparisonOperator: 'EQ', AttributeValueList: [{ NS: ['1', '1.0'] }] } } }, 'legacy'),
    'Input collection contains duplicates',
  );
});

test('mixing legacy and expression parameters', () => {
  const mixing = (input: ExpressionInput & Record<string, unknown>, operation: LegacyOperation, message: string) =>
    assertThrowsValidation(() => checkParameterMixing(input, operation), message);
  const mixed = 'Can not use both expression and non-expression parameters in the same request: ';
  mixing({ AttributesToGet: ['a'], ProjectionExpression: 'a' }, 'GetItem', `${mixed}Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}`);
  mixing(
    { Expected: {}, AttributeUpdates: {}, ConditionExpression: '', UpdateExpression: '', ExpressionAttributeNames: {}, ExpressionAttributeValues: {} },
    'UpdateItem',
    `${mixed}Non-expression parameters: {AttributeUpdates, Expected} Expression parameters: {UpdateExpression, ConditionExpression}`,
  );
  mixing({ AttributesToGet: ['a'], KeyConditionExpression: 'p = :p' }, 'Query', `${mixed}Non-expression parameters: {AttributesToGet} Expression parameters: {KeyConditionExpression}`);
  mixing({ KeyConditions: {}, KeyConditionExpression: 'p = :p' }, 'Query', `${mixed}Non-expression parameters: {KeyConditions} Expression parameters: {KeyConditionExpression}`);
  // KeyConditions alone may go with the other expressions; members an operation lacks are ignored.
  checkParameterMixing({ KeyConditions: {}, FilterExpression: 'a = :a', ProjectionExpression: 'a', ExpressionAttributeValues: {} }, 'Query');
  checkParameterMixing({ Expected: { a: {} }, ProjectionExpression: 'a' }, 'PutItem');
  mixing({ ExpressionAttributeNames: {} }, 'Scan', 'ExpressionAttributeNames can only be specified when using expressions');
  mixing({ ExpressionAttributeValues: {}, ProjectionExpression: 'a' }, 'Query', 'ExpressionAttributeValues can only be specified when using expressions: FilterExpression and KeyConditionExpression are null');
  mixing({ ExpressionAttributeValues: {} }, 'DeleteItem', 'ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null');
  mixing({ ConditionalOperator: 'OR', Expected: {} }, 'PutItem', 'ConditionalOperator cannot be used without Filter or Expected');
  mixing({ ConditionalOperator: 'OR', QueryFilter: { a: {} } }, 'Query', 'ConditionalOperator can only be used when Filter or Expected has two or more elements');
  checkParameterMixing({ ConditionalOperator: 'OR', ScanFilter: { a: {}, b: {} } }, 'Scan');
});
