// What the IAM Query API's actions share: their result shapes (users, roles, groups, policies,
// tags as the XML result elements carry them), lookups, parameter checks and paging.
import { IamError, noSuchEntity } from './errors.js';
import { listItemsDefault, listItemsMax, userNameLengthMax } from './limits.js';
import { awsManagedPolicies } from './managed-policies.js';
import { compilePolicy } from './policy.js';
import { validation } from './params.js';
import type { IamContext, QueryCall } from './service.js';
import type { GroupRecord, InlinePolicies, ManagedPolicyRecord, PolicyVersionRecord, RoleRecord, Tag, UserRecord } from './store.js';
import { isoTime, type XmlValue } from './xml.js';

export type Result = Record<string, XmlValue> | undefined;
export type Action = (context: IamContext, call: QueryCall) => Promise<Result> | Result;

// ------------------------------------------------------------------ shapes

export function userShape(user: UserRecord, withTags: boolean): Record<string, XmlValue> {
  return {
    Path: user.path, UserName: user.userName, UserId: user.userId, Arn: user.arn, CreateDate: isoTime(user.createdAtMs),
    PermissionsBoundary: withTags ? boundaryShape(user.permissionsBoundary) : undefined,
    Tags: withTags && user.tags.length > 0 ? user.tags.map(tagShape) : undefined,
  };
}

export function roleShape(role: RoleRecord, withDetails: boolean): Record<string, XmlValue> {
  return {
    Path: role.path, RoleName: role.roleName, RoleId: role.roleId, Arn: role.arn, CreateDate: isoTime(role.createdAtMs),
    AssumeRolePolicyDocument: encodeURIComponent(role.trustPolicy),
    Description: role.description,
    MaxSessionDuration: role.maxSessionSeconds,
    PermissionsBoundary: withDetails ? boundaryShape(role.permissionsBoundary) : undefined,
    Tags: withDetails && role.tags.length > 0 ? role.tags.map(tagShape) : undefined,
    RoleLastUsed: withDetails ? {} : undefined,
  };
}

function boundaryShape(policyArn: string | undefined): XmlValue {
  return policyArn === undefined ? undefined : { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: policyArn };
}

export function groupShape(group: GroupRecord): Record<string, XmlValue> {
  return { Path: group.path, GroupName: group.groupName, GroupId: group.groupId, Arn: group.arn, CreateDate: isoTime(group.createdAtMs) };
}

export function policyShape(context: IamContext, policy: ManagedPolicyRecord): Record<string, XmlValue> {
  return {
    PolicyName: policy.policyName, PolicyId: policy.policyId, Arn: policy.arn, Path: policy.path, DefaultVersionId: defaultVersionOf(policy),
    AttachmentCount: attachmentCount(context, policy.arn), PermissionsBoundaryUsageCount: boundaryUsageCount(context, policy.arn), IsAttachable: true,
    Description: policy.description, CreateDate: isoTime(policy.createdAtMs), UpdateDate: isoTime(policy.updatedAtMs),
    Tags: policy.tags.length > 0 ? policy.tags.map(tagShape) : undefined,
  };
}

/** An AWS managed policy as GetPolicy / ListPolicies describe it. */
export function awsPolicyShape(context: IamContext, policyArn: string, aws: { name: string; description: string }, withDescription = true): Record<string, XmlValue> {
  return {
    PolicyName: aws.name, PolicyId: `ANPA${aws.name.toUpperCase().replace(/[^A-Z2-7]/g, '').padEnd(17, 'A').slice(0, 17)}`,
    Arn: policyArn, Path: '/', DefaultVersionId: 'v1', AttachmentCount: attachmentCount(context, policyArn),
    PermissionsBoundaryUsageCount: boundaryUsageCount(context, policyArn), IsAttachable: true,
    Description: withDescription ? aws.description : undefined, CreateDate: isoTime(0), UpdateDate: isoTime(0),
  };
}

export function tagShape(tag: Tag): Record<string, XmlValue> {
  return { Key: tag.Key, Value: tag.Value };
}

/** How many users and roles use the policy as their permissions boundary. */
export function boundaryUsageCount(context: IamContext, policyArn: string): number {
  let count = 0;
  for (const user of context.store.users.values()) if (user.permissionsBoundary === policyArn) count++;
  for (const role of context.store.roles.values()) if (role.permissionsBoundary === policyArn) count++;
  return count;
}

