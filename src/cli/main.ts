#!/usr/bin/env node
// The `tabula` command. `tabula serve` starts the DynamoDB endpoint.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startTabula, defaultAccessKey, defaultAccountId } from '../server/tabula.js';
import type { IamConfig } from '../iam/index.js';
import { configureBulkTransfers } from '../backup/index.js';
import { runBulkCommand } from './bulk.js';
import { runAuditCommand } from './audit.js';

const help = `Usage: tabula serve [options]
       tabula export|import --help   (bulk copies between a table and files)
       tabula audit --help           (query the audit trail in <data-dir>/audit.log)

Starts a DynamoDB-compatible endpoint (JSON 1.0 protocol, SigV4-signed requests).

Options:
  --port <n>                 port to listen on (default 8000; env TABULA_PORT)
  --host <addr>              address to bind (default 127.0.0.1; env TABULA_HOST)
  --data-dir <dir>           data directory (default ./data; env TABULA_DATA_DIR)
  --in-memory                keep data in memory only; nothing survives shutdown
  --no-throttling            never throttle (a plain local database); default: tables that
                             declare capacity are throttled as DynamoDB would
  --on-demand-limits         also hold on-demand tables to their instant throughput (4,000
                             WRU / 12,000 RRU new, twice the previous peak 30 min after it)
                             and their partitions to 1,000 WCU / 3,000 RCU; off by default, as
                             DynamoDB absorbs short on-demand bursts (provisioned tables always)
  --region <name>            region requests must be signed for (default us-east-1)
  --account-id <id>          the server's 12-digit account (default ${defaultAccountId})
  --access-key-id <id>       root access key id (env TABULA_ACCESS_KEY_ID)
  --secret-access-key <s>    root secret access key (env TABULA_SECRET_ACCESS_KEY)
  --config <file>            JSON config: {"accessKeys":[{"accessKeyId":"..","secretAccessKey":".."}], ...}
  --iam-config <file>        JSON: IAM users (with access keys), groups, roles, managed and inline
                             policies, OIDC issuers; applied at every start
  --export-dir <dir>         where ExportTableToPointInTime writes and ImportTable reads, one
                             folder per bucket (default <data-dir>/exports; in memory: a temp dir)
  --s3-endpoint <url>        use this S3-compatible endpoint for exports and imports instead
                             (credentials and region from AWS_ACCESS_KEY_ID/... and AWS_REGION)
  --master-key-file <file>   32-character encryption key (env TABULA_MASTER_KEY); default:
                             generated into <data-dir>/master.key on first start
  --audit-max-bytes <n>      rotate <data-dir>/audit.log before it passes n bytes (default 64 MiB)
  --audit-files <n>          rotated audit files kept, audit.log.1 .. .n (default 5)
  -h, --help                 show this help

Without credentials, the local development key is used:
  access key id ${defaultAccessKey.accessKeyId}, secret ${defaultAccessKey.secretAccessKey}
`;

