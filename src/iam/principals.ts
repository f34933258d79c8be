// Turns IAM records into signing credentials and, for each principal, what authorization
// needs: its compiled policies and its principal condition keys. Built once per credential and
// rebuilt only after an IAM change (the store's version), never per request.
import type { Credential, Principal } from '../auth/credentials.js';
import type { ContextValue } from './context.js';
import { awsManagedPolicies } from './managed-policies.js';
import { compilePolicy, type CompiledPolicy, type PolicyKind } from './policy.js';
import type { IamStore, InlinePolicies, SessionRecord, Tag, UserRecord, RoleRecord } from './store.js';

export interface PrincipalAuthorization {
  principal: Principal;
  /** The principal type, as aws:PrincipalType reports it. */
  type: 'User' | 'AssumedRole' | 'Account';
  userName?: string;
  roleName?: string;
  identityPolicies: CompiledPolicy[];
  /** Set when the session was given session policies (the session may do only their intersection). */
  sessionPolicies?: CompiledPolicy[];
  /** Set when the user or role has a permissions boundary: identity-based permissions are intersected with it. */
  boundaryPolicies?: CompiledPolicy[];
  /** For role sessions: the role's ARN (a resource-based policy may name the role instead of the session). */
  roleArn?: string;
  /** Principal condition keys (lower-case): aws:username, aws:userid, aws:PrincipalTag/..., web identity keys. */
  context: Map<string, ContextValue>;
  /** Credentials from GetSessionToken: IAM calls are refused, as AWS does without MFA. */
  fromGetSessionToken: boolean;
}

export class Directory {
  private readonly credentials = new Map<string, { version: number; credential: Credential }>();
  private readonly authorizations = new WeakMap<Principal, PrincipalAuthorization>();
  private readonly compiled = new Map<string, CompiledPolicy>();

  constructor(
    readonly store: IamStore,
    readonly rootArn: string,
  ) {}

  get accountId(): string {
    return this.store.accountId;
  }

  /** The signing credential for an access key id (a user's key or an STS session), or undefined. */
  resolve(accessKeyId: string): Credential | undefined {
    const cached = this.credentials.get(accessKeyId);
    if (cached !== undefined && cached.version === this.store.version) return cached.credential;
    const credential = this.build(accessKeyId);
    if (credential === undefined) this.credentials.delete(accessKeyId);
    else {
      // Bounded by the number of keys and live sessions; a stale entry is replaced on use.
      if (cached === undefined && this.credentials.size >= 2 * (this.store.accessKeys.size + this.store.sessions.size) + 64) {
        this.credentials.clear();
      }
      this.credentials.set(accessKeyId, { version: this.store.version, credential });
    }
    return credential;
  }

  /** What authorization needs about a principal this directory resolved. */
  authorizationOf(principal: Principal): PrincipalAuthorization | undefined {
    return this.authorizations.get(principal);
  }

  private build(accessKeyId: string): Credential | undefined {
    const key = this.store.accessKeys.get(accessKeyId);
    if (key !== undefined) {
      const user = this.store.users.get(key.userName);
      if (user === undefined || key.status !== 'Active') return undefined;
      const authorization = this.userAuthorization(user, accessKeyId, false);
      this.authorizations.set(authorization.principal, authorization);
      return { accessKeyId, secretAccessKey: key.secretAccessKey, principal: authorization.principal };
    }
    const session = this.store.sessions.get(accessKeyId);
    if (session === undefined) return undefined;
    const authorization = this.sessionAuthorization(session);
    if (authorization === undefined) return undefined;
    this.authorizations.set(authorization.principal, authorization);
    return {
      accessKeyId,
      secretAccessKey: session.secretAccessKey,
      principal: authorization.principal,
      sessionToken: session.sessionToken,
      expiresAtMs: session.expiresAtMs,
    };
  }

  userAuthorization(user: UserRecord, accessKeyId: string, fromGetSessionToken: boolean): PrincipalAuthorization {
    const principal: Principal = { accountId: this.accountId, arn: user.arn, accessKeyId, userId: user.userId, root: false };
    const policies = this.policiesOf(`user/${user.userName}`, user.inlinePolicies, user.attachedPolicies);
    for (const groupName of user.groups) {
      const group = this.store.groups.get(groupName);
      if (group) policies.push(...this.policiesOf(`group/${group.groupName}`, group.inlinePolicies, group.attachedPolicies));
    }
    const context = new Map<string, ContextValue>([
      ['aws:username', user.userName],
      ['aws:userid', user.userId],
      ['aws:principalarn', user.arn],
      ['aws:principalaccount', this.accountId],
      ['aws:principaltype', 'User'],
      ['aws:principalisawsservice', 'false'],
    ]);
    addTags(context, user.tags);
    const authorization: PrincipalAuthorization = { principal, type: 'User', userName: user.userName, identityPolicies: policies, context, fromGetSessionToken };
    if (user.permissionsBoundary !== undefined) authorization.boundaryPolicies = [this.boundary(user.permissionsBoundary)];
    return authorization;
  }

