// Policy evaluation as the IAM User Guide's evaluation logic describes it: identity-based,
// resource-based and session policies and permissions boundaries (see `decide`).
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

export type PolicyType = 'identity-based' | 'session' | 'resource-based' | 'permissions boundary';

export type Decision =
  | { effect: 'Allow'; statement: StatementMatch }
  | { effect: 'ExplicitDeny'; policyType: PolicyType; statement: StatementMatch }
  | { effect: 'ImplicitDeny'; policyType: PolicyType };

/**
 * How a resource-based policy statement's Principal names the caller:
 * - 'direct': the caller itself (a user's ARN, a role session's ARN) or "*": grants on its own;
 * - 'role': the role a session belongs to: grants, but bounded by the session's policies;
 * - 'account': the caller's account: delegates to the caller's identity-based policies.
 */
export type PrincipalMatchKind = 'direct' | 'role' | 'account';

export interface ResourcePolicyInput {
  policy: CompiledPolicy;
  /** How the statement's Principal / NotPrincipal names the caller, or undefined when it does not. */
  principalMatch: (statement: CompiledStatement) => PrincipalMatchKind | undefined;
}

/** Every policy that bears on one request, besides the request context. */
export interface PolicySet {
  identity: readonly CompiledPolicy[];
  /** Session policies (AssumeRole Policy): the session may do only what they allow too. */
  session?: readonly CompiledPolicy[];
  /** The permissions boundary: identity-based permissions are intersected with it. */
  boundary?: readonly CompiledPolicy[];
  /** The resource's resource-based policy. */
  resource?: ResourcePolicyInput;
  /** The caller's account is not the resource's: both sides must then allow. */
  crossAccount?: boolean;
}

interface ResourceVerdict {
  deny?: StatementMatch;
  direct?: StatementMatch;
  role?: StatementMatch;
  account?: StatementMatch;
}

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

/** A resource-based policy's verdict: the first Deny naming the caller, else its Allows by how they name it. */
function evaluateResourcePolicy(input: ResourcePolicyInput, action: string, resource: string, context: EvaluationContext): ResourceVerdict {
  const verdict: ResourceVerdict = {};
  for (const statement of input.policy.statements) {
    const kind = input.principalMatch(statement);
    if (kind === undefined) continue;
    if (statement.effect === 'Allow' && verdict[kind] !== undefined) continue;
    if (!statementApplies(statement, action, resource, context)) continue;
    const match = { policy: input.policy.source, sid: statement.sid };
    if (statement.effect === 'Deny') return { deny: match };
    verdict[kind] = match;
  }
  return verdict;
}

/**
 * The decision for one request, following the IAM User Guide's evaluation logic for one account:
 * 1. an explicit Deny in any policy (identity-based, resource-based, permissions boundary,
 *    session) wins;
 * 2. a resource-based policy that names the caller itself (or "*") allows on its own: neither
 *    the permissions boundary nor session policies limit it;
 * 3. otherwise the identity-based policies must allow (or a resource-based statement naming a
 *    session's role), and then the permissions boundary and the session policies must allow too
 *    (the intersection);
 * 4. across accounts, the resource-based policy must allow as well as the identity side.
 * Anything else is an implicit deny, reported against the first policy type that lacked an Allow.
 */
