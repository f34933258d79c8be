// Starting and stopping a whole TabulaDB instance: storage, engine and the DynamoDB listener.
// The CLI and the tests both start servers through here.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openLmdbStore } from '../storage/lmdb/lmdb-store.js';
import type { KvStore } from '../storage/index.js';
import { Database, systemClock, type Clock } from '../engine/database.js';
import { CredentialStore } from '../auth/credentials.js';
import { createOperations } from '../api/operations.js';
import { startHttpServer } from './http-server.js';
import { startTtlSweeper } from '../engine/ttl-sweeper.js';
import { resumeBackgroundWork } from '../engine/recovery.js';
import { backupServiceOf, startBackupServices } from '../backup/index.js';
import { withCapacity, withThroughputQuotas } from '../capacity/index.js';
import { Iam, type IamConfig } from '../iam/index.js';
import { resourcePolicyOperations } from '../api/resource-policies.js';
import { createStreamOperations, openMissingStreams } from '../streams/index.js';
import { partiqlOperations } from '../partiql/index.js';

export interface TabulaOptions {
  host?: string;
  port?: number;
  /** Where the encrypted LMDB environment and its master key live. */
  dataDir?: string;
  /** Keep data in memory only (tmpfs), gone at shutdown. */
  inMemory?: boolean;
  region?: string;
  accountId?: string;
  accessKeys?: { accessKeyId: string; secretAccessKey: string }[];
  /** 32-character master key; default: generated into <dataDir>/master.key on first start. */
  masterKey?: string;
  clock?: Clock;
  log?: (message: string) => void;
  /** How often expired TTL items are swept (0 turns the sweeper off, e.g. for tests that sweep by hand). */
  ttlSweepIntervalMs?: number;
  /** The item collection limit of tables with LSIs (default 10 GB): tests lower it to reach it. */
  itemCollectionBytesMax?: number;
  /** Enforce throughput capacity (default true); false: a plain local database that never throttles. */
  throttling?: boolean;
  /** Also hold on-demand tables to their instant throughput (4,000 WRU / 12,000 RRU new, 2x the previous peak after); default false. */
  onDemandInstantThroughput?: boolean;
  /** Declarative IAM: users, keys, groups, roles, policies, OIDC issuers (`--iam-config`). */
  iamConfig?: IamConfig;
  /** Rotation of <dataDir>/audit.log: rotate past fileBytesMax (default 64 MiB), keep filesKept older files (default 5). */
  audit?: { fileBytesMax?: number; filesKept?: number };
}

export interface RunningTabula {
  port: number;
  region: string;
  database: Database;
  /** IAM: identities, authorization, the audit trail (queryAudit). */
  iam: Iam;
  close(): Promise<void>;
}

export const defaultAccessKey = { accessKeyId: 'tabula', secretAccessKey: 'tabula-local-secret' };
export const defaultAccountId = '000000000000';
const masterKeyLength = 32; // lmdb's encryptionKey length

