// `node dist/bench/iam-evaluate.js`: policy evaluations per second for representative policies
// (the canonical fine-grained one, a wildcard-heavy one, a ten-statement one, and the
// fine-grained one combined with a table's resource-based policy and a permissions boundary),
// plus the cost of computing a request's DynamoDB condition keys (dynamodb:LeadingKeys,
// dynamodb:Attributes, ...), which reads the request's expressions from the parse cache the
// operation itself then hits again. The last cases compare the work a non-root request does
// before its operation runs, the way it is done now (IAM walks the cached parse, the operation
// binds) with the way it was done before (prepareExpressions in IAM, then again in the
// operation), in the same run. Prints ops/s and ns/op; asserts nothing.
import { performance } from 'node:perf_hooks';
import { compilePolicy, type CompiledPolicy } from '../src/iam/policy.js';
import { decide, type PolicySet } from '../src/iam/evaluate.js';
import { dynamodbAccess, type TableLookup } from '../src/iam/dynamodb-access.js';
import { principalMatcher } from '../src/iam/resource-policy.js';
import type { ContextValue } from '../src/iam/context.js';
import type { TableSpec } from '../src/engine/table-spec.js';
import { prepareExpressions, type ExpressionInput } from '../src/expressions/index.js';
import { expressionKeys } from '../src/iam/expression-keys.js';

const account = '111122223333';
const table = `arn:aws:dynamodb:us-east-1:${account}:table/Profiles`;
const sub = 'us-east-1:aaaaaaaa-0000-0000-0000-000000000001';

const fineGrained = compilePolicy(
  {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
        Resource: [table],
        Condition: {
          'ForAllValues:StringEquals': {
            'dynamodb:LeadingKeys': ['${cognito-identity.amazonaws.com:sub}'],
            'dynamodb:Attributes': ['userId', 'name', 'email', 'preferences'],
          },
          StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
        },
      },
    ],
  },
  'identity',
  'fine-grained',
);

const wildcardHeavy = compilePolicy(
  {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['dynamodb:Get*', 'dynamodb:Batch*', 'dynamodb:Query', 'dynamodb:?can'], Resource: ['arn:aws:dynamodb:*:*:table/Prof*', 'arn:aws:dynamodb:*:*:table/*/index/*'] },
      { Effect: 'Deny', NotAction: ['dynamodb:*Item', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:Describe*'], Resource: '*' },
      { Effect: 'Allow', Action: 'dynamodb:*', Resource: 'arn:aws:dynamodb:us-*:*:table/${aws:username}-*' },
    ],
  },
  'identity',
  'wildcards',
);

