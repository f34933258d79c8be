// STS GetFederationToken: temporary credentials for a federated user
// (arn:aws:sts::<account>:federated-user/<Name>) issued by an IAM user's long-term keys (or the
// root's, which AWS allows but limits to an hour). The session may do what both the calling
// user's policies and the session policy allow; without a session policy it may do nothing
// but what a resource-based policy naming the federated user grants (STS API reference).
import { IamError } from './errors.js';
import { federatedNameLengthMax, federatedNameLengthMin, federationSecondsDefault, roleSessionSecondsMin, rootSessionTokenSecondsMax, sessionTokenSecondsMax } from './limits.js';
import { denialMessage } from './evaluate.js';
import { validation } from './params.js';
import { federatedUserArn } from './principals.js';
import { auditChange, type QueryCall } from './service.js';
import { credentialsShape, issueSession, sessionPolicyOf, type Action } from './sts-sessions.js';

/** Name: userNameType of the STS model, 2..32 characters of [\w+=,.@-]. */
function federatedName(call: QueryCall): string {
  const name = call.params.required('Name');
  if (name.length < federatedNameLengthMin || name.length > federatedNameLengthMax) {
    throw validation(`Value '${name}' at 'name' failed to satisfy constraint: Member must have length ${name.length < federatedNameLengthMin ? `greater than or equal to ${federatedNameLengthMin}` : `less than or equal to ${federatedNameLengthMax}`}`);
  }
  if (!/^[\w+=,.@-]*$/.test(name)) {
    throw validation(`Value '${name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`);
  }
  return name;
}

/** 900..129600 seconds; the root's sessions are cut to one hour rather than refused (STS API reference). */
function federationSeconds(call: QueryCall, root: boolean): number {
  const seconds = call.params.integer('DurationSeconds') ?? federationSecondsDefault;
  if (seconds < roleSessionSecondsMin) {
    throw validation(`Value '${seconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to ${roleSessionSecondsMin}`);
  }
  if (seconds > sessionTokenSecondsMax) {
    throw validation(`Value '${seconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to ${sessionTokenSecondsMax}`);
  }
  return root ? Math.min(seconds, rootSessionTokenSecondsMax) : seconds;
}

export const getFederationToken: Action = async (context, call) => {
  const principal = call.principal!;
  const authorization = context.authorizer.authorizationOf(principal);
  if (authorization?.issuedBy !== undefined) throw new IamError('AccessDenied', 'Cannot call GetFederationToken with session credentials');
  const name = federatedName(call);
  const seconds = federationSeconds(call, principal.root);
  const policy = sessionPolicyOf(call);
  const tags = call.params.tags();
  const arn = federatedUserArn(context.accountId, name);
  if (!principal.root) {
    // unverified: the denial text (we give the IAM User Guide's general form).
    for (const action of tags.length > 0 ? ['sts:GetFederationToken', 'sts:TagSession'] : ['sts:GetFederationToken']) {
      const decision = authorization === undefined
        ? ({ effect: 'ImplicitDeny', policyType: 'identity-based' } as const)
        : context.authorizer.decide(authorization, action, arn, new Map(), call.facts);
      if (decision.effect !== 'Allow') throw new IamError('AccessDenied', denialMessage(principal.arn, action, arn, decision));
    }
  }
  const userName = principal.root ? undefined : authorization?.userName;
  const session = await issueSession(
    context,
    { kind: 'federated-user', name, ...(userName !== undefined ? { userName } : {}), tags },
    seconds,
    policy,
    undefined,
  );
  auditChange(context, call, 'sts', 'sts:GetFederationToken', arn);
  return { Credentials: credentialsShape(session), FederatedUser: { FederatedUserId: `${context.accountId}:${name}`, Arn: arn } };
};
