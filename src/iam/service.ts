// The IAM subsystem's state for the Query APIs, as one account sees it: its store and
// directory, and the shared authorizer, audit, OIDC issuers, MFA code guard and clock (other
// accounts are reached through accountContext, for cross-account AssumeRole); plus the
// authorization check every IAM/STS action runs first.
import type { Principal } from '../auth/credentials.js';
import type { AuditLog } from './audit.js';
import type { Authorizer, RequestFacts } from './authorizer.js';
import { IamError } from './errors.js';
import { denialMessage } from './evaluate.js';
import type { OidcProvider } from './oidc.js';
import type { Params } from './params.js';
import type { MfaCodeGuard } from './mfa.js';
import type { Directory } from './principals.js';
import type { IamStore } from './store.js';

export interface IamContext {
  store: IamStore;
  directory: Directory;
  authorizer: Authorizer;
  audit: AuditLog;
  oidcProviders: OidcProvider[];
  accountId: string;
  now: () => number;
  mfaCodes: MfaCodeGuard;
  /** Any known account's context (this one's included), or undefined. */
  accountContext(accountId: string): IamContext | undefined;
}

export interface QueryCall {
  action: string;
  params: Params;
  /** Undefined for the unsigned STS calls (AssumeRoleWithWebIdentity). */
  principal: Principal | undefined;
  facts: RequestFacts;
}

/** The caller may perform `action` on `resource`, or this throws IAM's AccessDenied. */
export function authorizeCall(context: IamContext, call: QueryCall, action: string, resource: string): void {
  const principal = call.principal;
  if (principal === undefined) throw new IamError('MissingAuthenticationToken', 'Request is missing Authentication Token');
  const authorization = context.authorizer.authorizationOf(principal);
  // IAM refuses credentials from GetSessionToken unless MFA was used, and federation tokens
  // always (GetSessionToken / GetFederationToken reference). Unverified for federation tokens:
  // that IAM answers them with the same InvalidClientTokenId text.
  const sessionRefused =
    (authorization?.issuedBy === 'GetSessionToken' && authorization.mfaAuthenticatedAtMs === undefined) ||
    authorization?.issuedBy === 'GetFederationToken';
  if (sessionRefused && action.startsWith('iam:')) {
    throw new IamError('InvalidClientTokenId', 'The security token included in the request is invalid');
  }
  if (principal.root) return;
  const decision =
    authorization === undefined
      ? ({ effect: 'ImplicitDeny', policyType: 'identity-based' } as const)
      : context.authorizer.decide(authorization, action, resource, new Map(), call.facts);
  if (decision.effect !== 'Allow') throw new IamError('AccessDenied', denialMessage(principal.arn, action, resource, decision));
}

/** Records a change to identities or policies in the audit trail. */
export function auditChange(context: IamContext, call: QueryCall, kind: 'iam' | 'sts', action: string, resource: string): void {
  context.audit.record({
    time: new Date(call.facts.nowMs).toISOString(),
    kind,
    principal: call.principal?.arn ?? 'anonymous',
    action,
    resource,
    decision: 'Allow',
    requestId: call.facts.requestId,
    sourceIp: call.facts.sourceIp,
  });
}
