// The one place errors become HTTP: a DynamoError is written with its catalogue status and
// __type; anything else is our bug, logged and answered as InternalServerError.
import { crc32 } from 'node:zlib';
import type { ServerResponse } from 'node:http';
import { DynamoError, errorCatalogue } from '../model/errors.js';
import { acceptsGzip, gzipAsync, responseCompressionBytesMin } from './content-encoding.js';

const contentType = 'application/x-amz-json-1.0';

export function sendJson(response: ServerResponse, status: number, requestId: string, body: string): void {
  const bytes = Buffer.from(body, 'utf8');
  if (bytes.length >= responseCompressionBytesMin && acceptsGzip(response.req?.headers['accept-encoding'])) {
    gzipAsync(bytes).then(
      (compressed) => writeBody(response, status, requestId, compressed, 'gzip'),
      () => writeBody(response, status, requestId, bytes, undefined),
    );
    return;
  }
  writeBody(response, status, requestId, bytes, undefined);
}

function writeBody(response: ServerResponse, status: number, requestId: string, bytes: Buffer, encoding: 'gzip' | undefined): void {
  if (response.destroyed) return;
  const headers: Record<string, string | number> = {
    'content-type': contentType,
    'content-length': bytes.length,
    'x-amzn-requestid': requestId,
    'x-amz-crc32': String(crc32(bytes)), // of the bytes on the wire, compressed or not
  };
  if (encoding) headers['content-encoding'] = encoding;
  response.writeHead(status, headers);
  response.end(bytes);
}

export function sendError(response: ServerResponse, requestId: string, error: unknown, log: (message: string) => void): void {
  if (!(error instanceof DynamoError)) {
    log(`request ${requestId} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    error = new DynamoError('InternalServerError', 'Internal server error');
  }
  const dynamoError = error as DynamoError;
  const spec = errorCatalogue[dynamoError.name];
  const body: Record<string, unknown> = { __type: `${spec.namespace}#${dynamoError.name}` };
  // TransactionCanceledException carries "Message" (capitalised) as the service sends it.
  if (dynamoError.name === 'TransactionCanceledException') body.Message = dynamoError.message;
  else body.message = dynamoError.message;
  if (dynamoError.fields) Object.assign(body, dynamoError.fields);
  sendJson(response, spec.status, requestId, JSON.stringify(body));
}
