// `npm run bench`: throughput and latency of TabulaDB next to a fixed-body Node HTTP server.
//
// Both servers run as child processes on loopback ports. The data is loaded first; then each
// workload's request bodies are signed once and replayed over keep-alive connections for a fixed
// time, by wrk when it is installed (it costs the server less CPU) and otherwise by a Node loop.
// Prints a table and writes bench/results/latest.json. This measures; it asserts nothing.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { benchHost, createCaller, createSigner, send, signAll, type SignedRequest } from './sign.js';
import { itemsTable, loadData, workloads, type Workload } from './workloads.js';
import { runNodeLoad, type LoadOptions, type LoadResult } from './node-load.js';

const execFileAsync = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url)); // dist/bench
const repoRoot = resolve(here, '../..');
const tabulaMain = join(here, '../src/cli/main.js');
const fixedServerMain = join(here, 'fixed-server.js');
const wrkScript = join(repoRoot, 'bench/wrk-replay.lua');
const resultsDir = join(repoRoot, 'bench/results');

const durationSMax = 600; // signatures are made just before each workload and live 15 minutes
const connectionsMax = 1000;
const serverStartMsMax = 30_000;
const serverStopMsMax = 15_000;

const help = `Usage: npm run bench -- [options]

  --duration <s>      seconds per workload (default 5; env BENCH_DURATION_S; max ${durationSMax})
  --connections <n>   concurrent keep-alive connections (default 16; env BENCH_CONNECTIONS)
  --threads <n>       wrk threads (default 1; env BENCH_WRK_THREADS)
  --generator <g>     auto | wrk | node (default auto: wrk if installed; env BENCH_GENERATOR)
  --only <names>      comma-separated workload name prefixes, e.g. GetItem,Scan
  --profile           run TabulaDB with --cpu-prof; profiles go to bench/results/profiles/
  --storage <s>       memory | disk (default memory; disk = the encrypted LMDB store in a temp dir)
  -h, --help          show this help
`;

interface Settings {
  durationS: number;
  connections: number;
  threads: number;
  generator: 'wrk' | 'node';
  only: string[] | undefined;
  profile: boolean;
  storage: 'memory' | 'disk';
}

interface WorkloadResult extends LoadResult {
  name: string;
  operation: string;
  distinctRequests: number;
  ratioToFixed: number;
  note?: string;
}

