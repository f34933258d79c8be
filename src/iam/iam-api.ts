// The IAM Query API (2010-05-08): users, access keys, groups, roles, managed and inline
// policies. Each action validates its parameters, authorizes the caller (iam:<Action> on the
// entity's ARN), changes the store, audits the change and returns the result element's fields.
// Shapes, checks and paging they share: iam-api-common.ts.
import { IamError, noSuchEntity } from './errors.js';
import { accessKeyId as newAccessKeyId, secretAccessKey, uniqueId } from './ids.js';
import {
  accessKeysPerUserMax, attachedPoliciesPerEntityMax, groupsPerAccountMax, groupsPerUserMax,
  managedPolicyCharsMax, managedPoliciesPerAccountMax, policyNameLengthMax,
  roleMaxSessionSecondsMax, roleNameLengthMax, roleSessionSecondsDefault,
  rolesPerAccountMax, trustPolicyCharsMax, userNameLengthMax, usersPerAccountMax,
} from './limits.js';
import { awsManagedPolicies } from './managed-policies.js';
import { compilePolicy } from './policy.js';
import { validation } from './params.js';
import { auditChange, authorizeCall } from './service.js';
import {
  arn, authorizedEntity, entityConfig, entityName, findGroup, findRole, findUser, groupArnFor, roleArnFor, saveEntity, userArnFor,
  type Entity, type EntityRecord,
} from './entities.js';
import type { GroupRecord, ManagedPolicyRecord, RoleRecord, UserRecord } from './store.js';
import { isoTime } from './xml.js';
import {
  attachmentCount, awsPolicyShape, boundaryUsageCount, byLowerName, checkBoundaryPolicy, checkIdentityPolicy, checkInlineSize,
  compare, defaultVersionOf, findPolicy, groupShape, managedPolicyExists, paginate, policyArnParts, policyChars, policyShape,
  roleShape, subjectUserName, userShape, versionsOf, type Action,
} from './iam-api-common.js';

// ------------------------------------------------------------------ users

const createUser: Action = async (context, call) => {
  const userName = call.params.name('UserName', userNameLengthMax)!;
  const path = call.params.path();
  const userArn = arn(context, 'user', path, userName);
  authorizeCall(context, call, 'iam:CreateUser', userArn);
  if (context.store.users.get(userName)) throw new IamError('EntityAlreadyExists', `User with name ${userName} already exists.`);
  if (context.store.users.size >= usersPerAccountMax) throw new IamError('LimitExceeded', `Cannot exceed quota for UsersPerAccount: ${usersPerAccountMax}`);
  const boundary = call.params.optional('PermissionsBoundary');
  if (boundary !== undefined) checkBoundaryPolicy(context, boundary);
  const user: UserRecord = {
    userName, userId: uniqueId('AIDA'), path, arn: userArn, createdAtMs: context.now(), tags: call.params.tags(),
    inlinePolicies: {}, attachedPolicies: [], groups: [], ...(boundary !== undefined ? { permissionsBoundary: boundary } : {}),
  };
  await context.store.commit([[context.store.users, user]]);
  auditChange(context, call, 'iam', 'iam:CreateUser', userArn);
  return { User: userShape(user, true) };
};

const getUser: Action = (context, call) => {
  const given = call.params.name('UserName', userNameLengthMax, false);
  const principal = call.principal!;
  if (given === undefined && principal.root) {
    authorizeCall(context, call, 'iam:GetUser', principal.arn);
    return { User: { UserId: context.accountId, Arn: principal.arn, CreateDate: isoTime(0) } };
  }
  const userName = given ?? subjectUserName(context, call);
  authorizeCall(context, call, 'iam:GetUser', userArnFor(context, userName));
  return { User: userShape(findUser(context, userName), true) };
};

const listUsers: Action = (context, call) => {
  const prefix = call.params.optional('PathPrefix') ?? '/';
  authorizeCall(context, call, 'iam:ListUsers', arn(context, 'user', '/', ''));
  const users = [...context.store.users.values()].filter((user) => user.path.startsWith(prefix)).sort((a, b) => compare(a.userName, b.userName));
  const { page, IsTruncated, Marker } = paginate(call, users, (user) => byLowerName(user.userName));
  return { Users: page.map((user) => userShape(user, false)), IsTruncated, Marker };
};

