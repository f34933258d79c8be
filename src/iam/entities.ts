// Users, roles and groups as the actions on them see them: finding one by name, its ARN, the
// per-kind parameters (name parameter, quotas, the noun in action names), and the steps every
// action on a named entity shares: authorize, then find; store the change, then audit it.
import { noSuchEntity } from './errors.js';
import { groupInlinePolicyCharsMax, roleInlinePolicyCharsMax, roleNameLengthMax, userInlinePolicyCharsMax, userNameLengthMax } from './limits.js';
import { auditChange, authorizeCall, type IamContext, type QueryCall } from './service.js';
import type { GroupRecord, RoleRecord, UserRecord } from './store.js';

export const arn = (context: IamContext, kind: string, path: string, name: string): string => `arn:aws:iam::${context.accountId}:${kind}${path}${name}`;

export function findUser(context: IamContext, userName: string): UserRecord {
  const user = context.store.users.get(userName);
  if (user === undefined) throw noSuchEntity(`The user with name ${userName} cannot be found.`);
  return user;
}

export function findRole(context: IamContext, roleName: string): RoleRecord {
  const role = context.store.roles.get(roleName);
  if (role === undefined) throw noSuchEntity(`The role with name ${roleName} cannot be found.`);
  return role;
}

export function findGroup(context: IamContext, groupName: string): GroupRecord {
  const group = context.store.groups.get(groupName);
  if (group === undefined) throw noSuchEntity(`The group with name ${groupName} cannot be found.`);
  return group;
}

export function userArnFor(context: IamContext, userName: string): string {
  return context.store.users.get(userName)?.arn ?? arn(context, 'user/', '', userName);
}

export function roleArnFor(context: IamContext, roleName: string): string {
  return context.store.roles.get(roleName)?.arn ?? arn(context, 'role/', '', roleName);
}

export function groupArnFor(context: IamContext, groupName: string): string {
  return context.store.groups.get(groupName)?.arn ?? arn(context, 'group/', '', groupName);
}

export type Entity = 'user' | 'role' | 'group';
/** The entities that carry tags and permissions boundaries. */
export type TaggedEntity = 'user' | 'role';
export type EntityRecordOf<E extends Entity> = { user: UserRecord; role: RoleRecord; group: GroupRecord }[E];
export type EntityRecord = EntityRecordOf<Entity>;

export const entityConfig = {
  user: {
    param: 'UserName', max: userNameLengthMax, find: findUser, arnFor: userArnFor, inlineMax: userInlinePolicyCharsMax,
    quotaName: 'PoliciesPerUser', tagsQuotaName: 'TagsPerUser', Noun: 'User',
  },
  role: {
    param: 'RoleName', max: roleNameLengthMax, find: findRole, arnFor: roleArnFor, inlineMax: roleInlinePolicyCharsMax,
    quotaName: 'PoliciesPerRole', tagsQuotaName: 'TagsPerRole', Noun: 'Role',
  },
  group: { param: 'GroupName', max: 128, find: findGroup, arnFor: groupArnFor, inlineMax: groupInlinePolicyCharsMax, quotaName: 'PoliciesPerGroup', Noun: 'Group' },
} as const;

export function entityName(record: EntityRecord): string {
  return 'userName' in record ? record.userName : 'roleName' in record ? record.roleName : record.groupName;
}

/** Authorizes `action` on the named entity, then finds it (NoSuchEntity when it does not exist). */
export function authorizedEntity<E extends Entity>(context: IamContext, call: QueryCall, entity: E, name: string, action: string): EntityRecordOf<E> {
  const config = entityConfig[entity];
  authorizeCall(context, call, action, config.arnFor(context, name));
  return config.find(context, name) as EntityRecordOf<E>;
}

/** Stores a changed entity, then audits the action that changed it. */
export async function saveEntity<E extends Entity>(context: IamContext, call: QueryCall, entity: E, action: string, record: EntityRecordOf<E>): Promise<void> {
  const collection = entity === 'user' ? context.store.users : entity === 'role' ? context.store.roles : context.store.groups;
  await context.store.commit([[collection, record]]);
  auditChange(context, call, 'iam', action, record.arn);
}
