// The request context a policy is evaluated against: condition keys and policy variables.
// Keys are case-insensitive in IAM, so both maps hold lower-case keys; values are strings
// (single-valued keys) or string arrays (multivalued keys such as dynamodb:LeadingKeys).

export type ContextValue = string | readonly string[];

export interface EvaluationContext {
  /** Keys of this request (aws:CurrentTime, aws:SourceIp, dynamodb:LeadingKeys, ...). */
  readonly request: ReadonlyMap<string, ContextValue>;
  /** Keys of the principal, computed once per credential (aws:username, aws:PrincipalTag/..., web identity). */
  readonly principal: ReadonlyMap<string, ContextValue>;
}

const emptyMap: ReadonlyMap<string, ContextValue> = new Map();
export const emptyContext: EvaluationContext = { request: emptyMap, principal: emptyMap };

export function lookupKey(context: EvaluationContext, keyLower: string): ContextValue | undefined {
  return context.request.get(keyLower) ?? context.principal.get(keyLower);
}
