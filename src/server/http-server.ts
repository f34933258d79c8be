// The DynamoDB listener: HTTP framing, body limit, X-Amz-Target routing, SigV4, request ids,
// the authorization hook, and the IAM/STS Query protocol (form-encoded POSTs without X-Amz-Target).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { DynamoError } from '../model/errors.js';
import { requestBodyBytesMax } from '../model/limits.js';
import { signedService, verifySignature } from '../auth/sigv4.js';
import type { CredentialStore, Principal } from '../auth/credentials.js';
import { sendError, sendJson } from './wire.js';
import { decodeRequestBody } from './content-encoding.js';

export interface RequestContext {
  principal: Principal;
  requestId: string;
  /** The Host header the client addressed (DescribeEndpoints answers with it). */
  host: string;
}

export type OperationHandler = (input: Record<string, unknown>, context: RequestContext) => unknown;

/** What global condition keys report about a request (aws:SourceIp, aws:SecureTransport, aws:CurrentTime). */
export interface RequestFacts {
  requestId: string;
  sourceIp: string;
  secure: boolean;
  nowMs: number;
}

/**
 * Authorizes a parsed DynamoDB request of a principal that is not the account root (the root
 * never reaches it); throws a DynamoError (AccessDeniedException) to refuse. An outcome answers
 * the request instead of the operation (a principal of another account listing its own, empty, account).
 */
export type AuthorizeHook = (operation: string, input: Record<string, unknown>, principal: Principal, facts: RequestFacts) => AuthorizeOutcome | undefined | void;

export interface AuthorizeOutcome {
  output: unknown;
}

export type QueryServiceName = 'iam' | 'sts';

/** The IAM and STS APIs over the Query protocol. */
export interface QueryApi {
  isUnsignedAction(action: string): boolean;
  handleQuery(service: QueryServiceName, params: URLSearchParams, principal: Principal | undefined, facts: RequestFacts): Promise<string>;
  errorBody(service: QueryServiceName, error: unknown, requestId: string): { status: number; body: string; internal: boolean };
}

export interface ServerOptions {
  host: string;
  port: number;
  region: string;
  credentials: CredentialStore;
  operations: Record<string, OperationHandler>;
  /** The DynamoDB Streams API (X-Amz-Target DynamoDBStreams_20120810.*, signed for service dynamodb as the SDKs do). */
  streamOperations?: Record<string, OperationHandler>;
  /** Authorization of non-root principals; without it they are refused. */
  authorize?: AuthorizeHook;
  /** The account root's check (resource-based policies can deny it); without it the root is never refused. */
  authorizeRoot?: AuthorizeHook;
  /** IAM and STS; without it, Query-protocol requests are unknown operations. */
  query?: QueryApi;
  now: () => number;
  log: (message: string) => void;
}

export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

const targetPrefix = 'DynamoDB_20120810.';
const streamsTargetPrefix = 'DynamoDBStreams_20120810.';

// Request ids look like DynamoDB's (52 characters of [0-9A-Z]): a random per-process
// prefix and a counter, so minting one costs no entropy on the hot path.
const requestIdPrefix = randomBytes(16).toString('hex').toUpperCase();
let requestCounter = 0;
function nextRequestId(): string {
  requestCounter++;
  return requestIdPrefix + requestCounter.toString(36).toUpperCase().padStart(20, '0');
}

export async function startHttpServer(options: ServerOptions): Promise<RunningServer> {
  let inFlight = 0;
  let idle: (() => void) | undefined;
  const server: Server = createServer({ keepAliveTimeout: 60_000 }, (request, response) => {
    inFlight++;
    response.on('close', () => {
      inFlight--;
      if (inFlight === 0 && idle) idle();
    });
    handle(request, response, options);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      // Stop accepting, let in-flight requests finish, then drop keep-alive sockets.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) await new Promise<void>((resolve) => (idle = resolve));
      server.closeAllConnections();
      await closed;
    },
  };
}

function handle(request: IncomingMessage, response: ServerResponse, options: ServerOptions): void {
  const requestId = nextRequestId();
  const chunks: Buffer[] = [];
  let received = 0;
  let tooLarge = false;
  request.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > requestBodyBytesMax) tooLarge = true;
    else chunks.push(chunk);
  });
  request.on('error', () => response.destroy());
  request.on('end', () => {
    if (tooLarge) {
      sendError(response, requestId, new DynamoError('RequestEntityTooLarge', `Request must be smaller than ${requestBodyBytesMax} bytes for the DynamoDB API`), options.log);
      return;
    }
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    respond(request, response, body, requestId, options).catch((error: unknown) => sendError(response, requestId, error, options.log));
  });
}

