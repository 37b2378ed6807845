// The label selector string syntax, parsed as upstream's labels.Parse does,
// with its error messages:
//
//   selector    ::= requirement | requirement "," selector
//   requirement ::= [!] KEY [ set-based | exact-match ]
//   set-based   ::= ("in" | "notin") "(" VALUE ("," VALUE)* ")"
//   exact-match ::= ("=" | "==" | "!=" | ">" | "<") VALUE
//
// Whitespace (space, tab, CR, LF) separates tokens. `in`/`notin` are
// keywords only where an operator is expected, so `in in (in)` is valid.
// Set values are deduplicated and sorted; empty values are allowed.

import { newRequirement, labelKeyError, type LabelOperator, type LabelRequirement } from './labelrequirement.js';
import { fieldErrorMessage } from './fielderrors.js';

type Token = 'end' | 'ident' | 'in' | 'notin' | '(' | ')' | ',' | '!' | '=' | '==' | '!=' | '>' | '<' | 'error';

interface Item {
  readonly tok: Token;
  readonly lit: string;
}

const symbolTokens: ReadonlyMap<string, Token> = new Map<string, Token>([
  ['(', '('],
  [')', ')'],
  [',', ','],
  ['!', '!'],
  ['==', '=='],
  ['=', '='],
  ['>', '>'],
  ['<', '<'],
  ['!=', '!='],
]);

const isWhitespace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecial = (ch: string): boolean => '=!(),><'.includes(ch);

/** Splits the selector into tokens, ending with one `end` token. */
function lex(s: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos] ?? '')) pos++;
    if (pos >= s.length) {
      items.push({ tok: 'end', lit: '' });
      return items;
    }
    const start = pos;
    if (isSpecial(s[pos] ?? '')) {
      // Longest run of special characters that is still an operator.
      let best: Item | undefined;
      while (pos < s.length && isSpecial(s[pos] ?? '')) {
        const tok = symbolTokens.get(s.slice(start, pos + 1));
        if (tok !== undefined) best = { tok, lit: s.slice(start, pos + 1) };
        else if (best !== undefined) break;
        pos++;
      }
      if (best === undefined) items.push({ tok: 'error', lit: `error expected: keyword found '${s.slice(start, pos)}'` });
      else {
        items.push(best);
        pos = start + best.lit.length;
      }
      continue;
    }
    while (pos < s.length && !isSpecial(s[pos] ?? '') && !isWhitespace(s[pos] ?? '')) pos++;
    const word = s.slice(start, pos);
    items.push({ tok: word === 'in' || word === 'notin' ? word : 'ident', lit: word });
  }
}

/** Cursor over the tokens; in value context the keywords `in`/`notin` are identifiers. */
class Parser {
  private position = 0;
  constructor(private readonly items: readonly Item[]) {}

  lookahead(values: boolean): Item {
    return this.view(this.items[this.position] ?? { tok: 'end', lit: '' }, values);
  }

  consume(values: boolean): Item {
    const item = this.lookahead(values);
    this.position++;
    return item;
  }

  private view(item: Item, values: boolean): Item {
    return values && (item.tok === 'in' || item.tok === 'notin') ? { tok: 'ident', lit: item.lit } : item;
  }
}

/**
 * Parses a selector string into requirements sorted by key. Returns the
 * requirements, or the error message upstream would give.
 */
export function parseRequirements(selector: string): LabelRequirement[] | string {
  const p = new Parser(lex(selector));
  const out: LabelRequirement[] = [];
  for (;;) {
    const { tok, lit } = p.lookahead(true);
    if (tok === 'end') break;
    if (tok !== 'ident' && tok !== '!') return `found '${lit}', expected: !, identifier, or 'end of string'`;
    const r = parseRequirement(p);
    if (typeof r === 'string') return `unable to parse requirement: ${r}`;
    out.push(r);
    const next = p.consume(true);
    if (next.tok === 'end') break;
    if (next.tok !== ',') return `found '${next.lit}', expected: ',' or 'end of string'`;
    const after = p.lookahead(true);
    if (after.tok !== 'ident' && after.tok !== '!') return `found '${after.lit}', expected: identifier after ','`;
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** One requirement, or the text of its syntax or validation error (shown after "unable to parse requirement: "). */
function parseRequirement(p: Parser): LabelRequirement | string {
  let negated = false;
  let { tok, lit } = p.consume(true);
  if (tok === '!') {
    negated = true;
    ({ tok, lit } = p.consume(true));
  }
  if (tok !== 'ident') return `found '${lit}', expected: identifier`;
  const keyErr = labelKeyError(lit, undefined);
  if (keyErr !== undefined) return fieldErrorMessage(keyErr);
  const key = lit;
  // `!key` is complete by itself: an operator after it is reported by the caller as a misplaced token.
  if (negated) return newRequirement(key, '!', []);
  const next = p.lookahead(true).tok;
  if (next === 'end' || next === ',') return newRequirement(key, 'exists', []);

  const op = p.consume(false);
  const operators: Partial<Record<Token, LabelOperator>> = { in: 'in', notin: 'notin', '=': '=', '==': '==', '!=': '!=', '>': 'gt', '<': 'lt' };
  const operator = operators[op.tok];
  if (operator === undefined) return `found '${op.lit}', expected: in, notin, =, ==, !=, gt, lt`;
  const values = operator === 'in' || operator === 'notin' ? parseValues(p) : parseExactValue(p);
  if (typeof values === 'string') return values;
  return newRequirement(key, operator, values);
}

/** `(a, b, ...)`: a possibly empty list of possibly empty values, returned sorted and unique. */
function parseValues(p: Parser): string[] | string {
  const open = p.consume(true);
  if (open.tok !== '(') return `found '${open.lit}' expected: '('`;
  const first = p.lookahead(true);
  if (first.tok === ')') {
    p.consume(true);
    return [''];
  }
  if (first.tok !== 'ident' && first.tok !== ',') return `found '${first.lit}', expected: ',', ')' or identifier`;
  const set = new Set<string>();
  for (;;) {
    const item = p.consume(true);
    if (item.tok === 'ident') {
      set.add(item.lit);
      const after = p.lookahead(true);
      if (after.tok === ')') break;
      if (after.tok !== ',') return `found '${after.lit}', expected: ',' or ')'`;
    } else if (item.tok === ',') {
      // Leading, doubled and trailing commas stand for empty values.
      if (set.size === 0) set.add('');
      const after = p.lookahead(true);
      if (after.tok === ')') {
        set.add('');
        break;
      }
      if (after.tok === ',') {
        p.consume(true);
        set.add('');
      }
    } else {
      return `found '${item.lit}', expected: ',', or identifier`;
    }
  }
  if (p.consume(true).tok !== ')') return `found '${first.lit}', expected: ')'`;
  return [...set].sort();
}

/** The single value after `=`, `==`, `!=`, `>` or `<`; nothing before `,` or the end is the empty value. */
function parseExactValue(p: Parser): string[] | string {
  const next = p.lookahead(true);
  if (next.tok === 'end' || next.tok === ',') return [''];
  const item = p.consume(true);
  if (item.tok === 'ident') return [item.lit];
  return `found '${item.lit}', expected: identifier`;
}
