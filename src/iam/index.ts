// The IAM subsystem: identities and policies (store, config), credentials for SigV4 (users'
// keys, STS sessions), authorization of DynamoDB requests, the IAM and STS Query APIs, and
// the audit trail. server/ talks to it only through this file.
import type { Credential, Principal } from '../auth/credentials.js';
import { DynamoError } from '../model/errors.js';
import type { KvStore } from '../storage/index.js';
import { AuditLog, type AuditQuery, type AuditRecord } from './audit.js';
import { Authorizer, type RequestFacts } from './authorizer.js';
import { applyIamConfig, type IamConfig } from './config.js';
import type { TableLookup } from './dynamodb-access.js';
import { IamError } from './errors.js';
import { iamActions } from './iam-api.js';
import { moreIamActions } from './iam-api-more.js';
import { loadOidcProviders } from './oidc.js';
import { Params } from './params.js';
import { Directory } from './principals.js';
import { ResourcePolicies } from './resource-policy.js';
import type { CompiledPolicy } from './policy.js';
import type { IamContext } from './service.js';
import { IamStore } from './store.js';
import { stsActions, unsignedStsActions } from './sts-api.js';
import { xmlError, xmlResponse, type QueryService } from './xml.js';

export type { IamConfig } from './config.js';
export type { AuditQuery, AuditRecord } from './audit.js';
export type { RequestFacts } from './authorizer.js';
export type { QueryService } from './xml.js';
export { IamError } from './errors.js';
export { checkResourcePolicy, documentForRead, type CheckedResourcePolicy, type ResourcePolicies } from './resource-policy.js';
export type { ResourcePolicyRecord } from './store.js';

export interface IamOptions {
  store: KvStore;
  accountId: string;
  region: string;
  now: () => number;
  /** JSON-lines audit file; undefined keeps the trail in memory only. */
  auditFile?: string;
  config?: IamConfig;
}

export class Iam {
  private readonly context: IamContext;

  private constructor(
    context: IamContext,
    private readonly tables: TableLookup,
  ) {
    this.context = context;
  }

  static async open(options: IamOptions, tables: TableLookup): Promise<Iam> {
    const store = new IamStore(options.store, options.accountId);
    const directory = new Directory(store, `arn:aws:iam::${options.accountId}:root`);
    const audit = new AuditLog(options.auditFile);
    const resourcePolicies = new ResourcePolicies(store, tables);
    const authorizer = new Authorizer(directory, audit, options.region, resourcePolicies);
    if (options.config !== undefined) await applyIamConfig(options.config, store, directory, options.now());
    const oidcProviders = loadOidcProviders(options.config?.oidcProviders ?? []);
    return new Iam({ store, directory, authorizer, audit, oidcProviders, accountId: options.accountId, now: options.now }, tables);
  }

  /** Signing credentials of IAM users' access keys and STS sessions (for CredentialStore.setResolver). */
  readonly resolveCredential = (accessKeyId: string): Credential | undefined => this.context.directory.resolve(accessKeyId);

  /** Authorizes a DynamoDB request of a non-root principal; throws AccessDeniedException. */
  authorizeDynamo(principal: Principal, operation: string, input: Record<string, unknown>, facts: RequestFacts): void {
    this.context.authorizer.authorizeDynamo(principal, operation, input, facts, this.tables);
  }

  /** The account root's check: only an explicit Deny in a resource-based policy refuses it. */
  authorizeRootDynamo(principal: Principal, operation: string, input: Record<string, unknown>, facts: RequestFacts): void {
    this.context.authorizer.authorizeRootDynamo(principal, operation, input, facts, this.tables);
  }

  /** Stored resource-based policies of tables and streams (src/api/resource-policies.ts). */
  get resourcePolicies(): ResourcePolicies {
    return this.context.authorizer.resourcePolicies;
  }

  /** Whether `principal` could still change the resource's policy were `policy` in force (the self-lockout check). */
  keepsPolicyAccess(principal: Principal, resourceArn: string, policy: CompiledPolicy, facts: RequestFacts): boolean {
    return this.context.authorizer.keepsPolicyAccess(principal, resourceArn, policy, facts);
  }

  /** Whether an action may be called without signing (STS AssumeRoleWithWebIdentity). */
  isUnsignedAction(action: string): boolean {
    return unsignedStsActions.has(action);
  }

  /** Runs one IAM or STS Query-protocol call and returns the XML body; throws IamError. */
  async handleQuery(service: QueryService, params: URLSearchParams, principal: Principal | undefined, facts: RequestFacts): Promise<string> {
    const action = params.get('Action');
    if (action === null) throw new IamError('MissingAction', 'Missing Action');
    const actions = service === 'iam' ? allIamActions : stsActions;
    const handler = Object.hasOwn(actions, action) ? actions[action] : undefined;
    if (handler === undefined) {
      throw new IamError('InvalidAction', `Could not find operation ${action} for version ${params.get('Version') ?? 'NO_VERSION_SPECIFIED'}`);
    }
    if (principal === undefined && !(service === 'sts' && unsignedStsActions.has(action))) {
      throw new IamError('MissingAuthenticationToken', 'Request is missing Authentication Token');
    }
    const result = await handler(this.context, { action, params: new Params(params), principal, facts });
    return xmlResponse(service, action, result, facts.requestId);
  }

  /** The Query-protocol error body for any failure (IamError, a SigV4 DynamoError, or our bug). */
  errorBody(service: QueryService, error: unknown, requestId: string): { status: number; body: string; internal: boolean } {
    const iamError = toIamError(error);
    const internal = iamError === undefined;
    const reported = iamError ?? new IamError('ServiceFailure', 'An internal error occurred.');
    return { status: reported.status, body: xmlError(service, reported, requestId), internal };
  }

  /** Records a change made outside the IAM API (a table's resource-based policy) in the audit trail. */
  auditChange(principal: Principal, action: string, resource: string, requestId: string): void {
    this.context.audit.record({
      time: new Date(this.context.now()).toISOString(), kind: 'iam', principal: principal.arn, action, resource, decision: 'Allow', requestId,
    });
  }

  queryAudit(filter?: AuditQuery): AuditRecord[] {
    return this.context.audit.query(filter);
  }

  async close(): Promise<void> {
    await this.context.audit.close();
  }
}

const allIamActions = { ...iamActions, ...moreIamActions };

/** SigV4 failures keep their texts but take the Query protocol's codes. */
const signatureCodes: Partial<Record<string, IamError['code']>> = {
  UnrecognizedClientException: 'InvalidClientTokenId',
  InvalidSignatureException: 'SignatureDoesNotMatch',
  IncompleteSignatureException: 'IncompleteSignature',
  MissingAuthenticationTokenException: 'MissingAuthenticationToken',
  ExpiredTokenException: 'ExpiredToken',
  AccessDeniedException: 'AccessDenied',
};

function toIamError(error: unknown): IamError | undefined {
  if (error instanceof IamError) return error;
  if (error instanceof DynamoError) {
    const code = signatureCodes[error.name];
    if (code !== undefined) return new IamError(code, error.message);
  }
  return undefined;
}