async function main(): Promise<void> {
  const settings = await readSettings();
  if (!settings) return;
  const children: ChildProcess[] = [];
  const stopAll = () => Promise.all(children.map(stopChild));
  process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));

  const tempDir = mkdtempSync(join(tmpdir(), 'tabula-bench-'));
  try {
    const profileDir = join(resultsDir, 'profiles');
    const profileFlags = settings.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    const fixed = await startChild('fixed', [fixedServerMain]);
    children.push(fixed.child);
    const storageFlags = settings.storage === 'disk' ? ['--data-dir', join(tempDir, 'data')] : ['--in-memory'];
    const tabula = await startChild('tabula', [...profileFlags, tabulaMain, 'serve', '--port', '0', ...storageFlags]);
    children.push(tabula.child);
    // Other work on the machine skews every number: record how busy it was when we began.
    const loadAverageAtStart = loadavg()[0]!;
    const generatorVersion = settings.generator === 'wrk' ? await wrkVersion() : `node ${process.version}`;
    console.log(
      `load generator: ${generatorVersion}; ${settings.connections} connections` +
        `${settings.generator === 'wrk' ? `, ${settings.threads} thread(s)` : ''}; ${settings.durationS} s per workload; ${settings.storage} storage; load average ${loadAverageAtStart.toFixed(2)}`,
    );

    if (loadAverageAtStart > cpus().length / 2) console.log('note: the machine is already busy; expect low, noisy numbers');
    if (settings.generator === 'node') {
      console.log('note: the Node generator saturates before a fast server does; ratios to the fixed-body server understate the gap');
    }

    const call = createCaller(tabula.port);
    const loaded = await loadData(call);
    console.log(`loaded ${loaded.items} items into ${itemsTable} and ${loaded.scanItems} into the scan table`);

    const load = (port: number, requests: SignedRequest[], label: string) =>
      runLoad(settings, { port, requests, durationS: settings.durationS, connections: settings.connections }, tempDir, label);

    // The ceiling: the fixed-body server, sent the same signed GetItem requests.
    const getItem = workloads[0]!;
    const fixedRequests = await signAll(createSigner(fixed.port), getItem.operation, await getItem.bodies(call));
    process.stdout.write('fixed-body server ... ');
    const fixedResult = await load(fixed.port, fixedRequests, 'fixed');
    console.log(`${fixedResult.requestsPerS.toFixed(0)} req/s`);

    const results: WorkloadResult[] = [];
    const sign = createSigner(tabula.port);
    for (const workload of selected(settings.only)) {
      const requests = await signAll(sign, workload.operation, await workload.bodies(call));
      const problem = workload.check(await send(tabula.port, requests[0]!));
      if (problem) throw new Error(`${workload.name}: ${problem}`);
      process.stdout.write(`${workload.name} ... `);
      const result = await load(tabula.port, requests, workload.name);
      console.log(`${result.requestsPerS.toFixed(0)} req/s`);
      const note = workload.operation === 'UpdateItem' ? await checkCounters(call, result, settings.connections) : undefined;
      results.push({
        name: workload.name,
        operation: workload.operation,
        distinctRequests: requests.length,
        ...result,
        ratioToFixed: result.requestsPerS / fixedResult.requestsPerS,
        ...(note ? { note } : {}),
      });
    }
    await stopAll();

    printTable(fixedResult, results);
    mkdirSync(resultsDir, { recursive: true });
    const report = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version, loadAverageAtStart },
      generator: generatorVersion,
      durationSPerWorkload: settings.durationS,
      storage: settings.storage,
      connections: settings.connections,
      wrkThreads: settings.generator === 'wrk' ? settings.threads : undefined,
      fixedBody: fixedResult,
      workloads: results,
    };
    writeFileSync(join(resultsDir, 'latest.json'), JSON.stringify(report, null, 2) + '\n');
    console.log(`\nwrote ${join(resultsDir, 'latest.json')}`);
    if (settings.profile) console.log(`TabulaDB CPU profile written to ${profileDir}/ (open in Chrome DevTools or speedscope)`);
  } finally {
    await stopAll();
    rmSync(tempDir, { recursive: true, force: true });
  }
}

async function readSettings(): Promise<Settings | undefined> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string' },
      connections: { type: 'string' },
      threads: { type: 'string' },
      generator: { type: 'string' },
      only: { type: 'string' },
      profile: { type: 'boolean' },
      storage: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(help);
    return undefined;
  }
  const env = process.env;
  const durationS = positiveInteger('--duration', values.duration ?? env.BENCH_DURATION_S ?? '5', durationSMax);
  const connections = positiveInteger('--connections', values.connections ?? env.BENCH_CONNECTIONS ?? '16', connectionsMax);
  const threads = positiveInteger('--threads', values.threads ?? env.BENCH_WRK_THREADS ?? '1', connections);
  const wanted = values.generator ?? env.BENCH_GENERATOR ?? 'auto';
  if (!['auto', 'wrk', 'node'].includes(wanted)) throw new Error(`--generator must be auto, wrk or node, not ${wanted}`);
  const haveWrk = await wrkVersion().then(
    () => true,
    () => false,
  );
  if (wanted === 'wrk' && !haveWrk) throw new Error('wrk is not installed (apt-get install -y wrk)');
  if (wanted === 'auto' && !haveWrk) console.log('wrk not found: using the Node load generator, which shares the CPU with the server');
  const generator = wanted === 'node' || !haveWrk ? 'node' : 'wrk';
  const only = values.only?.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean);
  const storage = values.storage ?? 'memory';
  if (storage !== 'memory' && storage !== 'disk') throw new Error(`--storage must be memory or disk, not ${storage}`);
  return { durationS, connections, threads, generator, only, profile: values.profile === true, storage };
}

function positiveInteger(name: string, text: string, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`${name} must be an integer from 1 to ${max}, not ${text}`);
  return value;
}

function selected(only: string[] | undefined): Workload[] {
  if (!only) return workloads;
  const chosen = workloads.filter((w) => only.some((prefix) => w.name.toLowerCase().startsWith(prefix)));
  if (chosen.length === 0) throw new Error(`--only matched none of: ${workloads.map((w) => w.name).join(', ')}`);
  return chosen;
}

