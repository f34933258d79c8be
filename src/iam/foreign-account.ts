// What DynamoDB answers a principal of another account for the resources of its own account,
// once IAM allowed the request: this server hosts the tables of its own account only, so the
// caller's account has none. A table named by plain name is looked up in the caller's account
// and not found (with the operation's own not-found text); listings are empty. Creating a
// table in another account is beyond this server: it says so instead of creating one here.
import type { Principal } from '../auth/credentials.js';
import { DynamoError } from '../model/errors.js';
import { accountOfArn } from './accounts.js';
import type { AccessRequest } from './dynamodb-access.js';
import { tableNameOfArn } from './resource-policy.js';

/** Answer the request with this output instead of running the operation. */
export interface AuthorizeOutcome {
  output: unknown;
}

// The listing operations and their empty answers (the member each operation's output requires).
const emptyListings: Readonly<Record<string, unknown>> = {
  ListTables: { TableNames: [] },
  ListBackups: { BackupSummaries: [] },
  ListExports: { ExportSummaries: [] },
  ListImports: { ImportSummaryList: [] },
  ListGlobalTables: { GlobalTables: [] },
  ListContributorInsights: { ContributorInsightsSummaries: [] },
  ListStreams: { Streams: [] },
};

// Operations whose missing table reads "Requested resource not found: Table: <name> not found"
// (they look the table up by name, as src/engine/catalog.ts's get does); data-plane operations
// say only "Requested resource not found"; the backup operations use TableNotFoundException.
const namedNotFound = new Set(['DescribeTable', 'UpdateTable', 'DeleteTable', 'DescribeTimeToLive', 'UpdateTimeToLive', 'GetResourcePolicy', 'PutResourcePolicy', 'DeleteResourcePolicy']);
const backupNotFound = new Set(['CreateBackup', 'DescribeContinuousBackups', 'UpdateContinuousBackups', 'RestoreTableToPointInTime']);
// Operations that would create a table in the caller's account.
const creating = new Set(['CreateTable', 'RestoreTableFromBackup', 'ImportTable', 'CreateGlobalTable']);

export function ownAccountOutcome(operation: string, principal: Principal, requests: readonly AccessRequest[]): AuthorizeOutcome | undefined {
  const own = requests.find((request) => accountOfArn(request.resource) === principal.accountId);
  if (own === undefined) return undefined;
  const listing = emptyListings[operation];
  if (listing !== undefined) return { output: listing };
  const tableName = tableNameOfArn(own.resource);
  if (tableName === '' || tableName === '*') return undefined; // account-wide reads (DescribeLimits) answer alike everywhere
  if (creating.has(operation)) {
    // TabulaDB's own text: AWS would create the table in the caller's account.
    throw new DynamoError(
      'AccessDeniedException',
      `User: ${principal.arn} is not authorized to perform: ${own.action} on resource: ${own.resource} because this server hosts the tables of another account`,
    );
  }
  if (namedNotFound.has(operation)) throw new DynamoError('ResourceNotFoundException', `Requested resource not found: Table: ${tableName} not found`);
  if (backupNotFound.has(operation)) throw new DynamoError('TableNotFoundException', `Table not found: ${tableName}`);
  throw new DynamoError('ResourceNotFoundException', 'Requested resource not found');
}
