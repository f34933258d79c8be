// The STS Query API (2011-06-15): GetCallerIdentity, GetSessionToken, AssumeRole and
// AssumeRoleWithWebIdentity. Sessions are stored like access keys (store.ts) and resolve to
// principals through the directory; their credentials carry a session token and an expiry.
import type { Principal } from '../auth/credentials.js';
import { IamError } from './errors.js';
import { evaluatePolicies } from './evaluate.js';
import { accessKeyId, secretAccessKey, sessionToken } from './ids.js';
import {
  liveSessionsMax, roleMaxSessionSecondsMax, roleSessionSecondsDefault, roleSessionSecondsMin, rootSessionTokenSecondsMax, sessionNameLengthMax,
  sessionNameLengthMin, sessionPolicyCharsMax, sessionTokenSecondsDefault, sessionTokenSecondsMax,
} from './limits.js';
import { verifyWebIdentityToken, webIdentityKeys } from './oidc.js';
import { validation } from './params.js';
import { compilePolicy, type CompiledStatement } from './policy.js';
import { assumedRoleArn } from './principals.js';
import { auditChange, type IamContext, type QueryCall } from './service.js';
import type { RoleRecord, SessionRecord, SessionSubject } from './store.js';
import { isoTime, type XmlValue } from './xml.js';
import type { ContextValue } from './context.js';

type Result = Record<string, XmlValue> | undefined;
type Action = (context: IamContext, call: QueryCall) => Promise<Result> | Result;

const getCallerIdentity: Action = (context, call) => {
  const principal = call.principal!;
  return { UserId: principal.userId, Account: principal.accountId, Arn: principal.arn };
};

function durationSeconds(call: QueryCall, min: number, max: number, fallback: number): number {
  const seconds = call.params.integer('DurationSeconds') ?? fallback;
  if (seconds < min) throw validation(`Value '${seconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to ${min}`);
  if (seconds > max) throw validation(`Value '${seconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
  return seconds;
}

async function issueSession(context: IamContext, subject: SessionSubject, seconds: number, sessionPolicy: string | undefined): Promise<SessionRecord> {
  const now = context.now();
  const session: SessionRecord = {
    accessKeyId: accessKeyId('ASIA'),
    secretAccessKey: secretAccessKey(),
    sessionToken: sessionToken(),
    expiresAtMs: now + seconds * 1000,
    subject,
    ...(sessionPolicy !== undefined ? { sessionPolicy } : {}),
  };
  // Expired sessions are dropped as new ones are issued; the live ones are bounded.
  const expired = [...context.store.sessions.values()].filter((old) => old.expiresAtMs <= now - 3600_000);
  if (context.store.sessions.size - expired.length >= liveSessionsMax) {
    throw new IamError('LimitExceeded', `Cannot exceed quota for live sessions: ${liveSessionsMax}`);
  }
  await context.store.commit([[context.store.sessions, session]], expired.slice(0, 1000).map((old) => [context.store.sessions, old] as const));
  return session;
}

function credentialsShape(session: SessionRecord): Record<string, XmlValue> {
  return {
    AccessKeyId: session.accessKeyId,
    SecretAccessKey: session.secretAccessKey,
    SessionToken: session.sessionToken,
    Expiration: isoTime(session.expiresAtMs),
  };
}

const getSessionToken: Action = async (context, call) => {
  const principal = call.principal!;
  const authorization = principal.root ? undefined : context.authorizer.authorizationOf(principal);
  const isSession = context.store.sessions.get(principal.accessKeyId) !== undefined;
  if (isSession || authorization?.type === 'AssumedRole') {
    throw new IamError('AccessDenied', 'Cannot call GetSessionToken with session credentials');
  }
  const max = principal.root ? rootSessionTokenSecondsMax : sessionTokenSecondsMax;
  const seconds = durationSeconds(call, roleSessionSecondsMin, max, principal.root ? rootSessionTokenSecondsMax : sessionTokenSecondsDefault);
  const subject: SessionSubject = principal.root ? { kind: 'root' } : { kind: 'user', userName: authorization!.userName! };
  const session = await issueSession(context, subject, seconds, undefined);
  auditChange(context, call, 'sts', 'sts:GetSessionToken', principal.arn);
  return { Credentials: credentialsShape(session) };
};

function sessionName(call: QueryCall): string {
  const name = call.params.required('RoleSessionName');
  if (name.length < sessionNameLengthMin || name.length > sessionNameLengthMax) {
    throw validation(`Value '${name}' at 'roleSessionName' failed to satisfy constraint: Member must have length ${name.length < sessionNameLengthMin ? `greater than or equal to ${sessionNameLengthMin}` : `less than or equal to ${sessionNameLengthMax}`}`);
  }
  if (!/^[\w+=,.@-]*$/.test(name)) {
    throw validation(`Value '${name}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`);
  }
  return name;
}

