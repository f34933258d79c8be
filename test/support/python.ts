// The Python clients (boto3 and the AWS CLI v1) against a test server: an environment that
// reads no user configuration and signs with the given keys (default: the local development key).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { defaultAccessKey } from '../../src/server/tabula.js';

/** execFile as a promise of { stdout, stderr }. */
export const runFile = promisify(execFile);

export function pythonClientEnv(
  keys: { accessKeyId: string; secretAccessKey: string } = defaultAccessKey,
  extra: Record<string, string> = {},
  region = 'us-east-1',
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AWS_ACCESS_KEY_ID: keys.accessKeyId,
    AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
    AWS_DEFAULT_REGION: region,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    ...extra,
  };
}
