// The authorization stage: who (a principal's compiled policies), what (action, resource,
// condition keys) -> Allow or an AccessDenied with AWS's text. Every decision is audited.
// The account root is not evaluated against identity policies (the server skips it), but an
// explicit Deny in a resource-based policy applies to it too (authorizeRootDynamo).
import type { Principal } from '../auth/credentials.js';
import { DynamoError } from '../model/errors.js';
import type { AuditLog } from './audit.js';
import type { ContextValue } from './context.js';
import { dynamodbAccess, type TableLookup } from './dynamodb-access.js';
import { decide, denialMessage, type Decision, type PolicySet } from './evaluate.js';
import type { CompiledPolicy } from './policy.js';
import type { Directory, PrincipalAuthorization } from './principals.js';
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
    private readonly directory: Directory,
    private readonly audit: AuditLog,
    private readonly region: string,
    readonly resourcePolicies: ResourcePolicies,
  ) {}

  /** Evaluates and audits one (action, resource); `keys` (lower-case) is extended with the global keys. */
  decide(
    authorization: PrincipalAuthorization,
    action: string,
    resource: string,
    keys: Map<string, ContextValue>,
    facts: RequestFacts,
  ): Decision {
    addGlobalKeys(keys, facts, this.region);
    const decision = decide(this.policiesFor(authorization, resource), action, resource, { request: keys, principal: authorization.context });
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

  /**
   * Whether the caller could still call PutResourcePolicy on the resource if `policy` were its
   * policy (DynamoDB's self-lockout check). The root is only ever refused by an explicit Deny.
   */
  keepsPolicyAccess(principal: Principal, resource: string, policy: CompiledPolicy, facts: RequestFacts): boolean {
    const action = 'dynamodb:PutResourcePolicy';
    const keys = new Map<string, ContextValue>();
    addGlobalKeys(keys, facts, this.region);
    const authorization = principal.root ? this.rootAuthorization(principal) : this.directory.authorizationOf(principal);
    if (authorization === undefined) return false;
    const policies = this.policiesFor(authorization, resource, policy);
    const decision = decide(policies, action, resource, { request: keys, principal: authorization.context });
    return principal.root ? decision.effect !== 'ExplicitDeny' : decision.effect === 'Allow';
  }

  private rootAuthorization(principal: Principal): PrincipalAuthorization {
    const context = new Map<string, ContextValue>([
      ['aws:principalarn', principal.arn],
      ['aws:principalaccount', principal.accountId],
      ['aws:userid', principal.userId],
      ['aws:principaltype', 'Account'],
    ]);
    return { principal, type: 'Account', identityPolicies: [], context, fromGetSessionToken: false };
  }

  /**
   * The account root skips identity policies, but an explicit Deny in a table's resource-based
   * policy refuses it too, except for DeleteResourcePolicy (DynamoDB keeps that open to the
   * root so that an account cannot lock itself out). Costs one size check when no table has a policy.
   */
  authorizeRootDynamo(principal: Principal, operation: string, input: Record<string, unknown>, facts: RequestFacts, tables: TableLookup): void {
    if (this.resourcePolicies.empty || operation === 'DeleteResourcePolicy') return;
    let authorization: PrincipalAuthorization | undefined;
    for (const request of dynamodbAccess(operation, input, tables)) {
      const policy = this.resourcePolicies.forResource(request.resource);
      if (policy === undefined) continue;
      authorization ??= this.rootAuthorization(principal);
      addGlobalKeys(request.keys, facts, this.region);
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
  }

  authorizationOf(principal: Principal): PrincipalAuthorization | undefined {
    return this.directory.authorizationOf(principal);
  }

  /**
   * Authorizes a DynamoDB request of a non-root principal: every (action, resource) it implies
   * must be allowed (each table of a batch, each item of a transaction). Throws DynamoDB's
   * AccessDeniedException for the first one that is not.
   */
  authorizeDynamo(principal: Principal, operation: string, input: Record<string, unknown>, facts: RequestFacts, tables: TableLookup): void {
    const authorization = this.directory.authorizationOf(principal);
    const requests = dynamodbAccess(operation, input, tables);
    for (const request of requests) {
      const decision: Decision =
        authorization === undefined
          ? { effect: 'ImplicitDeny', policyType: 'identity-based' }
          : this.decide(authorization, request.action, request.resource, request.keys, facts);
      if (decision.effect !== 'Allow') {
        throw new DynamoError('AccessDeniedException', denialMessage(principal.arn, request.action, request.resource, decision));
      }
      // Allowed without the keys its broken expressions would give: refuse it as DynamoDB would.
      if (request.malformed !== undefined) throw request.malformed;
    }
  }
}

function addGlobalKeys(keys: Map<string, ContextValue>, facts: RequestFacts, region: string): void {
  keys.set('aws:currenttime', new Date(facts.nowMs).toISOString());
  keys.set('aws:epochtime', String(Math.floor(facts.nowMs / 1000)));
  keys.set('aws:sourceip', facts.sourceIp);
  keys.set('aws:securetransport', facts.secure ? 'true' : 'false');
  keys.set('aws:requestedregion', region);
}