export function decide(policies: PolicySet, action: string, resource: string, context: EvaluationContext): Decision {
  const fromIdentity = evaluatePolicies(policies.identity, action, resource, context);
  if (fromIdentity.deny) return { effect: 'ExplicitDeny', policyType: 'identity-based', statement: fromIdentity.deny };
  const fromResource: ResourceVerdict = policies.resource === undefined ? {} : evaluateResourcePolicy(policies.resource, action, resource, context);
  if (fromResource.deny) return { effect: 'ExplicitDeny', policyType: 'resource-based', statement: fromResource.deny };
  const fromBoundary = policies.boundary === undefined ? undefined : evaluatePolicies(policies.boundary, action, resource, context);
  if (fromBoundary?.deny) return { effect: 'ExplicitDeny', policyType: 'permissions boundary', statement: fromBoundary.deny };
  const fromSession = policies.session === undefined ? undefined : evaluatePolicies(policies.session, action, resource, context);
  if (fromSession?.deny) return { effect: 'ExplicitDeny', policyType: 'session', statement: fromSession.deny };
  const boundaryAllows = fromBoundary === undefined || fromBoundary.allow !== undefined;
  const sessionAllows = fromSession === undefined || fromSession.allow !== undefined;
  if (policies.crossAccount === true) {
    const resourceAllow = fromResource.direct ?? fromResource.role ?? fromResource.account;
    if (!fromIdentity.allow) return { effect: 'ImplicitDeny', policyType: 'identity-based' };
    if (!boundaryAllows) return { effect: 'ImplicitDeny', policyType: 'permissions boundary' };
    if (!sessionAllows) return { effect: 'ImplicitDeny', policyType: 'session' };
    if (resourceAllow === undefined) return { effect: 'ImplicitDeny', policyType: 'resource-based' };
    return { effect: 'Allow', statement: fromIdentity.allow };
  }
  if (fromResource.direct) return { effect: 'Allow', statement: fromResource.direct };
  const granted = fromIdentity.allow ?? fromResource.role;
  if (granted === undefined) return { effect: 'ImplicitDeny', policyType: 'identity-based' };
  if (!boundaryAllows) return { effect: 'ImplicitDeny', policyType: 'permissions boundary' };
  if (!sessionAllows) return { effect: 'ImplicitDeny', policyType: 'session' };
  return { effect: 'Allow', statement: granted };
}

const explicitPhrase: Record<PolicyType, string> = {
  'identity-based': 'an identity-based policy',
  session: 'a session policy',
  'resource-based': 'a resource-based policy',
  'permissions boundary': 'a permissions boundary',
};

const implicitPhrase: Record<PolicyType, string> = {
  'identity-based': 'identity-based policy',
  session: 'session policy',
  'resource-based': 'resource-based policy',
  'permissions boundary': 'permissions boundary',
};

/**
 * Since January 2026 AWS names the denying policy after an explicit deny in an identity-based
 * policy, a permissions boundary or a session policy, when that policy is a managed one of the
 * caller's account or an AWS managed policy ("...with an explicit deny in an identity-based
 * policy: arn:aws:iam::123456789012:policy/Deny", observed from DynamoDB, EC2, S3 and IAM; AWS
 * Security Blog, "Enhanced access denied error messages with policy ARNs"). Inline policies have
 * no ARN and resource-based policies are not covered: those texts are unchanged.
 */
function denyingPolicyArn(principalArn: string, decision: Extract<Decision, { effect: 'ExplicitDeny' }>): string {
  if (decision.policyType === 'resource-based') return '';
  const arn = decision.statement.policy;
  const match = /^arn:aws:iam::(\d{12}|aws):policy\//.exec(arn);
  if (!match) return '';
  const principalAccount = principalArn.split(':')[4];
  return match[1] === 'aws' || match[1] === principalAccount ? `: ${arn}` : '';
}

/**
 * AWS's denial text, e.g. "User: arn:aws:iam::123456789012:user/bob is not authorized to perform:
 * dynamodb:GetItem on resource: arn:aws:dynamodb:...:table/T because no identity-based policy
 * allows the dynamodb:GetItem action", "... with an explicit deny in a resource-based policy",
 * "... because no permissions boundary allows the dynamodb:GetItem action".
 */
export function denialMessage(principalArn: string, action: string, resource: string, decision: Decision): string {
  const head = `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource}`;
  if (decision.effect === 'ExplicitDeny') {
    return `${head} with an explicit deny in ${explicitPhrase[decision.policyType]}${denyingPolicyArn(principalArn, decision)}`;
  }
  const policyType = decision.effect === 'ImplicitDeny' ? decision.policyType : 'identity-based';
  return `${head} because no ${implicitPhrase[policyType]} allows the ${action} action`;
}