export async function startTabula(options: TabulaOptions = {}): Promise<RunningTabula> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? defaultAccountId;
  const log = options.log ?? ((message: string) => console.error(message));
  const clock = options.clock ?? systemClock;
  const store = options.inMemory
    ? // In-memory data lives in RAM (tmpfs) and dies with the process: nothing is at rest, so
      // pages are not encrypted; page decryption costs about half of a read's time.
      openLmdbStore({ path: mkdtempSync(join(tmpfsRoot(), 'tabula-')), encryptionKey: undefined, ephemeral: true })
    : await openPersistentStore(options.dataDir ?? './data', options.masterKey);
  const database = new Database({ store, region, accountId, clock, log, itemCollectionBytesMax: options.itemCollectionBytesMax });
  const credentials = new CredentialStore();
  for (const key of options.accessKeys ?? [defaultAccessKey]) credentials.add(key.accessKeyId, key.secretAccessKey, accountId);
  const iam = await openIam(
    {
      store,
      accountId,
      region,
      now: () => clock.now(),
      ...(options.inMemory ? {} : { auditFile: join(options.dataDir ?? './data', 'audit.log') }),
      ...(options.iamConfig !== undefined ? { config: options.iamConfig } : {}),
      ...(options.audit !== undefined ? { audit: options.audit } : {}),
    },
    database,
  );
  credentials.setResolver(iam.resolveCredential);
  await openMissingStreams(database);
  resumeBackgroundWork(database, (tableNumber) => backupServiceOf(database).backups.holdsTable(tableNumber));
  const stopBackups = startBackupServices(database, { pruneIntervalMs: 60_000 });
  const stopSweeper = options.ttlSweepIntervalMs === 0 ? () => {} : startTtlSweeper(database, options.ttlSweepIntervalMs ?? 1000);
  const server = await startHttpServer({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 8000,
    region,
    credentials,
    operations: withPartiql(
      withCapacity(withThroughputQuotas(withResourcePolicies(createOperations(database), database, iam), database), database, {
        throttling: options.throttling,
        onDemandInstantThroughput: options.onDemandInstantThroughput,
      }),
      database,
    ),
    streamOperations: createStreamOperations(database),
    authorize: (operation, input, principal, facts) => iam.authorizeDynamo(principal, operation, input, facts),
    authorizeRoot: (operation, input, principal, facts) => iam.authorizeRootDynamo(principal, operation, input, facts),
    query: iam,
    now: () => clock.now(),
    log,
  });
  return {
    port: server.port,
    region,
    database,
    iam,
    async close() {
      stopSweeper();
      stopBackups();
      await server.close();
      await iam.close();
      await database.close();
    },
  };
}

/** Adds the PartiQL operations, which run through the capacity-wrapped table they are given. */
function withPartiql(operations: ReturnType<typeof createOperations>, database: Database): ReturnType<typeof createOperations> {
  return { ...operations, ...partiqlOperations(operations, (name) => database.catalog.table(name).spec) };
}

/** Adds the resource-policy operations, which need IAM (the self-lockout check; CreateTable's ResourcePolicy). */
function withResourcePolicies(operations: ReturnType<typeof createOperations>, database: Database, iam: Iam): ReturnType<typeof createOperations> {
  return { ...operations, ...resourcePolicyOperations(database, iam, operations) };
}

/** Opens IAM over the database's store; a bad IAM config closes the store before failing. */
async function openIam(options: Parameters<typeof Iam.open>[0], database: Database): Promise<Iam> {
  try {
    return await Iam.open(options, database.catalog);
  } catch (error) {
    await database.close();
    throw error;
  }
}

async function openPersistentStore(dataDir: string, masterKey: string | undefined): Promise<KvStore> {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'lmdb');
  const existed = existsSync(join(path, 'data.mdb'));
  const store = openLmdbStore({ path, encryptionKey: masterKey ?? loadMasterKey(dataDir), ephemeral: false });
  // Pages decrypted with another key read as empty: a marker written at creation tells a
  // wrong key from a new directory, before anything is written over the old data.
  if (readKeyCheck(store) !== keyCheckValue) {
    if (existed) {
      await store.close();
      throw new Error(`the master key does not match the data in ${dataDir}`);
    }
    await store.transact((tx) => tx.put(keyCheckKey, keyCheckValue));
  }
  return store;
}

/** Pages decrypted with the wrong key read as empty or as corrupt, depending on the page. */
function readKeyCheck(store: KvStore): unknown {
  try {
    return store.get(keyCheckKey);
  } catch {
    return undefined;
  }
}

const keyCheckKey = Buffer.of(0x00, 0x02);
const keyCheckValue = 'tabuladb-key-check-v1';

/** The data dir's master key, generated (mode 0600) on first start. */
function loadMasterKey(dataDir: string): string {
  const file = join(dataDir, 'master.key');
  if (existsSync(file)) {
    const key = readFileSync(file, 'utf8').trim();
    if (key.length !== masterKeyLength) throw new Error(`${file} must hold a ${masterKeyLength}-character key`);
    return key;
  }
  const key = generateMasterKey();
  writeFileSync(file, key + '\n', { mode: 0o600, flag: 'wx' });
  return key;
}

function generateMasterKey(): string {
  return randomBytes(24).toString('base64'); // 32 characters, 192 random bits
}

function tmpfsRoot(): string {
  return existsSync('/dev/shm') ? '/dev/shm' : (process.env.TMPDIR ?? '/tmp');
}
