// PartiQL under IAM: each statement is authorized as dynamodb:PartiQLSelect / PartiQLInsert /
// PartiQLUpdate / PartiQLDelete on its table or index, with dynamodb:LeadingKeys from the key
// its WHERE pins (or an INSERT's item), dynamodb:Attributes, dynamodb:Select and
// dynamodb:FullTableScan; a batch answers a refused statement alone, a transaction fails whole.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchExecuteStatementCommand, ExecuteStatementCommand, ExecuteTransactionCommand, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { createTable } from '../support/tables.js';
import { errorOf } from '../support/errors.js';
import { createUserWithKey, dynamo, startIamTestServer, type IamTestServer } from './support.js';

const table = 'Notes';
const tableArn = `arn:aws:dynamodb:us-east-1:000000000000:table/${table}`;
let t: IamTestServer;
let alice: DynamoDBClient;

before(async () => {
  t = await startIamTestServer({ throttling: false });
  await createTable(t.client, { name: table, partitionKey: ['owner', 'S'], sortKey: ['id', 'N'], globalIndexes: [{ name: 'byTag', partitionKey: ['tag', 'S'] }] });
  for (const [owner, id] of [['alice', 1], ['bob', 1]] as const) {
    await t.client.send(new ExecuteStatementCommand({ Statement: `INSERT INTO ${table} VALUE {'owner': ?, 'id': ?, 'tag': 't', 'text': 'x'}`, Parameters: [{ S: owner }, { N: String(id) }] }));
  }
  const keys = await createUserWithKey(t.iam, 'alice');
  const policy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['dynamodb:PartiQLSelect', 'dynamodb:PartiQLInsert', 'dynamodb:PartiQLUpdate'],
        Resource: [tableArn, `${tableArn}/index/*`],
        Condition: {
          'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['alice', 't'], 'dynamodb:Attributes': ['owner', 'id', 'tag', 'text'] },
          BoolIfExists: { 'dynamodb:FullTableScan': 'false' },
        },
      },
    ],
  };
  await t.iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'own-notes', PolicyDocument: JSON.stringify(policy) }));
  alice = dynamo(t.endpoint, keys);
});
after(async () => {
  alice.destroy();
  await t.close();
});

const run = (statement: string) => alice.send(new ExecuteStatementCommand({ Statement: statement }));
const userArn = 'arn:aws:iam::000000000000:user/alice';
const noPolicyAllows = (action: string, resource = tableArn) =>
  `User: ${userArn} is not authorized to perform: dynamodb:${action} on resource: ${resource} because no identity-based policy allows the dynamodb:${action} action`;

async function denied(statement: string, action: string, resource = tableArn): Promise<void> {
  const error = await errorOf(run(statement));
  assert.deepEqual([error.name, error.message], ['AccessDeniedException', noPolicyAllows(action, resource)], statement);
}

test('reads, inserts and updates of her own partition are allowed', async () => {
  assert.equal((await run(`SELECT * FROM ${table} WHERE owner = 'alice'`)).Items!.length, 1);
  assert.equal((await run(`SELECT text FROM ${table} WHERE owner IN ['alice'] AND id = 1`)).Items!.length, 1);
  await run(`INSERT INTO ${table} VALUE {'owner': 'alice', 'id': 2, 'text': 'y'}`);
  await run(`UPDATE ${table} SET text = 'z' WHERE owner = 'alice' AND id = 2`);
  assert.equal((await run(`SELECT * FROM "${table}"."byTag" WHERE tag = 't'`)).Items!.length, 2);
});

test('another partition, a full scan, an extra attribute or an action without a grant are refused', async () => {
  await denied(`SELECT * FROM ${table} WHERE owner = 'bob'`, 'PartiQLSelect');
  await denied(`SELECT * FROM ${table} WHERE owner IN ['alice', 'bob']`, 'PartiQLSelect');
  await denied(`SELECT * FROM ${table}`, 'PartiQLSelect');
  await denied(`SELECT * FROM ${table} WHERE text = 'x'`, 'PartiQLSelect');
  await denied(`INSERT INTO ${table} VALUE {'owner': 'bob', 'id': 3}`, 'PartiQLInsert');
  await denied(`INSERT INTO ${table} VALUE {'owner': 'alice', 'id': 3, 'secret': 's'}`, 'PartiQLInsert');
  await denied(`UPDATE ${table} SET secret = 's' WHERE owner = 'alice' AND id = 1`, 'PartiQLUpdate');
  await denied(`DELETE FROM ${table} WHERE owner = 'alice' AND id = 1`, 'PartiQLDelete');
  await denied(`SELECT * FROM "${table}"."byTag" WHERE tag = 'other'`, 'PartiQLSelect', `${tableArn}/index/byTag`);
});

test('parameters count as the values they bind', async () => {
  const ok = await alice.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM ${table} WHERE owner = ?`, Parameters: [{ S: 'alice' }] }));
  assert.ok(ok.Items!.length >= 1);
  const error = await errorOf(alice.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM ${table} WHERE owner = ?`, Parameters: [{ S: 'bob' }] })));
  assert.equal(error.name, 'AccessDeniedException');
});

test('in a batch only the foreign statement is refused (AccessDenied); a transaction is refused whole', async () => {
  const statements = [`SELECT * FROM ${table} WHERE owner = 'alice' AND id = 1`, `SELECT * FROM ${table} WHERE owner = 'bob' AND id = 1`];
  const batch = await alice.send(new BatchExecuteStatementCommand({ Statements: statements.map((Statement) => ({ Statement })) }));
  assert.equal(batch.Responses![0]!.Item!.owner!.S, 'alice');
  assert.deepEqual(batch.Responses![1]!.Error, { Code: 'AccessDenied', Message: noPolicyAllows('PartiQLSelect') });
  assert.equal(batch.Responses![1]!.Item, undefined);
  const transaction = await errorOf(alice.send(new ExecuteTransactionCommand({ TransactStatements: statements.map((Statement) => ({ Statement })) })));
  assert.deepEqual([transaction.name, transaction.message], ['AccessDeniedException', noPolicyAllows('PartiQLSelect')]);
});
