// IAM's durable state of one account: users, groups, roles, managed policies, access keys,
// STS sessions, virtual MFA devices and (the server's account only) the resource-based policies
// of DynamoDB tables and streams, in key space 0x30 (docs/KEYS.md). Everything is held in
// memory too (the sizes are bounded by IAM quotas); a change is committed to the store first
// and applied to memory once durable. Names are unique without regard to case, as in IAM, so
// keys use the lower-cased name. The server's account keeps the original layout
// (30 | kind | id); every other account's records sit under 30 09 | account id (12 ASCII digits).
import type { KvStore } from '../storage/index.js';

export interface Tag {
  Key: string;
  Value: string;
}

/** Inline policies by name: the document text as submitted. */
export type InlinePolicies = Record<string, string>;

export interface UserRecord {
  userName: string;
  userId: string;
  path: string;
  arn: string;
  createdAtMs: number;
  tags: Tag[];
  inlinePolicies: InlinePolicies;
  attachedPolicies: string[];
  groups: string[];
  /** ARN of the managed policy that bounds the user's identity-based permissions. */
  permissionsBoundary?: string;
}

export interface GroupRecord {
  groupName: string;
  groupId: string;
  path: string;
  arn: string;
  createdAtMs: number;
  inlinePolicies: InlinePolicies;
  attachedPolicies: string[];
}

export interface RoleRecord {
  roleName: string;
  roleId: string;
  path: string;
  arn: string;
  createdAtMs: number;
  trustPolicy: string;
  description?: string;
  maxSessionSeconds: number;
  tags: Tag[];
  inlinePolicies: InlinePolicies;
  attachedPolicies: string[];
  /** ARN of the managed policy that bounds the role's identity-based permissions. */
  permissionsBoundary?: string;
}

export interface ManagedPolicyRecord {
  policyName: string;
  policyId: string;
  path: string;
  arn: string;
  description?: string;
  /** The default version's document (what evaluation uses). */
  document: string;
  createdAtMs: number;
  updatedAtMs: number;
  tags: Tag[];
  /** All versions, oldest first; absent on records written before versions existed (then v1 = document). */
  versions?: PolicyVersionRecord[];
  defaultVersionId?: string;
  /** The number of the last version created ("v3" -> 3): version ids are never reused. */
  lastVersionNumber?: number;
}

export interface PolicyVersionRecord {
  versionId: string;
  document: string;
  createdAtMs: number;
}

/**
 * The resource-based policy of a DynamoDB table or stream, by the resource's ARN. A record
 * without `document` is a tombstone: the policy was deleted at `revisionId` (DynamoDB's
 * idempotent DeleteResourcePolicy then answers with that revision).
 */
export interface ResourcePolicyRecord {
  resourceArn: string;
  /** The table's id when the policy was written: a table re-created under the same name starts without it. */
  tableId: string;
  /** Canonical JSON as submitted (Version kept absent when it was absent: idempotency compares this). */
  document?: string;
  /** Epoch milliseconds of the change, as a string (DynamoDB's RevisionId). */
  revisionId: string;
}

export interface AccessKeyRecord {
  accessKeyId: string;
  secretAccessKey: string;
  userName: string;
  status: 'Active' | 'Inactive';
  createdAtMs: number;
}

/** Who a session acts as. */
export type SessionSubject =
  | { kind: 'root' }
  | { kind: 'user'; userName: string }
  | {
      /** GetFederationToken: the federated user `name`, acting with the calling user's permissions (none: the root's). */
      kind: 'federated-user';
      name: string;
      userName?: string;
      tags: Tag[];
    }
  | {
      kind: 'assumed-role';
      roleName: string;
      sessionName: string;
      /** Session tags (AssumeRole Tags): override the role's tags as aws:PrincipalTag. */
      tags: Tag[];
      /** Web identity claims as condition keys ("cognito-identity.amazonaws.com:sub" -> value). */
      webIdentity?: Record<string, string | string[]>;
      federatedProvider?: string;
      sourceIdentity?: string;
    };

export interface SessionRecord {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiresAtMs: number;
  subject: SessionSubject;
  /** Session policy (AssumeRole Policy): the session may do only what it and the identity allow. */
  sessionPolicy?: string;
  /** When the MFA code that authenticated the session was checked (aws:MultiFactorAuthAge counts from here). */
  mfaAuthenticatedAtMs?: number;
}

/** A virtual MFA device: its TOTP seed and, once enabled, its user. */
export interface MfaDeviceRecord {
  name: string;
  path: string;
  /** arn:aws:iam::<account>:mfa<path><name>, the SerialNumber callers present. */
  serialNumber: string;
  /** The RFC 6238 secret, base32 (what Base32StringSeed hands out). */
  seedBase32: string;
  createdAtMs: number;
  tags: Tag[];
  userName?: string;
  enabledAtMs?: number;
}

