// More of the IAM Query API: listing policies and groups, tags on users and roles (which
// aws:PrincipalTag/... then reports: a change rebuilds the principals' condition keys), managed
// policy versions (at most five; the default one is what evaluation uses) and permissions
// boundaries (identity-based permissions are intersected with the boundary policy).
import { IamError, noSuchEntity } from './errors.js';
import {
  awsPolicyShape, checkBoundaryPolicy, byLowerName, checkIdentityPolicy, compare, defaultVersionOf, findPolicy,
  groupShape, paginate, policyArnParts, policyChars, policyShape, tagShape, versionsOf, type Action,
} from './iam-api-common.js';
import { arn, authorizedEntity, entityConfig, findUser, saveEntity, userArnFor, type EntityRecordOf, type TaggedEntity } from './entities.js';
import { managedPolicyCharsMax, policyVersionsMax, tagsPerEntityMax, userNameLengthMax } from './limits.js';
import { awsManagedPolicies } from './managed-policies.js';
import { validation } from './params.js';
import { auditChange, authorizeCall, type QueryCall } from './service.js';
import type { ManagedPolicyRecord, Tag } from './store.js';
import { isoTime, type XmlValue } from './xml.js';

// ------------------------------------------------------------------ listing

const listPolicies: Action = (context, call) => {
  const scope = call.params.optional('Scope') ?? 'All';
  if (scope !== 'All' && scope !== 'AWS' && scope !== 'Local') {
    throw validation(`Value '${scope}' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]`);
  }
  const usage = call.params.optional('PolicyUsageFilter');
  if (usage !== undefined && usage !== 'PermissionsPolicy' && usage !== 'PermissionsBoundary') {
    throw validation(`Value '${usage}' at 'policyUsageFilter' failed to satisfy constraint: Member must satisfy enum value set: [PermissionsPolicy, PermissionsBoundary]`);
  }
  const onlyAttached = call.params.optional('OnlyAttached') === 'true';
  const prefix = call.params.optional('PathPrefix') ?? '/';
  authorizeCall(context, call, 'iam:ListPolicies', arn(context, 'policy', '/', ''));
  const shapes: Array<{ name: string; arn: string; shape: Record<string, XmlValue> }> = [];
  if (scope !== 'Local' && prefix === '/') {
    for (const [policyArn, aws] of awsManagedPolicies) shapes.push({ name: aws.name, arn: policyArn, shape: awsPolicyShape(context, policyArn, aws, false) });
  }
  if (scope !== 'AWS') {
    for (const policy of context.store.policies.values()) {
      if (!policy.path.startsWith(prefix)) continue;
      const shape = policyShape(context, policy);
      delete shape.Description; // ListPolicies leaves out descriptions and tags
      delete shape.Tags;
      shapes.push({ name: policy.policyName, arn: policy.arn, shape });
    }
  }
  const selected = shapes
    .filter(({ shape }) => !onlyAttached || Number(shape.AttachmentCount) + Number(shape.PermissionsBoundaryUsageCount) > 0)
    .filter(({ shape }) => usage !== 'PermissionsBoundary' || Number(shape.PermissionsBoundaryUsageCount) > 0)
    .filter(({ shape }) => usage !== 'PermissionsPolicy' || Number(shape.AttachmentCount) > 0 || !onlyAttached)
    .sort((a, b) => compare(a.name, b.name) || compare(a.arn, b.arn));
  const { page, IsTruncated, Marker } = paginate(call, selected, (entry) => `${byLowerName(entry.name)}\u0000${entry.arn}`);
  return { Policies: page.map((entry) => entry.shape), IsTruncated, Marker };
};

const listGroups: Action = (context, call) => {
  const prefix = call.params.optional('PathPrefix') ?? '/';
  authorizeCall(context, call, 'iam:ListGroups', arn(context, 'group', '/', ''));
  const groups = [...context.store.groups.values()].filter((group) => group.path.startsWith(prefix)).sort((a, b) => compare(a.groupName, b.groupName));
  const { page, IsTruncated, Marker } = paginate(call, groups, (group) => byLowerName(group.groupName));
  return { Groups: page.map(groupShape), IsTruncated, Marker };
};

const listGroupsForUser: Action = (context, call) => {
  const userName = call.params.name('UserName', userNameLengthMax)!;
  authorizeCall(context, call, 'iam:ListGroupsForUser', userArnFor(context, userName));
  const user = findUser(context, userName);
  const groups = user.groups
    .map((name) => context.store.groups.get(name))
    .filter((group) => group !== undefined)
    .sort((a, b) => compare(a.groupName, b.groupName));
  const { page, IsTruncated, Marker } = paginate(call, groups, (group) => byLowerName(group.groupName));
  return { Groups: page.map(groupShape), IsTruncated, Marker };
};

// ------------------------------------------------------------------ tags on users and roles

/** IAM tag keys: 1..128 characters; values 0..256 (characters of [\p{L}\p{Z}\p{N}_.:/=+\-@]). */
const tagTextPattern = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

