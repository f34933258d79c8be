// The declarative IAM config (`tabula serve --iam-config <file>`): users with access keys,
// groups, roles with trust policies, managed and inline policies (AWS policy JSON), and OIDC
// issuers for AssumeRoleWithWebIdentity. Applied at every start: each entity it names is
// created or brought to the described state; entities created through the API are kept.
// The top-level entities belong to the server's account (which holds the tables); `accounts`
// declares other accounts, each with its own entities and root access keys, whose principals
// reach the server's tables by AWS's cross-account rules.
import { IamError } from './errors.js';
import { uniqueId } from './ids.js';
import type { OidcProviderConfig } from './oidc.js';
import { compilePolicy } from './policy.js';
import type { Directory } from './principals.js';
import type { AccessKeyRecord, GroupRecord, IamStore, ManagedPolicyRecord, RoleRecord, Tag, UserRecord } from './store.js';

type PolicyDocument = string | Record<string, unknown>;

/** The entities of one account. */
export interface IamAccountConfig {
  policies?: Array<{ policyName: string; path?: string; description?: string; document: PolicyDocument }>;
  groups?: Array<{ groupName: string; path?: string; policies?: Record<string, PolicyDocument>; attachedPolicies?: string[] }>;
  roles?: Array<{
    roleName: string;
    path?: string;
    description?: string;
    assumeRolePolicyDocument: PolicyDocument;
    maxSessionDuration?: number;
    tags?: Tag[];
    policies?: Record<string, PolicyDocument>;
    attachedPolicies?: string[];
    /** ARN of a managed policy bounding the role's identity-based permissions. */
    permissionsBoundary?: string;
  }>;
  users?: Array<{
    userName: string;
    path?: string;
    tags?: Tag[];
    groups?: string[];
    policies?: Record<string, PolicyDocument>;
    attachedPolicies?: string[];
    accessKeys?: Array<{ accessKeyId: string; secretAccessKey: string; status?: 'Active' | 'Inactive' }>;
    /** ARN of a managed policy bounding the user's identity-based permissions. */
    permissionsBoundary?: string;
  }>;
}

/** Another account: its 12-digit id, root access keys, and entities. */
export interface OtherAccountConfig extends IamAccountConfig {
  accountId: string;
  rootAccessKeys?: Array<{ accessKeyId: string; secretAccessKey: string }>;
}

export interface IamConfig extends IamAccountConfig {
  oidcProviders?: OidcProviderConfig[];
  accounts?: OtherAccountConfig[];
}

function text(document: PolicyDocument): string {
  return typeof document === 'string' ? document : JSON.stringify(document);
}

function inline(owner: string, policies: Record<string, PolicyDocument> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, document] of Object.entries(policies ?? {})) {
    const body = text(document);
    checked(`${owner} inline policy ${name}`, () => compilePolicy(body, 'identity', name));
    result[name] = body;
  }
  return result;
}

function checked<T>(what: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof IamError) throw new Error(`IAM config: ${what}: ${error.code}: ${error.message}`);
    throw error;
  }
}

