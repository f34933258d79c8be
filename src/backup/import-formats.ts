// Reading import sources (DynamoDB developer guide, "Amazon S3 import formats"): CSV, DynamoDB
// JSON (one {"Item":{...}} per line, the export format) and Ion (top-level `$ion_1_0 {Item:{...}}`
// values), each possibly GZIP- or ZSTD-compressed. Objects are read as streams: decompressed
// chunk by chunk, split into records incrementally, so memory stays bounded whatever the object
// size (a record longer than importRecordBytesMax is an error, never a bigger buffer). Every
// record comes out as a raw item or as the reason it could not be read; validating items against
// the table is the caller's job.
import { StringDecoder } from 'node:string_decoder';
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Decompress as ZstdDecompress } from 'fzstd';
import type { AttributeValue, Item, ScalarType } from '../model/attribute-value.js';
import { IonMappingError, IonReader, IonSyntaxError, ionField, ionStructToItem, type IonValue } from './ion.js';
import { importRecordBytesMax, zstdPushBytesMax } from './transfer-limits.js';

export type InputFormat = 'CSV' | 'DYNAMODB_JSON' | 'ION';
export type InputCompression = 'GZIP' | 'ZSTD' | 'NONE';

export interface CsvOptions {
  /** One character: , ; : | tab or space (default comma). */
  delimiter?: string;
  /** Column names for every file; when set, the first line is data, not a header. */
  headerList?: string[];
}

/**
 * One record of a source object: an item to validate, or why the record is unreadable.
 * `endsObject`: the reader cannot find the next record after this one (a JSON or Ion syntax
 * error, undecodable compressed data), so the rest of the object is skipped. DynamoDB does the
 * same: a 10-line DynamoDB JSON file with one unparseable line ended its import with
 * ProcessedItemCount 6, ImportedItemCount 5, ErrorCount 1 (observed).
 */
export type SourceRecord = { index: number; item: unknown } | { index: number; error: string; endsObject?: true };

/** Compressed bytes that do not decode; the message says why. */
export class SourceDecodeError extends Error {}

/** The object's bytes, decompressed chunk by chunk (a Z_* zlib error or a ZSTD error is a SourceDecodeError). */
export async function* decompress(source: AsyncIterable<Uint8Array>, compression: InputCompression): AsyncGenerator<Buffer> {
  if (compression === 'NONE') {
    for await (const chunk of source) yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
  } else if (compression === 'GZIP') {
    yield* gunzipChunks(source);
  } else {
    yield* zstdChunks(source);
  }
}

async function* gunzipChunks(source: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  const gunzip = createGunzip();
  // pipeline destroys both streams on an error, which ends the iteration below with it.
  pipeline(Readable.from(source, { objectMode: false }), gunzip, () => {});
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('Z_')) throw new SourceDecodeError(`The object is not valid GZIP data: ${(error as Error).message}`);
    throw error;
  }
}

async function* zstdChunks(source: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  const decoded: Buffer[] = [];
  // fzstd hands out views of its window, which it reuses: copy each piece.
  const decoder = new ZstdDecompress((chunk) => decoded.push(Buffer.from(chunk)));
  const push = (piece: Uint8Array, final: boolean) => {
    try {
      decoder.push(piece, final);
    } catch (error) {
      throw new SourceDecodeError(`The object is not valid ZSTD data: ${(error as Error).message}`);
    }
  };
  for await (const chunk of source) {
    for (let at = 0; at < chunk.length; at += zstdPushBytesMax) {
      push(chunk.subarray(at, at + zstdPushBytesMax), false);
      while (decoded.length > 0) yield decoded.shift()!;
    }
  }
  push(new Uint8Array(0), true);
  while (decoded.length > 0) yield decoded.shift()!;
}

/**
 * The records of one decompressed object, read incrementally. `keyTypes` holds the declared type
 * of every key attribute of the table and its indexes: in CSV those columns take their declared
 * type and every other column is a string (as DynamoDB imports CSV). A SourceDecodeError from
 * the chunks becomes a last, object-ending error record; any other error propagates.
 */
