// The authorization stage: who (a principal's compiled policies), what (action, resource,
// condition keys) -> Allow or an AccessDenied with AWS's text. Every decision is audited.
// The server account's root is not evaluated against identity policies (the server skips it),
// but an explicit Deny in a resource-based policy applies to it too (authorizeRootDynamo).
// Principals of other accounts reach the server's tables by AWS's cross-account rule: their
// identity policies must allow and the table's resource-based policy must allow them too.
import type { Principal } from '../auth/credentials.js';
import { DynamoError } from '../model/errors.js';
import { accountOfArn, type Accounts } from './accounts.js';
import type { AuditLog } from './audit.js';
import type { ContextValue } from './context.js';
import { denyStatement } from '../partiql/index.js';
import { dynamodbAccess, type AccessRequest, type TableLookup } from './dynamodb-access.js';
import { decide, denialMessage, type Decision, type PolicySet } from './evaluate.js';
import { ownAccountOutcome, type AuthorizeOutcome } from './foreign-account.js';
import type { CompiledPolicy } from './policy.js';
import type { PrincipalAuthorization } from './principals.js';
import { principalMatcher, type ResourcePolicies } from './resource-policy.js';

/** Facts about the request that global condition keys report. */
export interface RequestFacts {
  requestId: string;
  sourceIp: string;
  secure: boolean;
  nowMs: number;
}

export class Authorizer {
  constructor(
    private readonly accounts: Accounts,
    private readonly audit: AuditLog,
    private readonly region: string,
    readonly resourcePolicies: ResourcePolicies,
  ) {}

  get serverAccountId(): string {
    return this.accounts.serverAccountId;
  }

  /**
   * Evaluates and audits one (action, resource); `keys` (lower-case) is extended with the global
   * keys. `crossAccount`: the resource belongs to another account than the caller's, so its
   * resource-based policy must allow the caller as well as the caller's identity policies.
   */
  decide(
    authorization: PrincipalAuthorization,
    action: string,
    resource: string,
    keys: Map<string, ContextValue>,
    facts: RequestFacts,
    crossAccount = false,
  ): Decision {
    this.addRequestKeys(keys, authorization, facts);
    const policies = this.policiesFor(authorization, resource);
    if (crossAccount) policies.crossAccount = true;
    const decision = decide(policies, action, resource, { request: keys, principal: authorization.context });
    this.auditDecision(authorization.principal.arn, action, resource, decision, facts);
    return decision;
  }

  private auditDecision(principalArn: string, action: string, resource: string, decision: Decision, facts: RequestFacts): void {
    this.audit.record({
      time: new Date(facts.nowMs).toISOString(),
      kind: 'authorization',
      principal: principalArn,
      action,
      resource,
      decision: decision.effect,
      ...(decision.effect !== 'ImplicitDeny' ? { policy: decision.statement.policy, sid: decision.statement.sid } : {}),
      requestId: facts.requestId,
      sourceIp: facts.sourceIp,
    });
  }

  /** Every policy bearing on a principal's request for a resource (its resource-based policy, if any). */
  private policiesFor(authorization: PrincipalAuthorization, resource: string, resourcePolicy?: CompiledPolicy): PolicySet {
    const policies: PolicySet = { identity: authorization.identityPolicies };
    if (authorization.sessionPolicies !== undefined) policies.session = authorization.sessionPolicies;
    if (authorization.boundaryPolicies !== undefined) policies.boundary = authorization.boundaryPolicies;
    const policy = resourcePolicy ?? this.resourcePolicies.forResource(resource);
    if (policy !== undefined) policies.resource = { policy, principalMatch: principalMatcher(authorization.principal, authorization.roleArn) };
    return policies;
  }

  /** The server account's root: never evaluated against identity policies. */
  private isServerRoot(principal: Principal): boolean {
    return principal.root && principal.accountId === this.accounts.serverAccountId;
  }

  /**
   * Whether the caller could still call PutResourcePolicy on the resource if `policy` were its
   * policy (DynamoDB's self-lockout check). The server's root is only ever refused by an explicit Deny.
   */
  keepsPolicyAccess(principal: Principal, resource: string, policy: CompiledPolicy, facts: RequestFacts): boolean {
    const action = 'dynamodb:PutResourcePolicy';
    const serverRoot = this.isServerRoot(principal);
    const authorization = serverRoot ? this.serverRootAuthorization(principal) : this.authorizationOf(principal);
    if (authorization === undefined) return false;
    const keys = new Map<string, ContextValue>();
    this.addRequestKeys(keys, authorization, facts);
    const policies = this.policiesFor(authorization, resource, policy);
    if (principal.accountId !== this.accounts.serverAccountId) policies.crossAccount = true;
    const decision = decide(policies, action, resource, { request: keys, principal: authorization.context });
    return serverRoot ? decision.effect !== 'ExplicitDeny' : decision.effect === 'Allow';
  }