interface ConfigFile {
  port?: number;
  host?: string;
  dataDir?: string;
  region?: string;
  accountId?: string;
  accessKeys?: { accessKeyId: string; secretAccessKey: string }[];
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'export' || argv[0] === 'import') return runBulkCommand(argv);
  if (argv[0] === 'audit') return runAuditCommand(argv.slice(1));
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'in-memory': { type: 'boolean' },
      'no-throttling': { type: 'boolean' },
      'on-demand-limits': { type: 'boolean' },
      region: { type: 'string' },
      'account-id': { type: 'string' },
      'access-key-id': { type: 'string' },
      'secret-access-key': { type: 'string' },
      config: { type: 'string' },
      'iam-config': { type: 'string' },
      'master-key-file': { type: 'string' },
      'export-dir': { type: 'string' },
      's3-endpoint': { type: 'string' },
      'audit-max-bytes': { type: 'string' },
      'audit-files': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0] ?? 'serve';
  if (values.help || command === 'help') {
    process.stdout.write(help);
    return;
  }
  if (command !== 'serve') throw new Error(`unknown command: ${command}\n\n${help}`);

  const env = process.env;
  const config: ConfigFile = values.config ? JSON.parse(readFileSync(values.config, 'utf8')) : {};
  const accessKeyId = values['access-key-id'] ?? env.TABULA_ACCESS_KEY_ID;
  const secretAccessKey = values['secret-access-key'] ?? env.TABULA_SECRET_ACCESS_KEY;
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new Error('give both --access-key-id and --secret-access-key, or neither');
  }
  const accessKeys = [...(config.accessKeys ?? [])];
  if (accessKeyId && secretAccessKey) accessKeys.push({ accessKeyId, secretAccessKey });
  const usingDefaultKey = accessKeys.length === 0;
  if (usingDefaultKey) accessKeys.push(defaultAccessKey);

  const masterKeyFile = values['master-key-file'];
  const masterKey = masterKeyFile ? readFileSync(masterKeyFile, 'utf8').trim() : env.TABULA_MASTER_KEY;
  const port = Number(values.port ?? env.TABULA_PORT ?? config.port ?? 8000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port: ${values.port}`);
  const inMemory = values['in-memory'] === true;
  const dataDir = values['data-dir'] ?? env.TABULA_DATA_DIR ?? config.dataDir ?? './data';

  const server = await startTabula({
    host: values.host ?? env.TABULA_HOST ?? config.host ?? '127.0.0.1',
    port,
    dataDir,
    inMemory,
    throttling: values['no-throttling'] ? false : undefined,
    onDemandInstantThroughput: values['on-demand-limits'] === true,
    region: values.region ?? config.region ?? 'us-east-1',
    accountId: values['account-id'] ?? config.accountId,
    accessKeys,
    masterKey,
    ...(values['iam-config'] ? { iamConfig: JSON.parse(readFileSync(values['iam-config'], 'utf8')) as IamConfig } : {}),
    audit: auditRotation(values['audit-max-bytes'], values['audit-files']),
  });
  const s3Endpoint = values['s3-endpoint'] ?? env.TABULA_S3_ENDPOINT;
  configureBulkTransfers(server.database, {
    ...(values['export-dir'] !== undefined || !inMemory ? { exportDir: values['export-dir'] ?? join(dataDir, 'exports') } : {}),
    ...(s3Endpoint !== undefined && { s3: { endpoint: s3Endpoint, ...(env.AWS_REGION !== undefined && { region: env.AWS_REGION }) } }),
  });
  const where = inMemory ? 'in memory' : `in ${dataDir} (encrypted)`;
  console.log(`TabulaDB listening on http://${values.host ?? env.TABULA_HOST ?? config.host ?? '127.0.0.1'}:${server.port}, region ${server.region}, data ${where}`);
  if (usingDefaultKey) {
    console.log(`Local development credentials: AWS_ACCESS_KEY_ID=${defaultAccessKey.accessKeyId} AWS_SECRET_ACCESS_KEY=${defaultAccessKey.secretAccessKey}`);
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing in-flight requests and closing storage`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** --audit-max-bytes and --audit-files, checked. */
function auditRotation(maxBytes: string | undefined, files: string | undefined): { fileBytesMax?: number; filesKept?: number } {
  const rotation: { fileBytesMax?: number; filesKept?: number } = {};
  if (maxBytes !== undefined) {
    if (!/^\d+$/.test(maxBytes) || Number(maxBytes) < 1) throw new Error(`invalid --audit-max-bytes: ${maxBytes}`);
    rotation.fileBytesMax = Number(maxBytes);
  }
  if (files !== undefined) {
    if (!/^\d+$/.test(files)) throw new Error(`invalid --audit-files: ${files}`);
    rotation.filesKept = Number(files);
  }
  return rotation;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