export async function* readSourceStream(
  chunks: AsyncIterable<Buffer>,
  format: InputFormat,
  keyTypes: ReadonlyMap<string, ScalarType>,
  csv: CsvOptions = {},
): AsyncGenerator<SourceRecord> {
  let index = 0;
  const records = format === 'CSV' ? readCsv(chunks, keyTypes, csv) : format === 'DYNAMODB_JSON' ? readDynamoJson(chunks) : readIon(chunks);
  try {
    for await (const record of records) {
      index = record.index + 1;
      yield record;
      if ('endsObject' in record) return;
    }
  } catch (error) {
    if (!(error instanceof SourceDecodeError)) throw error;
    yield { index, error: error.message, endsObject: true };
  }
}

const tooLargeText = 'Item size has exceeded the maximum allowed size';

// ---- DynamoDB JSON --------------------------------------------------------------------------

/** Lines split at byte 0x0A (never inside a UTF-8 sequence); an overlong line comes out as `tooLong`. */
async function* jsonLines(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer | 'tooLong'> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let overflowing = false;
  for await (const chunk of chunks) {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline < 0 ? chunk.length : newline;
      if (!overflowing) {
        if (pendingBytes + (end - start) > importRecordBytesMax) {
          overflowing = true;
          pending = [];
          pendingBytes = 0;
        } else if (end > start) {
          pending.push(chunk.subarray(start, end));
          pendingBytes += end - start;
        }
      }
      if (newline < 0) break;
      yield overflowing ? 'tooLong' : pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      overflowing = false;
      start = newline + 1;
    }
  }
  if (overflowing) yield 'tooLong';
  else if (pendingBytes > 0) yield Buffer.concat(pending, pendingBytes);
}

async function* readDynamoJson(chunks: AsyncIterable<Buffer>): AsyncGenerator<SourceRecord> {
  let index = 0;
  for await (const raw of jsonLines(chunks)) {
    if (raw === 'tooLong') {
      // A line this long holds no item of 400 KB: the item is too large; the next line is readable.
      yield { index: index++, error: tooLargeText };
      continue;
    }
    const line = raw.toString('utf8').trim();
    if (line === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      yield { index: index++, error: `Unable to parse the line as DynamoDB JSON: ${(error as Error).message}`, endsObject: true };
      return;
    }
    const item = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).Item : undefined;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) yield { index: index++, error: 'The line has no "Item" object' };
    else yield { index: index++, item };
  }
}

// ---- Ion ------------------------------------------------------------------------------------

/**
 * Top-level Ion values, parsed from the text read so far. A value that fails to parse before the
 * end of the object may only be cut short by the chunk boundary, so it is retried once the
 * buffered text has doubled (bounded work), and reported only at the end of the object or once
 * importRecordBytesMax is buffered.
 */
async function* readIon(chunks: AsyncIterable<Buffer>): AsyncGenerator<SourceRecord> {
  const decoder = new StringDecoder('utf8');
  let text = '';
  let retryAtLength = 0;
  let index = 0;
  let stopped = false;
  function* drain(final: boolean): Generator<SourceRecord> {
    const reader = new IonReader(text);
    for (;;) {
      const start = reader.offset;
      let value: IonValue | undefined;
      try {
        value = reader.next();
      } catch (error) {
        if (!(error instanceof IonSyntaxError)) throw error;
        const buffered = text.length - start;
        if (!final && buffered < importRecordBytesMax) {
          text = text.slice(start);
          retryAtLength = Math.max(text.length * 2, text.length + 64 * 1024);
          return;
        }
        stopped = true;
        yield { index: index++, error: buffered >= importRecordBytesMax ? tooLargeText : error.message, endsObject: true };
        return;
      }
      if (value === undefined) {
        text = '';
        return;
      }
      // A number or symbol ending exactly at the end of the text read so far may go on in the next chunk.
      if (!final && reader.offset >= text.length) {
        text = text.slice(start);
        retryAtLength = text.length + 1;
        return;
      }
      yield ionRecord(value, index++);
    }
  }
  for await (const chunk of chunks) {
    text += decoder.write(chunk);
    if (text.length < retryAtLength) continue;
    yield* drain(false);
    if (stopped) return;
  }
  text += decoder.end();
  yield* drain(true);
}

