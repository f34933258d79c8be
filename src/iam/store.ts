// IAM's durable state: users, groups, roles, managed policies, access keys, STS sessions and
// the resource-based policies of DynamoDB tables and streams, in key space 0x30 (docs/KEYS.md). Everything is held in memory too (the sizes are bounded by
// IAM quotas); a change is committed to the store first and applied to memory once durable.
// Names are unique without regard to case, as in IAM, so keys use the lower-cased name.
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
}

// Key space 0x30 (docs/KEYS.md): 30 | kind (1 byte) | id (UTF-8, lower-cased names).
const spaceTag = 0x30;
const enum Kind {
  user = 0x01,
  group = 0x02,
  role = 0x03,
  policy = 0x04,
  accessKey = 0x05,
  session = 0x06,
  resourcePolicy = 0x07,
}

function recordKey(kind: Kind, id: string): Buffer {
  return Buffer.concat([Buffer.of(spaceTag, kind), Buffer.from(id, 'utf8')]);
}

function kindRange(kind: Kind): { start: Buffer; end: Buffer } {
  return { start: Buffer.of(spaceTag, kind), end: Buffer.of(spaceTag, kind + 1) };
}

/** One kind of record: a memory map mirroring its key range, keyed like the store. */
class Collection<T> {
  readonly byId = new Map<string, T>();

  constructor(
    readonly kind: Kind,
    private readonly idOf: (record: T) => string,
    /** IAM names are unique regardless of case; access key ids are exact. */
    private readonly ignoreCase: boolean,
  ) {}

  load(store: KvStore): void {
    for (const { value } of store.range(kindRange(this.kind))) this.byId.set(this.storedId(value as T), value as T);
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
    return recordKey(this.kind, this.storedId(record));
  }
}

// A change to one record of any collection; batches mix collections.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Entry = readonly [Collection<any>, unknown];

export class IamStore {
  readonly users = new Collection<UserRecord>(Kind.user, (r) => r.userName, true);
  readonly groups = new Collection<GroupRecord>(Kind.group, (r) => r.groupName, true);
  readonly roles = new Collection<RoleRecord>(Kind.role, (r) => r.roleName, true);
  readonly policies = new Collection<ManagedPolicyRecord>(Kind.policy, (r) => r.policyName, true);
  readonly accessKeys = new Collection<AccessKeyRecord>(Kind.accessKey, (r) => r.accessKeyId, false);
  readonly sessions = new Collection<SessionRecord>(Kind.session, (r) => r.accessKeyId, false);
  /** By resource ARN, exactly (table names are case-sensitive). */
  readonly resourcePolicies = new Collection<ResourcePolicyRecord>(Kind.resourcePolicy, (r) => r.resourceArn, false);
  /** Bumped on every change: caches of compiled principals compare against it. */
  version = 0;

  constructor(
    private readonly store: KvStore,
    readonly accountId: string,
  ) {
    for (const collection of this.all()) collection.load(store);
  }

  private all(): Collection<unknown>[] {
    return [this.users, this.groups, this.roles, this.policies, this.accessKeys, this.sessions, this.resourcePolicies] as Collection<unknown>[];
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
