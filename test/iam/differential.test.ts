// Differential test of the policy evaluator against an independent IAM simulator
// (@cloud-copilot/iam-simulate): seeded random identity policies (Action/NotAction,
// Resource/NotResource, wildcards, condition operators with set qualifiers, IfExists, Null,
// policy variables) and random DynamoDB requests must get the same decision from both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { compilePolicy } from '../../src/iam/policy.js';
import { decide } from '../../src/iam/evaluate.js';
import type { ContextValue } from '../../src/iam/context.js';

const account = '111122223333';
const table = `arn:aws:dynamodb:us-east-1:${account}:table/Books`;
const index = `${table}/index/byAuthor`;

/** A small seeded generator (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x ^= x + Math.imul(x ^ (x >>> 7), 61 | x);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const actions = ['dynamodb:GetItem', 'dynamodb:Get*', 'dynamodb:*', 'dynamodb:Query', 'dynamodb:?utItem', 'DynamoDB:scan', '*'];
const resources = [table, 'arn:aws:dynamodb:*:*:table/Books', `arn:aws:dynamodb:us-east-1:${account}:table/B*`, '*', `${table}/index/*`, 'arn:aws:dynamodb:*:*:table/books'];
const conditions: Array<Record<string, Record<string, unknown>>> = [
  { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['${aws:username}'] } },
  { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['bob', 'carol'] } },
  { 'ForAnyValue:StringEquals': { 'dynamodb:LeadingKeys': ['bob'] } },
  { 'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['id', 'name', 'email'] } },
  { 'ForAnyValue:StringLike': { 'dynamodb:Attributes': ['secret*'] } },
  { 'ForAllValues:StringNotEquals': { 'dynamodb:Attributes': ['secret'] } },
  { StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' } },
  { StringEquals: { 'dynamodb:Select': ['SPECIFIC_ATTRIBUTES', 'COUNT'] } },
  { StringNotEquals: { 'dynamodb:Select': 'ALL_ATTRIBUTES' } },
  { Null: { 'dynamodb:Select': 'true' } },
  { Null: { 'dynamodb:LeadingKeys': 'false' } },
  { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
  { NotIpAddress: { 'aws:SourceIp': ['10.1.0.0/16', '192.168.0.0/16'] } },
  { Bool: { 'aws:SecureTransport': 'true' } },
  { DateGreaterThan: { 'aws:CurrentTime': '2024-01-01T00:00:00Z' } },
  { DateLessThan: { 'aws:CurrentTime': '2024-01-01T00:00:00Z' } },
  { StringLike: { 'aws:username': 'b*' } },
  { StringEqualsIgnoreCase: { 'aws:username': 'BOB' } },
  { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${account}:user/*` } },
];

function pick<T>(next: () => number, list: readonly T[]): T {
  return list[Math.floor(next() * list.length)]!;
}

function statement(next: () => number): Record<string, unknown> {
  const result: Record<string, unknown> = { Effect: next() < 0.7 ? 'Allow' : 'Deny' };
  const actionList = [pick(next, actions), ...(next() < 0.3 ? [pick(next, actions)] : [])];
  result[next() < 0.15 ? 'NotAction' : 'Action'] = actionList;
  result[next() < 0.15 ? 'NotResource' : 'Resource'] = [pick(next, resources)];
  if (next() < 0.7) {
    const condition: Record<string, Record<string, unknown>> = {};
    for (let i = 0, n = 1 + Math.floor(next() * 2); i < n; i++) {
      for (const [operator, entries] of Object.entries(pick(next, conditions))) condition[operator] = { ...condition[operator], ...entries };
    }
    result.Condition = condition;
  }
  return result;
}

function request(next: () => number): { action: string; resource: string; context: Record<string, ContextValue> } {
  const action = pick(next, ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:Scan']);
  const resource = action === 'dynamodb:Query' || action === 'dynamodb:Scan' ? pick(next, [table, index]) : table;
  const context: Record<string, ContextValue> = {
    'aws:SourceIp': pick(next, ['10.1.2.3', '192.168.1.1', '203.0.113.9']),
    'aws:SecureTransport': pick(next, ['true', 'false']),
    'aws:CurrentTime': pick(next, ['2023-06-01T00:00:00Z', '2025-06-01T00:00:00Z']),
  };
  if (action !== 'dynamodb:Scan' && next() < 0.85) context['dynamodb:LeadingKeys'] = [pick(next, ['bob', 'carol', 'dave'])];
  if (next() < 0.8) {
    const attributes = new Set<string>();
    for (let i = 0, n = 1 + Math.floor(next() * 3); i < n; i++) attributes.add(pick(next, ['id', 'name', 'email', 'secret', 'secretKey']));
    context['dynamodb:Attributes'] = [...attributes];
  }
  if (action !== 'dynamodb:PutItem' && next() < 0.8) context['dynamodb:Select'] = pick(next, ['SPECIFIC_ATTRIBUTES', 'ALL_ATTRIBUTES', 'COUNT']);
  return { action, resource, context };
}

const principalArn = `arn:aws:iam::${account}:user/bob`;
const outcomes = { Allowed: 'Allow', ExplicitlyDenied: 'ExplicitDeny', ImplicitlyDenied: 'ImplicitDeny' } as const;

test('decisions agree with an independent IAM simulator on 400 generated cases', async () => {
  const next = random(20241125);
  let compared = 0;
  const tally: Record<string, number> = {};
  const mismatches: string[] = [];
  for (let i = 0; i < 400; i++) {
    const document = { Version: '2012-10-17', Statement: Array.from({ length: 1 + Math.floor(next() * 3) }, () => statement(next)) };
    const req = request(next);
    const principalKeys = { 'aws:username': 'bob', 'aws:PrincipalArn': principalArn, 'aws:userid': 'AIDAEXAMPLE' };
    const simulation: Simulation = {
      identityPolicies: [{ name: 'p', policy: document }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: {
        action: req.action,
        principal: principalArn,
        resource: { accountId: account, resource: req.resource },
        contextVariables: { ...req.context, ...principalKeys } as Record<string, string | string[]>,
      },
    } as Simulation;
    const theirs = await runSimulation(simulation, {});
    if (theirs.resultType !== 'single') continue; // the simulator refused the input (e.g. a key it thinks the action lacks)
    const lower = (entries: Record<string, ContextValue>) => new Map(Object.entries(entries).map(([k, v]) => [k.toLowerCase(), v]));
    const ours = decide({ identity: [compilePolicy(JSON.stringify(document), 'identity', 'p')] }, req.action, req.resource, {
      request: lower(req.context),
      principal: lower(principalKeys),
    }).effect;
    compared++;
    tally[ours] = (tally[ours] ?? 0) + 1;
    const expected = outcomes[theirs.overallResult as keyof typeof outcomes];
    if (ours !== expected) mismatches.push(`case ${i}: ours ${ours}, simulator ${expected}\n${JSON.stringify(document)}\n${JSON.stringify(req)}`);
  }
  assert.ok(compared >= 200, `only ${compared} cases were comparable`);
  // Every outcome must be well represented, or the comparison proves little.
  for (const outcome of ['Allow', 'ExplicitDeny', 'ImplicitDeny']) assert.ok((tally[outcome] ?? 0) >= 40, `${outcome}: ${tally[outcome] ?? 0} cases`);
  assert.deepEqual(mismatches, []);
});