const tenStatements = compilePolicy(
  {
    Version: '2012-10-17',
    Statement: Array.from({ length: 10 }, (_, i) => ({
      Sid: `S${i}`,
      Effect: i === 3 ? 'Deny' : 'Allow',
      Action: i === 3 ? 'dynamodb:DeleteTable' : [`dynamodb:${['PutItem', 'Scan', 'BatchWriteItem', 'DeleteTable', 'UpdateTable', 'Query', 'DescribeTable', 'ListTables', 'UpdateItem', 'GetItem'][i]}`],
      Resource: `arn:aws:dynamodb:us-east-1:${account}:table/T${i}*`,
      ...(i % 2 === 0 ? { Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' }, Bool: { 'aws:SecureTransport': 'true' } } } : {}),
    })),
  },
  'identity',
  'ten',
);

const resourcePolicy = compilePolicy(
  {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Deny', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'dynamodb:DeleteTable', Resource: table },
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:role/AppUser` }, Action: 'dynamodb:GetItem', Resource: table },
    ],
  },
  'resource',
  table,
);
const boundary = compilePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }] }, 'identity', 'boundary');

const principalKeys = new Map<string, ContextValue>([
  ['cognito-identity.amazonaws.com:sub', sub],
  ['aws:username', 'alice'],
  ['aws:principalarn', `arn:aws:iam::${account}:role/AppUser`],
]);

function requestKeys(): Map<string, ContextValue> {
  return new Map<string, ContextValue>([
    ['dynamodb:leadingkeys', [sub]],
    ['dynamodb:attributes', ['userId', 'name', 'email']],
    ['dynamodb:select', 'SPECIFIC_ATTRIBUTES'],
    ['aws:currenttime', new Date().toISOString()],
    ['aws:sourceip', '10.1.2.3'],
    ['aws:securetransport', 'true'],
    ['aws:requestedregion', 'us-east-1'],
  ]);
}

interface Case {
  name: string;
  run: () => unknown;
}

const context = { request: requestKeys(), principal: principalKeys };
const caller = { accountId: account, arn: `arn:aws:sts::${account}:assumed-role/AppUser/s`, accessKeyId: 'ASIA', userId: 'AROA:s', root: false };
const combined: PolicySet = {
  identity: [fineGrained],
  boundary: [boundary],
  resource: { policy: resourcePolicy, principalMatch: principalMatcher(caller, `arn:aws:iam::${account}:role/AppUser`) },
};
const one = (policy: CompiledPolicy): PolicySet => ({ identity: [policy] });

const spec = {
  TableName: 'Profiles',
  keySchema: { partitionKey: { name: 'userId', type: 'S' } },
  GlobalSecondaryIndexes: [],
  LocalSecondaryIndexes: [],
} as unknown as TableSpec;
const tables: TableLookup = {
  find: (name) => (name === 'Profiles' ? { spec, tableId: 'id' } : undefined),
  tableArn: (name) => `arn:aws:dynamodb:us-east-1:${account}:table/${name}`,
};
const getItemInput = {
  TableName: 'Profiles',
  Key: { userId: { S: sub } },
  ProjectionExpression: '#n, email, preferences',
  ExpressionAttributeNames: { '#n': 'name' },
};
const updateInput = {
  TableName: 'Profiles',
  Key: { userId: { S: sub } },
  UpdateExpression: 'SET #n = :n, email = :e REMOVE preferences',
  ConditionExpression: 'attribute_exists(userId)',
  ExpressionAttributeNames: { '#n': 'name' },
  ExpressionAttributeValues: { ':n': { S: 'Alice' }, ':e': { S: 'a@example.com' } },
  ReturnValues: 'ALL_NEW',
};

const cases: Case[] = [
  { name: 'fine-grained GetItem (allow)', run: () => decide(one(fineGrained), 'dynamodb:GetItem', table, context) },
  { name: 'fine-grained PutItem (implicit deny)', run: () => decide(one(fineGrained), 'dynamodb:PutItem', table, context) },
  { name: 'wildcard-heavy Query on an index', run: () => decide(one(wildcardHeavy), 'dynamodb:Query', `${table}/index/byEmail`, context) },
  { name: 'ten statements, last one matches', run: () => decide(one(tenStatements), 'dynamodb:GetItem', `arn:aws:dynamodb:us-east-1:${account}:table/T9x`, context) },
  { name: 'fine-grained + boundary + resource policy', run: () => decide(combined, 'dynamodb:GetItem', table, context) },
  { name: 'condition keys of a GetItem (dynamodbAccess)', run: () => dynamodbAccess('GetItem', getItemInput, tables) },
  { name: 'condition keys of an UpdateItem (dynamodbAccess)', run: () => dynamodbAccess('UpdateItem', updateInput, tables) },
  // Before the operation runs: IAM's expression keys plus the operation's own prepare.
  { name: 'GetItem keys+prepare, before (prepare twice)', run: () => [prepareExpressions(getItemInput as ExpressionInput), prepareExpressions(getItemInput as ExpressionInput)] },
  { name: 'GetItem keys+prepare, now (shared parse)', run: () => [expressionKeys(getItemInput, 'userId'), prepareExpressions(getItemInput as ExpressionInput)] },
  { name: 'UpdateItem keys+prepare, before (prepare twice)', run: () => [prepareExpressions(updateInput as ExpressionInput), prepareExpressions(updateInput as ExpressionInput)] },
  { name: 'UpdateItem keys+prepare, now (shared parse)', run: () => [expressionKeys(updateInput, 'userId'), prepareExpressions(updateInput as ExpressionInput)] },
];

function measure(run: () => unknown, durationMs: number): { opsPerSecond: number; nsPerOp: number } {
  let sink = 0;
  for (let i = 0; i < 20_000; i++) sink += run() === undefined ? 0 : 1; // warm up
  let operations = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < durationMs) {
    for (let i = 0; i < 1000; i++) sink += run() === undefined ? 0 : 1;
    operations += 1000;
    elapsed = performance.now() - started;
  }
  if (sink < 0) console.log(sink);
  return { opsPerSecond: (operations / elapsed) * 1000, nsPerOp: (elapsed * 1e6) / operations };
}

const durationMs = Number(process.env.BENCH_DURATION_MS ?? 1000);
console.log(`policy evaluation, ${durationMs} ms per case (node ${process.version})`);
for (const entry of cases) {
  const { opsPerSecond, nsPerOp } = measure(entry.run, durationMs);
  console.log(`${entry.name.padEnd(52)} ${Math.round(opsPerSecond).toLocaleString('en-US').padStart(12)} ops/s ${nsPerOp.toFixed(0).padStart(8)} ns/op`);
}
