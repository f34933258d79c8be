// The authorization stage: who (a principal's compiled policies), what (action, resource,
// condition keys) -> Allow or an AccessDenied with AWS's text. Every decision is audited.
// The account root never reaches this file: the server skips authorization for it.
import type { Principal } from '../auth/credentials.js';
import { DynamoError } from '../model/errors.js';
import type { AuditLog } from './audit.js';
import type { ContextValue } from './context.js';
import { dynamodbAccess, type TableLookup } from './dynamodb-access.js';
import { decide, denialMessage, type Decision } from './evaluate.js';
import type { Directory, PrincipalAuthorization } from './principals.js';

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
  ) {}

  /** Evaluates and audits one (action, resource); `keys` (lower-case) is extended with the global keys. */
  decide(
    authorization: PrincipalAuthorization,
    action: string,
    resource: string,
    keys: Map<string, ContextValue>,
    facts: RequestFacts,
  ): Decision {
    keys.set('aws:currenttime', new Date(facts.nowMs).toISOString());
    keys.set('aws:epochtime', String(Math.floor(facts.nowMs / 1000)));
    keys.set('aws:sourceip', facts.sourceIp);
    keys.set('aws:securetransport', facts.secure ? 'true' : 'false');
    keys.set('aws:requestedregion', this.region);
    const decision = decide(
      authorization.identityPolicies,
      authorization.sessionPolicies,
      action,
      resource,
      { request: keys, principal: authorization.context },
    );
    this.audit.record({
      time: new Date(facts.nowMs).toISOString(),
      kind: 'authorization',
      principal: authorization.principal.arn,
      action,
      resource,
      decision: decision.effect,
      ...(decision.effect !== 'ImplicitDeny' ? { policy: decision.statement.policy, sid: decision.statement.sid } : {}),
      requestId: facts.requestId,
      sourceIp: facts.sourceIp,
    });
    return decision;
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
