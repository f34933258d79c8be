// Amazon Ion text, as DynamoDB exports and imports it: a writer for items and a reader for the
// subset of Ion an item can be written in (no symbol tables beyond the version marker).
//
// The mapping (DynamoDB developer guide, "export output format" and "import formats"):
//   S → string, N → decimal, B → blob, BOOL → bool, NULL → null, M → struct, L → list,
//   SS / NS / BS → list annotated $dynamodb_SS / $dynamodb_NS / $dynamodb_BS.
// Reading also accepts Ion ints and floats as N, symbols as S, clobs as B and timestamps as S.
import type { AttributeValue, Item } from '../model/attribute-value.js';
import { parseNumberText } from '../model/decimal.js';

// ---- writing ------------------------------------------------------------------------------

export const ionVersionMarker = '$ion_1_0';

const identifierPattern = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
// Identifiers Ion reads as something other than a symbol must be quoted as field names.
const reservedSymbols = new Set(['null', 'true', 'false', 'nan']);

/** A field name: bare when it is a plain identifier, else a quoted symbol. */
export function ionFieldName(name: string): string {
  if (identifierPattern.test(name) && !reservedSymbols.has(name) && !/^\$\d+$/.test(name) && !name.startsWith('$ion')) return name;
  return `'${escapeText(name, "'")}'`;
}

export function ionString(text: string): string {
  return `"${escapeText(text, '"')}"`;
}