const deleteUser: Action = async (context, call) => {
  const userName = call.params.name('UserName', userNameLengthMax)!;
  authorizeCall(context, call, 'iam:DeleteUser', userArnFor(context, userName));
  const user = findUser(context, userName);
  const keys = [...context.store.accessKeys.values()].filter((key) => key.userName === user.userName);
  if (keys.length > 0) throw new IamError('DeleteConflict', 'Cannot delete entity, must delete access keys first.');
  if (Object.keys(user.inlinePolicies).length > 0) throw new IamError('DeleteConflict', 'Cannot delete entity, must delete policies first.');
  if (user.attachedPolicies.length > 0) throw new IamError('DeleteConflict', 'Cannot delete entity, must detach all policies first.');
  if (user.groups.length > 0) throw new IamError('DeleteConflict', 'Cannot delete entity, must remove users from group first.');
  // unverified: this text (IAM documents that MFA devices must be deactivated before the user is deleted).
  if ([...context.store.mfaDevices.values()].some((device) => device.userName === user.userName)) {
    throw new IamError('DeleteConflict', 'Cannot delete entity, must delete MFA device first.');
  }
  await context.store.commit([], [[context.store.users, user]]);
  auditChange(context, call, 'iam', 'iam:DeleteUser', user.arn);
  return undefined;
};

// ------------------------------------------------------------------ access keys

const createAccessKey: Action = async (context, call) => {
  const userName = subjectUserName(context, call);
  authorizeCall(context, call, 'iam:CreateAccessKey', userArnFor(context, userName));
  const user = findUser(context, userName);
  const existing = [...context.store.accessKeys.values()].filter((key) => key.userName === user.userName).length;
  if (existing >= accessKeysPerUserMax) throw new IamError('LimitExceeded', `Cannot exceed quota for AccessKeysPerUser: ${accessKeysPerUserMax}`);
  const key = { accessKeyId: newAccessKeyId('AKIA'), secretAccessKey: secretAccessKey(), userName: user.userName, status: 'Active' as const, createdAtMs: context.now() };
  await context.store.commit([[context.store.accessKeys, key]]);
  auditChange(context, call, 'iam', 'iam:CreateAccessKey', user.arn);
  return { AccessKey: { UserName: key.userName, AccessKeyId: key.accessKeyId, Status: key.status, SecretAccessKey: key.secretAccessKey, CreateDate: isoTime(key.createdAtMs) } };
};

const deleteAccessKey: Action = async (context, call) => {
  const userName = subjectUserName(context, call);
  const keyId = call.params.required('AccessKeyId');
  authorizeCall(context, call, 'iam:DeleteAccessKey', userArnFor(context, userName));
  const user = findUser(context, userName);
  const key = context.store.accessKeys.get(keyId);
  if (key === undefined || key.userName !== user.userName) throw noSuchEntity(`The Access Key with id ${keyId} cannot be found.`);
  await context.store.commit([], [[context.store.accessKeys, key]]);
  auditChange(context, call, 'iam', 'iam:DeleteAccessKey', user.arn);
  return undefined;
};

const updateAccessKey: Action = async (context, call) => {
  const userName = subjectUserName(context, call);
  const keyId = call.params.required('AccessKeyId');
  const status = call.params.required('Status');
  if (status !== 'Active' && status !== 'Inactive') {
    throw validation(`Value '${status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]`);
  }
  authorizeCall(context, call, 'iam:UpdateAccessKey', userArnFor(context, userName));
  const user = findUser(context, userName);
  const key = context.store.accessKeys.get(keyId);
  if (key === undefined || key.userName !== user.userName) throw noSuchEntity(`The Access Key with id ${keyId} cannot be found.`);
  await context.store.commit([[context.store.accessKeys, { ...key, status }]]);
  auditChange(context, call, 'iam', 'iam:UpdateAccessKey', user.arn);
  return undefined;
};

