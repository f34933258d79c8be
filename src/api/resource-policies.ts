// PutResourcePolicy / GetResourcePolicy / DeleteResourcePolicy: the resource-based policy of a
// table or a stream (an index is governed by its table's policy). iam/ checks and stores the
// document and evaluates it with identity-based policies; this file holds DynamoDB's API rules:
// - ResourceArn: a table or stream ARN of this account and region ("ARNs must start with
//   'arn:'", "This action is only supported by accounts that match the resource owner's
//   account.", "Invalid resource Arn", "only table or stream is accepted"); a missing table is
//   "Requested resource not found: Table: <name> not found";
// - RevisionId: the epoch milliseconds of the change, strictly increasing; an equivalent re-Put
//   is a no-op returning the current RevisionId;
// - ExpectedRevisionId: "NO_POLICY" puts only where no policy exists; another value must equal
//   the current RevisionId; either mismatch is PolicyNotFoundException;
// - DeleteResourcePolicy is idempotent: without a policy it answers {} (or, after a deletion,
//   the deletion's RevisionId); a real deletion answers the removed policy's RevisionId;
// - PutResourcePolicy refuses a document that would lock the caller out of changing it again,
//   unless ConfirmRemoveSelfResourceAccess is true.
// Deliberately not modelled: DynamoDB's eventual consistency (a Get right after a Put may see the
// old policy there) and its 15-second cooldown between policy changes (ThrottlingException).
import type { Database } from '../engine/database.js';
import { DynamoError, validationError } from '../model/errors.js';
import { checkResourcePolicy, documentForRead, type Iam, type ResourcePolicyRecord } from '../iam/index.js';
import type { OperationHandler, RequestContext } from '../server/http-server.js';
import { ConstraintErrors, invalidParameter, optionalBoolean, optionalString, parseResourceArn } from './validate/common.js';

type Input = Record<string, unknown>;

// PolicyRevisionId: 1..255 characters; ResourceArnString: 1..1283 (botocore model).
const revisionIdLengthMax = 255;
const resourceArnLengthMax = 1283;
const noPolicy = 'NO_POLICY';

interface Target {
  arn: string;
  tableName: string;
  tableId: string;
}

/**
 * The operations, keyed by X-Amz-Target name. Given the other operations, CreateTable is
 * wrapped too, for its ResourcePolicy member: the document is checked before the table is
 * created and stored with it (RevisionId = the creation time).
 */
export function resourcePolicyOperations(db: Database, iam: Iam, others: Record<string, OperationHandler> = {}): Record<string, OperationHandler> {
  const operations: Record<string, OperationHandler> = {
    PutResourcePolicy: (input, context) => putResourcePolicy(input, db, iam, context),
    GetResourcePolicy: (input) => getResourcePolicy(input, db, iam),
    DeleteResourcePolicy: (input, context) => deleteResourcePolicy(input, db, iam, context),
  };
  const createTable = others.CreateTable;
  if (createTable !== undefined) operations.CreateTable = (input, context) => createTableWithPolicy(input, context, createTable, db, iam);
  return operations;
}

async function createTableWithPolicy(input: Input, context: RequestContext, createTable: OperationHandler, db: Database, iam: Iam): Promise<unknown> {
  const policy = optionalString(input.ResourcePolicy);
  if (policy === undefined || typeof input.TableName !== 'string') return createTable(input, context);
  const tableArn = db.catalog.tableArn(input.TableName);
  const checked = checkResourcePolicy(policy, tableArn, iam.resourcePolicies.store);
  const output = await createTable(input, context);
  const table = db.catalog.find(input.TableName);
  if (table !== undefined) {
    const record: ResourcePolicyRecord = { resourceArn: tableArn, tableId: table.tableId, document: checked.canonical, revisionId: nextRevision(undefined, db.clock.now()) };
    await iam.resourcePolicies.commit(record);
    iam.auditChange(context.principal, 'dynamodb:PutResourcePolicy', tableArn, context.requestId);
  }
  return output;
}

function checkMembers(input: Input, withPolicy: boolean): { resourceArn: string; policy: string; expected: string | undefined } {
  const errors = new ConstraintErrors();
  const resourceArn = optionalString(input.ResourceArn);
  const policy = withPolicy ? optionalString(input.Policy) : undefined;
  const expected = optionalString(input.ExpectedRevisionId);
  if (errors.notNull('resourceArn', resourceArn)) errors.length('resourceArn', resourceArn!, 1, resourceArnLengthMax);
  if (withPolicy) errors.notNull('policy', policy);
  if (expected !== undefined) errors.length('expectedRevisionId', expected, 1, revisionIdLengthMax);
  errors.throwIfAny();
  return { resourceArn: resourceArn!, policy: policy ?? '', expected };
}

