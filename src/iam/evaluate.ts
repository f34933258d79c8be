// Policy evaluation as the IAM reference's evaluation logic describes it for one account:
// an explicit Deny in any policy wins; otherwise identity-based policies must Allow, and when
// the session has session policies, those must Allow too (the intersection); otherwise the
// request is implicitly denied.
import { conditionHolds } from './conditions.js';
import type { EvaluationContext } from './context.js';
import type { CompiledPolicy, CompiledStatement } from './policy.js';

export interface StatementMatch {
  policy: string;
  sid: string | undefined;
}

export interface PolicyVerdict {
  allow?: StatementMatch;
  deny?: StatementMatch;
}

export type PolicyType = 'identity-based' | 'session';

export type Decision =
  | { effect: 'Allow'; statement: StatementMatch }
  | { effect: 'ExplicitDeny'; policyType: PolicyType; statement: StatementMatch }
  | { effect: 'ImplicitDeny'; policyType: PolicyType };

/** Whether the statement's action, resource and conditions all match (Principal is checked by the caller). */
export function statementApplies(statement: CompiledStatement, action: string, resource: string, context: EvaluationContext): boolean {
  if (statement.action(action, context) === statement.actionNegated) return false;
  if (statement.resource !== undefined && statement.resource(resource, context) === statement.resourceNegated) return false;
  for (const condition of statement.conditions) if (!conditionHolds(condition, context)) return false;
  return true;
}

/** The first Deny that applies (evaluation stops there) or else the first Allow. */
export function evaluatePolicies(
  policies: readonly CompiledPolicy[],
  action: string,
  resource: string,
  context: EvaluationContext,
  principalMatches?: (statement: CompiledStatement) => boolean,
): PolicyVerdict {
  let allow: StatementMatch | undefined;
  for (const policy of policies) {
    for (const statement of policy.statements) {
      if (statement.effect === 'Allow' && allow !== undefined) continue;
      if (principalMatches !== undefined && !principalMatches(statement)) continue;
      if (!statementApplies(statement, action, resource, context)) continue;
      const match = { policy: policy.source, sid: statement.sid };
      if (statement.effect === 'Deny') return { deny: match };
      allow = match;
    }
  }
  return allow === undefined ? {} : { allow };
}

export function decide(
  identity: readonly CompiledPolicy[],
  session: readonly CompiledPolicy[] | undefined,
  action: string,
  resource: string,
  context: EvaluationContext,
): Decision {
  const fromIdentity = evaluatePolicies(identity, action, resource, context);
  if (fromIdentity.deny) return { effect: 'ExplicitDeny', policyType: 'identity-based', statement: fromIdentity.deny };
  if (session !== undefined) {
    const fromSession = evaluatePolicies(session, action, resource, context);
    if (fromSession.deny) return { effect: 'ExplicitDeny', policyType: 'session', statement: fromSession.deny };
    if (!fromIdentity.allow) return { effect: 'ImplicitDeny', policyType: 'identity-based' };
    if (!fromSession.allow) return { effect: 'ImplicitDeny', policyType: 'session' };
  }
  if (!fromIdentity.allow) return { effect: 'ImplicitDeny', policyType: 'identity-based' };
  return { effect: 'Allow', statement: fromIdentity.allow };
}

/**
 * AWS's denial text, e.g. "User: arn:aws:iam::123456789012:user/bob is not authorized to perform:
 * dynamodb:GetItem on resource: arn:aws:dynamodb:...:table/T because no identity-based policy
 * allows the dynamodb:GetItem action".
 */
export function denialMessage(principalArn: string, action: string, resource: string, decision: Decision): string {
  const head = `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource}`;
  if (decision.effect === 'ExplicitDeny') return `${head} with an explicit deny in ${decision.policyType === 'session' ? 'a session' : 'an identity-based'} policy`;
  const policyType = decision.effect === 'ImplicitDeny' ? decision.policyType : 'identity-based';
  return `${head} because no ${policyType} policy allows the ${action} action`;
}
