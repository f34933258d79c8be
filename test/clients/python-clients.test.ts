// Real Python clients against a real server: a boto3 session as a new user would write it,
// and the AWS CLI v1 for a create / write / conditional update / read round trip.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { pythonClientEnv, runFile } from '../support/python.js';
import { startTestServer, uniqueTableName, type TestServer } from '../support/server.js';

const run = runFile;
let t: TestServer;
before(async () => (t = await startTestServer()));
after(() => t.close());

const scriptPath = fileURLToPath(new URL('../../../test/clients/boto3_smoke.py', import.meta.url));
const clientEnv = pythonClientEnv();

test('boto3: create, write, read, conditional update, limits', async () => {
  const { stdout } = await run('python3', [scriptPath], {
    env: { ...clientEnv, TABULA_ENDPOINT: t.endpoint, TABULA_TABLE: uniqueTableName('boto3') },
  });
  assert.match(stdout, /boto3 smoke OK/);
});

async function aws(...args: string[]): Promise<unknown> {
  const { stdout } = await run('aws', ['dynamodb', '--endpoint-url', t.endpoint, '--output', 'json', ...args], { env: clientEnv });
  return stdout.trim() === '' ? {} : JSON.parse(stdout);
}

test('AWS CLI: create-table, put-item, update-item with a condition, get-item', async () => {
  const table = uniqueTableName('cli');
  const created = (await aws(
    'create-table', '--table-name', table,
    '--attribute-definitions', 'AttributeName=Artist,AttributeType=S', 'AttributeName=Song,AttributeType=S',
    '--key-schema', 'AttributeName=Artist,KeyType=HASH', 'AttributeName=Song,KeyType=RANGE',
    '--billing-mode', 'PAY_PER_REQUEST',
  )) as { TableDescription: { TableName: string } };
  assert.equal(created.TableDescription.TableName, table);
  await aws('put-item', '--table-name', table, '--item', '{"Artist":{"S":"Arturo"},"Song":{"S":"Tango"},"Plays":{"N":"1"}}');
  const updated = (await aws(
    'update-item', '--table-name', table,
    '--key', '{"Artist":{"S":"Arturo"},"Song":{"S":"Tango"}}',
    '--update-expression', 'SET Plays = Plays + :one',
    '--condition-expression', 'Plays < :max',
    '--expression-attribute-values', '{":one":{"N":"1"},":max":{"N":"10"}}',
    '--return-values', 'ALL_NEW',
  )) as { Attributes: Record<string, unknown> };
  assert.deepEqual(updated.Attributes.Plays, { N: '2' });
  const read = (await aws('get-item', '--table-name', table, '--key', '{"Artist":{"S":"Arturo"},"Song":{"S":"Tango"}}', '--consistent-read')) as {
    Item: Record<string, unknown>;
  };
  assert.deepEqual(read.Item, { Artist: { S: 'Arturo' }, Song: { S: 'Tango' }, Plays: { N: '2' } });
  await assert.rejects(
    aws(
      'update-item', '--table-name', table,
      '--key', '{"Artist":{"S":"Arturo"},"Song":{"S":"Tango"}}',
      '--update-expression', 'SET Plays = :v', '--condition-expression', 'Plays > :v',
      '--expression-attribute-values', '{":v":{"N":"100"}}',
    ),
    /ConditionalCheckFailedException/,
  );
});
