// ListStreams: the streams of the account (or of one table), in ARN order, paged by
// ExclusiveStartStreamArn / LastEvaluatedStreamArn. Disabled streams, and those of deleted
// tables, stay listed for the 24 hours their records stay readable.
import type { Database } from '../engine/database.js';
import { ConstraintErrors, collectTableNameErrors, optionalLong, optionalString } from '../api/validate/common.js';
import { listStreamsLimitMax, streamArnLengthMax, streamArnLengthMin } from './stream-limits.js';
import { checkStreamArn } from './stream-arn.js';
import { tableNotFound } from './stream-errors.js';

export function listStreams(input: Record<string, unknown>, db: Database): unknown {
  const errors = new ConstraintErrors();
  const tableName = input.TableName === undefined || input.TableName === null ? undefined : collectTableNameErrors(errors, input.TableName);
  const limit = optionalLong(input.Limit);
  if (limit !== undefined) {
    errors.minValue('limit', limit, 1);
    errors.maxValue('limit', limit, listStreamsLimitMax);
  }
  const startArn = optionalString(input.ExclusiveStartStreamArn);
  if (startArn !== undefined) errors.length('exclusiveStartStreamArn', startArn, streamArnLengthMin, streamArnLengthMax);
  errors.throwIfAny();
  if (startArn !== undefined) checkStreamArn(startArn);

  let streams = db.catalog.streams.list(tableName);
  // unverified: a table that never existed (and has no stream left) is ResourceNotFoundException.
  if (tableName !== undefined && streams.length === 0 && db.catalog.find(tableName) === undefined) throw tableNotFound(tableName);
  // The start ARN need not exist any more: the page continues after where it would sort.
  if (startArn !== undefined) streams = streams.filter((stream) => stream.streamArn > startArn);
  const pageSize = limit ?? listStreamsLimitMax;
  const page = streams.slice(0, pageSize);
  const output: Record<string, unknown> = {
    Streams: page.map((stream) => ({ StreamArn: stream.streamArn, TableName: stream.tableName, StreamLabel: stream.label })),
  };
  if (streams.length > pageSize) output.LastEvaluatedStreamArn = page[page.length - 1]!.streamArn;
  return output;
}
