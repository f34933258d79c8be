// The policy evaluator on its own: wildcards and case rules, NotAction/NotResource, Deny over
// Allow over implicit deny, every condition operator family with AWS's rules for missing keys,
// multivalued keys and set qualifiers, policy variables, and the checks made when a policy is stored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compilePolicy, type CompiledPolicy } from '../../src/iam/policy.js';
import { decide, denialMessage } from '../../src/iam/evaluate.js';
import type { ContextValue } from '../../src/iam/context.js';
import { IamError } from '../../src/iam/errors.js';
import { principalMatcher } from '../../src/iam/resource-policy.js';

type Statement = Record<string, unknown>;

function policy(statements: Statement[], version = '2012-10-17'): CompiledPolicy {
  return compilePolicy(JSON.stringify({ Version: version, Statement: statements }), 'identity', 'test');
}

function context(request: Record<string, ContextValue> = {}, principal: Record<string, ContextValue> = {}) {
  const lower = (entries: Record<string, ContextValue>) => new Map(Object.entries(entries).map(([k, v]) => [k.toLowerCase(), v]));
  return { request: lower(request), principal: lower(principal) };
}

function effect(policies: CompiledPolicy[], action: string, resource: string, request?: Record<string, ContextValue>, principal?: Record<string, ContextValue>): string {
  return decide({ identity: policies }, action, resource, context(request, principal)).effect;
}

const table = 'arn:aws:dynamodb:us-east-1:123456789012:table/Books';

test('no policy at all is an implicit deny', () => {
  assert.equal(effect([], 'dynamodb:GetItem', table), 'ImplicitDeny');
});

test('an explicit Deny wins over any Allow, in any order', () => {
  const allow = policy([{ Effect: 'Allow', Action: '*', Resource: '*' }]);
  const deny = policy([{ Effect: 'Deny', Action: 'dynamodb:DeleteItem', Resource: table }]);
  assert.equal(effect([allow, deny], 'dynamodb:DeleteItem', table), 'ExplicitDeny');
  assert.equal(effect([deny, allow], 'dynamodb:DeleteItem', table), 'ExplicitDeny');
  assert.equal(effect([deny, allow], 'dynamodb:GetItem', table), 'Allow');
});

test('actions match without regard to case, with * and ? wildcards', () => {
  const p = policy([{ Effect: 'Allow', Action: ['DynamoDB:get*', 'dynamodb:?uery'], Resource: '*' }]);
  assert.equal(effect([p], 'dynamodb:GetItem', table), 'Allow');
  assert.equal(effect([p], 'dynamodb:Query', table), 'Allow');
  assert.equal(effect([p], 'dynamodb:Scan', table), 'ImplicitDeny');
  assert.equal(effect([p], 'dynamodb:BatchGetItem', table), 'ImplicitDeny');
});

