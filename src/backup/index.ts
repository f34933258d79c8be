// The backup subsystem's interface: per-database state (backup records, retention pins), the
// point-in-time window, and the background work started with the server.
import type { Database } from '../engine/database.js';
import type { TableRecord } from '../engine/catalog.js';
import { BackupCatalog } from './backups.js';
import { RetentionPins, pruneChangeLog } from './retention.js';
import { recoverRestores } from './restore.js';
import { ExportCatalog } from './exports.js';
import { ImportCatalog } from './imports.js';
import { JobSlots } from './job-slots.js';
import { exportsInProgressMax, importsInProgressMax, restoresInProgressMax } from './transfer-limits.js';

export { type BackupRecord, type BackupType, BackupCatalog } from './backups.js';
export { JobSlots } from './job-slots.js';
export { restoreIntoNewTable, tableAlreadyExists } from './restore.js';
export { copyTableAsOf, copyRange } from './snapshot.js';
export { readChanges, endOfMs, type Change, type LogPosition } from './change-log.js';
export { pruneChangeLog } from './retention.js';
export { type ExportRecord, type ExportRequest, ExportCatalog } from './exports.js';
export { type ImportRecord, type ImportRequest, type ItemValidator, ImportCatalog, tableExists } from './imports.js';
export { configureBulkTransfers, objectStoreOf, type BulkTransferOptions } from './transfer-config.js';
export { LocalObjectStore, type ObjectStore, type S3Settings, type StoredObject } from './object-store.js';
export type { ExportFormat, ExportViewType } from './export-format.js';
export type { CsvOptions, InputCompression, InputFormat } from './import-formats.js';
export * from './transfer-limits.js';

export interface BackupService {
  backups: BackupCatalog;
  pins: RetentionPins;
  exports: ExportCatalog;
  imports: ImportCatalog;
  /** Account-wide limits on jobs running at once. */
  restoreSlots: JobSlots;
  exportSlots: JobSlots;
  importSlots: JobSlots;
}

// The restore text is DynamoDB's (observed for RestoreTableFromBackup); the export and import
// texts are unverified and follow it.
const restoreLimitText = `Subscriber limit exceeded: Only ${restoresInProgressMax} restore operations can be done simultaneously`;
const exportLimitText = `Subscriber limit exceeded: Only ${exportsInProgressMax} export operations can be done simultaneously`;
const importLimitText = `Subscriber limit exceeded: Only ${importsInProgressMax} import operations can be done simultaneously`;

const services = new WeakMap<Database, BackupService>();

/** The database's backup state, loaded from the store on first use. */
export function backupServiceOf(db: Database): BackupService {
  let service = services.get(db);
  if (!service) {
    const pins = new RetentionPins();
    service = {
      pins,
      backups: new BackupCatalog(db, pins),
      exports: new ExportCatalog(db, pins),
      imports: new ImportCatalog(db),
      restoreSlots: new JobSlots(restoresInProgressMax, restoreLimitText),
      exportSlots: new JobSlots(exportsInProgressMax, exportLimitText),
      importSlots: new JobSlots(importsInProgressMax, importLimitText),
    };
    services.set(db, service);
  }
  return service;
}

/**
 * Call once at startup, before serving: finishes work a restart cut short (interrupted backups
 * and restores are removed, SYSTEM backups copied again, exports and imports marked FAILED) and
 * every `pruneIntervalMs` prunes the change log and removes expired SYSTEM backups (0: never, for
 * tests that do it by hand). Returns a function that stops the pruner.
 */
export function startBackupServices(db: Database, options: { pruneIntervalMs: number }): () => void {
  const service = backupServiceOf(db);
  service.backups.recover();
  service.exports.recover();
  service.imports.recover();
  recoverRestores(db);
  if (options.pruneIntervalMs === 0) return () => {};
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    db.runInBackground('change-log pruning', () =>
      pruneChangeLog(db, service.pins)
        .then(() => service.backups.purgeExpired())
        .finally(() => (running = false)),
    );
  }, options.pruneIntervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

const dayMs = 24 * 60 * 60 * 1000;

/** The restorable window of a table with point-in-time recovery, in ms; undefined when disabled. */
export function restorableWindow(table: TableRecord, nowMs: number): { earliestMs: number; latestMs: number } | undefined {
  const pitr = table.pointInTimeRecovery;
  if (!pitr) return undefined;
  // Every change is durable on commit, so the latest restorable time is now (DynamoDB lags ~5 minutes).
  return { earliestMs: Math.min(nowMs, Math.max(pitr.enabledAtMs, nowMs - pitr.recoveryPeriodInDays * dayMs)), latestMs: nowMs };
}
