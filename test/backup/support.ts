// A real TabulaDB for the backup tests: the regular dispatch table plus the backup operations,
// a controllable clock, and optionally a persistent data directory (to restart on the same data).
// It mirrors startTabula; once operations.ts and tabula.ts wire the backup subsystem in, tests
// can move to startTestServer.
import { mkdtempSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { DynamoDBClient, DescribeBackupCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { openLmdbStore } from '../../src/storage/lmdb/lmdb-store.js';
import { Database } from '../../src/engine/database.js';
import { CredentialStore } from '../../src/auth/credentials.js';
import { createOperations } from '../../src/api/operations.js';
import { backupOperations } from '../../src/api/backup-operations.js';
import { startHttpServer } from '../../src/server/http-server.js';
import { startBackupServices } from '../../src/backup/index.js';
import { defaultAccessKey, defaultAccountId } from '../../src/server/tabula.js';

export class TestClock {
  constructor(public nowMs: number) {}
  now(): number {
    return this.nowMs;
  }
  advance(ms: number): void {
    this.nowMs += ms;
  }
}

export interface BackupTestServer {
  db: Database;
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  close(): Promise<void>;
}

const masterKey = 'backup-tests-master-key-32-chars';

/** Starts a server; with `dataDir` the store persists there and a second start sees the same data. */
export async function startBackupServer(clock: TestClock, dataDir?: string): Promise<BackupTestServer> {
  const path = dataDir ? join(dataDir, 'lmdb') : mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'tabula-backup-'));
  const store = openLmdbStore({ path, encryptionKey: masterKey, ephemeral: dataDir === undefined });
  const db = new Database({ store, region: 'us-east-1', accountId: defaultAccountId, clock, log: () => {} });
  const stopBackups = startBackupServices(db, { pruneIntervalMs: 0 });
  const credentials = new CredentialStore();
  credentials.add(defaultAccessKey.accessKeyId, defaultAccessKey.secretAccessKey, defaultAccountId);
  const server = await startHttpServer({
    host: '127.0.0.1',
    port: 0,
    region: 'us-east-1',
    credentials,
    operations: { ...createOperations(db), ...backupOperations(db) },
    now: () => clock.now(),
    log: () => {},
  });
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${server.port}`,
    region: 'us-east-1',
    credentials: defaultAccessKey,
    maxAttempts: 1,
  });
  // Requests are signed with the test clock's time, which the server checks skew against.
  Object.defineProperty(client.config, 'systemClockOffset', { get: () => clock.now() - Date.now(), set: () => {}, configurable: true });
  return {
    db,
    client,
    doc: DynamoDBDocumentClient.from(client),
    async close() {
      stopBackups();
      client.destroy();
      await server.close();
      await db.close();
    },
  };
}

export function temporaryDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'tabula-backup-data-'));
}

/** Polls until a restored table is ACTIVE (restores run in the background). */
export async function waitForTable(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`table ${tableName} never became ACTIVE`);
}

/** Polls until a backup is AVAILABLE. */
export async function waitForBackup(client: DynamoDBClient, backupArn: string): Promise<void> {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const { BackupDescription } = await client.send(new DescribeBackupCommand({ BackupArn: backupArn }));
    if (BackupDescription?.BackupDetails?.BackupStatus === 'AVAILABLE') return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`backup ${backupArn} never became AVAILABLE`);
}
