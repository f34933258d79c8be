// Where a database's exports go and its imports come from: set once at startup (the CLI's
// --export-dir / --s3-endpoint), else a private temporary directory on first use.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../engine/database.js';
import { LocalObjectStore, S3ObjectStore, type ObjectStore, type S3Settings } from './object-store.js';

export interface BulkTransferOptions {
  /** Local directory holding one folder per bucket (default: a new temporary directory). */
  exportDir?: string;
  /** An S3-compatible endpoint; when set, buckets are real buckets there and exportDir is unused. */
  s3?: S3Settings;
  /** Any other object store (an embedding application's own; tests wrap the local one). Wins over the others. */
  objectStore?: ObjectStore;
}

const stores = new WeakMap<Database, ObjectStore>();

/** Sets where `db`'s exports and imports go; call before serving. */
export function configureBulkTransfers(db: Database, options: BulkTransferOptions): void {
  stores.set(
    db,
    options.objectStore ?? (options.s3 ? new S3ObjectStore(options.s3) : new LocalObjectStore(options.exportDir ?? mkdtempSync(join(tmpdir(), 'tabula-exports-')))),
  );
}

export function objectStoreOf(db: Database): ObjectStore {
  let store = stores.get(db);
  if (!store) {
    store = new LocalObjectStore(mkdtempSync(join(tmpdir(), 'tabula-exports-')));
    stores.set(db, store);
  }
  return store;
}
