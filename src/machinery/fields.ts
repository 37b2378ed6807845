// Field selectors (`fieldSelector=metadata.name=web,status.phase!=Running`),
// parsed as upstream's fields.ParseSelector: terms split on unescaped
// commas, each split at its first `!=`, `==` or `=`; values may escape `\`,
// `,` and `=` with a backslash. No whitespace is trimmed. Which fields a
// resource supports is the caller's business: it checks `fields(selector)`
// and reports the first unknown one with unsupportedField().

import { badRequest, type ApiError } from './errors.js';

export interface FieldTerm {
  readonly field: string;
  /** `=` and `==` both parse to `=`. */
  readonly operator: '=' | '!=';
  readonly value: string;
}

export interface FieldMatcher {
  /** The terms, ordered by their text as upstream sorts them; empty matches everything. */
  readonly terms: readonly FieldTerm[];
  /** Whether every term holds; a field missing from the map counts as the empty string. */
  matches(fields: Readonly<Record<string, string>>): boolean;
  isEverything(): boolean;
  /** The value of the first `field=value` term for the field, if any (for index lookups; matches() still filters). */
  requiresExactMatch(field: string): string | undefined;
  /** Upstream's canonical text: terms joined by `,`, values escaped. */
  toString(): string;
}

/** 400 `field label not supported: <field>`, for a field the resource cannot select on. */
export function unsupportedField(field: string): ApiError {
  return badRequest(`field label not supported: ${field}`);
}

/** Escapes `\`, `,` and `=` in a value for use in a field selector. */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** Undoes escapeFieldValue; throws a 400 on an unknown escape or an unescaped `,`/`=`, as upstream. */
export function unescapeFieldValue(value: string): string {
  let out = '';
  let inSlash = false;
  for (const c of value) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') throw badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
    } else if (c === '\\') {
      inSlash = true;
    } else if (c === ',' || c === '=') {
      // Upstream prints the rune with %v, i.e. as its code point number.
      throw badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0) ?? 0}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw badRequest('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** Splits at commas not preceded by a backslash escape; escapes stay in the terms. */
function splitTerms(selector: string): string[] {
  if (selector === '') return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

const termOperators = ['!=', '==', '='] as const;

function splitTerm(term: string): { field: string; operator: (typeof termOperators)[number]; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of termOperators) {
      if (term.startsWith(op, i)) return { field: term.slice(0, i), operator: op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

function matcher(terms: readonly FieldTerm[]): FieldMatcher {
  return {
    terms,
    matches: (fields) => terms.every((t) => ((Object.hasOwn(fields, t.field) ? (fields[t.field] ?? '') : '') === t.value) === (t.operator === '=')),
    isEverything: () => terms.length === 0,
    requiresExactMatch: (field) => terms.find((t) => t.field === field && t.operator === '=')?.value,
    toString: () => terms.map((t) => `${t.field}${t.operator}${escapeFieldValue(t.value)}`).join(','),
  };
}

/**
 * Parses a field selector. An empty string (or only commas) matches
 * everything. Throws a 400 ApiError with upstream's message on a term
 * without an operator (`invalid selector: '<selector>'; can't understand
 * '<term>'`) or a bad escape.
 */
export function parseFieldSelector(selector: string): FieldMatcher {
  const parts = splitTerms(selector).sort();
  const terms: FieldTerm[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const split = splitTerm(part);
    if (split === undefined) throw badRequest(`invalid selector: '${selector}'; can't understand '${part}'`);
    terms.push({ field: split.field, operator: split.operator === '!=' ? '!=' : '=', value: unescapeFieldValue(split.rhs) });
  }
  return matcher(terms);
}

/** A matcher for exactly these field values (`f=v` each), as upstream's SelectorFromSet. */
export function fieldSelectorFromSet(fields: Readonly<Record<string, string>>): FieldMatcher {
  return matcher(Object.keys(fields).sort().map((field) => ({ field, operator: '=' as const, value: fields[field] ?? '' })));
}

/** The distinct field names a selector uses, in term order, for the caller's support check. */
export function selectorFields(selector: FieldMatcher): string[] {
  return [...new Set(selector.terms.map((t) => t.field))];
}
