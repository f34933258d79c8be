// PartiQL from the Python clients against a real server: boto3 (insert, DuplicateItemException,
// paging with NextToken, batch, transaction cancellation) and the AWS CLI's execute-statement,
// batch-execute-statement and execute-transaction.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { pythonClientEnv, runFile } from '../support/python.js';
import { startTestServer, uniqueTableName, type TestServer } from '../support/server.js';
import { createTable } from '../support/tables.js';

const run = runFile;
let t: TestServer;
before(async () => (t = await startTestServer()));
after(() => t.close());

const clientEnv = pythonClientEnv();

test('boto3: execute_statement, batch_execute_statement, execute_transaction', async () => {
  const table = uniqueTableName('pq_boto3');
  await createTable(t.client, { name: table, partitionKey: ['pk', 'S'], sortKey: ['sk', 'N'] });
  const script = fileURLToPath(new URL('../../../test/partiql/partiql_boto3.py', import.meta.url));
  const { stdout } = await run('python3', [script], { env: { ...clientEnv, TABULA_ENDPOINT: t.endpoint, TABULA_TABLE: table } });
  assert.match(stdout, /partiql boto3 OK/);
});

async function aws(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run('aws', ['dynamodb', '--endpoint-url', t.endpoint, '--output', 'json', ...args], { env: clientEnv });
  return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>);
}

test('AWS CLI: execute-statement, batch-execute-statement, execute-transaction', async () => {
  const table = uniqueTableName('pq_cli');
  await createTable(t.client, { name: table, partitionKey: ['Artist', 'S'], sortKey: ['Song', 'S'] });
  await aws('execute-statement', '--statement', `INSERT INTO "${table}" VALUE {'Artist': 'Acme Band', 'Song': 'PartiQL Rocks'}`);
  await aws(
    'batch-execute-statement', '--statements',
    JSON.stringify([{ Statement: `INSERT INTO "${table}" VALUE {'Artist': ?, 'Song': ?}`, Parameters: [{ S: 'Acme Band' }, { S: 'Best Song' }] }]),
  );
  await aws(
    'execute-transaction', '--transact-statements',
    JSON.stringify([{ Statement: `UPDATE "${table}" SET AwardsWon = 1 SET AwardDetail = {'Grammys': [2020, 2018]} WHERE Artist = 'Acme Band' AND Song = 'PartiQL Rocks'` }]),
  );
  const read = await aws('execute-statement', '--statement', `SELECT * FROM "${table}" WHERE Artist = 'Acme Band'`);
  assert.deepEqual(read.Items, [
    { Artist: { S: 'Acme Band' }, Song: { S: 'Best Song' } },
    { Artist: { S: 'Acme Band' }, Song: { S: 'PartiQL Rocks' }, AwardsWon: { N: '1' }, AwardDetail: { M: { Grammys: { L: [{ N: '2020' }, { N: '2018' }] } } } },
  ]);
});
