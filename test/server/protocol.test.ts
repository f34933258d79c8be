// The JSON 1.0 framing: request ids, the CRC32 header older SDKs verify, error bodies,
// unknown operations and malformed bodies, signed with the SDK's own signer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { crc32 } from 'node:zlib';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import { startTestServer, uniqueTableName, type TestServer } from '../support/server.js';
import { defaultAccessKey } from '../../src/server/tabula.js';

let t: TestServer;
before(async () => (t = await startTestServer()));
after(() => t.close());

const signer = new SignatureV4({ service: 'dynamodb', region: 'us-east-1', credentials: defaultAccessKey, sha256: Hash.bind(null, 'sha256') as never });

/** The headers of a POST / to the server calling `target`, signed over `body`. */
async function signedHeaders(target: string, body: string | Buffer, extraHeaders: Record<string, string> = {}): Promise<Record<string, string>> {
  const url = new URL(t.endpoint);
  const request = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    headers: { host: url.host, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target, ...extraHeaders },
    body,
  });
  return request.headers as Record<string, string>;
}

async function signedPost(target: string, body: string | Buffer, extraHeaders: Record<string, string> = {}): Promise<Response> {
  const headers = await signedHeaders(target, body, extraHeaders);
  return fetch(t.endpoint, { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
}

test('responses carry a request id and a CRC32 of the body', async () => {
  const response = await signedPost('DynamoDB_20120810.ListTables', '{}');
  assert.equal(response.status, 200);
  const text = await response.text();
  assert.equal(response.headers.get('x-amz-crc32'), String(crc32(Buffer.from(text))));
  assert.match(response.headers.get('x-amzn-requestid') ?? '', /^[0-9A-Z]{52}$/);
  assert.equal(response.headers.get('content-type'), 'application/x-amz-json-1.0');
});

test('an unknown operation is UnknownOperationException', async () => {
  const response = await signedPost('DynamoDB_20120810.NoSuchThing', '{}');
  assert.equal(response.status, 400);
  const body = (await response.json()) as { __type: string };
  assert.equal(body.__type, 'com.amazon.coral.service#UnknownOperationException');
});

test('a body that is not JSON is SerializationException', async () => {
  const response = await signedPost('DynamoDB_20120810.ListTables', '{not json');
  assert.equal(response.status, 400);
  const body = (await response.json()) as { __type: string };
  assert.equal(body.__type, 'com.amazon.coral.service#SerializationException');
});

test('errors have the __type and message shape', async () => {
  const response = await signedPost('DynamoDB_20120810.DescribeTable', JSON.stringify({ TableName: 'missing_table' }));
  assert.equal(response.status, 400);
  const body = (await response.json()) as { __type: string; message: string };
  assert.equal(body.__type, 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException');
  assert.equal(body.message, 'Requested resource not found: Table: missing_table not found');
});

test('a body changed after signing fails the signature, whatever x-amz-content-sha256 claims', async () => {
  const headers = await signedHeaders('DynamoDB_20120810.ListTables', '{}');
  headers['x-amz-content-sha256'] = '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'; // sha256("{}")
  const response = await fetch(t.endpoint, { method: 'POST', headers, body: '{"Limit":1}' });
  assert.equal(response.status, 400);
  const body = (await response.json()) as { __type: string };
  assert.equal(body.__type, 'com.amazon.coral.service#InvalidSignatureException');
});

test('gzip request bodies are inflated; other encodings and broken gzip are HTTP 500', async () => {
  const { gzipSync } = await import('node:zlib');
  const ok = await signedPost('DynamoDB_20120810.ListTables', gzipSync('{"Limit":1}'), { 'content-encoding': 'gzip' });
  assert.equal(ok.status, 200);
  const garbage = await signedPost('DynamoDB_20120810.ListTables', Buffer.from('{}'), { 'content-encoding': 'garbage' });
  assert.equal(garbage.status, 500);
  const broken = await signedPost('DynamoDB_20120810.ListTables', Buffer.from('{}'), { 'content-encoding': 'gzip' });
  assert.equal(broken.status, 500);
});

test('responses of 4 KB or more are gzipped for clients that accept it, with the CRC of the wire bytes', async () => {
  const { request } = await import('node:http');
  const names = Array.from({ length: 30 }, () => uniqueTableName('g'.repeat(200)));
  for (const name of names) {
    await signedPost('DynamoDB_20120810.CreateTable', JSON.stringify({
      TableName: name,
      KeySchema: [{ AttributeName: 'p', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'p', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }));
  }
  const url = new URL(t.endpoint);
  const headersAcceptingGzip = await signedHeaders('DynamoDB_20120810.ListTables', '{}', { 'accept-encoding': 'gzip' });
  // node:http does not inflate, so the test sees the bytes on the wire.
  const { headers, bytes } = await new Promise<{ headers: Record<string, unknown>; bytes: Buffer }>((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method: 'POST', path: '/', headers: headersAcceptingGzip }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ headers: res.headers, bytes: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end('{}');
  });
  assert.equal(headers['content-encoding'], 'gzip');
  assert.deepEqual([...bytes.subarray(0, 2)], [0x1f, 0x8b]);
  assert.equal(headers['x-amz-crc32'], String(crc32(bytes)));
});
