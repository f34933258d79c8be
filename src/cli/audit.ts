// `tabula audit`: queries the audit trail a server wrote to <data-dir>/audit.log (and its
// rotations audit.log.1, .2, ...): authorization decisions and IAM changes, filtered by
// principal, action, decision and time, printed oldest first as JSON lines (the stored form).
// It reads the files only, so it works on a stopped server's data too.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { auditMatches, type AuditQuery } from '../iam/audit.js';
import { NewestRecords, readAuditLines } from '../iam/audit-files.js';

const help = `Usage: tabula audit [--principal ARN] [--action X] [--decision allow|deny]
                    [--since ISO] [--until ISO] [--limit N] [--data-dir D]

Prints the audit trail's records, oldest first, one JSON object per line:
  --principal ARN      only this principal (arn:aws:iam::123456789012:user/alice, ...)
  --action X           only this action, without regard to case (dynamodb:GetItem, iam:CreateUser)
  --decision D         allow, deny (explicit or implicit), explicit-deny or implicit-deny
  --since ISO          only records at or after this time (2024-05-01T00:00:00Z)
  --until ISO          only records before this time
  --limit N            only the newest N matching records
  --kind K             only authorization, iam or sts records
  --data-dir D         the server's data directory (default ./data; env TABULA_DATA_DIR)
Reads D/audit.log and its rotated files D/audit.log.1, .2, ... (written by tabula serve).
`;

const decisions: Record<string, AuditQuery['decision']> = {
  allow: 'Allow',
  deny: 'Deny',
  'explicit-deny': 'ExplicitDeny',
  'implicit-deny': 'ImplicitDeny',
};
const kinds = new Set(['authorization', 'iam', 'sts']);

/** Parses the options into a query, or throws a usage error. */
export function auditQueryOf(values: Record<string, string | boolean | undefined>): AuditQuery {
  const query: AuditQuery = {};
  if (typeof values.principal === 'string') query.principal = values.principal;
  if (typeof values.action === 'string') query.action = values.action;
  if (typeof values.decision === 'string') {
    const decision = decisions[values.decision.toLowerCase()];
    if (decision === undefined) throw new Error(`--decision must be allow, deny, explicit-deny or implicit-deny, not ${values.decision}`);
    query.decision = decision;
  }
  if (typeof values.kind === 'string') {
    if (!kinds.has(values.kind)) throw new Error(`--kind must be authorization, iam or sts, not ${values.kind}`);
    query.kind = values.kind as AuditQuery['kind'];
  }
  for (const [option, field] of [['since', 'sinceMs'], ['until', 'untilMs']] as const) {
    const text = values[option];
    if (typeof text !== 'string') continue;
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) throw new Error(`--${option} must be an ISO 8601 time (2024-05-01T12:00:00Z), not ${text}`);
    query[field] = ms;
  }
  if (typeof values.limit === 'string') {
    const limit = Number(values.limit);
    if (!/^\d+$/.test(values.limit) || !Number.isSafeInteger(limit) || limit < 1) throw new Error(`--limit must be a whole number of at least 1, not ${values.limit}`);
    query.limit = limit;
  }
  return query;
}

export async function runAuditCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      principal: { type: 'string' },
      action: { type: 'string' },
      decision: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      limit: { type: 'string' },
      kind: { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(help);
    return;
  }
  let query: AuditQuery;
  try {
    query = auditQueryOf(values);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n\n${help}`);
  }
  const file = join(values['data-dir'] ?? process.env.TABULA_DATA_DIR ?? './data', 'audit.log');
  let skipped = 0;
  if (query.limit === undefined) {
    // Stream: print as we read, waiting for stdout when it is slower than the disk.
    for await (const record of readAuditLines(file)) {
      if (record === undefined) skipped++;
      else if (auditMatches(record, query)) await print(JSON.stringify(record));
    }
  } else {
    const newest = new NewestRecords(query.limit);
    for await (const record of readAuditLines(file)) {
      if (record === undefined) skipped++;
      else if (auditMatches(record, query)) newest.add(record);
    }
    for (const record of newest.records()) await print(JSON.stringify(record));
  }
  if (skipped > 0) process.stderr.write(`tabula audit: skipped ${skipped} line(s) that are not audit records\n`);
}

/** Writes a line; waits only when stdout's buffer is full, so a slow reader bounds memory. */
async function print(line: string): Promise<void> {
  if (!process.stdout.write(line + '\n')) await new Promise<void>((resolve) => process.stdout.once('drain', resolve));
}