async function respond(
  request: IncomingMessage,
  response: ServerResponse,
  body: Buffer,
  requestId: string,
  options: ServerOptions,
): Promise<void> {
  if (request.method === 'GET' && request.url === '/' && body.length === 0) {
    // DynamoDB answers an unsigned GET / as a health check, naming the host it was asked as.
    response.writeHead(200, { 'content-type': 'text/plain', 'x-amzn-requestid': requestId });
    response.end(`healthy: ${request.headers.host ?? `dynamodb.${options.region}.amazonaws.com`}`);
    return;
  }
  const target = request.headers['x-amz-target'];
  if (target === undefined && options.query !== undefined && isFormEncoded(request.headers['content-type'])) {
    await respondQuery(request, response, body, requestId, options, options.query);
    return;
  }
  const principal = verifySignature(
    { method: request.method ?? 'POST', url: request.url ?? '/', headers: request.headers, body },
    options.credentials,
    options.region,
    options.now(),
  );
  if (request.method !== 'POST') {
    throw new DynamoError('SerializationException', 'Only POST requests are supported');
  }
  let operations = options.operations;
  let operationName = '';
  if (typeof target === 'string' && target.startsWith(targetPrefix)) operationName = target.slice(targetPrefix.length);
  else if (typeof target === 'string' && options.streamOperations !== undefined && target.startsWith(streamsTargetPrefix)) {
    operations = options.streamOperations;
    operationName = target.slice(streamsTargetPrefix.length);
  }
  const operation = Object.hasOwn(operations, operationName) ? operations[operationName] : undefined;
  if (!operation) throw new DynamoError('UnknownOperationException', '');
  const input = parseBody(decodeRequestBody(body, request.headers['content-encoding']));
  // The account root skips authorization entirely: one property test on the hot path.
  let outcome: AuthorizeOutcome | undefined | void;
  if (!principal.root) {
    if (options.authorize === undefined) {
      throw new DynamoError('AccessDeniedException', `User: ${principal.arn} is not authorized to perform: dynamodb:${operationName}`);
    }
    outcome = options.authorize(operationName, input, principal, requestFacts(request, requestId, options));
  } else if (options.authorizeRoot !== undefined) {
    outcome = options.authorizeRoot(operationName, input, principal, requestFacts(request, requestId, options));
  }
  const output = outcome ? outcome.output : await operation(input, { principal, requestId, host: request.headers.host ?? '' });
  // Operations without output members (TagResource, UntagResource) answer an empty body.
  sendJson(response, 200, requestId, output === undefined ? '' : JSON.stringify(output));
}

function parseBody(body: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch {
    throw new DynamoError('SerializationException', 'Start of structure or map found where not expected.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new DynamoError('SerializationException', 'Start of structure or map found where not expected.');
  }
  return parsed as Record<string, unknown>;
}

function requestFacts(request: IncomingMessage, requestId: string, options: ServerOptions): RequestFacts {
  return {
    requestId,
    sourceIp: request.socket.remoteAddress ?? '',
    secure: (request.socket as { encrypted?: boolean }).encrypted === true,
    nowMs: options.now(),
  };
}

function isFormEncoded(contentType: string | undefined): boolean {
  return contentType !== undefined && contentType.toLowerCase().startsWith('application/x-www-form-urlencoded');
}

/**
 * An IAM or STS call (AWS Query protocol): Action=...&Version=... in a form-encoded body (and
 * the URL's query string). The credential scope's service says which API; the only unsigned
 * calls are STS's web-identity ones. Answers are XML, errors an <ErrorResponse>.
 */
async function respondQuery(
  request: IncomingMessage,
  response: ServerResponse,
  body: Buffer,
  requestId: string,
  options: ServerOptions,
  api: QueryApi,
): Promise<void> {
  const params = new URLSearchParams(body.toString('utf8'));
  const queryStart = (request.url ?? '').indexOf('?');
  if (queryStart >= 0) for (const [name, value] of new URLSearchParams(request.url!.slice(queryStart + 1))) params.append(name, value);
  const scoped = signedService(request.headers);
  const service: QueryServiceName = scoped === 'iam' || (scoped === undefined && params.get('Version') === '2010-05-08') ? 'iam' : 'sts';
  try {
    const action = params.get('Action') ?? '';
    const unsigned = request.headers.authorization === undefined && api.isUnsignedAction(action);
    const principal = unsigned
      ? undefined
      : verifySignature(
          { method: request.method ?? 'POST', url: request.url ?? '/', headers: request.headers, body },
          options.credentials,
          options.region,
          options.now(),
          queryServices,
        );
    const xml = await api.handleQuery(service, params, principal, requestFacts(request, requestId, options));
    sendXml(response, 200, requestId, xml);
  } catch (error) {
    const failure = api.errorBody(service, error, requestId);
    if (failure.internal) {
      options.log(`request ${requestId} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    sendXml(response, failure.status, requestId, failure.body);
  }
}

const queryServices: readonly string[] = ['iam', 'sts'];

function sendXml(response: ServerResponse, status: number, requestId: string, xml: string): void {
  const bytes = Buffer.from(xml, 'utf8');
  response.writeHead(status, { 'content-type': 'text/xml', 'content-length': bytes.length, 'x-amzn-requestid': requestId });
  response.end(bytes);
}
