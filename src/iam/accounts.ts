// The accounts IAM knows: the server's (which holds the tables) and any others the IAM config
// declares, each with its own store of users, roles, policies and sessions, and its own
// directory of principals. Signing keys are resolved across all of them; another account's
// root keys come from the config.
import type { Credential } from '../auth/credentials.js';
import type { KvStore } from '../storage/index.js';
import { Directory } from './principals.js';
import { accountKeyPrefix, IamStore } from './store.js';

export interface Account {
  accountId: string;
  store: IamStore;
  directory: Directory;
}

export const accountIdPattern = /^\d{12}$/;

export class Accounts {
  private readonly byId = new Map<string, Account>();
  private readonly others: Account[] = [];
  private readonly rootKeys = new Map<string, Credential>();
  readonly server: Account;

  constructor(
    private readonly kv: KvStore,
    readonly serverAccountId: string,
  ) {
    this.server = this.open(serverAccountId);
  }

  /** Opens (or returns) an account's records. */
  open(accountId: string): Account {
    const existing = this.byId.get(accountId);
    if (existing !== undefined) return existing;
    const isServer = this.byId.size === 0 && accountId === this.serverAccountId;
    const store = new IamStore(this.kv, accountId, accountKeyPrefix(accountId, isServer));
    const account: Account = { accountId, store, directory: new Directory(store, `arn:aws:iam::${accountId}:root`) };
    this.byId.set(accountId, account);
    if (!isServer) this.others.push(account);
    return account;
  }

  get(accountId: string): Account | undefined {
    return this.byId.get(accountId);
  }

  all(): IterableIterator<Account> {
    return this.byId.values();
  }

  /** A root access key of another account (the server's own root keys live in auth/). */
  addRootKey(account: Account, accessKeyId: string, secretAccessKey: string): void {
    this.rootKeys.set(accessKeyId, account.directory.rootCredential(accessKeyId, secretAccessKey));
  }

  /** The credential of any account's key or session; the server's account is asked first (the common case). */
  resolve(accessKeyId: string): Credential | undefined {
    const found = this.server.directory.resolve(accessKeyId);
    if (found !== undefined || this.others.length === 0) return found;
    const root = this.rootKeys.get(accessKeyId);
    if (root !== undefined) return root;
    for (const account of this.others) {
      const credential = account.directory.resolve(accessKeyId);
      if (credential !== undefined) return credential;
    }
    return undefined;
  }
}

/** The account segment of an ARN ("arn:aws:iam::123456789012:role/x" -> "123456789012"), or undefined. */
export function accountOfArn(arn: string): string | undefined {
  if (!arn.startsWith('arn:')) return undefined;
  const parts = arn.split(':', 6);
  return parts.length >= 6 ? parts[4] : undefined;
}