  private sessionAuthorization(session: SessionRecord): PrincipalAuthorization | undefined {
    const subject = session.subject;
    if (subject.kind === 'root') {
      const principal: Principal = { accountId: this.accountId, arn: this.rootArn, accessKeyId: session.accessKeyId, userId: this.accountId, root: true };
      return { principal, type: 'Account', identityPolicies: [], context: new Map(), fromGetSessionToken: true };
    }
    if (subject.kind === 'user') {
      const user = this.store.users.get(subject.userName);
      return user === undefined ? undefined : this.userAuthorization(user, session.accessKeyId, true);
    }
    const role = this.store.roles.get(subject.roleName);
    if (role === undefined) return undefined;
    const arn = assumedRoleArn(this.accountId, role, subject.sessionName);
    const userId = `${role.roleId}:${subject.sessionName}`;
    const principal: Principal = { accountId: this.accountId, arn, accessKeyId: session.accessKeyId, userId, root: false };
    const context = new Map<string, ContextValue>([
      ['aws:userid', userId],
      ['aws:principalarn', role.arn],
      ['aws:principalaccount', this.accountId],
      ['aws:principaltype', 'AssumedRole'],
      ['aws:principalisawsservice', 'false'],
    ]);
    // Session tags take precedence over the role's tags with the same key.
    addTags(context, role.tags);
    addTags(context, subject.tags);
    if (subject.federatedProvider !== undefined) context.set('aws:federatedprovider', subject.federatedProvider);
    if (subject.sourceIdentity !== undefined) context.set('aws:sourceidentity', subject.sourceIdentity);
    for (const [key, value] of Object.entries(subject.webIdentity ?? {})) context.set(key.toLowerCase(), value);
    const authorization: PrincipalAuthorization = {
      principal,
      type: 'AssumedRole',
      roleName: role.roleName,
      roleArn: role.arn,
      identityPolicies: this.policiesOf(`role/${role.roleName}`, role.inlinePolicies, role.attachedPolicies),
      context,
      fromGetSessionToken: false,
    };
    if (role.permissionsBoundary !== undefined) authorization.boundaryPolicies = [this.boundary(role.permissionsBoundary)];
    if (session.sessionPolicy !== undefined) {
      authorization.sessionPolicies = [this.compile(session.sessionPolicy, 'session', `session/${subject.sessionName}`)];
    }
    return authorization;
  }

  private policiesOf(owner: string, inline: InlinePolicies, attached: readonly string[]): CompiledPolicy[] {
    const policies: CompiledPolicy[] = [];
    for (const [name, document] of Object.entries(inline)) policies.push(this.compile(document, 'identity', `${owner}/${name}`));
    for (const arn of attached) {
      const document = this.managedDocument(arn);
      if (document !== undefined) policies.push(this.compile(document, 'identity', arn));
    }
    return policies;
  }

  /** A permissions boundary by policy ARN; one that no longer resolves allows nothing. */
  private boundary(arn: string): CompiledPolicy {
    const document = this.managedDocument(arn);
    return document === undefined ? { source: arn, statements: [] } : this.compile(document, 'identity', arn);
  }

  /** The document of a managed policy (customer or AWS managed) by ARN. */
  managedDocument(arn: string): string | undefined {
    const aws = awsManagedPolicies.get(arn);
    if (aws !== undefined) return aws.document;
    const name = arn.slice(arn.lastIndexOf('/') + 1);
    const record = this.store.policies.get(name);
    return record !== undefined && record.arn === arn ? record.document : undefined;
  }

  /** Compiles a stored document, once per distinct (kind, source, text). */
  compile(document: string, kind: PolicyKind, source: string): CompiledPolicy {
    const cacheKey = `${kind}\u0000${source}\u0000${document}`;
    let policy = this.compiled.get(cacheKey);
    if (policy === undefined) {
      // Bounded by the policies IAM quotas allow; cleared if stale entries pile up.
      if (this.compiled.size >= 20_000) this.compiled.clear();
      policy = compilePolicy(document, kind, source);
      this.compiled.set(cacheKey, policy);
    }
    return policy;
  }
}

function addTags(context: Map<string, ContextValue>, tags: readonly Tag[]): void {
  for (const tag of tags) context.set(`aws:principaltag/${tag.Key.toLowerCase()}`, tag.Value);
}

export function assumedRoleArn(accountId: string, role: RoleRecord, sessionName: string): string {
  return `arn:aws:sts::${accountId}:assumed-role/${role.roleName}/${sessionName}`;
}