function escapeText(text: string, quote: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === quote || char === '\\') out += `\\${char}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += char;
  }
  return out;
}

/** A DynamoDB number as an Ion decimal: coefficient `d` exponent ("1.5" → 15d-1, "103" → 103.). */
export function ionDecimal(numberText: string): string {
  const parts = parseNumberText(numberText);
  if (parts.digits === '') return '0.';
  const exponent = parts.exponent - (parts.digits.length - 1);
  const sign = parts.negative ? '-' : '';
  return exponent === 0 ? `${sign}${parts.digits}.` : `${sign}${parts.digits}d${exponent}`;
}

export function ionValue(value: AttributeValue): string {
  if ('S' in value) return ionString(value.S);
  if ('N' in value) return ionDecimal(value.N);
  if ('B' in value) return `{{${value.B}}}`;
  if ('BOOL' in value) return value.BOOL ? 'true' : 'false';
  if ('NULL' in value) return 'null';
  if ('M' in value) return ionStruct(value.M);
  if ('L' in value) return `[${value.L.map(ionValue).join(',')}]`;
  if ('SS' in value) return `$dynamodb_SS::[${value.SS.map(ionString).join(',')}]`;
  if ('NS' in value) return `$dynamodb_NS::[${value.NS.map(ionDecimal).join(',')}]`;
  return `$dynamodb_BS::[${value.BS.map((b) => `{{${b}}}`).join(',')}]`;
}

export function ionStruct(item: Item): string {
  const fields: string[] = [];
  for (const name in item) fields.push(`${ionFieldName(name)}:${ionValue(item[name]!)}`);
  return `{${fields.join(',')}}`;
}

// ---- reading ------------------------------------------------------------------------------

export type IonValue = { annotations: string[] } & IonBareValue;

/** A value without its annotations. */
export type IonBareValue =
  | { type: 'null' }
  | { type: 'bool'; value: boolean }
  /** int, decimal and float, as a DynamoDB number text (or 'nan' / '+inf' / '-inf'). */
  | { type: 'number'; text: string }
  | { type: 'string' | 'symbol' | 'timestamp'; value: string }
  | { type: 'blob' | 'clob'; value: Buffer }
  | { type: 'list' | 'sexp'; values: IonValue[] }
  | { type: 'struct'; fields: [string, IonValue][] };

export class IonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`Ion syntax error at offset ${offset}: ${message}`);
  }
}

/** Nesting depth the reader follows (DynamoDB items nest at most 32 levels; markers add one). */
const ionDepthMax = 64;
const symbolStart = /[A-Za-z_$]/;
const symbolPart = /[A-Za-z0-9_$]/;
const operatorChars = '!#%&*+-./;<=>?@^`|~';
const numberEnd = /[\s,\]})(\[{'"]|\/\/|\/\*/y;

/**
 * Reads top-level values one at a time. After an IonSyntaxError, `skipLine()` moves past the
 * rest of the line so the next item can still be read (DynamoDB writes one item per line).
 */
export class IonReader {
  private position = 0;

  constructor(private readonly text: string) {}

  /** The next top-level value, or undefined at the end. The version marker is skipped. */
  next(): IonValue | undefined {
    for (;;) {
      this.skipSpace();
      if (this.position >= this.text.length) return undefined;
      const value = this.value(0);
      if (value.type === 'symbol' && value.annotations.length === 0 && value.value === ionVersionMarker) continue;
      if (value.annotations[0] === '$ion_symbol_table') continue;
      return value;
    }
  }

  skipLine(): void {
    const newline = this.text.indexOf('\n', this.position + 1);
    this.position = newline < 0 ? this.text.length : newline + 1;
  }

  get offset(): number {
    return this.position;
  }

  private fail(message: string): never {
    throw new IonSyntaxError(message, this.position);
  }

  private skipSpace(): void {
    const text = this.text;
    for (;;) {
      const char = text[this.position];
      if (char === ' ' || char === '\n' || char === '\r' || char === '\t' || char === '\f' || char === '\v') this.position++;
      else if (char === '/' && text[this.position + 1] === '/') {
        const end = text.indexOf('\n', this.position);
        this.position = end < 0 ? text.length : end + 1;
      } else if (char === '/' && text[this.position + 1] === '*') {
        const end = text.indexOf('*/', this.position + 2);
        if (end < 0) this.fail('unterminated comment');
        this.position = end + 2;
      } else return;
    }
  }

  private value(depth: number): IonValue {
    if (depth > ionDepthMax) this.fail('nesting too deep');
    const annotations: string[] = [];
    for (;;) {
      this.skipSpace();
      const start = this.position;
      const symbol = this.trySymbolToken();
      if (symbol === undefined) break;
      this.skipSpace();
      if (this.text.startsWith('::', this.position)) {
        this.position += 2;
        annotations.push(symbol.text);
        continue;
      }
      // Not an annotation: the symbol (or keyword) is the value itself.
      this.position = start;
      break;
    }
    this.skipSpace();
    return { annotations, ...this.bareValue(depth) } as IonValue;
  }

  private bareValue(depth: number): IonBareValue {
    const text = this.text;
    const char = text[this.position];
    if (char === undefined) this.fail('unexpected end of input');
    if (char === '{' && text[this.position + 1] === '{') return this.lob();
    if (char === '{') return this.struct(depth);
    if (char === '[') return { type: 'list', values: this.sequence(depth, ']') };
    if (char === '(') return { type: 'sexp', values: this.sequence(depth, ')') };
    if (char === '"') return { type: 'string', value: this.quoted('"') };
    if (text.startsWith("'''", this.position)) return { type: 'string', value: this.longStrings() };
    if (char === "'") return { type: 'symbol', value: this.quoted("'") };
    if (char === '-' || (char >= '0' && char <= '9') || char === '+') return this.numberOrTimestamp();
    const symbol = this.trySymbolToken();
    if (symbol === undefined) this.fail(`unexpected character ${JSON.stringify(char)}`);
    if (!symbol.quoted) {
      const word = symbol.text;
      if (word === 'true' || word === 'false') return { type: 'bool', value: word === 'true' };
      if (word === 'null') {
        // Typed nulls (null.string, null.struct...) read as NULL too.
        if (text[this.position] === '.') {
          this.position++;
          this.trySymbolToken();
        }
        return { type: 'null' };
      }
      if (word === 'nan') return { type: 'number', text: 'nan' };
    }
    return { type: 'symbol', value: symbol.text };
  }

  private trySymbolToken(): { text: string; quoted: boolean } | undefined {
    const text = this.text;
    const char = text[this.position];
    if (char === "'" && !text.startsWith("'''", this.position)) return { text: this.quoted("'"), quoted: true };
    if (char === undefined || !symbolStart.test(char)) return undefined;
    const start = this.position;
    while (this.position < text.length && symbolPart.test(text[this.position]!)) this.position++;
    return { text: text.slice(start, this.position), quoted: false };
  }

  private struct(depth: number): IonBareValue {
    this.position++; // {
    const fields: [string, IonValue][] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.position] === '}') {
        this.position++;
        return { type: 'struct', fields };
      }
      let name: string;
      if (this.text[this.position] === '"') name = this.quoted('"');
      else if (this.text.startsWith("'''", this.position)) name = this.longStrings();
      else {
        const symbol = this.trySymbolToken();
        if (symbol === undefined) this.fail('expected a field name');
        name = symbol.text;
      }
      this.skipSpace();
      if (this.text[this.position] !== ':') this.fail("expected ':' after a field name");
      this.position++;
      fields.push([name, this.value(depth + 1)]);
      this.skipSpace();
      if (this.text[this.position] === ',') this.position++;
      else if (this.text[this.position] !== '}') this.fail("expected ',' or '}' in a struct");
    }
  }

  private sequence(depth: number, close: string): IonValue[] {
    this.position++; // [ or (
    const values: IonValue[] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.position] === close) {
        this.position++;
        return values;
      }
      if (close === ')' && operatorChars.includes(this.text[this.position] ?? '')) {
        // S-expression operators read as symbols; DynamoDB has no s-expressions, the caller refuses them.
        const start = this.position;
        while (operatorChars.includes(this.text[this.position] ?? '')) this.position++;
        values.push({ annotations: [], type: 'symbol', value: this.text.slice(start, this.position) });
        continue;
      }
      values.push(this.value(depth + 1));
      this.skipSpace();
      if (close === ']') {
        if (this.text[this.position] === ',') this.position++;
        else if (this.text[this.position] !== ']') this.fail("expected ',' or ']' in a list");
      }
    }
  }

  /** A "..." string or a '...' symbol, with Ion's escapes. */
  private quoted(quote: string): string {
    const text = this.text;
    this.position++;
    let out = '';
    for (;;) {
      const char = text[this.position];
      if (char === undefined || (char === '\n' && quote === '"')) this.fail('unterminated string');
      this.position++;
      if (char === quote) return out;
      if (char === '\\') out += this.escape();
      else out += char;
    }
  }

  /** One or more adjacent '''...''' segments, concatenated. */
  private longStrings(): string {
    let out = '';
    while (this.text.startsWith("'''", this.position)) {
      this.position += 3;
      for (;;) {
        if (this.position >= this.text.length) this.fail('unterminated long string');
        if (this.text.startsWith("'''", this.position)) {
          this.position += 3;
          break;
        }
        const char = this.text[this.position++]!;
        out += char === '\\' ? this.escape() : char;
      }
      const save = this.position;
      this.skipSpace();
      if (!this.text.startsWith("'''", this.position)) this.position = save;
    }
    return out;
  }

  private escape(): string {
    const char = this.text[this.position++];
    switch (char) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'a':
        return '\x07';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'v':
        return '\v';
      case '0':
        return '\0';
      case '\n':
        return ''; // line continuation
      case '\r':
        if (this.text[this.position] === '\n') this.position++;
        return '';
      case 'x':
        return this.hexEscape(2);
      case 'u':
        return this.hexEscape(4);
      case 'U':
        return this.hexEscape(8);
      case '"':
      case "'":
      case '\\':
      case '/':
      case '?':
        return char;
      default:
        return this.fail(`unknown escape \\${char ?? ''}`);
    }
  }

  private hexEscape(length: number): string {
    const hex = this.text.slice(this.position, this.position + length);
    if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== length) this.fail('bad hex escape');
    this.position += length;
    return String.fromCodePoint(parseInt(hex, 16));
  }

  /** {{ base64 }} blob or {{ "text" }} clob. */
  private lob(): IonBareValue {
    this.position += 2;
    this.skipSpace();
    if (this.text[this.position] === '"' || this.text.startsWith("'''", this.position)) {
      const value = this.text[this.position] === '"' ? this.quoted('"') : this.longStrings();
      this.skipSpace();
      if (!this.text.startsWith('}}', this.position)) this.fail("expected '}}' after a clob");
      this.position += 2;
      return { type: 'clob', value: Buffer.from(value, 'latin1') };
    }
    const end = this.text.indexOf('}}', this.position);
    if (end < 0) this.fail('unterminated blob');
    const base64 = this.text.slice(this.position, end).replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) this.fail('bad base64 in a blob');
    this.position = end + 2;
    return { type: 'blob', value: Buffer.from(base64, 'base64') };
  }

  private numberOrTimestamp(): IonBareValue {
    const text = this.text;
    const start = this.position;
    while (this.position < text.length) {
      numberEnd.lastIndex = this.position;
      if (numberEnd.test(text)) break;
      this.position++;
    }
    const token = text.slice(start, this.position);
    if (token === '+inf' || token === '-inf') return { type: 'number', text: token };
    if (/^\d{4}(-\d{2}(-\d{2})?)?T/.test(token) || /^\d{4}-\d{2}-\d{2}$/.test(token)) return { type: 'timestamp', value: token };
    const number = ionNumberText(token);
    if (number === undefined) {
      this.position = start;
      this.fail(`not a number: ${JSON.stringify(token)}`);
    }
    return { type: 'number', text: number };
  }
}

