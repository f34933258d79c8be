// Reading import sources (DynamoDB developer guide, "Amazon S3 import formats"): CSV, DynamoDB
// JSON (one {"Item":{...}} per line, the export format) and Ion (one `$ion_1_0 {Item:{...}}` per
// line), each possibly GZIP- or ZSTD-compressed. Every record comes out as a raw item or as the
// reason it could not be read; validating items against the table is the caller's job.
import { gunzipSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import type { AttributeValue, Item, ScalarType } from '../model/attribute-value.js';
import { IonMappingError, IonReader, IonSyntaxError, ionField, ionStructToItem } from './ion.js';

export type InputFormat = 'CSV' | 'DYNAMODB_JSON' | 'ION';
export type InputCompression = 'GZIP' | 'ZSTD' | 'NONE';

export interface CsvOptions {
  /** One character: , ; : | tab or space (default comma). */
  delimiter?: string;
  /** Column names for every file; when set, the first line is data, not a header. */
  headerList?: string[];
}

/** One record of a source object: an item to validate, or why the record is unreadable. */
export type SourceRecord = { index: number; item: unknown } | { index: number; error: string };

/** Decompresses a source object; throws with DynamoDB-style wording when the bytes do not match. */
export function decompressSource(body: Buffer, compression: InputCompression, bytesMax: number): Buffer {
  let out: Buffer;
  if (compression === 'NONE') out = body;
  else if (compression === 'GZIP') {
    try {
      out = gunzipSync(body, { maxOutputLength: bytesMax });
    } catch (error) {
      throw new Error(`The object is not valid GZIP data: ${(error as Error).message}`);
    }
  } else {
    try {
      out = Buffer.from(zstdDecompress(new Uint8Array(body.buffer, body.byteOffset, body.byteLength)));
    } catch (error) {
      throw new Error(`The object is not valid ZSTD data: ${(error as Error).message}`);
    }
  }
  if (out.length > bytesMax) throw new Error(`The object is larger than ${bytesMax} bytes uncompressed`);
  return out;
}

/**
 * The records of one decompressed object. `keyTypes` holds the declared type of every key
 * attribute of the table and its indexes: in CSV those columns take their declared type and every
 * other column is a string (as DynamoDB imports CSV).
 */
export function* readSourceRecords(text: string, format: InputFormat, keyTypes: ReadonlyMap<string, ScalarType>, csv: CsvOptions = {}): Iterable<SourceRecord> {
  if (format === 'CSV') yield* readCsv(text, keyTypes, csv);
  else if (format === 'DYNAMODB_JSON') yield* readDynamoJson(text);
  else yield* readIon(text);
}

function* readDynamoJson(text: string): Iterable<SourceRecord> {
  let index = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      yield { index: index++, error: `Unable to parse the line as DynamoDB JSON: ${(error as Error).message}` };
      continue;
    }
    const item = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).Item : undefined;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) yield { index: index++, error: 'The line has no "Item" object' };
    else yield { index: index++, item };
  }
}

function* readIon(text: string): Iterable<SourceRecord> {
  const reader = new IonReader(text);
  let index = 0;
  for (;;) {
    let value;
    try {
      value = reader.next();
    } catch (error) {
      if (!(error instanceof IonSyntaxError)) throw error;
      yield { index: index++, error: error.message };
      reader.skipLine();
      continue;
    }
    if (value === undefined) return;
    const itemValue = ionField(value, 'Item');
    if (!itemValue) {
      yield { index: index++, error: 'The Ion value is not a struct with an "Item" field' };
      continue;
    }
    try {
      yield { index: index++, item: ionStructToItem(itemValue) };
    } catch (error) {
      if (!(error instanceof IonMappingError)) throw error;
      yield { index: index++, error: error.message };
    }
  }
}

function* readCsv(text: string, keyTypes: ReadonlyMap<string, ScalarType>, options: CsvOptions): Iterable<SourceRecord> {
  const delimiter = options.delimiter ?? ',';
  let header = options.headerList;
  let index = 0;
  for (const row of csvRows(text, delimiter)) {
    if (row.fields.length === 1 && row.fields[0] === '' && !row.quoted) continue; // blank line
    if (!header) {
      header = row.fields;
      continue;
    }
    if (row.fields.length !== header.length) {
      yield { index: index++, error: `The row has ${row.fields.length} columns but the header has ${header.length}` };
      continue;
    }
    const item: Item = {};
    for (let column = 0; column < header.length; column++) {
      const name = header[column]!;
      const value = row.fields[column]!;
      // An empty cell writes no attribute (unverified: DynamoDB's handling of empty CSV cells).
      if (value === '') continue;
      const type = keyTypes.get(name);
      item[name] = (type === 'N' ? { N: value } : type === 'B' ? { B: value } : { S: value }) as AttributeValue;
    }
    yield { index: index++, item };
  }
}

/** RFC 4180 rows: quoted fields may hold the delimiter, quotes ("") and line breaks. */
export function* csvRows(text: string, delimiter: string): Iterable<{ fields: string[]; quoted: boolean }> {
  let position = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a UTF-8 byte order mark is not data
  const length = text.length;
  while (position < length) {
    const fields: string[] = [];
    let quoted = false;
    for (;;) {
      let field = '';
      if (text[position] === '"') {
        quoted = true;
        position++;
        for (;;) {
          const quote = text.indexOf('"', position);
          if (quote < 0) {
            field += text.slice(position);
            position = length;
            break;
          }
          field += text.slice(position, quote);
          position = quote + 1;
          if (text[position] === '"') {
            field += '"';
            position++;
          } else break;
        }
        // Characters between the closing quote and the delimiter are kept, as lenient readers do.
        while (position < length && text[position] !== delimiter && text[position] !== '\n' && text[position] !== '\r') field += text[position++];
      } else {
        const start = position;
        while (position < length && text[position] !== delimiter && text[position] !== '\n' && text[position] !== '\r') position++;
        field = text.slice(start, position);
      }
      fields.push(field);
      if (text[position] === delimiter) {
        position++;
        continue;
      }
      if (text[position] === '\r') position++;
      if (text[position] === '\n') position++;
      break;
    }
    yield { fields, quoted };
  }
}
