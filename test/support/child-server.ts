// The real `tabula serve` in a child process, for tests that kill it (kill -9) and start it
// again on the same data directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { defaultAccessKey } from '../../src/server/tabula.js';

const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

export interface ChildServer {
  child: ChildProcess;
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
}

/** Starts `tabula serve --data-dir <dataDir> <args>` on an ephemeral port; resolves once it listens. */
export function serveChild(dataDir: string, args: string[] = []): Promise<ChildServer> {
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--data-dir', dataDir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(output);
      if (match) {
        const client = new DynamoDBClient({ endpoint: match[1], region: 'us-east-1', credentials: defaultAccessKey, maxAttempts: 1 });
        resolve({ child, client, doc: DynamoDBDocumentClient.from(client) });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
}

/** Stops the server with `signal` (SIGKILL: a crash) and waits for it to exit. */
export function stopChild(server: ChildServer, signal: NodeJS.Signals): Promise<void> {
  server.client.destroy();
  return new Promise((resolve) => {
    server.child.removeAllListeners('exit');
    if (server.child.exitCode !== null || server.child.signalCode !== null) return resolve();
    server.child.on('exit', () => resolve());
    server.child.kill(signal);
  });
}