/** A policy's versions, oldest first (records from before versions hold one: v1). */
export function versionsOf(policy: ManagedPolicyRecord): PolicyVersionRecord[] {
  return policy.versions ?? [{ versionId: 'v1', document: policy.document, createdAtMs: policy.createdAtMs }];
}

export function defaultVersionOf(policy: ManagedPolicyRecord): string {
  return policy.defaultVersionId ?? 'v1';
}

export function attachmentCount(context: IamContext, arn: string): number {
  let count = 0;
  for (const collection of [context.store.users, context.store.groups, context.store.roles]) {
    for (const entity of collection.values()) if ((entity as { attachedPolicies: string[] }).attachedPolicies.includes(arn)) count++;
  }
  return count;
}

// ------------------------------------------------------------------ lookups and checks

/** The user a key or self-service action is about: UserName, or the calling IAM user. */
export function subjectUserName(context: IamContext, call: QueryCall): string {
  const given = call.params.name('UserName', userNameLengthMax, false);
  if (given !== undefined) return given;
  const principal = call.principal;
  const authorization = principal && !principal.root ? context.authorizer.authorizationOf(principal) : undefined;
  if (authorization?.userName !== undefined) return authorization.userName;
  throw new IamError('ValidationError', 'Must specify userName when calling with non-User credentials');
}

/** IAM counts policy size in characters, whitespace excluded. */
export function policyChars(document: string): number {
  return document.replace(/\s/g, '').length;
}

export function checkIdentityPolicy(document: string): void {
  compilePolicy(document, 'identity', 'check');
}

export function checkInlineSize(inline: InlinePolicies, name: string, document: string, max: number, entity: string, entityName: string): void {
  let total = policyChars(document);
  for (const [other, text] of Object.entries(inline)) if (other !== name) total += policyChars(text);
  if (total > max) throw new IamError('LimitExceeded', `Maximum policy size of ${max} bytes exceeded for ${entity} ${entityName}`);
}

/** The ARN of a managed policy usable as a permissions boundary, or IAM's error. */
export function checkBoundaryPolicy(context: IamContext, policyArn: string): string {
  policyArnParts(context, policyArn);
  if (!managedPolicyExists(context, policyArn)) throw noSuchEntity(`Policy ${policyArn} does not exist or is not attachable.`);
  return policyArn;
}

export function managedPolicyExists(context: IamContext, policyArn: string): boolean {
  if (awsManagedPolicies.has(policyArn)) return true;
  const record = context.store.policies.get(policyArn.slice(policyArn.lastIndexOf('/') + 1));
  return record !== undefined && record.arn === policyArn;
}

export function paginate<T>(call: QueryCall, items: T[], marker: (item: T) => string): { page: T[]; IsTruncated: boolean; Marker: string | undefined } {
  const maxItems = call.params.integer('MaxItems') ?? listItemsDefault;
  if (maxItems < 1 || maxItems > listItemsMax) {
    throw validation(`Value '${maxItems}' at 'maxItems' failed to satisfy constraint: Member must have value ${maxItems < 1 ? 'greater than or equal to 1' : `less than or equal to ${listItemsMax}`}`);
  }
  const after = call.params.optional('Marker');
  const start = after === undefined ? 0 : items.findIndex((item) => marker(item) > after);
  const from = start < 0 ? items.length : start;
  const page = items.slice(from, from + maxItems);
  const truncated = from + maxItems < items.length;
  return { page, IsTruncated: truncated, Marker: truncated ? marker(page[page.length - 1]!) : undefined };
}

export const byLowerName = (name: string) => name.toLowerCase();


export function policyArnParts(context: IamContext, policyArn: string): string {
  const prefix = `arn:aws:iam::${context.accountId}:policy/`;
  if (!policyArn.startsWith(prefix) && !policyArn.startsWith('arn:aws:iam::aws:policy/')) {
    throw new IamError('InvalidInput', `ARN ${policyArn} is not valid.`);
  }
  return policyArn;
}

export function findPolicy(context: IamContext, policyArn: string): ManagedPolicyRecord {
  const record = context.store.policies.get(policyArn.slice(policyArn.lastIndexOf('/') + 1));
  if (record === undefined || record.arn !== policyArn) throw noSuchEntity(`Policy ${policyArn} was not found.`);
  return record;
}

export function compare(a: string, b: string): number {
  const left = a.toLowerCase();
  const right = b.toLowerCase();
  return left < right ? -1 : left > right ? 1 : 0;
}
