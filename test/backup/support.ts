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
import { signWithClock, type ManualClock } from '../support/clock.js';
import { pollUntil } from '../support/polling.js';

export interface BackupTestServer {
  db: Database;
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  close(): Promise<void>;
}

const masterKey = 'backup-tests-master-key-32-chars';

/** Starts a server; with `dataDir` the store persists there and a second start sees the same data. */
export async function startBackupServer(clock: ManualClock, dataDir?: string): Promise<BackupTestServer> {
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
  signWithClock(client, clock);
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
  await pollUntil(
    async () => (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table,
    (table) => table?.TableStatus === 'ACTIVE',
    `table ${tableName} never became ACTIVE`,
  );
}

/** Polls until a backup is AVAILABLE. */
export async function waitForBackup(client: DynamoDBClient, backupArn: string): Promise<void> {
  await pollUntil(
    async () => (await client.send(new DescribeBackupCommand({ BackupArn: backupArn }))).BackupDescription,
    (backup) => backup?.BackupDetails?.BackupStatus === 'AVAILABLE',
    `backup ${backupArn} never became AVAILABLE`,
  );
}