const listAccessKeys: Action = (context, call) => {
  const userName = subjectUserName(context, call);
  authorizeCall(context, call, 'iam:ListAccessKeys', userArnFor(context, userName));
  const user = findUser(context, userName);
  const keys = [...context.store.accessKeys.values()].filter((key) => key.userName === user.userName).sort((a, b) => a.createdAtMs - b.createdAtMs);
  const { page, IsTruncated, Marker } = paginate(call, keys, (key) => key.accessKeyId);
  return {
    AccessKeyMetadata: page.map((key) => ({ UserName: key.userName, AccessKeyId: key.accessKeyId, Status: key.status, CreateDate: isoTime(key.createdAtMs) })),
    IsTruncated,
    Marker,
  };
};

// ------------------------------------------------------------------ roles

const createRole: Action = async (context, call) => {
  const roleName = call.params.name('RoleName', roleNameLengthMax)!;
  const path = call.params.path();
  const trustPolicy = call.params.required('AssumeRolePolicyDocument');
  const maxSessionSeconds = call.params.integer('MaxSessionDuration') ?? roleSessionSecondsDefault;
  if (maxSessionSeconds < roleSessionSecondsDefault || maxSessionSeconds > roleMaxSessionSecondsMax) {
    throw validation(`Value '${maxSessionSeconds}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value ${maxSessionSeconds < roleSessionSecondsDefault ? `greater than or equal to ${roleSessionSecondsDefault}` : `less than or equal to ${roleMaxSessionSecondsMax}`}`);
  }
  const roleArn = arn(context, 'role', path, roleName);
  authorizeCall(context, call, 'iam:CreateRole', roleArn);
  compilePolicy(trustPolicy, 'trust', 'check');
  if (policyChars(trustPolicy) > trustPolicyCharsMax) throw new IamError('LimitExceeded', `Cannot exceed quota for ACLSizePerRole: ${trustPolicyCharsMax}`);
  if (context.store.roles.get(roleName)) throw new IamError('EntityAlreadyExists', `Role with name ${roleName} already exists.`);
  if (context.store.roles.size >= rolesPerAccountMax) throw new IamError('LimitExceeded', `Cannot exceed quota for RolesPerAccount: ${rolesPerAccountMax}`);
  const description = call.params.optional('Description');
  const boundary = call.params.optional('PermissionsBoundary');
  if (boundary !== undefined) checkBoundaryPolicy(context, boundary);
  const role: RoleRecord = {
    roleName, roleId: uniqueId('AROA'), path, arn: roleArn, createdAtMs: context.now(), trustPolicy,
    ...(description !== undefined ? { description } : {}),
    ...(boundary !== undefined ? { permissionsBoundary: boundary } : {}),
    maxSessionSeconds, tags: call.params.tags(), inlinePolicies: {}, attachedPolicies: [],
  };
  await context.store.commit([[context.store.roles, role]]);
  auditChange(context, call, 'iam', 'iam:CreateRole', roleArn);
  return { Role: roleShape(role, false) };
};

const getRole: Action = (context, call) => {
  const roleName = call.params.name('RoleName', roleNameLengthMax)!;
  authorizeCall(context, call, 'iam:GetRole', roleArnFor(context, roleName));
  return { Role: roleShape(findRole(context, roleName), true) };
};

const listRoles: Action = (context, call) => {
  const prefix = call.params.optional('PathPrefix') ?? '/';
  authorizeCall(context, call, 'iam:ListRoles', arn(context, 'role', '/', ''));
  const roles = [...context.store.roles.values()].filter((role) => role.path.startsWith(prefix)).sort((a, b) => compare(a.roleName, b.roleName));
  const { page, IsTruncated, Marker } = paginate(call, roles, (role) => byLowerName(role.roleName));
  return { Roles: page.map((role) => roleShape(role, false)), IsTruncated, Marker };
};