function ionRecord(value: IonValue, index: number): SourceRecord {
  const itemValue = ionField(value, 'Item');
  if (!itemValue) return { index, error: 'The Ion value is not a struct with an "Item" field' };
  try {
    return { index, item: ionStructToItem(itemValue) };
  } catch (error) {
    if (!(error instanceof IonMappingError)) throw error;
    return { index, error: error.message };
  }
}

// ---- CSV ------------------------------------------------------------------------------------

async function* readCsv(chunks: AsyncIterable<Buffer>, keyTypes: ReadonlyMap<string, ScalarType>, options: CsvOptions): AsyncGenerator<SourceRecord> {
  const delimiter = options.delimiter ?? ',';
  let header = options.headerList;
  let index = 0;
  for await (const row of csvRowTexts(chunks, delimiter)) {
    if (row === 'tooLong') {
      yield { index: index++, error: tooLargeText, endsObject: true };
      return;
    }
    for (const { fields, quoted } of csvRows(row, delimiter)) {
      if (fields.length === 1 && fields[0] === '' && !quoted) continue; // blank line
      if (!header) {
        header = fields;
        continue;
      }
      if (fields.length !== header.length) {
        yield { index: index++, error: `The row has ${fields.length} columns but the header has ${header.length}` };
        continue;
      }
      const item: Item = {};
      for (let column = 0; column < header.length; column++) {
        const name = header[column]!;
        const value = fields[column]!;
        // An empty cell writes no attribute (unverified: DynamoDB's handling of empty CSV cells).
        if (value === '') continue;
        const type = keyTypes.get(name);
        item[name] = (type === 'N' ? { N: value } : type === 'B' ? { B: value } : { S: value }) as AttributeValue;
      }
      yield { index: index++, item };
    }
  }
}

/**
 * The text of each CSV row, split where a line break falls outside a quoted field (RFC 4180: a
 * quote opens a quoted field only at the start of a field; "" inside one is a quote). A row
 * longer than importRecordBytesMax comes out as `tooLong` and ends the object.
 */
async function* csvRowTexts(chunks: AsyncIterable<Buffer>, delimiter: string): AsyncGenerator<string | 'tooLong'> {
  const decoder = new StringDecoder('utf8');
  const separator = delimiter.charCodeAt(0);
  let text = '';
  let state: 'fieldStart' | 'unquoted' | 'quoted' | 'quoteInQuoted' = 'fieldStart';
  let scanned = 0;
  const rows = function* (): Generator<string> {
    let rowStart = 0;
    for (let at = scanned; at < text.length; at++) {
      const char = text.charCodeAt(at);
      const lineBreak = char === 0x0a || char === 0x0d;
      if (state === 'quoted') {
        if (char === 0x22) state = 'quoteInQuoted';
      } else if (state === 'quoteInQuoted' && char === 0x22) {
        state = 'quoted'; // an escaped quote
      } else if (lineBreak) {
        yield text.slice(rowStart, at);
        rowStart = at + 1;
        state = 'fieldStart';
      } else if (char === separator) {
        state = 'fieldStart';
      } else if (state === 'fieldStart') {
        state = char === 0x22 ? 'quoted' : 'unquoted';
      } else if (state === 'quoteInQuoted') {
        state = 'unquoted'; // characters after a closing quote are kept, as csvRows does
      }
    }
    text = text.slice(rowStart);
    scanned = text.length;
  };
  let first = true;
  for await (const chunk of chunks) {
    text += decoder.write(chunk);
    if (first && text.length > 0) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) scanned = 1; // a byte order mark: kept in the row text, where csvRows drops it
    }
    yield* rows();
    if (text.length > importRecordBytesMax) {
      yield 'tooLong';
      return;
    }
  }
  text += decoder.end();
  yield* rows();
  if (text.length > 0) yield text;
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
