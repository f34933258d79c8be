// Policy documents: parsed and checked as IAM does when a policy is stored, then compiled
// into matchers, once. Identity policies must not name a Principal and must name resources;
// trust policies must name a Principal and no resources; resource-based policies (DynamoDB
// tables and streams) must name both.
import { compileConditions, type CompiledCondition } from './conditions.js';
import { malformedPolicy } from './errors.js';
import { anyOf, arnMatcher, globMatcher, parseTemplate, type Matcher } from './matching.js';

export type PolicyKind = 'identity' | 'trust' | 'session' | 'resource';

export interface PrincipalSpec {
  /** "Principal": "*" */
  any: boolean;
  aws: string[];
  federated: string[];
  service: string[];
}

export interface CompiledStatement {
  sid: string | undefined;
  effect: 'Allow' | 'Deny';
  /** Matches the lower-case action name. */
  action: Matcher;
  actionNegated: boolean;
  /** Absent in trust policies without Resource. */
  resource: Matcher | undefined;
  resourceNegated: boolean;
  principal: PrincipalSpec | undefined;
  principalNegated: boolean;
  conditions: CompiledCondition[];
}

export interface CompiledPolicy {
  /** Where the policy comes from, for audit records and messages: "user/alice/inline-name", a policy ARN. */
  source: string;
  statements: CompiledStatement[];
}

const statementFields = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition']);
const actionPattern = /^[A-Za-z0-9-]+:[A-Za-z0-9*?]*$/;

/** Parses the JSON text (or an already-parsed object) and compiles it; MalformedPolicyDocument on error. */
export function compilePolicy(document: string | object, kind: PolicyKind, source: string): CompiledPolicy {
  let parsed: unknown = document;
  if (typeof document === 'string') {
    try {
      parsed = JSON.parse(document);
    } catch {
      throw malformedPolicy('Syntax errors in policy.');
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw malformedPolicy('Syntax errors in policy.');
  const root = parsed as Record<string, unknown>;
  for (const field of Object.keys(root)) {
    if (field !== 'Version' && field !== 'Statement' && field !== 'Id') throw malformedPolicy(`Syntax errors in policy.`);
  }
  const version = root.Version ?? '2008-10-17';
  if (version !== '2012-10-17' && version !== '2008-10-17') throw malformedPolicy('The policy failed legacy parsing');
  // Policy variables exist only in Version 2012-10-17; earlier policies read ${...} literally.
  const variablesAllowed = version === '2012-10-17';
  const rawStatements = root.Statement;
  if (rawStatements === undefined) throw malformedPolicy('Syntax errors in policy.');
  const list = Array.isArray(rawStatements) ? rawStatements : [rawStatements];
  const statements = list.map((statement) => compileStatement(statement, kind, variablesAllowed));
  return { source, statements };
}

function compileStatement(raw: unknown, kind: PolicyKind, variablesAllowed: boolean): CompiledStatement {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw malformedPolicy('Syntax errors in policy.');
  const statement = raw as Record<string, unknown>;
  for (const field of Object.keys(statement)) {
    if (!statementFields.has(field)) throw malformedPolicy(`Syntax errors in policy.`);
  }
  const effect = statement.Effect;
  if (effect !== 'Allow' && effect !== 'Deny') {
    throw malformedPolicy(effect === undefined ? 'Missing required field Effect' : `Invalid effect: ${String(effect)}`);
  }
  if (statement.Action !== undefined && statement.NotAction !== undefined) throw malformedPolicy('Syntax errors in policy.');
  if (statement.Resource !== undefined && statement.NotResource !== undefined) throw malformedPolicy('Syntax errors in policy.');
  const actionsRaw = statement.Action ?? statement.NotAction;
  if (actionsRaw === undefined) throw malformedPolicy('Policy statement must contain actions.');
  const actions = stringList(actionsRaw);
  for (const action of actions) {
    if (action !== '*' && !actionPattern.test(action)) {
      throw malformedPolicy(
        action.includes(':') ? `Actions/Condition can contain only one colon.` : 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
      );
    }
  }
  const hasPrincipal = statement.Principal !== undefined || statement.NotPrincipal !== undefined;
  if (kind === 'identity' || kind === 'session') {
    if (hasPrincipal) throw malformedPolicy('Policy document should not specify a principal.');
  } else if (!hasPrincipal) {
    throw malformedPolicy('Missing required field Principal');
  }
  const resourcesRaw = statement.Resource ?? statement.NotResource;
  if (resourcesRaw === undefined && kind === 'resource') throw malformedPolicy('Missing required field Resource');
  if (resourcesRaw === undefined && kind !== 'trust') throw malformedPolicy('Policy statement must contain resources.');
  if (resourcesRaw !== undefined && kind === 'trust') throw malformedPolicy('Has prohibited field Resource');
  const conditions: CompiledCondition[] = [];
  if (statement.Condition !== undefined) {
    const block = statement.Condition;
    if (block === null || typeof block !== 'object' || Array.isArray(block)) throw malformedPolicy('Syntax errors in policy.');
    for (const [operator, entries] of Object.entries(block as Record<string, unknown>)) {
      conditions.push(...compileConditions(operator, entries, variablesAllowed));
    }
  }
  return {
    sid: typeof statement.Sid === 'string' ? statement.Sid : undefined,
    effect,
    action: anyOf(actions.map((action) => globMatcher(parseTemplate(action, false), true))),
    actionNegated: statement.NotAction !== undefined,
    resource:
      resourcesRaw === undefined
        ? undefined
        : anyOf(stringList(resourcesRaw).map((resource) => arnMatcher(parseTemplate(resource, variablesAllowed)))),
    resourceNegated: statement.NotResource !== undefined,
    principal: hasPrincipal ? principalSpec(statement.Principal ?? statement.NotPrincipal) : undefined,
    principalNegated: statement.NotPrincipal !== undefined,
    conditions,
  };
}

function stringList(raw: unknown): string[] {
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) throw malformedPolicy('Syntax errors in policy.');
  for (const item of list) if (typeof item !== 'string') throw malformedPolicy('Syntax errors in policy.');
  return list as string[];
}

function principalSpec(raw: unknown): PrincipalSpec {
  const spec: PrincipalSpec = { any: false, aws: [], federated: [], service: [] };
  if (raw === '*') return { ...spec, any: true };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw malformedPolicy('Invalid principal in policy');
  for (const [type, values] of Object.entries(raw as Record<string, unknown>)) {
    const list = stringList(values);
    if (type === 'AWS') spec.aws.push(...list.map((value) => (/^\d{12}$/.test(value) ? `arn:aws:iam::${value}:root` : value)));
    else if (type === 'Federated') spec.federated.push(...list);
    else if (type === 'Service') spec.service.push(...list);
    else if (type !== 'CanonicalUser') throw malformedPolicy('Invalid principal in policy');
    if (type === 'AWS' && list.includes('*')) spec.any = true;
  }
  return spec;
}
