// Who may sign requests. Full IAM (users, roles, STS sessions) plugs in here later; for now
// the server's account has a root access key.

export interface Principal {
  accountId: string;
  /** arn:aws:iam::<account>:root for the root key. */
  arn: string;
  accessKeyId: string;
  userId: string;
}

export interface Credential {
  accessKeyId: string;
  secretAccessKey: string;
  principal: Principal;
}

export class CredentialStore {
  private readonly byAccessKey = new Map<string, Credential>();

  add(accessKeyId: string, secretAccessKey: string, accountId: string): void {
    const principal: Principal = { accountId, arn: `arn:aws:iam::${accountId}:root`, accessKeyId, userId: accountId };
    this.byAccessKey.set(accessKeyId, { accessKeyId, secretAccessKey, principal });
  }

  find(accessKeyId: string): Credential | undefined {
    return this.byAccessKey.get(accessKeyId);
  }
}
