// Resource-based policies of DynamoDB tables and streams: how DynamoDB checks and stores a
// document (PutResourcePolicy), how a stored one is found for a request, and how its
// Principal names a caller. The API's revision rules live in src/api/resource-policies.ts.
//
// Checks and the canonical form follow what DynamoDB does (recorded against the service):
// - more than 20,480 bytes (whitespace counts) -> "Maximum policy size of 20480 bytes exceeded";
// - the document is stored and returned canonical: minified, keys in the order Version,
//   Statement / Sid, Effect, Principal, Action, Resource, Condition; a one-element Action or
//   Resource list becomes a string; an account id principal becomes the account's root ARN and
//   duplicate principals collapse; "allow" reads back as "Allow"; a lone Statement object
//   becomes a one-element list. A re-Put of an equivalent document is a no-op;
// - a document without Version reads back with 2008-10-17, but stays a different document for
//   the no-op check (DynamoDB compares what was sent);
// - an Allow to "*" without a condition fixing who may call is refused ("unbounded access"),
//   and a principal of this account that does not exist is refused.
import type { Principal } from '../auth/credentials.js';
import { DynamoError, validationError } from '../model/errors.js';
import { IamError } from './errors.js';
import type { PrincipalMatchKind, ResourcePolicyInput } from './evaluate.js';
import { resourcePolicyBytesMax } from './limits.js';
import { compilePolicy, type CompiledPolicy, type CompiledStatement } from './policy.js';
import type { IamStore, ResourcePolicyRecord } from './store.js';

/** What this module needs of the catalog: a live table's id (a re-created table gets a new one). */
export interface TableIds {
  find(tableName: string): { tableId: string } | undefined;
}

const invalidPrefix = 'One or more parameter values were invalid: ';
const invalidDocument = (detail: string): DynamoError => validationError(`${invalidPrefix}Invalid policy document: ${detail}`);

const statementKeyOrder = ['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'];
const accountIdPattern = /^\d{12}$/;

// Condition keys that pin down who may call: an Allow to "*" restricted by one of them is not public.
const restrictingKeys = new Set([
  'aws:principalaccount', 'aws:principalarn', 'aws:principalorgid', 'aws:principalorgpaths', 'aws:sourceaccount',
  'aws:sourcearn', 'aws:sourceowner', 'aws:sourceorgid', 'aws:sourceorgpaths', 'aws:sourceip', 'aws:sourcevpc',
  'aws:sourcevpce', 'aws:userid', 'aws:username', 'aws:principalservicename',
]);

type Json = Record<string, unknown>;

/** A checked document: its canonical text (as submitted) and its compiled form. */
export interface CheckedResourcePolicy {
  canonical: string;
  compiled: CompiledPolicy;
}

/**
 * Checks a PutResourcePolicy document as DynamoDB does and returns its canonical form.
 * Throws DynamoDB's ValidationException texts.
 */