function roleOf(context: IamContext, roleArn: string): RoleRecord | undefined {
  const name = roleArn.slice(roleArn.lastIndexOf('/') + 1);
  const role = context.store.roles.get(name);
  return role !== undefined && role.arn === roleArn ? role : undefined;
}

function sessionPolicyOf(call: QueryCall): string | undefined {
  const policy = call.params.optional('Policy');
  if (policy === undefined) return undefined;
  compilePolicy(policy, 'session', 'session');
  if (policy.replace(/\s/g, '').length > sessionPolicyCharsMax) {
    throw new IamError('PackedPolicyTooLarge', 'Packed policy consumes 100% of allotted space, please use smaller policy.');
  }
  return policy;
}

/** How the trust policy's Principal names the caller: the caller itself, its account, or anyone. */
function principalMatch(statement: CompiledStatement, callerArns: readonly string[], accountRoot: string, federated: string | undefined, specificOnly: boolean): boolean {
  const spec = statement.principal;
  if (spec === undefined) return false;
  let matched = false;
  if (federated !== undefined) matched = spec.federated.includes(federated) || spec.federated.some((value) => value.endsWith(`:oidc-provider/${federated}`));
  else if (specificOnly) matched = spec.aws.some((value) => callerArns.includes(value));
  else matched = spec.any || spec.aws.some((value) => value === accountRoot || callerArns.includes(value));
  return matched !== statement.principalNegated;
}

function trustKeys(call: QueryCall, principal: Principal | undefined, extra: Record<string, ContextValue>): Map<string, ContextValue> {
  const keys = new Map<string, ContextValue>([
    ['aws:currenttime', new Date(call.facts.nowMs).toISOString()],
    ['aws:epochtime', String(Math.floor(call.facts.nowMs / 1000))],
    ['aws:sourceip', call.facts.sourceIp],
    ['aws:securetransport', call.facts.secure ? 'true' : 'false'],
  ]);
  if (principal !== undefined) {
    keys.set('aws:principalarn', principal.arn);
    keys.set('aws:principalaccount', principal.accountId);
    keys.set('aws:userid', principal.userId);
  }
  for (const [key, value] of Object.entries(extra)) keys.set(key.toLowerCase(), value);
  return keys;
}

