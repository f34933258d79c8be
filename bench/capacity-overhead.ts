// Admission overhead of capacity/ on the hot path: GetItem with throttling off (the plain
// dispatch table) versus on (withCapacity), on a provisioned table with ample capacity, so no
// request is throttled and the difference is the cost of admission and settlement alone.
// Two measurements, each alternating off/on rounds so drift cancels, reported as ratios of
// operations per CPU second of this process (wall-clock rates are also printed; on a shared,
// loaded machine they swing more than the effect measured):
//   handler  the operation called in-process (no HTTP), the admission cost undiluted;
//   http     signed requests over keep-alive HTTP through the real listener (the load
//            generator runs in this process too, so this ratio includes its CPU).
// The summary also derives the admission cost per request from the handler level (CPU
// microseconds on minus off) and puts it against an HTTP request's CPU cost: a steadier
// estimate of the overhead through the server than the noisy http ratio.
// Run: npx tsc -p tsconfig.json && node dist/bench/capacity-overhead.js [--seconds 3] [--rounds 3]
import { performance } from 'node:perf_hooks';
import { startTabula, defaultAccessKey, defaultAccountId } from '../src/server/tabula.js';
import { startHttpServer, type OperationHandler, type RequestContext } from '../src/server/http-server.js';
import { CredentialStore } from '../src/auth/credentials.js';
import { createOperations } from '../src/api/operations.js';
import { withCapacity } from '../src/capacity/index.js';
import { createSigner, signAll } from './sign.js';
import { runNodeLoad } from './node-load.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const seconds = option('seconds', 3);
const rounds = option('rounds', 3);
const keyCount = 1000;

// The table is created "400 s ago" so its burst bucket is full (300 s of 40,000 RCU).
let clockOffsetMs = 0;
const tabula = await startTabula({ port: 0, inMemory: true, log: () => {}, ttlSweepIntervalMs: 0, clock: { now: () => Date.now() + clockOffsetMs } });
const db = tabula.database;
const plain = createOperations(db);
const admitted = withCapacity(createOperations(db), db);
const context = { principal: { accountId: defaultAccountId }, requestId: 'bench' } as unknown as RequestContext;
const tableName = 'capacity_bench';
await plain.CreateTable!(
  {
    TableName: tableName,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    ProvisionedThroughput: { ReadCapacityUnits: 40_000, WriteCapacityUnits: 40_000 },
  },
  context,
);
for (let i = 0; i < keyCount; i++) {
  await plain.PutItem!({ TableName: tableName, Item: { pk: { S: `key-${i}` }, data: { S: 'x'.repeat(200) } } }, context);
}
clockOffsetMs = 400_000;

interface Rate {
  perWallS: number;
  perCpuS: number;
}

/** Runs `work` for `durationMs`; `work` returns how many operations it completed. */
async function measure(durationMs: number, work: (durationMs: number) => number | Promise<number>): Promise<Rate> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const operations = await work(durationMs);
  const wallS = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return { perWallS: operations / wallS, perCpuS: operations / ((cpu.user + cpu.system) / 1e6) };
}

// ---- handler level: a fresh input per call, as the server's JSON.parse gives one -----------
function handlerCalls(handlers: Record<string, OperationHandler>, durationMs: number): number {
  const get = handlers.GetItem!;
  const deadline = performance.now() + durationMs;
  let calls = 0;
  while (performance.now() < deadline) {
    for (let batch = 0; batch < 1000; batch++) {
      get({ TableName: tableName, Key: { pk: { S: `key-${calls % keyCount}` } } }, context);
      calls++;
    }
  }
  return calls;
}

// Warm both paths (JIT) before measuring; then many short alternating rounds.
handlerCalls(plain, 500);
handlerCalls(admitted, 500);
const handlerRatios: number[] = [];
const handlerMicrosOff: number[] = [];
const handlerMicrosOn: number[] = [];
const handlerRounds = rounds * 5;
for (let round = 0; round < handlerRounds; round++) {
  const off = await measure((seconds * 1000) / 5, (ms) => handlerCalls(plain, ms));
  const on = await measure((seconds * 1000) / 5, (ms) => handlerCalls(admitted, ms));
  handlerRatios.push(on.perCpuS / off.perCpuS);
  handlerMicrosOff.push(1e6 / off.perCpuS);
  handlerMicrosOn.push(1e6 / on.perCpuS);
  console.log(JSON.stringify({
    level: 'handler', round,
    offOpsPerCpuS: Math.round(off.perCpuS), onOpsPerCpuS: Math.round(on.perCpuS), ratio: round3(on.perCpuS / off.perCpuS),
    offOpsPerS: Math.round(off.perWallS), onOpsPerS: Math.round(on.perWallS),
  }));
}

// ---- HTTP level: the same database behind two listeners ---------------------------------
const credentials = new CredentialStore();
credentials.add(defaultAccessKey.accessKeyId, defaultAccessKey.secretAccessKey, defaultAccountId);
const listen = (operations: Record<string, OperationHandler>) =>
  startHttpServer({ host: '127.0.0.1', port: 0, region: tabula.region, credentials, operations, now: () => Date.now(), log: () => {} });
const offServer = await listen(plain);
const onServer = await listen(admitted);
const bodies = Array.from({ length: keyCount }, (_, i) => JSON.stringify({ TableName: tableName, Key: { pk: { S: `key-${i}` } } }));
const offRequests = await signAll(createSigner(offServer.port), 'GetItem', bodies);
const onRequests = await signAll(createSigner(onServer.port), 'GetItem', bodies);
const httpRatios: number[] = [];
const httpMicrosOff: number[] = [];
const load = async (port: number, requests: typeof offRequests) => {
  let p99Ms = 0;
  const rate = await measure(seconds * 1000, async (ms) => {
    const result = await runNodeLoad({ port, requests, durationS: ms / 1000, connections: 16 });
    if (result.non2xx > 0) throw new Error(`unexpected non-2xx responses: ${result.non2xx}`);
    p99Ms = result.p99Ms;
    return result.requests;
  });
  return { ...rate, p99Ms };
};
for (let round = 0; round < rounds; round++) {
  const off = await load(offServer.port, offRequests);
  const on = await load(onServer.port, onRequests);
  httpRatios.push(on.perCpuS / off.perCpuS);
  httpMicrosOff.push(1e6 / off.perCpuS);
  console.log(JSON.stringify({
    level: 'http', round,
    offRequestsPerCpuS: Math.round(off.perCpuS), onRequestsPerCpuS: Math.round(on.perCpuS), ratio: round3(on.perCpuS / off.perCpuS),
    offRequestsPerS: Math.round(off.perWallS), onRequestsPerS: Math.round(on.perWallS), offP99Ms: round3(off.p99Ms), onP99Ms: round3(on.p99Ms),
  }));
}
await offServer.close();
await onServer.close();
await tabula.close();

const admissionMicros = median(handlerMicrosOn) - median(handlerMicrosOff);
console.log(JSON.stringify({
  summary: 'GetItem operations per CPU second, throttling on / off (1.0 = no overhead; target >= 0.95)',
  handlerRatioMedian: round3(median(handlerRatios)),
  httpRatioMedian: round3(median(httpRatios)),
  admissionMicrosPerRequest: round3(admissionMicros),
  httpMicrosPerRequest: round3(median(httpMicrosOff)),
  // The HTTP throughput ratio implied by the admission cost: 1 / (1 + admission / request).
  httpRatioFromAdmissionCost: round3(1 / (1 + admissionMicros / median(httpMicrosOff))),
}));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