  /** The server root as a resource-based policy sees it: no identity policies of its own to consult. */
  private serverRootAuthorization(principal: Principal): PrincipalAuthorization {
    const context = new Map<string, ContextValue>([
      ['aws:principalarn', principal.arn],
      ['aws:principalaccount', principal.accountId],
      ['aws:userid', principal.userId],
      ['aws:principaltype', 'Account'],
    ]);
    return { principal, type: 'Account', identityPolicies: [], context };
  }

  /**
   * The account root skips identity policies, but an explicit Deny in a table's resource-based
   * policy refuses it too, except for DeleteResourcePolicy (DynamoDB keeps that open to the
   * root so that an account cannot lock itself out). Costs one size check when no table has a
   * policy. Another account's root is a cross-account caller like any other.
   */
  authorizeRootDynamo(principal: Principal, operation: string, input: Record<string, unknown>, facts: RequestFacts, tables: TableLookup): AuthorizeOutcome | undefined {
    if (principal.accountId !== this.accounts.serverAccountId) return this.authorizeDynamo(principal, operation, input, facts, tables);
    if (this.resourcePolicies.empty || operation === 'DeleteResourcePolicy') return undefined;
    let authorization: PrincipalAuthorization | undefined;
    for (const request of dynamodbAccess(operation, input, tables)) {
      const policy = this.resourcePolicies.forResource(request.resource);
      if (policy === undefined) continue;
      authorization ??= this.serverRootAuthorization(principal);
      this.addRequestKeys(request.keys, authorization, facts);
      const decision = decide(
        { identity: [], resource: { policy, principalMatch: principalMatcher(principal, undefined) } },
        request.action,
        request.resource,
        { request: request.keys, principal: authorization.context },
      );
      if (decision.effect === 'ExplicitDeny') {
        this.auditDecision(principal.arn, request.action, request.resource, decision, facts);
        throw new DynamoError('AccessDeniedException', denialMessage(principal.arn, request.action, request.resource, decision));
      }
    }
    return undefined;
  }

  authorizationOf(principal: Principal): PrincipalAuthorization | undefined {
    return this.accounts.get(principal.accountId)?.directory.authorizationOf(principal);
  }

  /**
   * Authorizes a DynamoDB request of a principal other than the server's root: every (action,
   * resource) it implies must be allowed (each table of a batch, each item of a transaction).
   * Throws DynamoDB's AccessDeniedException for the first one that is not. A principal of
   * another account names tables of its own account by plain name (there are none here: the
   * outcome says what DynamoDB answers) and the server's tables by ARN.
   */
  authorizeDynamo(principal: Principal, operation: string, input: Record<string, unknown>, facts: RequestFacts, tables: TableLookup): AuthorizeOutcome | undefined {
    const authorization = this.authorizationOf(principal);
    const foreign = principal.accountId !== this.accounts.serverAccountId;
    const requests = dynamodbAccess(operation, input, tables, foreign ? principal.accountId : undefined);
    for (const request of requests) {
      const decision: Decision =
        authorization === undefined
          ? { effect: 'ImplicitDeny', policyType: 'identity-based' }
          : this.decide(authorization, request.action, request.resource, request.keys, facts, isCrossAccount(principal, request.resource));
      if (decision.effect !== 'Allow') {
        const denied = new DynamoError('AccessDeniedException', denialMessage(principal.arn, request.action, request.resource, decision));
        if (request.statementIndex === undefined) throw denied;
        denyStatement(input, request.statementIndex, denied); // that statement fails alone
        continue;
      }
      // Allowed without the keys its broken expressions would give: refuse it as DynamoDB would.
      if (request.malformed !== undefined) throw request.malformed;
    }
    return foreign ? ownAccountOutcome(operation, principal, requests) : undefined;
  }

  /** Global keys of the request, and the MFA age of a session authenticated with MFA. */
  private addRequestKeys(keys: Map<string, ContextValue>, authorization: PrincipalAuthorization, facts: RequestFacts): void {
    keys.set('aws:currenttime', new Date(facts.nowMs).toISOString());
    keys.set('aws:epochtime', String(Math.floor(facts.nowMs / 1000)));
    keys.set('aws:sourceip', facts.sourceIp);
    keys.set('aws:securetransport', facts.secure ? 'true' : 'false');
    keys.set('aws:requestedregion', this.region);
    if (authorization.mfaAuthenticatedAtMs !== undefined) {
      keys.set('aws:multifactorauthage', String(Math.max(0, Math.floor((facts.nowMs - authorization.mfaAuthenticatedAtMs) / 1000))));
    }
  }
}

/** Whether a DynamoDB resource ARN names another account than the caller's ("*" is the caller's own). */
function isCrossAccount(principal: Principal, resource: string): boolean {
  const account = accountOfArn(resource);
  return account !== undefined && account !== principal.accountId;
}

export type { AccessRequest, AuthorizeOutcome };
