// The engine's root object: the store, the catalog and the clock, shared by every operation.
import type { KvStore } from '../storage/index.js';
import { Catalog } from './catalog.js';
import { itemCollectionBytesMax } from '../model/limits.js';

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface DatabaseOptions {
  store: KvStore;
  region: string;
  accountId: string;
  clock: Clock;
  log: (message: string) => void;
  /** The item collection limit of tables with LSIs (default 10 GB; tests lower it). */
  itemCollectionBytesMax?: number;
}

export class Database {
  readonly store: KvStore;
  readonly catalog: Catalog;
  readonly clock: Clock;
  readonly region: string;
  readonly accountId: string;
  readonly log: (message: string) => void;
  readonly itemCollectionBytesMax: number;
  /** Background work (table erasure, index backfills) to await at shutdown. */
  private readonly background = new Set<Promise<unknown>>();

  constructor(options: DatabaseOptions) {
    this.store = options.store;
    this.region = options.region;
    this.accountId = options.accountId;
    this.clock = options.clock;
    this.log = options.log;
    this.itemCollectionBytesMax = options.itemCollectionBytesMax ?? itemCollectionBytesMax;
    this.catalog = new Catalog(options.store, options.region, options.accountId, options.clock);
  }

  /** Runs work after the response, tracked so shutdown can wait for it. */
  runInBackground(what: string, work: () => Promise<unknown>): void {
    const promise = work()
      .catch((error: unknown) => this.log(`${what} failed: ${error instanceof Error ? error.stack : String(error)}`))
      .finally(() => this.background.delete(promise));
    this.background.add(promise);
  }

  async close(): Promise<void> {
    while (this.background.size > 0) await Promise.all([...this.background]);
    await this.store.close();
  }
}
