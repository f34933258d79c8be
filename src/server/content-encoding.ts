// Compressed bodies. Requests may be gzip-encoded (boto3's request compression); DynamoDB
// answers any other Content-Encoding, and gzip it cannot inflate, with HTTP 500. Responses
// over 4 KB are gzip-encoded for clients that accept it, and x-amz-crc32 covers the bytes
// on the wire.
import { gunzipSync, gzip } from 'node:zlib';
import { DynamoError } from '../model/errors.js';
import { requestBodyBytesMax } from '../model/limits.js';

/** Responses at least this large are compressed for clients that accept gzip (DynamoDB's threshold). */
export const responseCompressionBytesMin = 4096;

/** The request body as JSON text bytes: inflated when gzip-encoded. */
export function decodeRequestBody(body: Buffer, contentEncoding: string | undefined): Buffer {
  if (contentEncoding === undefined || contentEncoding === '' || contentEncoding.toLowerCase() === 'identity') return body;
  if (contentEncoding.toLowerCase() !== 'gzip') throw new DynamoError('InternalServerError', 'Internal server error');
  try {
    // Bounded like an uncompressed body, so a tiny bomb cannot exhaust memory (DynamoDB itself
    // inflates far more; the bound is ours).
    return gunzipSync(body, { maxOutputLength: requestBodyBytesMax });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new DynamoError('RequestEntityTooLarge', `Request must be smaller than ${requestBodyBytesMax} bytes for the DynamoDB API`);
    }
    throw new DynamoError('InternalServerError', 'Internal server error');
  }
}

export function acceptsGzip(acceptEncoding: string | string[] | undefined): boolean {
  const value = Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : acceptEncoding;
  return value !== undefined && /(^|,)\s*gzip\s*(;\s*q=(?!0(\.0*)?\s*(,|$))[\d.]+)?\s*(,|$)/i.test(value);
}

export function gzipAsync(bytes: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => gzip(bytes, (error, result) => (error ? reject(error) : resolve(result))));
}