function checkTags(tags: Tag[]): void {
  tags.forEach((tag, i) => {
    const at = `tags.${i + 1}.member`;
    if (tag.Key.length < 1 || tag.Key.length > 128) {
      throw validation(`Value '${tag.Key}' at '${at}.key' failed to satisfy constraint: Member must have length ${tag.Key.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 128'}`);
    }
    if (!tagTextPattern.test(tag.Key)) throw validation(`Value '${tag.Key}' at '${at}.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+`);
    if (tag.Value.length > 256) throw validation(`Value '${tag.Value}' at '${at}.value' failed to satisfy constraint: Member must have length less than or equal to 256`);
    if (!tagTextPattern.test(tag.Value)) throw validation(`Value '${tag.Value}' at '${at}.value' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*`);
  });
}

function tagEntity(entity: TaggedEntity): Action {
  const config = entityConfig[entity];
  return async (context, call) => {
    const name = call.params.name(config.param, config.max)!;
    const tags = call.params.tags();
    if (tags.length === 0) throw validation("Value null at 'tags' failed to satisfy constraint: Member must not be null");
    checkTags(tags);
    const action = `iam:Tag${config.Noun}`;
    const record = authorizedEntity(context, call, entity, name, action);
    // Keys are unique regardless of case; a new value replaces the old one.
    const merged = record.tags.filter((old) => !tags.some((tag) => tag.Key.toLowerCase() === old.Key.toLowerCase()));
    merged.push(...tags);
    // unverified: the quota text (IAM allows 50 tags per user or role).
    if (merged.length > tagsPerEntityMax) throw new IamError('LimitExceeded', `Cannot exceed quota for ${config.tagsQuotaName}: ${tagsPerEntityMax}`);
    await saveEntity(context, call, entity, action, { ...record, tags: merged });
    return undefined;
  };
}

function untagEntity(entity: TaggedEntity): Action {
  const config = entityConfig[entity];
  return async (context, call) => {
    const name = call.params.name(config.param, config.max)!;
    const keys = call.params.list('TagKeys').map((key) => key.toLowerCase());
    const action = `iam:Untag${config.Noun}`;
    const record = authorizedEntity(context, call, entity, name, action);
    await saveEntity(context, call, entity, action, { ...record, tags: record.tags.filter((tag) => !keys.includes(tag.Key.toLowerCase())) });
    return undefined;
  };
}

function listEntityTags(entity: TaggedEntity): Action {
  const config = entityConfig[entity];
  return (context, call) => {
    const name = call.params.name(config.param, config.max)!;
    const record = authorizedEntity(context, call, entity, name, `iam:List${config.Noun}Tags`);
    const { page, IsTruncated, Marker } = paginate(call, record.tags, (tag) => tag.Key);
    return { Tags: page.map(tagShape), IsTruncated, Marker };
  };
}

// ------------------------------------------------------------------ policy versions

const versionIdPattern = /^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/;

function versionIdParam(call: QueryCall): string {
  const versionId = call.params.required('VersionId');
  if (!versionIdPattern.test(versionId)) {
    throw validation(`Value '${versionId}' at 'versionId' failed to satisfy constraint: Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?`);
  }
  return versionId;
}

function versionNotFound(policyArn: string, versionId: string): IamError {
  return noSuchEntity(`Policy ${policyArn} version ${versionId} does not exist or is not attachable.`);
}

function lastVersionNumber(policy: ManagedPolicyRecord): number {
  if (policy.lastVersionNumber !== undefined) return policy.lastVersionNumber;
  return Math.max(...versionsOf(policy).map((version) => Number(version.versionId.slice(1))));
}

const createPolicyVersion: Action = async (context, call) => {
  const policyArn = policyArnParts(context, call.params.required('PolicyArn'));
  const document = call.params.required('PolicyDocument');
  const setAsDefault = call.params.optional('SetAsDefault') === 'true';
  authorizeCall(context, call, 'iam:CreatePolicyVersion', policyArn);
  const policy = findPolicy(context, policyArn);
  checkIdentityPolicy(document);
  if (policyChars(document) > managedPolicyCharsMax) throw new IamError('LimitExceeded', `Cannot exceed quota for PolicySize: ${managedPolicyCharsMax}`);
  const versions = versionsOf(policy);
  if (versions.length >= policyVersionsMax) {
    // unverified: this text.
    throw new IamError('LimitExceeded', `A managed policy can have up to ${policyVersionsMax} versions. Before you create a new version, you must delete an existing version.`);
  }
  const number = lastVersionNumber(policy) + 1;
  const now = context.now();
  const version = { versionId: `v${number}`, document, createdAtMs: now };
  const updated: ManagedPolicyRecord = {
    ...policy,
    versions: [...versions, version],
    defaultVersionId: setAsDefault ? version.versionId : defaultVersionOf(policy),
    document: setAsDefault ? document : policy.document,
    lastVersionNumber: number,
    updatedAtMs: setAsDefault ? now : policy.updatedAtMs,
  };
  await context.store.commit([[context.store.policies, updated]]);
  auditChange(context, call, 'iam', 'iam:CreatePolicyVersion', policyArn);
  return { PolicyVersion: { VersionId: version.versionId, IsDefaultVersion: setAsDefault, CreateDate: isoTime(now) } };
};

