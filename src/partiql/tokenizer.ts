// Splits a PartiQL statement into tokens: keywords (case-insensitive), identifiers (bare or
// "double-quoted", case kept), 'strings' (with '' for a quote), numbers, `?` parameters and
// punctuation. Comments (-- to the end of the line, /* ... */) are skipped. A character
// PartiQL does not know, or a quote left open, fails the statement.
import { reservedWords } from './keywords.js';
import { malformed } from './messages.js';

export type Token =
  | { kind: 'keyword'; text: string }
  | { kind: 'identifier'; text: string; quoted: boolean }
  | { kind: 'string'; text: string }
  | { kind: 'number'; text: string }
  | { kind: 'punct'; text: string }
  | { kind: 'end' };

// Longest first, so `<<` wins over `<` and `<=` over `<`.
const punctuation = ['<<', '>>', '<>', '!=', '<=', '>=', '||', ',', '.', '[', ']', '{', '}', '(', ')', ':', '?', '*', '+', '-', '/', '%', '=', '<', '>', ';'];
const identifierStart = /[A-Za-z_$]/;
const identifierPart = /[A-Za-z0-9_$]/;
const numberPattern = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (text.startsWith('--', i)) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end + 1;
      continue;
    }
    if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw lexerError();
      i = end + 2;
      continue;
    }
    if (c === "'" || c === '"') {
      const [value, next] = readQuoted(text, i, c);
      tokens.push(c === "'" ? { kind: 'string', text: value } : { kind: 'identifier', text: value, quoted: true });
      i = next;
      continue;
    }
    const number = /\d/.test(c) || (c === '.' && /\d/.test(text[i + 1] ?? '')) ? numberPattern.exec(text.slice(i)) : null;
    if (number) {
      tokens.push({ kind: 'number', text: number[0] });
      i += number[0].length;
      continue;
    }
    if (identifierStart.test(c)) {
      let end = i + 1;
      while (end < text.length && identifierPart.test(text[end]!)) end++;
      const word = text.slice(i, end);
      const lower = word.toLowerCase();
      tokens.push(reservedWords.has(lower) ? { kind: 'keyword', text: lower } : { kind: 'identifier', text: word, quoted: false });
      i = end;
      continue;
    }
    const mark = punctuation.find((p) => text.startsWith(p, i));
    if (mark === undefined) throw lexerError();
    tokens.push({ kind: 'punct', text: mark });
    i += mark.length;
  }
  tokens.push({ kind: 'end' });
  return tokens;
}

/** A quoted string or identifier from the quote at `start`; a doubled quote stands for one. */
function readQuoted(text: string, start: number, quote: string): [string, number] {
  let value = '';
  let i = start + 1;
  for (;;) {
    const end = text.indexOf(quote, i);
    if (end < 0) throw lexerError();
    value += text.slice(i, end);
    if (text[end + 1] === quote) {
      value += quote;
      i = end + 2;
      continue;
    }
    return [value, end + 1];
  }
}

// An unterminated quote is answered with the envelope and no detail (pinned); other lexer
// failures are assumed to be answered the same way (unverified).
function lexerError(): Error {
  return malformed('');
}