/** The table or stream the ARN names, or DynamoDB's error for it. */
function targetOf(value: string, db: Database): Target {
  const arn = parseResourceArn(value);
  const segments = arn.arn.slice(arn.arn.indexOf(':table/') + 1).split('/');
  const isTable = arn.resourceType === 'table' && arn.tableName !== '' && segments.length === 2;
  const isStream = arn.resourceType === 'table' && arn.tableName !== '' && segments.length === 4 && arn.streamLabel !== undefined;
  if (!isTable && !isStream) {
    throw invalidParameter(`Invalid resource arn provided, only table or stream is accepted. Provided resource arn: ${arn.arn}`);
  }
  if (arn.account !== db.accountId) {
    throw validationError('This action is only supported by accounts that match the resource owner\u2019s account.');
  }
  if (arn.region !== db.region || arn.partition !== 'aws') throw invalidParameter(`Invalid resource Arn: ${arn.arn}`);
  const table = db.catalog.get(arn.tableName); // "Requested resource not found: Table: <name> not found"
  if (isStream && table.latestStreamLabel !== arn.streamLabel) {
    throw new DynamoError('ResourceNotFoundException', `Requested resource not found: Stream: ${arn.streamLabel} not found for Table: ${arn.tableName}`);
  }
  return { arn: arn.arn, tableName: arn.tableName, tableId: table.tableId };
}

/** The record of the target, live or a tombstone of a deletion; undefined if none (or one of a dropped table). */
function recordOf(target: Target, iam: Iam): ResourcePolicyRecord | undefined {
  return iam.resourcePolicies.record(target.arn);
}

const notFoundPrefix = 'Resource-based policy not found for the provided ResourceArn: ';

function checkExpectedRevision(expected: string | undefined, current: ResourcePolicyRecord | undefined, target: Target): void {
  if (expected === undefined) return;
  const live = current?.document !== undefined ? current : undefined;
  if (expected === noPolicy) {
    if (live === undefined) return;
    throw new DynamoError(
      'PolicyNotFoundException',
      `${notFoundPrefix}Requested policy update expecting none to be present for table ${target.tableName}, but a policy exists with revision id ${live.revisionId}.`,
    );
  }
  if (live === undefined) {
    // unverified: the end of this text (recorded only up to "has no associated").
    throw new DynamoError(
      'PolicyNotFoundException',
      `${notFoundPrefix}Requested update for policy with revision id ${expected}, but table ${target.tableName} has no associated resource-based policy.`,
    );
  }
  if (live.revisionId !== expected) {
    throw new DynamoError(
      'PolicyNotFoundException',
      `${notFoundPrefix}Requested update for policy with revision id ${expected}, but the policy associated to target table ${target.tableName} has revision id ${live.revisionId}.`,
    );
  }
}

/** Revision ids are change times in epoch ms, strictly increasing per resource. */
function nextRevision(current: ResourcePolicyRecord | undefined, nowMs: number): string {
  const last = current === undefined ? 0 : Number(current.revisionId);
  return String(Math.max(Math.floor(nowMs), last + 1));
}

async function putResourcePolicy(input: Input, db: Database, iam: Iam, context: RequestContext): Promise<unknown> {
  const { resourceArn, policy, expected } = checkMembers(input, true);
  const confirm = optionalBoolean(input.ConfirmRemoveSelfResourceAccess) === true;
  const target = targetOf(resourceArn, db);
  const checked = checkResourcePolicy(policy, target.arn, iam.resourcePolicies.store);
  const current = recordOf(target, iam);
  checkExpectedRevision(expected, current, target);
  if (current?.document === checked.canonical) return { RevisionId: current.revisionId };
  const nowMs = db.clock.now();
  const facts = { requestId: context.requestId, sourceIp: '', secure: false, nowMs };
  if (!confirm && !iam.keepsPolicyAccess(context.principal, target.arn, checked.compiled, facts)) {
    throw new DynamoError('AccessDeniedException', 'The new resource policy will not allow you to update the resource policy in the future.');
  }
  const record: ResourcePolicyRecord = { resourceArn: target.arn, tableId: target.tableId, document: checked.canonical, revisionId: nextRevision(current, nowMs) };
  await iam.resourcePolicies.commit(record);
  iam.auditChange(context.principal, 'dynamodb:PutResourcePolicy', target.arn, context.requestId);
  return { RevisionId: record.revisionId };
}

function getResourcePolicy(input: Input, db: Database, iam: Iam): unknown {
  const { resourceArn } = checkMembers(input, false);
  const target = targetOf(resourceArn, db);
  const current = recordOf(target, iam);
  if (current?.document === undefined) throw new DynamoError('PolicyNotFoundException', `${notFoundPrefix}${target.arn}`);
  return { Policy: documentForRead(current.document), RevisionId: current.revisionId };
}

async function deleteResourcePolicy(input: Input, db: Database, iam: Iam, context: RequestContext): Promise<unknown> {
  const { resourceArn, expected } = checkMembers(input, false);
  const target = targetOf(resourceArn, db);
  const current = recordOf(target, iam);
  checkExpectedRevision(expected, current, target);
  if (current === undefined) return {};
  if (current.document === undefined) return { RevisionId: current.revisionId };
  // The answer names the removed policy; a later Delete answers with the deletion's revision.
  const tombstone: ResourcePolicyRecord = { resourceArn: target.arn, tableId: target.tableId, revisionId: nextRevision(current, db.clock.now()) };
  await iam.resourcePolicies.commit(tombstone);
  iam.auditChange(context.principal, 'dynamodb:DeleteResourcePolicy', target.arn, context.requestId);
  return { RevisionId: current.revisionId };
}