const listPolicyVersions: Action = (context, call) => {
  const policyArn = policyArnParts(context, call.params.required('PolicyArn'));
  authorizeCall(context, call, 'iam:ListPolicyVersions', policyArn);
  if (awsManagedPolicies.has(policyArn)) {
    return { Versions: [{ VersionId: 'v1', IsDefaultVersion: true, CreateDate: isoTime(0) }], IsTruncated: false };
  }
  const policy = findPolicy(context, policyArn);
  const defaultId = defaultVersionOf(policy);
  // Newest first, as IAM lists them.
  const versions = [...versionsOf(policy)].sort((a, b) => Number(b.versionId.slice(1)) - Number(a.versionId.slice(1)));
  const { page, IsTruncated, Marker } = paginate(call, versions, (version) => version.versionId);
  return {
    Versions: page.map((version) => ({ VersionId: version.versionId, IsDefaultVersion: version.versionId === defaultId, CreateDate: isoTime(version.createdAtMs) })),
    IsTruncated,
    Marker,
  };
};

const deletePolicyVersion: Action = async (context, call) => {
  const policyArn = policyArnParts(context, call.params.required('PolicyArn'));
  const versionId = versionIdParam(call);
  authorizeCall(context, call, 'iam:DeletePolicyVersion', policyArn);
  const policy = findPolicy(context, policyArn);
  const versions = versionsOf(policy);
  if (!versions.some((version) => version.versionId === versionId)) throw versionNotFound(policyArn, versionId);
  if (versionId === defaultVersionOf(policy)) throw new IamError('DeleteConflict', 'Cannot delete the default version of a policy.');
  const updated: ManagedPolicyRecord = {
    ...policy,
    versions: versions.filter((version) => version.versionId !== versionId),
    defaultVersionId: defaultVersionOf(policy),
    lastVersionNumber: lastVersionNumber(policy),
  };
  await context.store.commit([[context.store.policies, updated]]);
  auditChange(context, call, 'iam', 'iam:DeletePolicyVersion', policyArn);
  return undefined;
};

const setDefaultPolicyVersion: Action = async (context, call) => {
  const policyArn = policyArnParts(context, call.params.required('PolicyArn'));
  const versionId = versionIdParam(call);
  authorizeCall(context, call, 'iam:SetDefaultPolicyVersion', policyArn);
  const policy = findPolicy(context, policyArn);
  const versions = versionsOf(policy);
  const version = versions.find((candidate) => candidate.versionId === versionId);
  if (version === undefined) throw versionNotFound(policyArn, versionId);
  const updated: ManagedPolicyRecord = {
    ...policy, versions, defaultVersionId: versionId, document: version.document, lastVersionNumber: lastVersionNumber(policy), updatedAtMs: context.now(),
  };
  await context.store.commit([[context.store.policies, updated]]);
  auditChange(context, call, 'iam', 'iam:SetDefaultPolicyVersion', policyArn);
  return undefined;
};

// ------------------------------------------------------------------ permissions boundaries

function putBoundary(entity: TaggedEntity): Action {
  const config = entityConfig[entity];
  return async (context, call) => {
    const name = call.params.name(config.param, config.max)!;
    const policyArn = call.params.required('PermissionsBoundary');
    const action = `iam:Put${config.Noun}PermissionsBoundary`;
    const record = authorizedEntity(context, call, entity, name, action);
    checkBoundaryPolicy(context, policyArn);
    await saveEntity(context, call, entity, action, { ...record, permissionsBoundary: policyArn });
    return undefined;
  };
}

function deleteBoundary(entity: TaggedEntity): Action {
  const config = entityConfig[entity];
  return async (context, call) => {
    const name = call.params.name(config.param, config.max)!;
    const action = `iam:Delete${config.Noun}PermissionsBoundary`;
    const record = authorizedEntity(context, call, entity, name, action);
    const { permissionsBoundary: _removed, ...rest } = record;
    await saveEntity(context, call, entity, action, rest as EntityRecordOf<TaggedEntity>);
    return undefined;
  };
}

export const moreIamActions: Readonly<Record<string, Action>> = {
  ListPolicies: listPolicies,
  ListGroups: listGroups,
  ListGroupsForUser: listGroupsForUser,
  TagUser: tagEntity('user'),
  UntagUser: untagEntity('user'),
  ListUserTags: listEntityTags('user'),
  TagRole: tagEntity('role'),
  UntagRole: untagEntity('role'),
  ListRoleTags: listEntityTags('role'),
  CreatePolicyVersion: createPolicyVersion,
  ListPolicyVersions: listPolicyVersions,
  DeletePolicyVersion: deletePolicyVersion,
  SetDefaultPolicyVersion: setDefaultPolicyVersion,
  PutUserPermissionsBoundary: putBoundary('user'),
  DeleteUserPermissionsBoundary: deleteBoundary('user'),
  PutRolePermissionsBoundary: putBoundary('role'),
  DeleteRolePermissionsBoundary: deleteBoundary('role'),
};