/** An Ion int / decimal / float token as DynamoDB number text; undefined if it is none. */
function ionNumberText(token: string): string | undefined {
  const plain = token.replace(/(?<=[0-9a-fA-F])_(?=[0-9a-fA-F])/g, '');
  const radix = /^(-)?0([xXbB])([0-9a-fA-F]+)$/.exec(plain);
  if (radix) {
    const value = BigInt(`0${radix[2]!.toLowerCase()}${radix[3]}`);
    return `${radix[1] ?? ''}${value.toString()}`;
  }
  // Ints and decimals (d/D exponent) and floats (e/E exponent).
  const match = /^(-)?(\d+)(?:\.(\d*))?(?:([dDeE])([+-]?\d+))?$/.exec(plain);
  if (!match) return undefined;
  const [, sign = '', whole, fraction, , exponent] = match;
  if (whole!.length > 1 && whole!.startsWith('0')) return undefined; // Ion forbids leading zeros
  return `${sign}${whole}${fraction !== undefined && fraction !== '' ? `.${fraction}` : ''}${exponent !== undefined ? `E${exponent}` : ''}`;
}

/** Thrown when an Ion value has no DynamoDB equivalent. */
export class IonMappingError extends Error {}

/** An Ion value as a DynamoDB attribute value (not yet validated as one). */
export function ionToAttributeValue(value: IonValue): AttributeValue {
  const setType = value.annotations.find((annotation) => annotation.startsWith('$dynamodb_'));
  switch (value.type) {
    case 'null':
      return { NULL: true };
    case 'bool':
      return { BOOL: value.value };
    case 'number':
      if (value.text === 'nan' || value.text.endsWith('inf')) throw new IonMappingError(`Ion float ${value.text} is not a DynamoDB number`);
      return { N: value.text };
    case 'string':
    case 'symbol':
    case 'timestamp':
      return { S: value.value };
    case 'blob':
    case 'clob':
      return { B: value.value.toString('base64') };
    case 'struct':
      return { M: ionStructToItem(value) };
    case 'sexp':
      throw new IonMappingError('Ion s-expressions have no DynamoDB equivalent');
    case 'list':
      if (setType === '$dynamodb_SS') return { SS: value.values.map((v) => expectSetMember(v, 'S')) };
      if (setType === '$dynamodb_NS') return { NS: value.values.map((v) => expectSetMember(v, 'N')) };
      if (setType === '$dynamodb_BS') return { BS: value.values.map((v) => expectSetMember(v, 'B')) };
      return { L: value.values.map(ionToAttributeValue) };
  }
}

function expectSetMember(value: IonValue, type: 'S' | 'N' | 'B'): string {
  const converted = ionToAttributeValue({ ...value, annotations: [] });
  const member = (converted as Record<string, unknown>)[type];
  if (typeof member !== 'string') throw new IonMappingError(`a $dynamodb_${type}S set member must be a${type === 'S' ? ' string' : type === 'N' ? ' number' : ' blob'}`);
  return member;
}

export function ionStructToItem(value: IonValue): Item {
  if (value.type !== 'struct') throw new IonMappingError(`expected an Ion struct, found ${value.type}`);
  const item: Item = {};
  for (const [name, field] of value.fields) item[name] = ionToAttributeValue(field);
  return item;
}

/** A struct's field by name (first match). */
export function ionField(value: IonValue, name: string): IonValue | undefined {
  if (value.type !== 'struct') return undefined;
  for (const [field, fieldValue] of value.fields) if (field === name) return fieldValue;
  return undefined;
}
