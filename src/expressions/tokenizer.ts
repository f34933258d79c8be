// The lexer DynamoDB's expressions share: names, #name and :value placeholders, list indexes,
// keywords, operators. A character it does not know becomes a one-character "bad" token, so
// the parser reports it as a syntax error with DynamoDB's token/near text.

export type TokenKind =
  | 'id' // attribute or function name: a letter, then letters, digits or '_'
  | 'name' // #placeholder
  | 'value' // :placeholder
  | 'int' // list index: "0" alone, or a non-zero digit followed by digits
  | 'AND' | 'OR' | 'NOT' | 'BETWEEN' | 'IN' | 'SET' | 'REMOVE' | 'ADD' | 'DELETE'
  | '=' | '<>' | '<' | '<=' | '>' | '>=' | '(' | ')' | '[' | ']' | ',' | '.' | '+' | '-'
  | 'bad'
  | 'EOF';

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

// Keywords are case-insensitive and are keywords in every expression type.
const keywords: ReadonlyMap<string, TokenKind> = new Map<string, TokenKind>([
  ['AND', 'AND'], ['OR', 'OR'], ['NOT', 'NOT'], ['BETWEEN', 'BETWEEN'], ['IN', 'IN'],
  ['SET', 'SET'], ['REMOVE', 'REMOVE'], ['ADD', 'ADD'], ['DELETE', 'DELETE'],
]);

const singleCharacterKinds: ReadonlyMap<number, TokenKind> = new Map<number, TokenKind>(
  (['=', '(', ')', '[', ']', ',', '.', '+', '-'] as const).map((c) => [c.charCodeAt(0), c]),
);

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}
function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}
function isWordCharacter(code: number): boolean {
  return isLetter(code) || isDigit(code) || code === 95; // '_'
}
function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

/** Splits an expression into tokens; the last token is always EOF. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const length = text.length;
  while (i < length) {
    const code = text.charCodeAt(i);
    if (isSpace(code)) {
      i++;
      continue;
    }
    const start = i;
    let kind: TokenKind;
    if (isLetter(code)) {
      i++;
      while (i < length && isWordCharacter(text.charCodeAt(i))) i++;
      kind = keywords.get(text.slice(start, i).toUpperCase()) ?? 'id';
    } else if (code === 35 || code === 58) {
      // '#' or ':' must be followed by at least one word character.
      i++;
      while (i < length && isWordCharacter(text.charCodeAt(i))) i++;
      kind = i === start + 1 ? 'bad' : code === 35 ? 'name' : 'value';
    } else if (isDigit(code)) {
      i++;
      if (code !== 48) while (i < length && isDigit(text.charCodeAt(i))) i++;
      kind = 'int';
    } else if (code === 60) {
      // '<', '<=', '<>'
      const next = text.charCodeAt(i + 1);
      if (next === 62) { i += 2; kind = '<>'; }
      else if (next === 61) { i += 2; kind = '<='; }
      else { i++; kind = '<'; }
    } else if (code === 62) {
      if (text.charCodeAt(i + 1) === 61) { i += 2; kind = '>='; }
      else { i++; kind = '>'; }
    } else {
      const single = singleCharacterKinds.get(code);
      if (single !== undefined) {
        i++;
        kind = single;
      } else {
        // One unknown character (a whole code point, so a surrogate pair stays together).
        i += code >= 0xd800 && code <= 0xdbff && i + 1 < length ? 2 : 1;
        kind = 'bad';
      }
    }
    tokens.push({ kind, text: text.slice(start, i), start, end: i });
  }
  tokens.push({ kind: 'EOF', text: '<EOF>', start: length, end: length });
  return tokens;
}