export function checkResourcePolicy(text: string, resourceArn: string, store: IamStore): CheckedResourcePolicy {
  if (Buffer.byteLength(text, 'utf8') > resourcePolicyBytesMax) {
    throw validationError(`${invalidPrefix}Maximum policy size of ${resourcePolicyBytesMax} bytes exceeded`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidDocument('This policy contains invalid Json');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalidDocument('This policy contains invalid Json');
  const document = canonicalDocument(parsed as Json, store.accountId);
  let compiled: CompiledPolicy;
  try {
    compiled = compilePolicy(document, 'resource', resourceArn);
  } catch (error) {
    if (error instanceof IamError) throw invalidDocument(error.message);
    throw error;
  }
  checkSids(document);
  checkPrincipalsExist(compiled, store);
  checkBounded(document);
  return { canonical: JSON.stringify(document), compiled };
}

/** The document as GetResourcePolicy returns it: the canonical text, with IAM's default Version when none was sent. */
export function documentForRead(canonical: string): string {
  return canonical.startsWith('{"Version":') ? canonical : `{"Version":"2008-10-17",${canonical.slice(1)}`;
}

function canonicalDocument(root: Json, accountId: string): Json {
  const result: Json = {};
  if (root.Version !== undefined) result.Version = root.Version;
  if (root.Id !== undefined) result.Id = root.Id;
  const statements = root.Statement;
  if (Array.isArray(statements) && statements.length === 0) throw invalidDocument('Could not parse the policy: Statement is empty!');
  if (statements !== undefined) {
    const list = Array.isArray(statements) ? statements : [statements];
    result.Statement = list.map((statement) => canonicalStatement(statement, accountId));
  }
  // Unknown top-level fields stay, so that compilePolicy reports them.
  for (const key of Object.keys(root)) if (!(key in result) && key !== 'Statement') result[key] = root[key];
  return result;
}

function canonicalStatement(raw: unknown, accountId: string): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const statement = raw as Json;
  const result: Json = {};
  for (const key of statementKeyOrder) {
    const value = statement[key];
    if (value === undefined) continue;
    if (key === 'Effect' && typeof value === 'string') {
      const lower = value.toLowerCase();
      result.Effect = lower === 'allow' ? 'Allow' : lower === 'deny' ? 'Deny' : value;
    } else if (key === 'Principal' || key === 'NotPrincipal') result[key] = canonicalPrincipal(value, accountId);
    else if (key === 'Condition') result[key] = value;
    else result[key] = single(value);
  }
  for (const key of Object.keys(statement)) if (!(key in result)) result[key] = statement[key];
  return result;
}

/** A one-element list reads back as its element. */
function single(value: unknown): unknown {
  return Array.isArray(value) && value.length === 1 ? value[0] : value;
}

function canonicalPrincipal(value: unknown, accountId: string): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const result: Json = {};
  for (const [type, raw] of Object.entries(value as Json)) {
    if (type !== 'AWS') {
      result[type] = single(raw);
      continue;
    }
    const list = Array.isArray(raw) ? raw : [raw];
    const expanded = list.map((entry) => (typeof entry === 'string' && accountIdPattern.test(entry) ? `arn:aws:iam::${entry}:root` : entry));
    result[type] = single([...new Set(expanded)]);
  }
  return result;
}

function checkSids(document: Json): void {
  const seen = new Set<string>();
  for (const statement of document.Statement as Json[]) {
    const sid = statement.Sid;
    if (typeof sid !== 'string') continue;
    if (seen.has(sid)) throw invalidDocument('The Statement Ids in the policy are not unique');
    seen.add(sid);
  }
}

/** IAM checks that principals exist: in our own account we know every user and role. */
function checkPrincipalsExist(compiled: CompiledPolicy, store: IamStore): void {
  const own = `arn:aws:iam::${store.accountId}:`;
  const ownSts = `arn:aws:sts::${store.accountId}:assumed-role/`;
  for (const statement of compiled.statements) {
    for (const arn of statement.principal?.aws ?? []) {
      if (arn === '*' || arn === `${own}root`) continue;
      let exists = true;
      if (arn.startsWith(`${own}user/`)) exists = [...store.users.values()].some((user) => user.arn === arn);
      else if (arn.startsWith(`${own}role/`)) exists = [...store.roles.values()].some((role) => role.arn === arn);
      else if (arn.startsWith(ownSts)) exists = store.roles.get(arn.slice(ownSts.length).split('/')[0] ?? '') !== undefined;
      else if (arn.startsWith(own)) exists = false;
      if (!exists) throw validationError(`${invalidPrefix}Invalid principal in policy document.`);
    }
  }
}

/** DynamoDB refuses resource-based policies that would allow anyone at all. */
function checkBounded(document: Json): void {
  for (const statement of document.Statement as Json[]) {
    if (statement.Effect !== 'Allow' || !namesEveryone(statement.Principal)) continue;
    if (!restrictedByCondition(statement.Condition)) {
      throw validationError(
        'Resource-based policy grants unbounded access in one or more elements. Please revise the policy to ensure least-privilege form of access',
      );
    }
  }
}

