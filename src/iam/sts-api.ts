// The STS Query API (2011-06-15): GetCallerIdentity, GetSessionToken, AssumeRole (also across
// accounts), AssumeRoleWithWebIdentity and GetFederationToken (sts-federation.ts). Sessions are
// stored like access keys and resolve to principals through the directory; their credentials
// carry a session token and an expiry, and record whether MFA authenticated them.
import type { Principal } from '../auth/credentials.js';
import { accountOfArn } from './accounts.js';
import type { ContextValue } from './context.js';
import { IamError } from './errors.js';
import { evaluatePolicies } from './evaluate.js';
import {
  roleMaxSessionSecondsMax, roleSessionSecondsDefault, roleSessionSecondsMin, rootSessionTokenSecondsMax, sessionNameLengthMax,
  sessionNameLengthMin, sessionTokenSecondsDefault, sessionTokenSecondsMax,
} from './limits.js';
import { verifyWebIdentityToken, webIdentityKeys } from './oidc.js';
import { validation } from './params.js';
import type { CompiledStatement } from './policy.js';
import { assumedRoleArn, type PrincipalAuthorization } from './principals.js';
import { auditChange, type IamContext, type QueryCall } from './service.js';
import { getFederationToken } from './sts-federation.js';
import { credentialsShape, durationSeconds, issueSession, sessionPolicyOf, verifyMfaCode, type Action } from './sts-sessions.js';
import type { RoleRecord, SessionSubject } from './store.js';

const getCallerIdentity: Action = (context, call) => {
  const principal = call.principal!;
  return { UserId: principal.userId, Account: principal.accountId, Arn: principal.arn };
};