const deleteRole: Action = async (context, call) => {
  const roleName = call.params.name('RoleName', roleNameLengthMax)!;
  authorizeCall(context, call, 'iam:DeleteRole', roleArnFor(context, roleName));
  const role = findRole(context, roleName);
  if (Object.keys(role.inlinePolicies).length > 0) throw new IamError('DeleteConflict', 'Cannot delete entity, must delete policies first.');
  if (role.attachedPolicies.length > 0) throw new IamError('DeleteConflict', 'Cannot delete entity, must detach all policies first.');
  await context.store.commit([], [[context.store.roles, role]]);
  auditChange(context, call, 'iam', 'iam:DeleteRole', role.arn);
  return undefined;
};

const updateAssumeRolePolicy: Action = async (context, call) => {
  const roleName = call.params.name('RoleName', roleNameLengthMax)!;
  const document = call.params.required('PolicyDocument');
  authorizeCall(context, call, 'iam:UpdateAssumeRolePolicy', roleArnFor(context, roleName));
  const role = findRole(context, roleName);
  compilePolicy(document, 'trust', 'check');
  await context.store.commit([[context.store.roles, { ...role, trustPolicy: document }]]);
  auditChange(context, call, 'iam', 'iam:UpdateAssumeRolePolicy', role.arn);
  return undefined;
};

// ------------------------------------------------------------------ groups

const createGroup: Action = async (context, call) => {
  const groupName = call.params.name('GroupName', 128)!;
  const path = call.params.path();
  const groupArn = arn(context, 'group', path, groupName);
  authorizeCall(context, call, 'iam:CreateGroup', groupArn);
  if (context.store.groups.get(groupName)) throw new IamError('EntityAlreadyExists', `Group with name ${groupName} already exists.`);
  if (context.store.groups.size >= groupsPerAccountMax) throw new IamError('LimitExceeded', `Cannot exceed quota for GroupsPerAccount: ${groupsPerAccountMax}`);
  const group: GroupRecord = { groupName, groupId: uniqueId('AGPA'), path, arn: groupArn, createdAtMs: context.now(), inlinePolicies: {}, attachedPolicies: [] };
  await context.store.commit([[context.store.groups, group]]);
  auditChange(context, call, 'iam', 'iam:CreateGroup', groupArn);
  return { Group: groupShape(group) };
};

const getGroup: Action = (context, call) => {
  const groupName = call.params.name('GroupName', 128)!;
  authorizeCall(context, call, 'iam:GetGroup', groupArnFor(context, groupName));
  const group = findGroup(context, groupName);
  const members = [...context.store.users.values()].filter((user) => user.groups.includes(group.groupName)).sort((a, b) => compare(a.userName, b.userName));
  return { Group: groupShape(group), Users: members.map((user) => userShape(user, false)), IsTruncated: false };
};

const addUserToGroup: Action = async (context, call) => {
  const groupName = call.params.name('GroupName', 128)!;
  const userName = call.params.name('UserName', userNameLengthMax)!;
  authorizeCall(context, call, 'iam:AddUserToGroup', groupArnFor(context, groupName));
  const group = findGroup(context, groupName);
  const user = findUser(context, userName);
  if (user.groups.includes(group.groupName)) return undefined;
  if (user.groups.length >= groupsPerUserMax) throw new IamError('LimitExceeded', `Cannot exceed quota for GroupsPerUser: ${groupsPerUserMax}`);
  await context.store.commit([[context.store.users, { ...user, groups: [...user.groups, group.groupName] }]]);
  auditChange(context, call, 'iam', 'iam:AddUserToGroup', group.arn);
  return undefined;
};

const removeUserFromGroup: Action = async (context, call) => {
  const groupName = call.params.name('GroupName', 128)!;
  const userName = call.params.name('UserName', userNameLengthMax)!;
  authorizeCall(context, call, 'iam:RemoveUserFromGroup', groupArnFor(context, groupName));
  const group = findGroup(context, groupName);
  const user = findUser(context, userName);
  if (!user.groups.includes(group.groupName)) throw noSuchEntity(`The user with name ${userName} cannot be found.`);
  await context.store.commit([[context.store.users, { ...user, groups: user.groups.filter((name) => name !== group.groupName) }]]);
  auditChange(context, call, 'iam', 'iam:RemoveUserFromGroup', group.arn);
  return undefined;
};

