// Pre-signing: every request body a workload replays is signed once, up front, with the SDK's own
// SigV4 signer. A signature stays valid for 15 minutes and the server accepts a replayed one, so
// the load generator spends no time on cryptography during a run.
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';

export const benchHost = '127.0.0.1';
export const benchRegion = 'us-east-1';
export const benchCredentials = { accessKeyId: 'tabula', secretAccessKey: 'tabula-local-secret' };
const targetPrefix = 'DynamoDB_20120810.';

/** One ready-to-send request: exact header names and values, and the body they were signed over. */
export interface SignedRequest {
  headers: Record<string, string>;
  body: string;
}

export type Signer = (operation: string, body: string) => Promise<SignedRequest>;

/** A signer for requests to 127.0.0.1:<port>, with the headers the AWS SDK sends. */
export function createSigner(port: number): Signer {
  const signer = new SignatureV4({
    service: 'dynamodb',
    region: benchRegion,
    credentials: benchCredentials,
    sha256: Hash.bind(null, 'sha256') as never,
  });
  const host = `${benchHost}:${port}`;
  return async (operation, body) => {
    const signed = await signer.sign({
      method: 'POST',
      protocol: 'http:',
      hostname: benchHost,
      port,
      path: '/',
      query: {},
      headers: { host, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': targetPrefix + operation },
      body,
    });
    // wrk writes header names as given; "Host" capitalised keeps wrk from adding a second one.
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(signed.headers)) headers[name === 'host' ? 'Host' : name] = String(value);
    return { headers, body };
  };
}

export async function signAll(sign: Signer, operation: string, bodies: string[]): Promise<SignedRequest[]> {
  const signed: SignedRequest[] = [];
  for (const body of bodies) signed.push(await sign(operation, body));
  return signed;
}

/** Sends one signed request (setup and sanity checks, never measured); throws unless HTTP 200. */
export async function send(port: number, request: SignedRequest): Promise<unknown> {
  const { Host: _host, ...headers } = request.headers;
  const response = await fetch(`http://${benchHost}:${port}/`, { method: 'POST', headers, body: request.body });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`HTTP ${response.status} from ${headers['x-amz-target']}: ${text}`);
  return JSON.parse(text) as unknown;
}

export type Caller = (operation: string, input: unknown) => Promise<any>;

export function createCaller(port: number): Caller {
  const sign = createSigner(port);
  return async (operation, input) => send(port, await sign(operation, JSON.stringify(input)));
}