function namesEveryone(principal: unknown): boolean {
  if (principal === '*') return true;
  if (principal === null || typeof principal !== 'object') return false;
  const aws = (principal as Json).AWS;
  return aws === '*' || (Array.isArray(aws) && aws.includes('*'));
}

function restrictedByCondition(condition: unknown): boolean {
  if (condition === null || typeof condition !== 'object') return false;
  for (const [operator, block] of Object.entries(condition as Json)) {
    const name = operator.slice(operator.indexOf(':') + 1).toLowerCase();
    if (name.includes('not') || name === 'null' || block === null || typeof block !== 'object') continue;
    for (const [key, values] of Object.entries(block as Json)) {
      const list = Array.isArray(values) ? values : [values];
      if (restrictingKeys.has(key.toLowerCase()) && list.length > 0 && list.every((value) => value !== '*')) return true;
    }
  }
  return false;
}

/** The ARN whose policy governs a resource: an index is governed by its table's policy. */
export function governingArn(resource: string): string {
  const at = resource.indexOf('/index/');
  return at < 0 ? resource : resource.slice(0, at);
}

/** "arn:...:table/T", "arn:...:table/T/stream/L" -> "T". */
export function tableNameOfArn(arn: string): string {
  const at = arn.indexOf(':table/');
  if (at < 0) return '';
  const rest = arn.slice(at + ':table/'.length);
  const slash = rest.indexOf('/');
  return slash < 0 ? rest : rest.slice(0, slash);
}

/** The stored resource-based policies, found per request and compiled once per revision. */
export class ResourcePolicies {
  private readonly compiled = new WeakMap<ResourcePolicyRecord, CompiledPolicy>();

  constructor(
    readonly store: IamStore,
    private readonly tables: TableIds,
  ) {}

  /** Whether any policy (or tombstone) is stored: when none is, authorization skips the lookups. */
  get empty(): boolean {
    return this.store.resourcePolicies.size === 0;
  }

  /** The live record of a resource: its table still exists as the one the policy was written for. */
  record(resourceArn: string): ResourcePolicyRecord | undefined {
    const record = this.store.resourcePolicies.get(resourceArn);
    if (record === undefined) return undefined;
    return this.tables.find(tableNameOfArn(resourceArn))?.tableId === record.tableId ? record : undefined;
  }

  /** The compiled policy that governs a request's resource (a table, one of its indexes, a stream). */
  forResource(resource: string): CompiledPolicy | undefined {
    if (this.empty) return undefined;
    const record = this.record(governingArn(resource));
    if (record?.document === undefined) return undefined;
    let policy = this.compiled.get(record);
    if (policy === undefined) {
      policy = compilePolicy(record.document, 'resource', record.resourceArn);
      this.compiled.set(record, policy);
    }
    return policy;
  }

  async commit(record: ResourcePolicyRecord): Promise<void> {
    await this.store.commit([[this.store.resourcePolicies, record]]);
  }
}

/** How each statement's Principal names a caller: itself, its role, its account, or not at all. */
export function principalMatcher(principal: Principal, roleArn: string | undefined): ResourcePolicyInput['principalMatch'] {
  const accountRoot = `arn:aws:iam::${principal.accountId}:root`;
  return (statement: CompiledStatement): PrincipalMatchKind | undefined => {
    const spec = statement.principal;
    if (spec === undefined) return undefined;
    let kind: PrincipalMatchKind | undefined;
    if (spec.any || spec.aws.includes(principal.arn)) kind = 'direct';
    else if (roleArn !== undefined && spec.aws.includes(roleArn)) kind = 'role';
    else if (spec.aws.includes(accountRoot)) kind = 'account';
    // NotPrincipal: the statement applies to every caller it does not name.
    if (statement.principalNegated) return kind === undefined ? 'direct' : undefined;
    return kind;
  };
}