const getSessionToken: Action = async (context, call) => {
  const principal = call.principal!;
  const authorization = context.authorizer.authorizationOf(principal);
  if (authorization?.issuedBy !== undefined) throw new IamError('AccessDenied', 'Cannot call GetSessionToken with session credentials');
  const max = principal.root ? rootSessionTokenSecondsMax : sessionTokenSecondsMax;
  const seconds = durationSeconds(call, roleSessionSecondsMin, max, principal.root ? rootSessionTokenSecondsMax : sessionTokenSecondsDefault);
  const mfaAt = verifyMfaCode(context, call, authorization?.userName);
  const subject: SessionSubject = principal.root ? { kind: 'root' } : { kind: 'user', userName: authorization!.userName! };
  const session = await issueSession(context, subject, seconds, undefined, mfaAt);
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

/** The role a RoleArn names, in whichever known account holds it. */
function roleOf(context: IamContext, roleArn: string): { role: RoleRecord; roleContext: IamContext } | undefined {
  const roleContext = context.accountContext(accountOfArn(roleArn) ?? '');
  if (roleContext === undefined) return undefined;
  const role = roleContext.store.roles.get(roleArn.slice(roleArn.lastIndexOf('/') + 1));
  return role !== undefined && role.arn === roleArn ? { role, roleContext } : undefined;
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

/** The MFA keys the trust policy sees: a code presented now, else the caller's session's MFA. */
function mfaKeys(authorization: PrincipalAuthorization, mfaAt: number | undefined, nowMs: number): Record<string, ContextValue> {
  const at = mfaAt ?? authorization.mfaAuthenticatedAtMs;
  if (at !== undefined) return { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': String(Math.max(0, Math.floor((nowMs - at) / 1000))) };
  return authorization.issuedBy === undefined ? {} : { 'aws:MultiFactorAuthPresent': 'false' };
}

/**
 * AssumeRole. The trust policy must allow the caller. In the role's own account, a trust policy
 * naming the caller itself suffices, while one naming the account delegates to the caller's
 * identity policies; from another account, the caller's identity policies must always allow
 * sts:AssumeRole on the role too (IAM User Guide, cross-account policy evaluation).
 */
const assumeRole: Action = async (context, call) => {
  const principal = call.principal!;
  const roleArn = call.params.required('RoleArn');
  const name = sessionName(call);
  const denied = () => new IamError('AccessDenied', `User: ${principal.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
  if (principal.root) throw new IamError('AccessDenied', 'Roles may not be assumed by root accounts.');
  const authorization = context.authorizer.authorizationOf(principal);
  // Federation tokens may call no STS action but GetCallerIdentity (unverified: the text).
  if (authorization === undefined || authorization.issuedBy === 'GetFederationToken') throw denied();
  const target = roleOf(context, roleArn);
  if (target === undefined) throw denied();
  const { role, roleContext } = target;
  const mfaAt = verifyMfaCode(context, call, authorization.userName);
  const tags = call.params.tags();
  const externalId = call.params.optional('ExternalId');
  const sourceIdentity = call.params.optional('SourceIdentity');
  const extra: Record<string, ContextValue> = mfaKeys(authorization, mfaAt, call.facts.nowMs);
  if (externalId !== undefined) extra['sts:ExternalId'] = externalId;
  if (sourceIdentity !== undefined) extra['sts:SourceIdentity'] = sourceIdentity;
  for (const tag of tags) extra[`aws:RequestTag/${tag.Key}`] = tag.Value;
  if (tags.length > 0) extra['aws:TagKeys'] = tags.map((tag) => tag.Key);
  const keys = trustKeys(call, principal, extra);
  for (const [key, value] of authorization.context) if (!keys.has(key)) keys.set(key, value);
  const trust = roleContext.directory.compile(role.trustPolicy, 'trust', `${role.arn}/trust`);
  const callerArns = authorization.roleArn !== undefined ? [principal.arn, authorization.roleArn] : [principal.arn];
  const accountRoot = `arn:aws:iam::${principal.accountId}:root`;
  const crossAccount = roleContext.accountId !== principal.accountId;
  const actions = tags.length > 0 ? ['sts:AssumeRole', 'sts:TagSession'] : ['sts:AssumeRole'];
  for (const action of actions) {
    const evaluation = { request: keys, principal: authorization.context };
    const any = evaluatePolicies([trust], action, roleArn, evaluation, (s) => principalMatch(s, callerArns, accountRoot, undefined, false));
    if (any.deny || !any.allow) throw denied();
    const specific = evaluatePolicies([trust], action, roleArn, evaluation, (s) => principalMatch(s, callerArns, accountRoot, undefined, true));
    const identity = context.authorizer.decide(authorization, action, roleArn, new Map(keys), call.facts);
    if (identity.effect === 'ExplicitDeny') throw denied();
    if (identity.effect !== 'Allow' && (crossAccount || !specific.allow)) throw denied();
  }
  const seconds = durationSeconds(call, roleSessionSecondsMin, roleMaxSessionSecondsMax, roleSessionSecondsDefault);
  if (seconds > role.maxSessionSeconds) throw new IamError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  const policy = sessionPolicyOf(call);
  const session = await issueSession(
    roleContext,
    { kind: 'assumed-role', roleName: role.roleName, sessionName: name, tags, ...(sourceIdentity !== undefined ? { sourceIdentity } : {}) },
    seconds,
    policy,
    mfaAt ?? authorization.mfaAuthenticatedAtMs,
  );
  auditChange(context, call, 'sts', 'sts:AssumeRole', role.arn);
  return {
    Credentials: credentialsShape(session),
    AssumedRoleUser: { AssumedRoleId: `${role.roleId}:${name}`, Arn: assumedRoleArn(roleContext.accountId, role, name) },
    SourceIdentity: sourceIdentity,
  };
};

const assumeRoleWithWebIdentity: Action = async (context, call) => {
  const roleArn = call.params.required('RoleArn');
  const name = sessionName(call);
  const token = call.params.required('WebIdentityToken');
  const verified = await verifyWebIdentityToken(token, context.oidcProviders, call.facts.nowMs);
  const target = roleOf(context, roleArn);
  const denied = () => new IamError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity');
  if (target === undefined) throw denied();
  const { role, roleContext } = target;
  const webIdentity = webIdentityKeys(verified);
  const federatedProvider = verified.provider.id === 'cognito-identity.amazonaws.com' || verified.provider.id === 'www.amazon.com' ||
    verified.provider.id === 'graph.facebook.com' || verified.provider.id === 'accounts.google.com'
    ? verified.provider.id
    : `arn:aws:iam::${roleContext.accountId}:oidc-provider/${verified.provider.id}`;
  const keys = trustKeys(call, undefined, { ...webIdentity, 'aws:FederatedProvider': federatedProvider });
  const trust = roleContext.directory.compile(role.trustPolicy, 'trust', `${role.arn}/trust`);
  const verdict = evaluatePolicies([trust], 'sts:AssumeRoleWithWebIdentity', roleArn, { request: keys, principal: new Map() }, (s) =>
    principalMatch(s, [], '', verified.provider.id, false),
  );
  if (verdict.deny || !verdict.allow) throw denied();
  const seconds = durationSeconds(call, roleSessionSecondsMin, roleMaxSessionSecondsMax, roleSessionSecondsDefault);
  if (seconds > role.maxSessionSeconds) throw new IamError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  const policy = sessionPolicyOf(call);
  const session = await issueSession(
    roleContext,
    { kind: 'assumed-role', roleName: role.roleName, sessionName: name, tags: [], webIdentity, federatedProvider },
    seconds,
    policy,
    undefined,
  );
  auditChange(roleContext, call, 'sts', 'sts:AssumeRoleWithWebIdentity', role.arn);
  return {
    Credentials: credentialsShape(session),
    SubjectFromWebIdentityToken: verified.subject,
    AssumedRoleUser: { AssumedRoleId: `${role.roleId}:${name}`, Arn: assumedRoleArn(roleContext.accountId, role, name) },
    Provider: String(verified.claims.iss),
    Audience: verified.audience,
  };
};

export const stsActions: Readonly<Record<string, Action>> = {
  GetCallerIdentity: getCallerIdentity,
  GetSessionToken: getSessionToken,
  GetFederationToken: getFederationToken,
  AssumeRole: assumeRole,
  AssumeRoleWithWebIdentity: assumeRoleWithWebIdentity,
};

/** STS actions that are called without credentials. */
export const unsignedStsActions: ReadonlySet<string> = new Set(['AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML']);