/** Writes one account's entities into its store (one transaction). Throws on an invalid config. */
export async function applyIamConfig(config: IamAccountConfig, store: IamStore, directory: Directory, nowMs: number): Promise<void> {
  const account = store.accountId;
  const puts: Array<Parameters<IamStore['commit']>[0][number]> = [];
  const policyArns = new Set<string>();
  for (const policy of config.policies ?? []) {
    const path = policy.path ?? '/';
    const document = text(policy.document);
    checked(`policy ${policy.policyName}`, () => compilePolicy(document, 'identity', policy.policyName));
    const existing = store.policies.get(policy.policyName);
    const record: ManagedPolicyRecord = {
      policyName: policy.policyName,
      policyId: existing?.policyId ?? uniqueId('ANPA'),
      path,
      arn: `arn:aws:iam::${account}:policy${path}${policy.policyName}`,
      document,
      createdAtMs: existing?.createdAtMs ?? nowMs,
      updatedAtMs: nowMs,
      tags: existing?.tags ?? [],
      ...(policy.description !== undefined ? { description: policy.description } : {}),
    };
    policyArns.add(record.arn);
    puts.push([store.policies, record]);
  }
  const checkAttached = (owner: string, arns: string[] | undefined): string[] => {
    for (const arn of arns ?? []) {
      if (!policyArns.has(arn) && directory.managedDocument(arn) === undefined) throw new Error(`IAM config: ${owner}: no managed policy ${arn}`);
    }
    return arns ?? [];
  };
  const groupNames = new Set<string>();
  for (const group of config.groups ?? []) {
    const existing = store.groups.get(group.groupName);
    const path = group.path ?? '/';
    const record: GroupRecord = {
      groupName: group.groupName,
      groupId: existing?.groupId ?? uniqueId('AGPA'),
      path,
      arn: `arn:aws:iam::${account}:group${path}${group.groupName}`,
      createdAtMs: existing?.createdAtMs ?? nowMs,
      inlinePolicies: inline(`group ${group.groupName}`, group.policies),
      attachedPolicies: checkAttached(`group ${group.groupName}`, group.attachedPolicies),
    };
    groupNames.add(group.groupName.toLowerCase());
    puts.push([store.groups, record]);
  }
  for (const role of config.roles ?? []) {
    const existing = store.roles.get(role.roleName);
    const path = role.path ?? '/';
    const trustPolicy = text(role.assumeRolePolicyDocument);
    checked(`role ${role.roleName} trust policy`, () => compilePolicy(trustPolicy, 'trust', role.roleName));
    const record: RoleRecord = {
      roleName: role.roleName,
      roleId: existing?.roleId ?? uniqueId('AROA'),
      path,
      arn: `arn:aws:iam::${account}:role${path}${role.roleName}`,
      createdAtMs: existing?.createdAtMs ?? nowMs,
      trustPolicy,
      ...(role.description !== undefined ? { description: role.description } : {}),
      maxSessionSeconds: role.maxSessionDuration ?? 3600,
      tags: role.tags ?? [],
      inlinePolicies: inline(`role ${role.roleName}`, role.policies),
      attachedPolicies: checkAttached(`role ${role.roleName}`, role.attachedPolicies),
      ...(role.permissionsBoundary !== undefined ? { permissionsBoundary: checkAttached(`role ${role.roleName}`, [role.permissionsBoundary])[0]! } : {}),
    };
    puts.push([store.roles, record]);
  }
  for (const user of config.users ?? []) {
    const existing = store.users.get(user.userName);
    const path = user.path ?? '/';
    for (const group of user.groups ?? []) {
      if (!groupNames.has(group.toLowerCase()) && store.groups.get(group) === undefined) throw new Error(`IAM config: user ${user.userName}: no group ${group}`);
    }
    const record: UserRecord = {
      userName: user.userName,
      userId: existing?.userId ?? uniqueId('AIDA'),
      path,
      arn: `arn:aws:iam::${account}:user${path}${user.userName}`,
      createdAtMs: existing?.createdAtMs ?? nowMs,
      tags: user.tags ?? [],
      inlinePolicies: inline(`user ${user.userName}`, user.policies),
      attachedPolicies: checkAttached(`user ${user.userName}`, user.attachedPolicies),
      groups: user.groups ?? [],
      ...(user.permissionsBoundary !== undefined ? { permissionsBoundary: checkAttached(`user ${user.userName}`, [user.permissionsBoundary])[0]! } : {}),
    };
    puts.push([store.users, record]);
    for (const key of user.accessKeys ?? []) {
      const keyRecord: AccessKeyRecord = {
        accessKeyId: key.accessKeyId,
        secretAccessKey: key.secretAccessKey,
        userName: user.userName,
        status: key.status ?? 'Active',
        createdAtMs: store.accessKeys.get(key.accessKeyId)?.createdAtMs ?? nowMs,
      };
      puts.push([store.accessKeys, keyRecord]);
    }
  }
  if (puts.length > 0) await store.commit(puts);
}
