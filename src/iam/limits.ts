// IAM and STS quotas, from the IAM User Guide's "IAM and AWS STS quotas" page (default values).

/** Users per account. */
export const usersPerAccountMax = 5000;
/** Groups per account. */
export const groupsPerAccountMax = 300;
/** Roles per account. */
export const rolesPerAccountMax = 1000;
/** Customer managed policies per account. */
export const managedPoliciesPerAccountMax = 1500;
/** Access keys per user. */
export const accessKeysPerUserMax = 2;
/** Groups a user may belong to. */
export const groupsPerUserMax = 10;
/** Managed policies attached to one user, group or role. */
export const attachedPoliciesPerEntityMax = 10;
/** Aggregate inline policy characters (whitespace excluded) per user / group / role. */
export const userInlinePolicyCharsMax = 2048;
export const groupInlinePolicyCharsMax = 5120;
export const roleInlinePolicyCharsMax = 10240;
/** Characters of a managed policy document (whitespace excluded). */
export const managedPolicyCharsMax = 6144;
/** Characters of a role trust policy (whitespace excluded). */
export const trustPolicyCharsMax = 2048;
/** Name lengths: users and groups 64, roles 64, policies 128, role session names 2..64. */
export const userNameLengthMax = 64;
export const roleNameLengthMax = 64;
export const policyNameLengthMax = 128;
export const sessionNameLengthMin = 2;
export const sessionNameLengthMax = 64;
/** AssumeRole session duration bounds (seconds); a role's MaxSessionDuration is 3600..43200. */
export const roleSessionSecondsMin = 900;
export const roleSessionSecondsDefault = 3600;
export const roleMaxSessionSecondsMax = 43200;
/** GetSessionToken: 900..129600 seconds for users (default 43200), at most 3600 for the root user. */
export const sessionTokenSecondsDefault = 43200;
export const sessionTokenSecondsMax = 129600;
export const rootSessionTokenSecondsMax = 3600;
/** Session policy passed to AssumeRole: 2048 characters. */
export const sessionPolicyCharsMax = 2048;
/** Live STS sessions kept per server (ours: bounds memory; expired ones are purged first). */
export const liveSessionsMax = 100_000;
/** Audit records kept in memory for queries (ours). */
export const auditRingEntriesMax = 10_000;
/** ListUsers and friends: MaxItems default and bound. */
export const listItemsDefault = 100;
export const listItemsMax = 1000;
/** Versions kept per customer managed policy (CreatePolicyVersion refuses a sixth). */
export const policyVersionsMax = 5;
/** Tags per IAM user or role. */
export const tagsPerEntityMax = 50;
/** A DynamoDB resource-based policy, in bytes with whitespace (DynamoDB API Reference, PutResourcePolicy). */
export const resourcePolicyBytesMax = 20_480;
