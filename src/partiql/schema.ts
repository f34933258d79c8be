// What the translator needs to know about a table: its key attributes and types, and its
// indexes' keys. Read through the operations table's DescribeTable (no storage access from
// here), once per table per request.
import { DynamoError } from '../model/errors.js';
import type { OperationHandler, RequestContext } from '../server/http-server.js';
import { messages, resourceNotFound, semantic } from './messages.js';

export interface KeyNames {
  /** HASH attributes (one, or up to four on a multi-attribute GSI key). */
  hash: string[];
  /** RANGE attributes, in order (none, one, or up to four on a GSI). */
  range: string[];
}

export interface IndexSchema extends KeyNames {
  name: string;
  global: boolean;
  /** The attributes the index holds: 'ALL', or the table and index keys plus any INCLUDE names. */
  projected: 'ALL' | ReadonlySet<string>;
}

export interface TableSchema extends KeyNames {
  name: string;
  /** Attribute definition types (S, N, B) of every key attribute of the table and its indexes. */
  types: ReadonlyMap<string, string>;
  indexes: ReadonlyMap<string, IndexSchema>;
}

/** The key of the table itself, or of one of its indexes. */
export function keyNamesOf(table: TableSchema, indexName: string | undefined): KeyNames {
  if (indexName === undefined) return table;
  const index = table.indexes.get(indexName);
  if (index === undefined) throw semantic(messages.noSuchIndex);
  return index;
}

export function allKeyNames(keys: KeyNames): string[] {
  return [...keys.hash, ...keys.range];
}

interface KeySchemaElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}

interface DescribedIndex {
  IndexName: string;
  KeySchema: KeySchemaElement[];
  Projection: { ProjectionType: string; NonKeyAttributes?: string[] };
  IndexStatus?: string;
}

/** Per-request memo of table schemas, read through DescribeTable. */
export class SchemaReader {
  private readonly cache = new Map<string, Promise<TableSchema>>();

  constructor(
    private readonly operations: Record<string, OperationHandler>,
    private readonly context: RequestContext,
  ) {}

  table(name: string): Promise<TableSchema> {
    let schema = this.cache.get(name);
    if (schema === undefined) {
      schema = this.describe(name);
      this.cache.set(name, schema);
    }
    return schema;
  }

  private async describe(name: string): Promise<TableSchema> {
    let output: { Table: Record<string, unknown> };
    try {
      output = (await this.operations.DescribeTable!({ TableName: name }, this.context)) as { Table: Record<string, unknown> };
    } catch (error) {
      // A name DescribeTable refuses names no table either.
      if (error instanceof DynamoError && (error.name === 'ResourceNotFoundException' || error.name === 'ValidationException')) throw resourceNotFound();
      throw error;
    }
    const table = output.Table;
    const types = new Map<string, string>();
    for (const definition of table.AttributeDefinitions as { AttributeName: string; AttributeType: string }[]) {
      types.set(definition.AttributeName, definition.AttributeType);
    }
    const indexes = new Map<string, IndexSchema>();
    const tableKeys = keyNames(table.KeySchema as KeySchemaElement[]);
    const addIndexes = (list: unknown, global: boolean): void => {
      for (const index of (list as DescribedIndex[] | undefined) ?? []) {
        if (index.IndexStatus === 'DELETING') continue;
        const keys = keyNames(index.KeySchema);
        const projection = index.Projection;
        const projected =
          projection.ProjectionType === 'ALL'
            ? 'ALL'
            : new Set([...allKeyNames(tableKeys), ...allKeyNames(keys), ...(projection.NonKeyAttributes ?? [])]);
        indexes.set(index.IndexName, { name: index.IndexName, global, projected, ...keys });
      }
    };
    addIndexes(table.LocalSecondaryIndexes, false);
    addIndexes(table.GlobalSecondaryIndexes, true);
    return { name, types, indexes, ...tableKeys };
  }
}

function keyNames(schema: readonly KeySchemaElement[]): KeyNames {
  return {
    hash: schema.filter((element) => element.KeyType === 'HASH').map((element) => element.AttributeName),
    range: schema.filter((element) => element.KeyType === 'RANGE').map((element) => element.AttributeName),
  };
}
