// DynamoDB accepts a table's ARN wherever its name goes (every TableName of the DynamoDB API
// has the TableArn shape; it is how a principal of another account addresses the server's
// tables). The batch and transaction operations read ARNs themselves; for the others, once
// authorization has judged the request by the ARN, the TableName that is the ARN of one of the
// server's tables is handed to the operation as the plain name. DynamoDB Streams' ListStreams
// takes names only, so it is left alone.
// unverified: whether DynamoDB then reports the name or the ARN in ConsumedCapacity.TableName.

/** Replaces a top-level TableName that is `<prefix><name>` (a table of the server) by `<name>`. */
export function acceptTableArn(operation: string, input: Record<string, unknown>, serverTableArnPrefix: string): void {
  if (operation === 'ListStreams') return;
  const name = input.TableName;
  if (typeof name !== 'string' || !name.startsWith('arn:') || !name.startsWith(serverTableArnPrefix)) return;
  const tableName = name.slice(serverTableArnPrefix.length);
  if (tableName !== '' && !tableName.includes('/')) input.TableName = tableName;
}