const deleteGroup: Action = async (context, call) => {
  const groupName = call.params.name('GroupName', 128)!;
  authorizeCall(context, call, 'iam:DeleteGroup', groupArnFor(context, groupName));
  const group = findGroup(context, groupName);
  if ([...context.store.users.values()].some((user) => user.groups.includes(group.groupName))) {
    throw new IamError('DeleteConflict', 'Cannot delete entity, must remove users from group first.');
  }
  if (Object.keys(group.inlinePolicies).length > 0) throw new IamError('DeleteConflict', 'Cannot delete entity, must delete policies first.');
  if (group.attachedPolicies.length > 0) throw new IamError('DeleteConflict', 'Cannot delete entity, must detach all policies first.');
  await context.store.commit([], [[context.store.groups, group]]);
  auditChange(context, call, 'iam', 'iam:DeleteGroup', group.arn);
  return undefined;
};

// ------------------------------------------------------------------ managed policies


const createPolicy: Action = async (context, call) => {
  const policyName = call.params.name('PolicyName', policyNameLengthMax)!;
  const path = call.params.path();
  const document = call.params.required('PolicyDocument');
  const policyArn = arn(context, 'policy', path, policyName);
  authorizeCall(context, call, 'iam:CreatePolicy', policyArn);
  checkIdentityPolicy(document);
  if (policyChars(document) > managedPolicyCharsMax) throw new IamError('LimitExceeded', `Cannot exceed quota for PolicySize: ${managedPolicyCharsMax}`);
  if (context.store.policies.get(policyName)) throw new IamError('EntityAlreadyExists', `A policy called ${policyName} already exists. Duplicate names are not allowed.`);
  if (context.store.policies.size >= managedPoliciesPerAccountMax) throw new IamError('LimitExceeded', `Cannot exceed quota for PoliciesPerAccount: ${managedPoliciesPerAccountMax}`);
  const now = context.now();
  const description = call.params.optional('Description');
  const policy: ManagedPolicyRecord = {
    policyName, policyId: uniqueId('ANPA'), path, arn: policyArn, document, createdAtMs: now, updatedAtMs: now, tags: call.params.tags(),
    versions: [{ versionId: 'v1', document, createdAtMs: now }], defaultVersionId: 'v1', lastVersionNumber: 1,
    ...(description !== undefined ? { description } : {}),
  };
  await context.store.commit([[context.store.policies, policy]]);
  auditChange(context, call, 'iam', 'iam:CreatePolicy', policyArn);
  const shape = policyShape(context, policy);
  delete shape.Description; // CreatePolicy does not echo the description
  return { Policy: shape };
};


const getPolicy: Action = (context, call) => {
  const policyArn = policyArnParts(context, call.params.required('PolicyArn'));
  authorizeCall(context, call, 'iam:GetPolicy', policyArn);
  const aws = awsManagedPolicies.get(policyArn);
  if (aws !== undefined) return { Policy: awsPolicyShape(context, policyArn, aws) };
  return { Policy: policyShape(context, findPolicy(context, policyArn)) };
};

const getPolicyVersion: Action = (context, call) => {
  const policyArn = policyArnParts(context, call.params.required('PolicyArn'));
  const versionId = call.params.required('VersionId');
  authorizeCall(context, call, 'iam:GetPolicyVersion', policyArn);
  const aws = awsManagedPolicies.get(policyArn);
  const notFound = () => noSuchEntity(`Policy ${policyArn} version ${versionId} does not exist or is not attachable.`);
  if (aws !== undefined) {
    if (versionId !== 'v1') throw notFound();
    return { PolicyVersion: { Document: encodeURIComponent(aws.document), VersionId: 'v1', IsDefaultVersion: true, CreateDate: isoTime(0) } };
  }
  const policy = findPolicy(context, policyArn);
  const version = versionsOf(policy).find((candidate) => candidate.versionId === versionId);
  if (version === undefined) throw notFound();
  return {
    PolicyVersion: {
      Document: encodeURIComponent(version.document), VersionId: version.versionId,
      IsDefaultVersion: version.versionId === defaultVersionOf(policy), CreateDate: isoTime(version.createdAtMs),
    },
  };
};