test('resources are case-sensitive; wildcards stay within an ARN component except the last', () => {
  const p = policy([{ Effect: 'Allow', Action: 'dynamodb:*', Resource: 'arn:aws:dynamodb:*:*:table/Books*' }]);
  assert.equal(effect([p], 'dynamodb:GetItem', table), 'Allow');
  assert.equal(effect([p], 'dynamodb:Query', `${table}/index/byAuthor`), 'Allow');
  assert.equal(effect([p], 'dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:123456789012:table/books'), 'ImplicitDeny');
  const region = policy([{ Effect: 'Allow', Action: 'dynamodb:*', Resource: 'arn:aws:dynamodb:us-*:123456789012:table/Books' }]);
  assert.equal(effect([region], 'dynamodb:GetItem', table), 'Allow');
  assert.equal(effect([region], 'dynamodb:GetItem', 'arn:aws:dynamodb:eu-west-1:123456789012:table/Books'), 'ImplicitDeny');
  const question = policy([{ Effect: 'Allow', Action: 'dynamodb:*', Resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/Book?' }]);
  assert.equal(effect([question], 'dynamodb:GetItem', table), 'Allow');
  assert.equal(effect([question], 'dynamodb:GetItem', `${table}s`), 'ImplicitDeny');
});

test('NotAction and NotResource match everything except what they list', () => {
  const p = policy([{ Effect: 'Allow', NotAction: 'dynamodb:Delete*', NotResource: `${table}/index/*` }]);
  assert.equal(effect([p], 'dynamodb:GetItem', table), 'Allow');
  assert.equal(effect([p], 'dynamodb:DeleteItem', table), 'ImplicitDeny');
  assert.equal(effect([p], 'dynamodb:Query', `${table}/index/byAuthor`), 'ImplicitDeny');
  const deny = policy([{ Effect: 'Deny', NotAction: 'dynamodb:GetItem', Resource: '*' }]);
  assert.equal(effect([p, deny], 'dynamodb:PutItem', table), 'ExplicitDeny');
  assert.equal(effect([p, deny], 'dynamodb:GetItem', table), 'Allow');
});

function withCondition(condition: Record<string, unknown>): CompiledPolicy {
  return policy([{ Effect: 'Allow', Action: '*', Resource: '*', Condition: condition }]);
}

function holds(condition: Record<string, unknown>, request: Record<string, ContextValue> = {}, principal: Record<string, ContextValue> = {}): boolean {
  return effect([withCondition(condition)], 'dynamodb:GetItem', table, request, principal) === 'Allow';
}

test('String operators: exact, ignore case, like, and their negations', () => {
  assert.equal(holds({ StringEquals: { 'aws:username': 'bob' } }, {}, { 'aws:username': 'bob' }), true);
  assert.equal(holds({ StringEquals: { 'aws:username': 'bob' } }, {}, { 'aws:username': 'Bob' }), false);
  assert.equal(holds({ StringEqualsIgnoreCase: { 'aws:username': 'bob' } }, {}, { 'aws:username': 'BOB' }), true);
  assert.equal(holds({ StringNotEquals: { 'aws:username': ['alice', 'carol'] } }, {}, { 'aws:username': 'bob' }), true);
  assert.equal(holds({ StringNotEquals: { 'aws:username': ['alice', 'bob'] } }, {}, { 'aws:username': 'bob' }), false);
  assert.equal(holds({ StringLike: { 'aws:username': 'b?b*' } }, {}, { 'aws:username': 'bobby' }), true);
  assert.equal(holds({ StringNotLike: { 'aws:username': 'b*' } }, {}, { 'aws:username': 'bobby' }), false);
  // Condition key names are case-insensitive.
  assert.equal(holds({ StringEquals: { 'AWS:UserName': 'bob' } }, {}, { 'aws:username': 'bob' }), true);
});

test('a missing key fails positive operators and satisfies negated ones; IfExists and Null test presence', () => {
  assert.equal(holds({ StringEquals: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' } }), false);
  assert.equal(holds({ StringNotEquals: { 'dynamodb:Select': 'ALL_ATTRIBUTES' } }), true);
  assert.equal(holds({ StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' } }), true);
  assert.equal(holds({ StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' } }, { 'dynamodb:Select': 'ALL_ATTRIBUTES' }), false);
  assert.equal(holds({ Null: { 'dynamodb:Select': 'true' } }), true);
  assert.equal(holds({ Null: { 'dynamodb:Select': 'false' } }), false);
  assert.equal(holds({ Null: { 'dynamodb:Select': 'false' } }, { 'dynamodb:Select': 'COUNT' }), true);
});

test('ForAllValues holds for a missing or empty key; ForAnyValue fails for them', () => {
  const allowed = ['userId', 'name'];
  assert.equal(holds({ 'ForAllValues:StringEquals': { 'dynamodb:Attributes': allowed } }), true);
  assert.equal(holds({ 'ForAllValues:StringEquals': { 'dynamodb:Attributes': allowed } }, { 'dynamodb:Attributes': [] }), true);
  assert.equal(holds({ 'ForAllValues:StringEquals': { 'dynamodb:Attributes': allowed } }, { 'dynamodb:Attributes': ['userId', 'name'] }), true);
  assert.equal(holds({ 'ForAllValues:StringEquals': { 'dynamodb:Attributes': allowed } }, { 'dynamodb:Attributes': ['userId', 'secret'] }), false);
  assert.equal(holds({ 'ForAnyValue:StringEquals': { 'dynamodb:Attributes': allowed } }), false);
  assert.equal(holds({ 'ForAnyValue:StringEquals': { 'dynamodb:Attributes': allowed } }, { 'dynamodb:Attributes': [] }), false);
  assert.equal(holds({ 'ForAnyValue:StringEquals': { 'dynamodb:Attributes': allowed } }, { 'dynamodb:Attributes': ['x', 'name'] }), true);
  // Negated with set qualifiers: every / some request value matches none of the policy values.
  assert.equal(holds({ 'ForAllValues:StringNotEquals': { 'dynamodb:Attributes': ['secret'] } }, { 'dynamodb:Attributes': ['a', 'b'] }), true);
  assert.equal(holds({ 'ForAllValues:StringNotEquals': { 'dynamodb:Attributes': ['secret'] } }, { 'dynamodb:Attributes': ['a', 'secret'] }), false);
  assert.equal(holds({ 'ForAnyValue:StringNotEquals': { 'dynamodb:Attributes': ['secret'] } }, { 'dynamodb:Attributes': ['a', 'secret'] }), true);
  // A multivalued key without a qualifier: positive = any matches, negated = none matches.
  assert.equal(holds({ StringEquals: { 'dynamodb:Attributes': 'name' } }, { 'dynamodb:Attributes': ['x', 'name'] }), true);
  assert.equal(holds({ StringNotEquals: { 'dynamodb:Attributes': 'name' } }, { 'dynamodb:Attributes': ['x', 'name'] }), false);
});

test('keys and operators in one Condition block are ANDed; values of one key are ORed', () => {
  const condition = { StringEquals: { 'aws:username': ['a', 'b'], 'dynamodb:Select': 'COUNT' }, Bool: { 'aws:SecureTransport': 'true' } };
  assert.equal(holds(condition, { 'dynamodb:Select': 'COUNT', 'aws:SecureTransport': 'true' }, { 'aws:username': 'b' }), true);
  assert.equal(holds(condition, { 'dynamodb:Select': 'COUNT', 'aws:SecureTransport': 'false' }, { 'aws:username': 'b' }), false);
  assert.equal(holds(condition, { 'dynamodb:Select': 'ALL_ATTRIBUTES', 'aws:SecureTransport': 'true' }, { 'aws:username': 'b' }), false);
});

test('Numeric, Date and Bool operators', () => {
  assert.equal(holds({ NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }, { 'aws:MultiFactorAuthAge': '60' }), true);
  assert.equal(holds({ NumericGreaterThanEquals: { 'aws:MultiFactorAuthAge': 60 } }, { 'aws:MultiFactorAuthAge': '60' }), true);
  assert.equal(holds({ NumericEquals: { 'aws:MultiFactorAuthAge': '60' } }, { 'aws:MultiFactorAuthAge': 'sixty' }), false);
  assert.equal(holds({ NumericNotEquals: { 'aws:MultiFactorAuthAge': '60' } }, { 'aws:MultiFactorAuthAge': '61' }), true);
  const now = { 'aws:CurrentTime': '2024-06-01T12:00:00Z' };
  assert.equal(holds({ DateGreaterThan: { 'aws:CurrentTime': '2024-01-01T00:00:00Z' } }, now), true);
  assert.equal(holds({ DateLessThan: { 'aws:CurrentTime': '2024-01-01T00:00:00Z' } }, now), false);
  assert.equal(holds({ DateLessThanEquals: { 'aws:CurrentTime': '1717243200' } }, now), true); // epoch seconds
  assert.equal(holds({ Bool: { 'aws:SecureTransport': 'false' } }, { 'aws:SecureTransport': 'false' }), true);
  assert.equal(holds({ Bool: { 'aws:SecureTransport': true } }, { 'aws:SecureTransport': 'false' }), false);
});

test('IpAddress and NotIpAddress, IPv4 and IPv6, and IPv4-mapped peers', () => {
  assert.equal(holds({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { 'aws:SourceIp': '10.1.2.3' }), true);
  assert.equal(holds({ IpAddress: { 'aws:SourceIp': ['192.168.0.0/16', '127.0.0.1/32'] } }, { 'aws:SourceIp': '::ffff:127.0.0.1' }), true);
  assert.equal(holds({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { 'aws:SourceIp': '11.0.0.1' }), false);
  assert.equal(holds({ NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { 'aws:SourceIp': '11.0.0.1' }), true);
  assert.equal(holds({ IpAddress: { 'aws:SourceIp': '2001:db8::/32' } }, { 'aws:SourceIp': '2001:db8:1::5' }), true);
  assert.equal(holds({ IpAddress: { 'aws:SourceIp': '2001:db8::/32' } }, { 'aws:SourceIp': '2001:db9::5' }), false);
  assert.equal(holds({ IpAddress: { 'aws:SourceIp': '203.0.113.7' } }, { 'aws:SourceIp': '203.0.113.7' }), true);
});

test('Arn operators compare component by component', () => {
  const arn = { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/app/reader' };
  assert.equal(holds({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/app/*' } }, arn), true);
  assert.equal(holds({ ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/app/reader' } }, arn), true);
  assert.equal(holds({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/*' } }, arn), false);
  assert.equal(holds({ ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/*' } }, arn), true);
  assert.equal(holds({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/app/*' } }, { 'aws:PrincipalArn': 'not-an-arn' }), false);
});

test('policy variables: principal keys, web identity keys, tags, defaults and escapes', () => {
  const p = policy([
    { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: 'arn:aws:dynamodb:*:*:table/${aws:username}-*' },
    {
      Effect: 'Allow',
      Action: 'dynamodb:Query',
      Resource: '*',
      Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['${cognito-identity.amazonaws.com:sub}'] } },
    },
    { Effect: 'Allow', Action: 'dynamodb:Scan', Resource: 'arn:aws:dynamodb:*:*:table/${aws:PrincipalTag/team, \'shared\'}' },
    { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: 'arn:aws:dynamodb:*:*:table/literal${*}' },
  ]);
  const bob = { 'aws:username': 'bob', 'cognito-identity.amazonaws.com:sub': 'us-east-1:abc' };
  assert.equal(effect([p], 'dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:1:table/bob-data', {}, bob), 'Allow');
  assert.equal(effect([p], 'dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:1:table/alice-data', {}, bob), 'ImplicitDeny');
  assert.equal(effect([p], 'dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:1:table/bob-data', {}, {}), 'ImplicitDeny');
  assert.equal(effect([p], 'dynamodb:Query', table, { 'dynamodb:LeadingKeys': ['us-east-1:abc'] }, bob), 'Allow');
  assert.equal(effect([p], 'dynamodb:Query', table, { 'dynamodb:LeadingKeys': ['us-east-1:zzz'] }, bob), 'ImplicitDeny');
  assert.equal(effect([p], 'dynamodb:Scan', 'arn:aws:dynamodb:us-east-1:1:table/shared', {}, bob), 'Allow');
  assert.equal(effect([p], 'dynamodb:Scan', 'arn:aws:dynamodb:us-east-1:1:table/red', {}, { 'aws:PrincipalTag/team': 'red' }), 'Allow');
  assert.equal(effect([p], 'dynamodb:PutItem', 'arn:aws:dynamodb:us-east-1:1:table/literal*', {}, bob), 'Allow');
  assert.equal(effect([p], 'dynamodb:PutItem', 'arn:aws:dynamodb:us-east-1:1:table/literalX', {}, bob), 'ImplicitDeny');
  // A variable's value is literal text, never a wildcard.
  assert.equal(effect([p], 'dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:1:table/bob-x', {}, { 'aws:username': '*' }), 'ImplicitDeny');
});

test('Version 2008-10-17 policies read ${...} literally', () => {
  const p = policy([{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:dynamodb:*:*:table/${aws:username}' }], '2008-10-17');
  assert.equal(effect([p], 'dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:1:table/bob', {}, { 'aws:username': 'bob' }), 'ImplicitDeny');
  assert.equal(effect([p], 'dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:1:table/${aws:username}', {}, { 'aws:username': 'bob' }), 'Allow');
});

test('session policies limit a session to the intersection', () => {
  const identity = policy([{ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }]);
  const session = compilePolicy(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' }] }), 'session', 's');
  const ctx = context();
  assert.equal(decide({ identity: [identity], session: [session] }, 'dynamodb:GetItem', table, ctx).effect, 'Allow');
  const denied = decide({ identity: [identity], session: [session] }, 'dynamodb:PutItem', table, ctx);
  assert.deepEqual(denied, { effect: 'ImplicitDeny', policyType: 'session' });
  assert.equal(
    denialMessage('arn:aws:sts::1:assumed-role/r/s', 'dynamodb:PutItem', table, denied),
    `User: arn:aws:sts::1:assumed-role/r/s is not authorized to perform: dynamodb:PutItem on resource: ${table} because no session policy allows the dynamodb:PutItem action`,
  );
});

test('denial texts match AWS for implicit and explicit denies', () => {
  const user = 'arn:aws:iam::123456789012:user/bob';
  assert.equal(
    denialMessage(user, 'dynamodb:GetItem', table, { effect: 'ImplicitDeny', policyType: 'identity-based' }),
    `User: ${user} is not authorized to perform: dynamodb:GetItem on resource: ${table} because no identity-based policy allows the dynamodb:GetItem action`,
  );
  assert.equal(
    denialMessage(user, 'dynamodb:GetItem', table, { effect: 'ExplicitDeny', policyType: 'identity-based', statement: { policy: 'p', sid: undefined } }),
    `User: ${user} is not authorized to perform: dynamodb:GetItem on resource: ${table} with an explicit deny in an identity-based policy`,
  );
});

function malformed(document: unknown, kind: 'identity' | 'trust' = 'identity'): string {
  try {
    compilePolicy(typeof document === 'string' ? document : JSON.stringify(document), kind, 'x');
  } catch (error) {
    assert.ok(error instanceof IamError);
    assert.equal(error.code, 'MalformedPolicyDocument');
    return error.message;
  }
  throw new Error('expected MalformedPolicyDocument');
}

test('malformed policies are refused with IAM texts', () => {
  assert.equal(malformed('{not json'), 'Syntax errors in policy.');
  assert.equal(malformed({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Resource: '*' }] }), 'Policy statement must contain actions.');
  assert.equal(malformed({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:GetItem' }] }), 'Policy statement must contain resources.');
  assert.equal(
    malformed({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'dynamodb:GetItem', Resource: '*' }] }),
    'Policy document should not specify a principal.',
  );
  assert.equal(malformed({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] }, 'trust'), 'Missing required field Principal');
  assert.equal(malformed({ Version: '2012-10-17', Statement: [{ Effect: 'Maybe', Action: '*', Resource: '*' }] }), 'Invalid effect: Maybe');
  assert.equal(malformed({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'GetItem', Resource: '*' }] }), 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
  assert.match(
    malformed({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEqualz: { a: 'b' } } }] }),
    /^Invalid Condition type : StringEqualz/,
  );
  assert.equal(malformed({ Version: '2020-01-01', Statement: [] }), 'The policy failed legacy parsing');
});

test('resource-based policies, boundaries and sessions combine as the IAM User Guide describes', () => {
  const account = '123456789012';
  const session = { accountId: account, arn: `arn:aws:sts::${account}:assumed-role/App/s1`, accessKeyId: 'ASIA', userId: 'AROA:s1', root: false };
  const roleArn = `arn:aws:iam::${account}:role/App`;
  const resourcePolicy = (principal: string, effect = 'Allow') =>
    compilePolicy(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: effect, Principal: { AWS: principal }, Action: 'dynamodb:GetItem', Resource: table }] }), 'resource', table);
  const resource = (principal: string, effect?: string) => ({ policy: resourcePolicy(principal, effect), principalMatch: principalMatcher(session, roleArn) });
  const allowAll = policy([{ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }]);
  const allowNothing = policy([{ Effect: 'Allow', Action: 'dynamodb:ListTables', Resource: '*' }]);
  const ctx = context();
  const get = (set: Parameters<typeof decide>[0]) => decide(set, 'dynamodb:GetItem', table, ctx);
  // Naming the session itself grants on its own: neither a boundary nor a session policy limits it.
  assert.equal(get({ identity: [], boundary: [allowNothing], session: [allowNothing], resource: resource(session.arn) }).effect, 'Allow');
  // Naming the role grants, but within the boundary and the session policies.
  assert.equal(get({ identity: [], resource: resource(roleArn) }).effect, 'Allow');
  assert.deepEqual(get({ identity: [], boundary: [allowNothing], resource: resource(roleArn) }), { effect: 'ImplicitDeny', policyType: 'permissions boundary' });
  assert.deepEqual(get({ identity: [], session: [allowNothing], resource: resource(roleArn) }), { effect: 'ImplicitDeny', policyType: 'session' });
  // Naming the account delegates to the identity-based policies.
  assert.deepEqual(get({ identity: [], resource: resource(`arn:aws:iam::${account}:root`) }), { effect: 'ImplicitDeny', policyType: 'identity-based' });
  assert.equal(get({ identity: [allowAll], resource: resource(`arn:aws:iam::${account}:root`) }).effect, 'Allow');
  // An explicit Deny in the resource-based policy wins over an identity-based Allow.
  const denied = get({ identity: [allowAll], resource: resource(roleArn, 'Deny') });
  assert.equal(denied.effect, 'ExplicitDeny');
  assert.equal(
    denialMessage(session.arn, 'dynamodb:GetItem', table, denied),
    `User: ${session.arn} is not authorized to perform: dynamodb:GetItem on resource: ${table} with an explicit deny in a resource-based policy`,
  );
  // Identity ∩ boundary.
  assert.deepEqual(get({ identity: [allowAll], boundary: [allowNothing] }), { effect: 'ImplicitDeny', policyType: 'permissions boundary' });
  assert.equal(get({ identity: [allowAll], boundary: [allowAll] }).effect, 'Allow');
  assert.deepEqual(get({ identity: [allowNothing], boundary: [allowAll] }), { effect: 'ImplicitDeny', policyType: 'identity-based' });
  // Across accounts both sides must allow.
  assert.deepEqual(get({ identity: [allowAll], crossAccount: true }), { effect: 'ImplicitDeny', policyType: 'resource-based' });
  assert.equal(
    denialMessage(session.arn, 'dynamodb:GetItem', table, { effect: 'ImplicitDeny', policyType: 'resource-based' }),
    `User: ${session.arn} is not authorized to perform: dynamodb:GetItem on resource: ${table} because no resource-based policy allows the dynamodb:GetItem action`,
  );
  assert.equal(get({ identity: [allowAll], crossAccount: true, resource: resource(`arn:aws:iam::${account}:root`) }).effect, 'Allow');
});
