// SigV4 authentication through the real SDK and raw HTTP: each failure gets the real
// service's error name and text, and a correctly signed request goes through.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { startTestServer, type TestServer } from '../support/server.js';
import { errorOf } from '../support/errors.js';
import { defaultAccessKey } from '../../src/server/tabula.js';

let t: TestServer;
before(async () => (t = await startTestServer()));
after(() => t.close());

function clientWith(options: Partial<ConstructorParameters<typeof DynamoDBClient>[0]>): DynamoDBClient {
  return new DynamoDBClient({ endpoint: t.endpoint, region: 'us-east-1', credentials: defaultAccessKey, maxAttempts: 1, ...options });
}


test('a correctly signed request succeeds', async () => {
  const result = await t.client.send(new ListTablesCommand({}));
  assert.deepEqual(result.TableNames, []);
});

test('an unknown access key is UnrecognizedClientException', async () => {
  const client = clientWith({ credentials: { accessKeyId: 'nobody', secretAccessKey: 'x' } });
  const error = await errorOf(client.send(new ListTablesCommand({})));
  assert.equal(error.name, 'UnrecognizedClientException');
  assert.equal(error.message, 'The security token included in the request is invalid.');
  client.destroy();
});

test('a wrong secret is InvalidSignatureException', async () => {
  const client = clientWith({ credentials: { accessKeyId: defaultAccessKey.accessKeyId, secretAccessKey: 'wrong' } });
  const error = await errorOf(client.send(new ListTablesCommand({})));
  assert.equal(error.name, 'InvalidSignatureException');
  assert.match(error.message, /^The request signature we calculated does not match the signature you provided/);
  client.destroy();
});

test('a signature from 16 minutes ago has expired; 14 minutes is within the skew', async () => {
  const late = clientWith({ systemClockOffset: -16 * 60 * 1000 });
  const error = await errorOf(late.send(new ListTablesCommand({})));
  assert.equal(error.name, 'InvalidSignatureException');
  assert.match(error.message, /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
  late.destroy();
  const fine = clientWith({ systemClockOffset: -14 * 60 * 1000 });
  await fine.send(new ListTablesCommand({}));
  fine.destroy();
});

test('a signature from the future beyond the skew is not yet current', async () => {
  const early = clientWith({ systemClockOffset: 16 * 60 * 1000 });
  const error = await errorOf(early.send(new ListTablesCommand({})));
  assert.equal(error.name, 'InvalidSignatureException');
  assert.match(error.message, /^Signature not yet current: /);
  early.destroy();
});

test('a request signed for another region is refused', async () => {
  const client = clientWith({ region: 'eu-west-1' });
  const error = await errorOf(client.send(new ListTablesCommand({})));
  assert.equal(error.name, 'InvalidSignatureException');
  assert.equal(error.message, "Credential should be scoped to a valid region, not 'eu-west-1'. ");
  client.destroy();
});

test('an unsigned request is MissingAuthenticationTokenException', async () => {
  const response = await fetch(t.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables' },
    body: '{}',
  });
  assert.equal(response.status, 400);
  const body = (await response.json()) as { __type: string; message: string };
  assert.equal(body.__type, 'com.amazon.coral.service#MissingAuthenticationTokenException');
  assert.equal(body.message, 'Request is missing Authentication Token');
});

test('an unsigned GET / is the health check, naming the host asked; other paths are not', async () => {
  const response = await fetch(t.endpoint);
  assert.equal(response.status, 200);
  assert.equal(await response.text(), `healthy: ${new URL(t.endpoint).host}`);
  const other = await fetch(`${t.endpoint}/health`);
  assert.equal(other.status, 400);
});