const deletePolicy: Action = async (context, call) => {
  const policyArn = policyArnParts(context, call.params.required('PolicyArn'));
  authorizeCall(context, call, 'iam:DeletePolicy', policyArn);
  const policy = findPolicy(context, policyArn);
  if (attachmentCount(context, policyArn) > 0 || boundaryUsageCount(context, policyArn) > 0) {
    throw new IamError('DeleteConflict', 'Cannot delete a policy attached to entities.');
  }
  // unverified: this text (IAM documents the rule: delete the non-default versions first).
  if (versionsOf(policy).length > 1) throw new IamError('DeleteConflict', 'Cannot delete a policy with non-default versions.');
  await context.store.commit([], [[context.store.policies, policy]]);
  auditChange(context, call, 'iam', 'iam:DeletePolicy', policyArn);
  return undefined;
};

// ------------------------------------------------------------------ attach / detach, inline policies

function attach(entity: Entity): Action {
  const config = entityConfig[entity];
  return async (context, call) => {
    const name = call.params.name(config.param, config.max)!;
    const policyArn = policyArnParts(context, call.params.required('PolicyArn'));
    const action = `iam:Attach${config.Noun}Policy`;
    const record: EntityRecord = authorizedEntity(context, call, entity, name, action);
    if (!managedPolicyExists(context, policyArn)) throw noSuchEntity(`Policy ${policyArn} does not exist or is not attachable.`);
    if (record.attachedPolicies.includes(policyArn)) return undefined;
    if (record.attachedPolicies.length >= attachedPoliciesPerEntityMax) {
      throw new IamError('LimitExceeded', `Cannot exceed quota for ${config.quotaName}: ${attachedPoliciesPerEntityMax}`);
    }
    await saveEntity(context, call, entity, action, { ...record, attachedPolicies: [...record.attachedPolicies, policyArn] });
    return undefined;
  };
}

function detach(entity: Entity): Action {
  const config = entityConfig[entity];
  return async (context, call) => {
    const name = call.params.name(config.param, config.max)!;
    const policyArn = policyArnParts(context, call.params.required('PolicyArn'));
    const action = `iam:Detach${config.Noun}Policy`;
    const record: EntityRecord = authorizedEntity(context, call, entity, name, action);
    if (!record.attachedPolicies.includes(policyArn)) throw noSuchEntity(`Policy ${policyArn} was not found.`);
    await saveEntity(context, call, entity, action, { ...record, attachedPolicies: record.attachedPolicies.filter((a) => a !== policyArn) });
    return undefined;
  };
}

function listAttached(entity: Entity): Action {
  const config = entityConfig[entity];
  return (context, call) => {
    const name = call.params.name(config.param, config.max)!;
    const record: EntityRecord = authorizedEntity(context, call, entity, name, `iam:ListAttached${config.Noun}Policies`);
    return {
      AttachedPolicies: record.attachedPolicies.map((policyArn) => ({ PolicyName: policyArn.slice(policyArn.lastIndexOf('/') + 1), PolicyArn: policyArn })),
      IsTruncated: false,
    };
  };
}

function putInline(entity: Entity): Action {
  const config = entityConfig[entity];
  return async (context, call) => {
    const name = call.params.name(config.param, config.max)!;
    const policyName = call.params.name('PolicyName', policyNameLengthMax)!;
    const document = call.params.required('PolicyDocument');
    const action = `iam:Put${config.Noun}Policy`;
    const record: EntityRecord = authorizedEntity(context, call, entity, name, action);
    checkIdentityPolicy(document);
    checkInlineSize(record.inlinePolicies, policyName, document, config.inlineMax, entity, entityName(record));
    await saveEntity(context, call, entity, action, { ...record, inlinePolicies: { ...record.inlinePolicies, [policyName]: document } });
    return undefined;
  };
}

