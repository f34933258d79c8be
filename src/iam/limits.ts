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
/** MFA devices a user may have in use (IAM quotas: 8 since November 2022). */
export const mfaDevicesPerUserMax = 8;
/** Virtual MFA devices per account, assigned or not (IAM quotas: equal to the users quota). */
export const virtualMfaDevicesPerAccountMax = usersPerAccountMax;
/** Bytes of a virtual MFA seed: 40 bytes, 64 base32 characters, as IAM's seeds are long. */
export const mfaSeedBytes = 40;
/** RFC 6238 time step (seconds) and the steps accepted either side of now (ours: clock drift of one step). */
export const totpStepSeconds = 30;
export const totpWindowSteps = 1;
/** GetFederationToken Name: 2..32 characters (STS API reference, userNameType). */
export const federatedNameLengthMin = 2;
export const federatedNameLengthMax = 32;
/** GetFederationToken DurationSeconds: 900..129600, default 43200; at most 3600 for the root (longer asks are cut to 3600). */
export const federationSecondsDefault = 43200;
/** An OIDC issuer's JWKS document fetched from its jwksUri (ours): size, keys, time per fetch. */
export const jwksBytesMax = 1 << 20;
export const jwksKeysMax = 100;
export const jwksFetchTimeoutMs = 5000;
/** The soonest a JWKS is fetched again for a token whose key id it lacks (ours: bounds refetches). */
export const jwksRefetchIntervalMs = 30_000;
/** audit.log is rotated when it would pass this size (ours, configurable), keeping this many older files. */
export const auditFileBytesDefault = 64 * 1024 * 1024;
export const auditFilesKeptDefault = 5;