// Key space 0x30 (docs/KEYS.md): 30 | kind (1 byte) | id (UTF-8, lower-cased names); another
// account's records: 30 09 | account id (12 ASCII digits) | kind | id.
const spaceTag = 0x30;
const otherAccountTag = 0x09;
const enum Kind {
  user = 0x01,
  group = 0x02,
  role = 0x03,
  policy = 0x04,
  accessKey = 0x05,
  session = 0x06,
  resourcePolicy = 0x07,
  mfaDevice = 0x08,
}

/** The prefix of an account's records: the server's account keeps the original, shorter one. */
export function accountKeyPrefix(accountId: string, isServerAccount: boolean): Buffer {
  return isServerAccount ? Buffer.of(spaceTag) : Buffer.concat([Buffer.of(spaceTag, otherAccountTag), Buffer.from(accountId, 'ascii')]);
}

/** One kind of record: a memory map mirroring its key range, keyed like the store. */
class Collection<T> {
  readonly byId = new Map<string, T>();

  constructor(
    private readonly prefix: Buffer,
    readonly kind: Kind,
    private readonly idOf: (record: T) => string,
    /** IAM names are unique regardless of case; access key ids are exact. */
    private readonly ignoreCase: boolean,
  ) {}

  load(store: KvStore): void {
    const range = { start: Buffer.concat([this.prefix, Buffer.of(this.kind)]), end: Buffer.concat([this.prefix, Buffer.of(this.kind + 1)]) };
    for (const { value } of store.range(range)) this.byId.set(this.storedId(value as T), value as T);
  }

  get(id: string): T | undefined {
    return this.byId.get(this.ignoreCase ? id.toLowerCase() : id);
  }

  values(): IterableIterator<T> {
    return this.byId.values();
  }

  get size(): number {
    return this.byId.size;
  }

  storedId(record: T): string {
    const id = this.idOf(record);
    return this.ignoreCase ? id.toLowerCase() : id;
  }

  keyOf(record: T): Buffer {
    return Buffer.concat([this.prefix, Buffer.of(this.kind), Buffer.from(this.storedId(record), 'utf8')]);
  }
}

// A change to one record of any collection; batches mix collections.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Entry = readonly [Collection<any>, unknown];

export class IamStore {
  readonly users: Collection<UserRecord>;
  readonly groups: Collection<GroupRecord>;
  readonly roles: Collection<RoleRecord>;
  readonly policies: Collection<ManagedPolicyRecord>;
  readonly accessKeys: Collection<AccessKeyRecord>;
  readonly sessions: Collection<SessionRecord>;
  /** By resource ARN, exactly (table names are case-sensitive). */
  readonly resourcePolicies: Collection<ResourcePolicyRecord>;
  /** By lower-cased device name (unique in the account, whatever the path). */
  readonly mfaDevices: Collection<MfaDeviceRecord>;
  /** Bumped on every change: caches of compiled principals compare against it. */
  version = 0;

  constructor(
    private readonly store: KvStore,
    readonly accountId: string,
    prefix: Buffer = accountKeyPrefix(accountId, true),
  ) {
    this.users = new Collection<UserRecord>(prefix, Kind.user, (r) => r.userName, true);
    this.groups = new Collection<GroupRecord>(prefix, Kind.group, (r) => r.groupName, true);
    this.roles = new Collection<RoleRecord>(prefix, Kind.role, (r) => r.roleName, true);
    this.policies = new Collection<ManagedPolicyRecord>(prefix, Kind.policy, (r) => r.policyName, true);
    this.accessKeys = new Collection<AccessKeyRecord>(prefix, Kind.accessKey, (r) => r.accessKeyId, false);
    this.sessions = new Collection<SessionRecord>(prefix, Kind.session, (r) => r.accessKeyId, false);
    this.resourcePolicies = new Collection<ResourcePolicyRecord>(prefix, Kind.resourcePolicy, (r) => r.resourceArn, false);
    this.mfaDevices = new Collection<MfaDeviceRecord>(prefix, Kind.mfaDevice, (r) => r.name, true);
    for (const collection of this.all()) collection.load(store);
  }

  private all(): Collection<unknown>[] {
    return [
      this.users, this.groups, this.roles, this.policies, this.accessKeys, this.sessions, this.resourcePolicies, this.mfaDevices,
    ] as Collection<unknown>[];
  }

  /** Commits puts and deletes ([collection, record] pairs) in one transaction, then applies them to memory. */
  async commit(puts: readonly Entry[], deletes: readonly Entry[] = []): Promise<void> {
    await this.store.transact((tx) => {
      for (const [collection, record] of deletes) tx.delete(collection.keyOf(record));
      for (const [collection, record] of puts) tx.put(collection.keyOf(record), record);
    });
    for (const [collection, record] of deletes) collection.byId.delete(collection.storedId(record));
    for (const [collection, record] of puts) collection.byId.set(collection.storedId(record), record);
    this.version++;
  }
}

export type { Collection };