function deleteInline(entity: Entity): Action {
  const config = entityConfig[entity];
  return async (context, call) => {
    const name = call.params.name(config.param, config.max)!;
    const policyName = call.params.name('PolicyName', policyNameLengthMax)!;
    const action = `iam:Delete${config.Noun}Policy`;
    const record: EntityRecord = authorizedEntity(context, call, entity, name, action);
    if (!Object.hasOwn(record.inlinePolicies, policyName)) throw noSuchEntity(`The ${entity} policy with name ${policyName} cannot be found.`);
    const inlinePolicies = { ...record.inlinePolicies };
    delete inlinePolicies[policyName];
    await saveEntity(context, call, entity, action, { ...record, inlinePolicies });
    return undefined;
  };
}

function getInline(entity: Entity): Action {
  const config = entityConfig[entity];
  return (context, call) => {
    const name = call.params.name(config.param, config.max)!;
    const policyName = call.params.name('PolicyName', policyNameLengthMax)!;
    const record: EntityRecord = authorizedEntity(context, call, entity, name, `iam:Get${config.Noun}Policy`);
    const document = record.inlinePolicies[policyName];
    if (document === undefined || !Object.hasOwn(record.inlinePolicies, policyName)) {
      throw noSuchEntity(`The ${entity} policy with name ${policyName} cannot be found.`);
    }
    return { [`${config.Noun}Name`]: entityName(record), PolicyName: policyName, PolicyDocument: encodeURIComponent(document) };
  };
}

function listInline(entity: Entity): Action {
  const config = entityConfig[entity];
  return (context, call) => {
    const name = call.params.name(config.param, config.max)!;
    const record: EntityRecord = authorizedEntity(context, call, entity, name, `iam:List${config.Noun}Policies`);
    return { PolicyNames: Object.keys(record.inlinePolicies).sort(), IsTruncated: false };
  };
}


export const iamActions: Readonly<Record<string, Action>> = {
  CreateUser: createUser,
  GetUser: getUser,
  ListUsers: listUsers,
  DeleteUser: deleteUser,
  CreateAccessKey: createAccessKey,
  DeleteAccessKey: deleteAccessKey,
  UpdateAccessKey: updateAccessKey,
  ListAccessKeys: listAccessKeys,
  CreateRole: createRole,
  GetRole: getRole,
  ListRoles: listRoles,
  DeleteRole: deleteRole,
  UpdateAssumeRolePolicy: updateAssumeRolePolicy,
  CreateGroup: createGroup,
  GetGroup: getGroup,
  DeleteGroup: deleteGroup,
  AddUserToGroup: addUserToGroup,
  RemoveUserFromGroup: removeUserFromGroup,
  CreatePolicy: createPolicy,
  GetPolicy: getPolicy,
  GetPolicyVersion: getPolicyVersion,
  DeletePolicy: deletePolicy,
  AttachUserPolicy: attach('user'),
  DetachUserPolicy: detach('user'),
  AttachRolePolicy: attach('role'),
  DetachRolePolicy: detach('role'),
  AttachGroupPolicy: attach('group'),
  DetachGroupPolicy: detach('group'),
  ListAttachedUserPolicies: listAttached('user'),
  ListAttachedRolePolicies: listAttached('role'),
  ListAttachedGroupPolicies: listAttached('group'),
  PutUserPolicy: putInline('user'),
  PutRolePolicy: putInline('role'),
  PutGroupPolicy: putInline('group'),
  DeleteUserPolicy: deleteInline('user'),
  DeleteRolePolicy: deleteInline('role'),
  DeleteGroupPolicy: deleteInline('group'),
  GetUserPolicy: getInline('user'),
  GetRolePolicy: getInline('role'),
  GetGroupPolicy: getInline('group'),
  ListUserPolicies: listInline('user'),
  ListRolePolicies: listInline('role'),
  ListGroupPolicies: listInline('group'),
};

