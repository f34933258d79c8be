// The fallback load generator, used when wrk is not installed: `connections` loops, each with its
// own keep-alive socket, replaying pre-signed requests back to back for a fixed time. It runs on
// the same two cores as the server, so it lowers every number it measures; wrk lowers them less.
import { Agent, request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { benchHost, type SignedRequest } from './sign.js';

export interface LoadOptions {
  port: number;
  requests: SignedRequest[];
  durationS: number;
  connections: number;
}

export interface LoadResult {
  requests: number;
  durationS: number;
  requestsPerS: number;
  p50Ms: number;
  p99Ms: number;
  /** Responses with a status other than 2xx. */
  non2xx: number;
  /** Connect, read, write errors and timeouts. */
  socketErrors: number;
}

const requestTimeoutMs = 10_000;

interface Prepared {
  headers: Record<string, string | number>;
  body: Buffer;
}

export async function runNodeLoad(options: LoadOptions): Promise<LoadResult> {
  const prepared: Prepared[] = options.requests.map((r) => {
    const body = Buffer.from(r.body, 'utf8');
    return { headers: { ...r.headers, 'content-length': body.length }, body };
  });
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const latenciesMs: number[] = [];
  let non2xx = 0;
  let socketErrors = 0;
  const started = performance.now();
  const deadline = started + options.durationS * 1000;

  const send = (request: Prepared) =>
    new Promise<number>((resolve) => {
      const outgoing = httpRequest(
        { host: benchHost, port: options.port, method: 'POST', path: '/', headers: request.headers, agent, timeout: requestTimeoutMs },
        (response) => {
          response.on('data', () => {});
          response.on('end', () => resolve(response.statusCode ?? 0));
          response.on('error', () => resolve(0));
        },
      );
      outgoing.on('timeout', () => outgoing.destroy(new Error('timeout')));
      outgoing.on('error', () => resolve(0));
      outgoing.end(request.body);
    });

  const loop = async (index: number) => {
    let position = (index * 997) % prepared.length;
    while (performance.now() < deadline) {
      const sentAt = performance.now();
      const status = await send(prepared[position]!);
      if (status === 0) socketErrors++;
      else {
        latenciesMs.push(performance.now() - sentAt);
        if (status < 200 || status > 299) non2xx++;
      }
      position = (position + 1) % prepared.length;
    }
  };
  await Promise.all(Array.from({ length: options.connections }, (_, i) => loop(i)));
  const durationS = (performance.now() - started) / 1000;
  agent.destroy();

  latenciesMs.sort((a, b) => a - b);
  const percentile = (p: number) => latenciesMs[Math.min(latenciesMs.length - 1, Math.floor((p / 100) * latenciesMs.length))] ?? 0;
  return {
    requests: latenciesMs.length,
    durationS,
    requestsPerS: latenciesMs.length / durationS,
    p50Ms: percentile(50),
    p99Ms: percentile(99),
    non2xx,
    socketErrors,
  };
}