const assumeRole: Action = async (context, call) => {
  const principal = call.principal!;
  const roleArn = call.params.required('RoleArn');
  const name = sessionName(call);
  const denied = () => new IamError('AccessDenied', `User: ${principal.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
  if (principal.root) throw new IamError('AccessDenied', 'Roles may not be assumed by root accounts.');
  const authorization = context.authorizer.authorizationOf(principal);
  const role = roleOf(context, roleArn);
  if (authorization === undefined || role === undefined) throw denied();
  const tags = call.params.tags();
  const externalId = call.params.optional('ExternalId');
  const sourceIdentity = call.params.optional('SourceIdentity');
  const extra: Record<string, ContextValue> = {};
  if (externalId !== undefined) extra['sts:ExternalId'] = externalId;
  if (sourceIdentity !== undefined) extra['sts:SourceIdentity'] = sourceIdentity;
  for (const tag of tags) extra[`aws:RequestTag/${tag.Key}`] = tag.Value;
  if (tags.length > 0) extra['aws:TagKeys'] = tags.map((tag) => tag.Key);
  const keys = trustKeys(call, principal, extra);
  for (const [key, value] of authorization.context) if (!keys.has(key)) keys.set(key, value);
  const trust = context.directory.compile(role.trustPolicy, 'trust', `${role.arn}/trust`);
  const callerArns = authorization.type === 'AssumedRole' ? [principal.arn, `arn:aws:iam::${context.accountId}:role/${authorization.roleName}`] : [principal.arn];
  const accountRoot = `arn:aws:iam::${context.accountId}:root`;
  const actions = tags.length > 0 ? ['sts:AssumeRole', 'sts:TagSession'] : ['sts:AssumeRole'];
  for (const action of actions) {
    const evaluation = { request: keys, principal: authorization.context };
    const any = evaluatePolicies([trust], action, roleArn, evaluation, (s) => principalMatch(s, callerArns, accountRoot, undefined, false));
    if (any.deny || !any.allow) throw denied();
    // A trust policy naming the caller itself is enough in the same account; one naming the
    // account delegates to the caller's identity-based policies, which must allow the action.
    const specific = evaluatePolicies([trust], action, roleArn, evaluation, (s) => principalMatch(s, callerArns, accountRoot, undefined, true));
    const identity = context.authorizer.decide(authorization, action, roleArn, new Map(keys), call.facts);
    if (identity.effect === 'ExplicitDeny') throw denied();
    if (!specific.allow && identity.effect !== 'Allow') throw denied();
  }
  const seconds = durationSeconds(call, roleSessionSecondsMin, roleMaxSessionSecondsMax, roleSessionSecondsDefault);
  if (seconds > role.maxSessionSeconds) throw new IamError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  const policy = sessionPolicyOf(call);
  const session = await issueSession(
    context,
    { kind: 'assumed-role', roleName: role.roleName, sessionName: name, tags, ...(sourceIdentity !== undefined ? { sourceIdentity } : {}) },
    seconds,
    policy,
  );
  const sessionArn = assumedRoleArn(context.accountId, role, name);
  auditChange(context, call, 'sts', 'sts:AssumeRole', role.arn);
  return {
    Credentials: credentialsShape(session),
    AssumedRoleUser: { AssumedRoleId: `${role.roleId}:${name}`, Arn: sessionArn },
    SourceIdentity: sourceIdentity,
  };
};

const assumeRoleWithWebIdentity: Action = async (context, call) => {
  const roleArn = call.params.required('RoleArn');
  const name = sessionName(call);
  const token = call.params.required('WebIdentityToken');
  const verified = verifyWebIdentityToken(token, context.oidcProviders, call.facts.nowMs);
  const role = roleOf(context, roleArn);
  const denied = () => new IamError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity');
  if (role === undefined) throw denied();
  const webIdentity = webIdentityKeys(verified);
  const federatedProvider = verified.provider.id === 'cognito-identity.amazonaws.com' || verified.provider.id === 'www.amazon.com' ||
    verified.provider.id === 'graph.facebook.com' || verified.provider.id === 'accounts.google.com'
    ? verified.provider.id
    : `arn:aws:iam::${context.accountId}:oidc-provider/${verified.provider.id}`;
  const keys = trustKeys(call, undefined, { ...webIdentity, 'aws:FederatedProvider': federatedProvider });
  const trust = context.directory.compile(role.trustPolicy, 'trust', `${role.arn}/trust`);
  const verdict = evaluatePolicies([trust], 'sts:AssumeRoleWithWebIdentity', roleArn, { request: keys, principal: new Map() }, (s) =>
    principalMatch(s, [], '', verified.provider.id, false),
  );
  if (verdict.deny || !verdict.allow) throw denied();
  const seconds = durationSeconds(call, roleSessionSecondsMin, roleMaxSessionSecondsMax, roleSessionSecondsDefault);
  if (seconds > role.maxSessionSeconds) throw new IamError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  const policy = sessionPolicyOf(call);
  const session = await issueSession(
    context,
    { kind: 'assumed-role', roleName: role.roleName, sessionName: name, tags: [], webIdentity, federatedProvider },
    seconds,
    policy,
  );
  auditChange(context, call, 'sts', 'sts:AssumeRoleWithWebIdentity', role.arn);
  return {
    Credentials: credentialsShape(session),
    SubjectFromWebIdentityToken: verified.subject,
    AssumedRoleUser: { AssumedRoleId: `${role.roleId}:${name}`, Arn: assumedRoleArn(context.accountId, role, name) },
    Provider: String(verified.claims.iss),
    Audience: verified.audience,
  };
};

export const stsActions: Readonly<Record<string, Action>> = {
  GetCallerIdentity: getCallerIdentity,
  GetSessionToken: getSessionToken,
  AssumeRole: assumeRole,
  AssumeRoleWithWebIdentity: assumeRoleWithWebIdentity,
};

/** STS actions that are called without credentials. */
export const unsignedStsActions: ReadonlySet<string> = new Set(['AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML']);

