// The embedded default: LMDB through lmdb-js, encrypted at rest, durable on acknowledge.
import { open, type RootDatabase } from 'lmdb';
import { rmSync } from 'node:fs';
import type { KvStore, KvTransaction, RangeOptions, KvEntry } from '../index.js';
import { storagePageBytes } from '../../model/limits.js';

export interface LmdbOptions {
  path: string;
  /** 32 characters: LMDB's page-level encryption key; absent only for an ephemeral store. */
  encryptionKey: string | undefined;
  /** In-memory mode: the path is on tmpfs, not fsynced, removed at close. */
  ephemeral: boolean;
}

export function openLmdbStore(options: LmdbOptions): KvStore {
  const db: RootDatabase = open({
    path: options.path,
    ...(options.encryptionKey !== undefined && { encryptionKey: options.encryptionKey }),
    keyEncoding: 'binary',
    encoding: 'msgpack',
    pageSize: storagePageBytes, // sets the 4026-byte key limit our key layout is sized for
    // A write resolves only once it is on disk: overlapping sync would resolve at commit,
    // before the flush, and break "acknowledged means durable".
    overlappingSync: false,
    noSync: options.ephemeral,
    commitDelay: 0,
    cache: true, // decoded values of recently read keys: hot reads skip decryption and decoding
  });

  function range(o: RangeOptions): Iterable<KvEntry> {
    if (!o.reverse) return db.getRange({ start: o.start, end: o.end, limit: o.limit }) as Iterable<KvEntry>;
    // lmdb-js iterates backwards from an inclusive `start` to an exclusive `end`; our contract
    // is [start, end) read backwards, so skip the upper bound and stop past the lower one.
    const entries = db.getRange({ start: o.end, reverse: true }) as Iterable<KvEntry>;
    return reverseWithin(entries, o.start, o.end, o.limit);
  }

  const tx: KvTransaction = {
    get: (key) => db.get(key),
    range,
    put: (key, value) => void db.put(key, value),
    delete: (key) => void db.remove(key),
  };

  return {
    get: (key) => db.get(key),
    range,
    transact: (body) => db.transaction(() => body(tx)),
    async close() {
      await db.close();
      if (options.ephemeral) rmSync(options.path, { recursive: true, force: true });
    },
  };
}

function* reverseWithin(entries: Iterable<KvEntry>, lower: Buffer, upper: Buffer, limit: number | undefined): Iterable<KvEntry> {
  let left = limit ?? Infinity;
  for (const entry of entries) {
    if (left <= 0) return;
    if (entry.key.equals(upper)) continue;
    if (Buffer.compare(entry.key, lower) < 0) return;
    left--;
    yield entry;
  }
}