/** Starts `node <args>` and waits for its "listening on http://127.0.0.1:PORT" line. */
function startChild(label: string, args: string[]): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[${label}] ${chunk.toString()}`));
  return new Promise((resolvePort, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${label} did not start within ${serverStartMsMax} ms`)), serverStartMsMax);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolvePort({ child, port: Number(match[1]) });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited with code ${code} before listening:\n${output}`));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), serverStopMsMax);
  await exited;
  clearTimeout(timer);
}

async function wrkVersion(): Promise<string> {
  // `wrk -v` prints its version and exits with status 1.
  const output = await execFileAsync('wrk', ['-v']).then(
    (r) => r.stdout,
    (error: { stdout?: string; code?: unknown }) => {
      if (error.code === 'ENOENT' || !error.stdout) throw error;
      return error.stdout;
    },
  );
  return output.split('\n')[0]!.replace(/\s*Copyright.*$/, '').trim();
}

function runLoad(settings: Settings, options: LoadOptions, tempDir: string, label: string): Promise<LoadResult> {
  return settings.generator === 'wrk' ? runWrk(options, settings.threads, tempDir, label) : runNodeLoad(options);
}

async function runWrk(options: LoadOptions, threads: number, tempDir: string, label: string): Promise<LoadResult> {
  const file = join(tempDir, `${label.replace(/\W+/g, '-')}.requests`);
  const lines: string[] = [];
  for (const request of options.requests) {
    for (const [name, value] of Object.entries(request.headers)) lines.push(`${name}: ${value}`);
    lines.push(`BODY ${request.body}`);
  }
  writeFileSync(file, lines.join('\n') + '\n');
  const args = ['-t', String(threads), '-c', String(options.connections), '-d', `${options.durationS}s`, '--timeout', '10s', '-s', wrkScript];
  const { stdout } = await execFileAsync('wrk', [...args, `http://${benchHost}:${options.port}/`, '--', file], {
    timeout: (options.durationS + 30) * 1000,
    killSignal: 'SIGKILL',
  });
  const line = stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (!line) throw new Error(`wrk printed no result:\n${stdout}`);
  const raw = JSON.parse(line.slice('BENCH_RESULT '.length)) as {
    requests: number;
    durationUs: number;
    p50Us: number;
    p99Us: number;
    non2xx: number;
    socketErrors: number;
  };
  const durationS = raw.durationUs / 1e6;
  return {
    requests: raw.requests,
    durationS,
    requestsPerS: raw.requests / durationS,
    p50Ms: raw.p50Us / 1000,
    p99Ms: raw.p99Us / 1000,
    non2xx: raw.non2xx,
    socketErrors: raw.socketErrors,
  };
}

/**
 * UpdateItem did real work: the counters add up to the updates sent (the generator stops counting
 * with up to one request per connection still in flight, and the pre-run check adds one).
 */
async function checkCounters(call: ReturnType<typeof createCaller>, result: LoadResult, connections: number): Promise<string> {
  let total = 0;
  for (let b = 0; b < 10; b++) {
    const keys = Array.from({ length: 100 }, (_, j) => ({ pk: { S: `upd#${b * 100 + j}` }, sk: { S: '0' } }));
    const response = await call('BatchGetItem', { RequestItems: { [itemsTable]: { Keys: keys } } });
    for (const item of response.Responses[itemsTable] as { counter: { N: string } }[]) total += Number(item.counter.N);
  }
  const low = result.requests - result.non2xx + 1;
  const ok = total >= low && total <= low + connections;
  return `counters sum to ${total} for ${result.requests - result.non2xx} successful updates${ok ? '' : ' — MISMATCH'}`;
}

function printTable(fixed: LoadResult, results: WorkloadResult[]): void {
  const rows = [
    ['workload', 'req/s', 'p50 ms', 'p99 ms', 'vs fixed', 'errors'],
    ['fixed-body server', ...numbers(fixed), '100%', errors(fixed)],
    ...results.map((r) => [r.name, ...numbers(r), `${(r.ratioToFixed * 100).toFixed(1)}%`, errors(r)]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  console.log('');
  for (const [index, row] of rows.entries()) {
    console.log(row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  '));
    if (index === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  for (const r of results) if (r.note) console.log(`${r.name}: ${r.note}`);
}

function numbers(r: LoadResult): string[] {
  return [r.requestsPerS.toFixed(0), r.p50Ms.toFixed(2), r.p99Ms.toFixed(2)];
}

function errors(r: LoadResult): string {
  return r.non2xx + r.socketErrors === 0 ? '0' : `${r.non2xx} non-2xx, ${r.socketErrors} socket`;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
