// What the translator needs to know about a table: its key attributes and types, and its
// indexes' keys, derived from the table's spec (looked up in the catalog by the caller) and
// cached per spec object.
import { DynamoError } from '../model/errors.js';
import { hashElements, rangeElements, type IndexSpec, type KeySchema, type TableSpec } from '../engine/table-spec.js';
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

/** The table spec of a table name (TableRecord.spec), or ResourceNotFoundException. */
export type TableSpecLookup = (tableName: string) => TableSpec;

// Schemas by spec object: UpdateTable replaces a table's spec, so a changed table gets a new entry.
const schemaCache = new WeakMap<TableSpec, TableSchema>();

/** Reads table schemas for one request (a name not found is PartiQL's ResourceNotFoundException). */
export class SchemaReader {
  constructor(private readonly lookup: TableSpecLookup) {}

  async table(name: string): Promise<TableSchema> {
    let spec: TableSpec;
    try {
      spec = this.lookup(name);
    } catch (error) {
      if (error instanceof DynamoError && (error.name === 'ResourceNotFoundException' || error.name === 'ValidationException')) throw resourceNotFound();
      throw error;
    }
    let schema = schemaCache.get(spec);
    if (schema === undefined) {
      schema = schemaOf(spec);
      schemaCache.set(spec, schema);
    }
    return schema;
  }
}

function schemaOf(spec: TableSpec): TableSchema {
  const types = new Map<string, string>(spec.AttributeDefinitions.map((definition) => [definition.AttributeName, definition.AttributeType]));
  const tableKeys = keyNames(spec.keySchema);
  const indexes = new Map<string, IndexSchema>();
  const addIndexes = (list: readonly IndexSpec[], global: boolean): void => {
    for (const index of list) {
      if (index.IndexStatus === 'DELETING') continue;
      const keys = keyNames(index.keySchema);
      const projection = index.Projection;
      const projected =
        projection.ProjectionType === 'ALL'
          ? 'ALL'
          : new Set([...allKeyNames(tableKeys), ...allKeyNames(keys), ...(projection.NonKeyAttributes ?? [])]);
      indexes.set(index.IndexName, { name: index.IndexName, global, projected, ...keys });
    }
  };
  addIndexes(spec.LocalSecondaryIndexes, false);
  addIndexes(spec.GlobalSecondaryIndexes, true);
  return { name: spec.TableName, types, indexes, ...tableKeys };
}

function keyNames(schema: KeySchema): KeyNames {
  return { hash: hashElements(schema).map((element) => element.name), range: rangeElements(schema).map((element) => element.name) };
}
