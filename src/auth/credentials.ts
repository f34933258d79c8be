// Who may sign requests. The server's account root keys live here; IAM users' access keys and
// STS session credentials come from a resolver that iam/ installs (its store is the truth).

export interface Principal {
  accountId: string;
  /** arn:aws:iam::<account>:root, arn:aws:iam::<account>:user/<name>, arn:aws:sts::<account>:assumed-role/<role>/<session>. */
  arn: string;
  accessKeyId: string;
  /** aws:userid: the account id for root, AIDA... for users, AROA...:<session> for role sessions. */
  userId: string;
  /**
   * An account root. The server's account root is all-powerful, never evaluated against
   * identity policies (the hot path's one check); another account's root (from the IAM config)
   * reaches the server's tables only as a cross-account caller (iam/ checks it).
   */
  root: boolean;
}

export interface Credential {
  accessKeyId: string;
  secretAccessKey: string;
  principal: Principal;
  /** Temporary (STS) credentials: the x-amz-security-token the request must carry. */
  sessionToken?: string;
  /** Temporary credentials: when they stop working (ms since the epoch). */
  expiresAtMs?: number;
}

export type CredentialResolver = (accessKeyId: string) => Credential | undefined;

export class CredentialStore {
  private readonly byAccessKey = new Map<string, Credential>();
  private resolver: CredentialResolver | undefined;

  /** A root access key of the account. */
  add(accessKeyId: string, secretAccessKey: string, accountId: string): void {
    const principal: Principal = { accountId, arn: `arn:aws:iam::${accountId}:root`, accessKeyId, userId: accountId, root: true };
    this.byAccessKey.set(accessKeyId, { accessKeyId, secretAccessKey, principal });
  }

  /** Where keys that are not root keys are looked up (IAM users' keys, STS sessions). */
  setResolver(resolver: CredentialResolver): void {
    this.resolver = resolver;
  }

  find(accessKeyId: string): Credential | undefined {
    return this.byAccessKey.get(accessKeyId) ?? this.resolver?.(accessKeyId);
  }

  isRootKey(accessKeyId: string): boolean {
    return this.byAccessKey.has(accessKeyId);
  }
}
