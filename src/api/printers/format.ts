// Cell formats shared by several printers, each matching the upstream
// helper kubectl users know the output of: label maps, label selectors,
// container lists, truncated lists and optional booleans.
import { list, record, text } from './read.js';

/** `labels.FormatLabels`: `k=v` pairs sorted as strings, comma-joined; `<none>` when empty. */
export function formatLabels(labels: unknown): string {
  const pairs = Object.entries(record(labels)).map(([k, v]) => `${k}=${text(v)}`);
  pairs.sort();
  return pairs.length === 0 ? '<none>' : pairs.join(',');
}

interface SelectorExpression {
  key?: unknown;
  operator?: unknown;
  values?: unknown;
}

const operators: Readonly<Record<string, string>> = { In: ' in ', NotIn: ' notin ', Exists: '', DoesNotExist: '' };

function requirementString(key: string, operator: string, values: readonly string[]): string | undefined {
  const infix = operators[operator];
  if (infix === undefined) return undefined;
  if (operator === 'Exists' || operator === 'DoesNotExist') {
    if (values.length > 0) return undefined;
    return operator === 'DoesNotExist' ? `!${key}` : key;
  }
  if (values.length === 0) return undefined;
  const sorted = [...values].sort();
  return `${key}${infix}(${sorted.join(',')})`;
}

/**
 * A LabelSelector as `labels.Selector.String()` prints it: `""` for no
 * selector or an empty one, requirements sorted by key (`app=web,tier in
 * (a,b),!legacy`), or undefined when an expression is not valid.
 */
export function selectorString(selector: unknown): string | undefined {
  if (typeof selector !== 'object' || selector === null) return '';
  const sel = selector as { matchLabels?: unknown; matchExpressions?: unknown };
  const parts: { key: string; text: string }[] = [];
  for (const [key, value] of Object.entries(record(sel.matchLabels))) parts.push({ key, text: `${key}=${text(value)}` });
  for (const raw of list(sel.matchExpressions as SelectorExpression[] | undefined)) {
    const expr = record(raw) as SelectorExpression;
    const key = text(expr.key);
    const values = list(expr.values as string[] | undefined).map(text);
    const req = requirementString(key, text(expr.operator), values);
    if (req === undefined) return undefined;
    parts.push({ key, text: req });
  }
  parts.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return parts.map((p) => p.text).join(',');
}

/** `metav1.FormatLabelSelector`: the selector string, `<none>` when it selects by nothing, `<error>` when invalid. */
export function formatLabelSelector(selector: unknown): string {
  const s = selectorString(selector);
  if (s === undefined) return '<error>';
  return s === '' ? '<none>' : s;
}

interface NamedImage {
  name?: unknown;
  image?: unknown;
}

/** The Containers and Images cells: names and images, each comma-joined in container order. */
export function containerCells(containers: unknown): [names: string, images: string] {
  const items = list(containers as NamedImage[] | undefined).map((c) => record(c) as NamedImage);
  return [items.map((c) => text(c.name)).join(','), items.map((c) => text(c.image)).join(',')];
}

/**
 * Upstream's `listWithMoreString`: the first `max` items comma-joined, then
 * ` + N more...` for the rest; `<unset>` when there are none.
 */
export function listWithMore(items: readonly string[], max = 3): string {
  const shown = items.slice(0, max).join(',');
  if (items.length > max) return `${shown} + ${items.length - max} more...`;
  return shown === '' ? '<unset>' : shown;
}

/** An optional boolean as `True`, `False` or `<unset>`. */
export function optionalBool(value: unknown): string {
  if (typeof value !== 'boolean') return '<unset>';
  return value ? 'True' : 'False';
}

/** A `kind/name` reference lower-cased as kubectl prints resource names (`statefulset.apps/web`). */
export function kindName(kind: string, group: string, name: string): string {
  if (kind === '' && group === '') return name;
  const groupKind = group === '' ? kind : `${kind}.${group}`;
  return `${groupKind.toLowerCase()}/${name}`;
}
