// Wildcard patterns (* and ?) and policy variables (${aws:username}, ${*}, ${key, 'default'}),
// compiled once per policy into matchers. Action patterns ignore case; resources and
// condition values are case-sensitive unless the operator says otherwise.
import { emptyContext, lookupKey, type EvaluationContext } from './context.js';

/** A piece of a pattern: glob text, literal text (from ${*} ${?} ${$}), or a variable. */
type TemplatePart =
  | { kind: 'glob'; text: string }
  | { kind: 'literal'; text: string }
  | { kind: 'variable'; key: string; fallback: string | undefined };

export interface Template {
  /** Set when the text has no variables: the whole text as glob/literal parts. */
  readonly parts: readonly TemplatePart[];
  readonly hasVariables: boolean;
}

// ${name} or ${name, 'default'}; names may hold letters, digits and : / . - _ @.
const variablePattern = /\$\{([^}]*)\}/g;
const fallbackPattern = /^\s*([^,\s]+)\s*,\s*'([^']*)'\s*$/;

/** Splits a policy string into parts; variables only exist in Version 2012-10-17 policies. */
export function parseTemplate(text: string, variablesAllowed: boolean): Template {
  if (!variablesAllowed || !text.includes('${')) return { parts: [{ kind: 'glob', text }], hasVariables: false };
  const parts: TemplatePart[] = [];
  let hasVariables = false;
  let last = 0;
  for (const match of text.matchAll(variablePattern)) {
    if (match.index > last) parts.push({ kind: 'glob', text: text.slice(last, match.index) });
    last = match.index + match[0].length;
    const inner = match[1]!.trim();
    if (inner === '*' || inner === '?' || inner === '$') {
      parts.push({ kind: 'literal', text: inner });
      continue;
    }
    const withFallback = fallbackPattern.exec(inner);
    hasVariables = true;
    parts.push(
      withFallback
        ? { kind: 'variable', key: withFallback[1]!.toLowerCase(), fallback: withFallback[2]! }
        : { kind: 'variable', key: inner.toLowerCase(), fallback: undefined },
    );
  }
  if (last < text.length) parts.push({ kind: 'glob', text: text.slice(last) });
  return { parts, hasVariables };
}

/** The variable's single value, or undefined when the request does not have it. */
function variableValue(part: { key: string; fallback: string | undefined }, context: EvaluationContext): string | undefined {
  const value = lookupKey(context, part.key);
  if (typeof value === 'string') return value;
  return part.fallback;
}

/**
 * The template's text with variables substituted, for exact comparisons. ${*} stands for a
 * literal *. Undefined when a variable is missing: AWS then treats the value as unmatched.
 */
export function resolveTemplate(template: Template, context: EvaluationContext): string | undefined {
  const only = template.parts[0];
  if (template.parts.length === 1 && only !== undefined && only.kind !== 'variable') return only.text;
  let text = '';
  for (const part of template.parts) {
    if (part.kind === 'variable') {
      const value = variableValue(part, context);
      if (value === undefined) return undefined;
      text += value;
    } else text += part.text;
  }
  return text;
}

const regexSpecial = /[.+^${}()|[\]\\/*?]/g;

function globSource(text: string): string {
  let source = '';
  for (const char of text) {
    if (char === '*') source += '[\\s\\S]*';
    else if (char === '?') source += '[\\s\\S]';
    else source += char.replace(regexSpecial, '\\$&');
  }
  return source;
}

function literalSource(text: string): string {
  return text.replace(regexSpecial, '\\$&');
}

export type Matcher = (value: string, context: EvaluationContext) => boolean;

const alwaysTrue: Matcher = () => true;

// Regexes of patterns whose variables were substituted, by source: a principal's requests
// resolve to the same few texts, so this stays small; cleared when it reaches its bound.
const resolvedRegexes = new Map<string, RegExp>();
const resolvedRegexesMax = 4096;

function cachedRegex(source: string, flags: string): RegExp {
  const cacheKey = flags + source;
  let regex = resolvedRegexes.get(cacheKey);
  if (regex === undefined) {
    if (resolvedRegexes.size >= resolvedRegexesMax) resolvedRegexes.clear();
    regex = new RegExp(`^${source}$`, flags);
    resolvedRegexes.set(cacheKey, regex);
  }
  return regex;
}

/** A glob matcher (* and ?) for one pattern; variables are substituted as literal text. */
export function globMatcher(template: Template, ignoreCase: boolean): Matcher {
  const flags = ignoreCase ? 'i' : '';
  if (!template.hasVariables) {
    const text = template.parts.map(partText).join('');
    const onlyGlob = template.parts.every((part) => part.kind === 'glob');
    if (onlyGlob && text === '*') return alwaysTrue;
    if (onlyGlob && !text.includes('*') && !text.includes('?')) {
      if (!ignoreCase) return (value) => value === text;
      const lower = text.toLowerCase();
      return (value) => value.length === lower.length && value.toLowerCase() === lower;
    }
    const source = template.parts.map((part) => (part.kind === 'glob' ? globSource(part.text) : literalSource(partText(part)))).join('');
    const regex = new RegExp(`^${source}$`, flags + 's');
    return (value) => regex.test(value);
  }
  return (value, context) => {
    let source = '';
    for (const part of template.parts) {
      if (part.kind === 'glob') source += globSource(part.text);
      else if (part.kind === 'literal') source += literalSource(part.text);
      else {
        const resolved = variableValue(part, context);
        if (resolved === undefined) return false;
        source += literalSource(resolved);
      }
    }
    return cachedRegex(source, flags + 's').test(value);
  };
}

function partText(part: TemplatePart): string {
  return part.kind === 'variable' ? '' : part.text;
}

/** Any of several matchers. */
export function anyOf(matchers: readonly Matcher[]): Matcher {
  if (matchers.includes(alwaysTrue)) return alwaysTrue;
  if (matchers.length === 1) return matchers[0]!;
  return (value, context) => {
    for (const matcher of matchers) if (matcher(value, context)) return true;
    return false;
  };
}

/**
 * ARN matching, component by component (partition, service, region, account, resource), as
 * ArnLike and resource patterns do: a wildcard never spans the colons between components,
 * except inside the last (resource) component, which may itself contain colons.
 */
export function arnMatcher(template: Template): Matcher {
  const whole = globMatcher(template, false);
  const text = template.parts.map((part) => (part.kind === 'variable' ? 'x' : part.text)).join('');
  // Variables and escaped wildcards (${*}) need the whole-text matcher, which keeps them literal.
  if (!text.startsWith('arn:') || template.parts.some((part) => part.kind !== 'glob')) return whole;
  const patternParts = splitArn(text);
  if (patternParts === undefined) return whole;
  const componentMatchers = patternParts.map((part) => globMatcher(parseTemplate(part, false), false));
  return (value) => {
    const valueParts = splitArn(value);
    if (valueParts === undefined) return false;
    for (let i = 0; i < 6; i++) if (!componentMatchers[i]!(valueParts[i]!, emptyContext)) return false;
    return true;
  };
}

/** arn:partition:service:region:account:resource, or undefined if the text has fewer parts. */
export function splitArn(text: string): string[] | undefined {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < 5; i++) {
    const colon = text.indexOf(':', start);
    if (colon < 0) return undefined;
    parts.push(text.slice(start, colon));
    start = colon + 1;
  }
  parts.push(text.slice(start));
  return parts;
}
