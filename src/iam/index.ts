// The IAM subsystem: identities and policies (store, config), credentials for SigV4 (users'
// keys, STS sessions), authorization of DynamoDB requests, the IAM and STS Query APIs, and
// the audit trail. server/ talks to it only through this file.
import type { Credential, Principal } from '../auth/credentials.js';
import { DynamoError } from '../model/errors.js';
import type { KvStore } from '../storage/index.js';
import { Accounts, accountIdPattern, accountOfArn, type Account } from './accounts.js';
import { AuditLog, type AuditLogOptions, type AuditQuery, type AuditRecord } from './audit.js';
import { Authorizer, type AuthorizeOutcome, type RequestFacts } from './authorizer.js';
import { applyIamConfig, type IamConfig } from './config.js';
import type { TableLookup } from './dynamodb-access.js';
import { IamError } from './errors.js';
import { iamActions } from './iam-api.js';
import { moreIamActions } from './iam-api-more.js';
import { MfaCodeGuard } from './mfa.js';
import { mfaActions } from './mfa-api.js';
import { loadOidcProviders } from './oidc.js';
import { Params } from './params.js';
import { ResourcePolicies } from './resource-policy.js';
import { acceptTableArn } from './table-arn.js';
import type { CompiledPolicy } from './policy.js';
import type { IamContext } from './service.js';
import { stsActions, unsignedStsActions } from './sts-api.js';
import { xmlError, xmlResponse, type QueryService } from './xml.js';

export type { IamConfig } from './config.js';
export type { AuditLogOptions, AuditQuery, AuditRecord } from './audit.js';
export type { AuthorizeOutcome, RequestFacts } from './authorizer.js';
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
  /** Rotation of the audit file (size, files kept). */
  audit?: Omit<AuditLogOptions, 'file'>;
  config?: IamConfig;
}

export class Iam {
  /** "arn:aws:dynamodb:<region>:<account>:table/": the ARNs of the server's tables start so. */
  private readonly tableArnPrefix: string;

  private constructor(
    private readonly context: IamContext,
    private readonly accounts: Accounts,
    private readonly tables: TableLookup,
  ) {
    this.tableArnPrefix = tables.tableArn('');
  }

  static async open(options: IamOptions, tables: TableLookup): Promise<Iam> {
    const accounts = new Accounts(options.store, options.accountId);
    const config = options.config;
    for (const other of config?.accounts ?? []) openOtherAccount(accounts, other.accountId, options.accountId);
    if (config !== undefined) {
      await applyIamConfig(config, accounts.server.store, accounts.server.directory, options.now());
      for (const other of config.accounts ?? []) {
        const account = accounts.get(other.accountId)!;
        await applyIamConfig(other, account.store, account.directory, options.now());
        for (const key of other.rootAccessKeys ?? []) accounts.addRootKey(account, key.accessKeyId, key.secretAccessKey);
      }
    }
    const oidcProviders = loadOidcProviders(config?.oidcProviders ?? []);
    // Opened once the config is known good, so that a refused config leaves no file open.
    const audit = new AuditLog({ ...options.audit, file: options.auditFile });
    const resourcePolicies = new ResourcePolicies(accounts.server.store, tables);
    const authorizer = new Authorizer(accounts, audit, options.region, resourcePolicies);
    const mfaCodes = new MfaCodeGuard();
    const contexts = new Map<string, IamContext>();
    const contextOf = (account: Account): IamContext => ({
      store: account.store,
      directory: account.directory,
      authorizer,
      audit,
      oidcProviders,
      accountId: account.accountId,
      now: options.now,
      mfaCodes,
      accountContext: (accountId) => contexts.get(accountId),
    });
    for (const account of accounts.all()) contexts.set(account.accountId, contextOf(account));
    return new Iam(contexts.get(options.accountId)!, accounts, tables);
  }

  /** Signing credentials of IAM users' access keys and STS sessions (for CredentialStore.setResolver). */
  readonly resolveCredential = (accessKeyId: string): Credential | undefined => this.accounts.resolve(accessKeyId);

  /**
   * Authorizes a DynamoDB request of a non-root principal; throws AccessDeniedException. An
   * outcome answers the request in the operation's place (another account's empty listing).
   */
  authorizeDynamo(principal: Principal, operation: string, input: Record<string, unknown>, facts: RequestFacts): AuthorizeOutcome | undefined {
    const outcome = this.context.authorizer.authorizeDynamo(principal, operation, input, facts, this.tables);
    acceptTableArn(operation, input, this.tableArnPrefix);
    return outcome;
  }

  /** An account root's check: the server's root is refused only by an explicit Deny in a resource-based policy. */
  authorizeRootDynamo(principal: Principal, operation: string, input: Record<string, unknown>, facts: RequestFacts): AuthorizeOutcome | undefined {
    const outcome = this.context.authorizer.authorizeRootDynamo(principal, operation, input, facts, this.tables);
    acceptTableArn(operation, input, this.tableArnPrefix);
    return outcome;
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
    const result = await handler(this.contextFor(principal, params), { action, params: new Params(params), principal, facts });
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

  /**
   * The account a Query call acts in: the caller's; for the unsigned web-identity calls, the
   * role's (an unknown account leaves the server's, whose lookups then find no such role).
   */
  private contextFor(principal: Principal | undefined, params: URLSearchParams): IamContext {
    const accountId = principal?.accountId ?? accountOfArn(params.get('RoleArn') ?? '') ?? this.context.accountId;
    return this.context.accountContext(accountId) ?? this.context;
  }

  queryAudit(filter?: AuditQuery): AuditRecord[] {
    return this.context.audit.query(filter);
  }

  async close(): Promise<void> {
    await this.context.audit.close();
  }
}

const allIamActions = { ...iamActions, ...moreIamActions, ...mfaActions };

/** Opens another account's records; its id must be 12 digits and differ from the server's. */
function openOtherAccount(accounts: Accounts, accountId: string, serverAccountId: string): void {
  if (!accountIdPattern.test(accountId)) throw new Error(`IAM config: accounts: ${JSON.stringify(accountId)} is not a 12-digit account id`);
  if (accountId === serverAccountId) throw new Error(`IAM config: accounts: ${accountId} is the server's own account (declare its entities at the top level)`);
  if (accounts.get(accountId) !== undefined) throw new Error(`IAM config: accounts: ${accountId} is declared twice`);
  accounts.open(accountId);
}

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
