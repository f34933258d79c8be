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
  type: 'User' | 'AssumedRole' | 'FederatedUser' | 'Account';
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
  /** How temporary credentials were issued (undefined for long-term keys): each kind has its own limits on IAM and STS calls. */
  issuedBy?: 'GetSessionToken' | 'GetFederationToken' | 'AssumeRole';
  /** When MFA authenticated the session: aws:MultiFactorAuthAge counts from here, per request. */
  mfaAuthenticatedAtMs?: number;
}

/** The account root's identity: everything in its own account (used when it acts across accounts). */
const allowEverything = compilePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }, 'identity', 'account-root');

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

  /** A root access key of this account (another account's, from the IAM config): its credential. */
  rootCredential(accessKeyId: string, secretAccessKey: string): Credential {
    const principal: Principal = { accountId: this.accountId, arn: this.rootArn, accessKeyId, userId: this.accountId, root: true };
    this.authorizations.set(principal, this.rootAuthorization(principal, undefined));
    return { accessKeyId, secretAccessKey, principal };
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
      const authorization = this.userAuthorization(user, accessKeyId);
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

  /** The account root: it may do anything in its account (only another account's resource policies bound it). */
  private rootAuthorization(principal: Principal, session: SessionRecord | undefined): PrincipalAuthorization {
    const context = new Map<string, ContextValue>([
      ['aws:principalarn', principal.arn],
      ['aws:principalaccount', this.accountId],
      ['aws:userid', principal.userId],
      ['aws:principaltype', 'Account'],
      ['aws:principalisawsservice', 'false'],
    ]);
    const authorization: PrincipalAuthorization = { principal, type: 'Account', identityPolicies: [allowEverything], context };
    if (session !== undefined) addSessionFacts(authorization, session, 'GetSessionToken');
    return authorization;
  }

  userAuthorization(user: UserRecord, accessKeyId: string): PrincipalAuthorization {
    const principal: Principal = { accountId: this.accountId, arn: user.arn, accessKeyId, userId: user.userId, root: false };
    const policies = this.userPolicies(user);
    const context = new Map<string, ContextValue>([
      ['aws:username', user.userName],
      ['aws:userid', user.userId],
      ['aws:principalarn', user.arn],
      ['aws:principalaccount', this.accountId],
      ['aws:principaltype', 'User'],
      ['aws:principalisawsservice', 'false'],
    ]);
    addTags(context, user.tags);
    const authorization: PrincipalAuthorization = { principal, type: 'User', userName: user.userName, identityPolicies: policies, context };
    if (user.permissionsBoundary !== undefined) authorization.boundaryPolicies = [this.boundary(user.permissionsBoundary)];
    return authorization;
  }

  /** A user's own and its groups' policies. */
  private userPolicies(user: UserRecord): CompiledPolicy[] {
    const policies = this.policiesOf(`user/${user.userName}`, user.inlinePolicies, user.attachedPolicies);
    for (const groupName of user.groups) {
      const group = this.store.groups.get(groupName);
      if (group) policies.push(...this.policiesOf(`group/${group.groupName}`, group.inlinePolicies, group.attachedPolicies));
    }
    return policies;
  }

  private sessionAuthorization(session: SessionRecord): PrincipalAuthorization | undefined {
    const subject = session.subject;
    if (subject.kind === 'root') {
      const principal: Principal = { accountId: this.accountId, arn: this.rootArn, accessKeyId: session.accessKeyId, userId: this.accountId, root: true };
      return this.rootAuthorization(principal, session);
    }
    if (subject.kind === 'user') {
      const user = this.store.users.get(subject.userName);
      if (user === undefined) return undefined;
      const authorization = this.userAuthorization(user, session.accessKeyId);
      addSessionFacts(authorization, session, 'GetSessionToken');
      return authorization;
    }
    if (subject.kind === 'federated-user') return this.federatedAuthorization(session, subject);
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
    };
    if (role.permissionsBoundary !== undefined) authorization.boundaryPolicies = [this.boundary(role.permissionsBoundary)];
    if (session.sessionPolicy !== undefined) {
      authorization.sessionPolicies = [this.compile(session.sessionPolicy, 'session', `session/${subject.sessionName}`)];
    }
    addSessionFacts(authorization, session, 'AssumeRole');
    return authorization;
  }

  /**
   * A GetFederationToken session: the calling user's permissions (the root's: everything)
   * intersected with the session policy; without a session policy it may do nothing (IAM User
   * Guide, "Session policies"), which an empty session policy list expresses.
   */
  private federatedAuthorization(session: SessionRecord, subject: Extract<SessionRecord['subject'], { kind: 'federated-user' }>): PrincipalAuthorization | undefined {
    const user = subject.userName === undefined ? undefined : this.store.users.get(subject.userName);
    if (subject.userName !== undefined && user === undefined) return undefined;
    const arn = federatedUserArn(this.accountId, subject.name);
    const userId = `${this.accountId}:${subject.name}`;
    const principal: Principal = { accountId: this.accountId, arn, accessKeyId: session.accessKeyId, userId, root: false };
    const context = new Map<string, ContextValue>([
      ['aws:userid', userId],
      ['aws:principalarn', arn],
      ['aws:principalaccount', this.accountId],
      ['aws:principaltype', 'FederatedUser'],
      ['aws:principalisawsservice', 'false'],
    ]);
    if (user !== undefined) addTags(context, user.tags);
    addTags(context, subject.tags);
    const authorization: PrincipalAuthorization = {
      principal,
      type: 'FederatedUser',
      identityPolicies: user === undefined ? [allowEverything] : this.userPolicies(user),
      context,
      sessionPolicies: session.sessionPolicy === undefined ? [] : [this.compile(session.sessionPolicy, 'session', `federated-user/${subject.name}`)],
    };
    if (user?.permissionsBoundary !== undefined) authorization.boundaryPolicies = [this.boundary(user.permissionsBoundary)];
    addSessionFacts(authorization, session, 'GetFederationToken');
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

export function federatedUserArn(accountId: string, name: string): string {
  return `arn:aws:sts::${accountId}:federated-user/${name}`;
}

/**
 * What every session's requests report: aws:MultiFactorAuthPresent is "true" or "false" for
 * temporary credentials (long-term keys leave it out, as IAM documents), and the MFA time.
 */
function addSessionFacts(authorization: PrincipalAuthorization, session: SessionRecord, issuedBy: NonNullable<PrincipalAuthorization['issuedBy']>): void {
  authorization.issuedBy = issuedBy;
  authorization.context.set('aws:multifactorauthpresent', session.mfaAuthenticatedAtMs === undefined ? 'false' : 'true');
  if (session.mfaAuthenticatedAtMs !== undefined) authorization.mfaAuthenticatedAtMs = session.mfaAuthenticatedAtMs;
}
