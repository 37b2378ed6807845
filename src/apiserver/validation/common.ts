// Field validators shared by many kinds, with upstream's paths and texts:
// non-negative numbers, immutable fields, DNS names, labels, annotations,
// qualified names, label selectors and port numbers and names.
import type { LabelMatcher } from '../../machinery/index.js';
import {
  fieldForbidden,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  fieldTooLong,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  labelSelectorFromObject,
} from '../../machinery/index.js';
import { GoLiteral, quote } from '../../machinery/quote.js';
import { isObj, isUnset, type Check } from './input.js';

export const immutableMessage = 'field is immutable';

export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

/** `must be greater than or equal to 0` for a number below zero. */
export function nonNegative(c: Check, v: unknown, path: string): void {
  const n = c.int(v, path);
  if (n !== undefined && n < 0) c.add(fieldInvalid(path, n, 'must be greater than or equal to 0'));
}

/**
 * Upstream's semantic equality on decoded objects: absent, null, empty
 * strings, false and empty lists and maps all read as Go's zero value.
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
}

function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.length === 0 ? undefined : v.map((x) => normalize(x) ?? null);
  if (isObj(v)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v).sort()) {
      const n = normalize(v[key]);
      if (n !== undefined) out[key] = n;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  if (isUnset(v) || v === '' || v === false) return undefined;
  return v;
}

/** `field is immutable` when the value changed (semantically). */
export function immutable(c: Check, next: unknown, prev: unknown, path: string): void {
  if (!semanticEqual(next, prev)) c.add(fieldInvalid(path, next ?? null, immutableMessage));
}

/** A Go []string as `%#v` prints it: `[]string{"a", "b"}`. */
export function goStringList(list: readonly string[]): string {
  return `[]string{${list.map(quote).join(', ')}}`;
}

/** A Go map[string]string as `%#v` prints it: sorted keys, `map[string]string{"a":"b"}`, nil for none. */
export function goStringMap(m: unknown): GoLiteral {
  if (!isObj(m)) return new GoLiteral('map[string]string(nil)');
  const body = Object.keys(m)
    .sort()
    .map((k) => `${quote(k)}:${quote(String(m[k]))}`)
    .join(', ');
  return new GoLiteral(`map[string]string{${body}}`);
}

export function dns1123Label(c: Check, value: string, path: string): void {
  for (const msg of isDNS1123Label(value)) c.add(fieldInvalid(path, value, msg));
}

export function dns1123Subdomain(c: Check, value: string, path: string): void {
  for (const msg of isDNS1123Subdomain(value)) c.add(fieldInvalid(path, value, msg));
}

export function qualifiedName(c: Check, value: string, path: string): void {
  for (const msg of isQualifiedName(value)) c.add(fieldInvalid(path, value, msg));
}

/** Label keys are qualified names, values label values; errors name the map's path. */
export function validateLabels(c: Check, v: unknown, path: string): Record<string, string> {
  const labels = c.strMap(v, path);
  for (const [key, value] of Object.entries(labels)) {
    qualifiedName(c, key, path);
    for (const msg of isValidLabelValue(value)) c.add(fieldInvalid(path, value, msg));
  }
  return labels;
}

/** Total size of annotation keys and values upstream allows (256 KiB). */
export const totalAnnotationSizeLimit = 256 * 1024;

export function validateAnnotations(c: Check, v: unknown, path: string): void {
  const annotations = c.strMap(v, path);
  let size = 0;
  for (const [key, value] of Object.entries(annotations)) {
    // Keys are qualified names in any case.
    for (const msg of isQualifiedName(key.toLowerCase())) c.add(fieldInvalid(path, key, msg));
    size += Buffer.byteLength(key) + Buffer.byteLength(value);
  }
  if (size > totalAnnotationSizeLimit) c.add(fieldTooLong(path, totalAnnotationSizeLimit));
}

/** metav1 ValidateLabelSelector; returns the matcher when the selector is an object and valid. */
export function validateLabelSelector(c: Check, v: unknown, path: string): LabelMatcher | undefined {
  const sel = c.obj(v, path);
  if (sel === undefined) return undefined;
  const before = c.errors.length;
  validateLabels(c, sel.matchLabels, `${path}.matchLabels`);
  for (const [expr, p] of c.objList(sel.matchExpressions, `${path}.matchExpressions`)) {
    const operator = c.str(expr.operator, `${p}.operator`);
    const values = c.strList(expr.values, `${p}.values`);
    if (operator === 'In' || operator === 'NotIn') {
      if (values.length === 0) c.add(fieldRequired(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      if (values.length > 0) c.add(fieldForbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else if (operator !== undefined) {
      c.add(fieldInvalid(`${p}.operator`, operator, 'not a valid selector operator'));
    }
    const key = c.str(expr.key, `${p}.key`);
    if (key !== undefined) qualifiedName(c, key, `${p}.key`);
    values.forEach((value, i) => {
      for (const msg of isValidLabelValue(value)) c.add(fieldInvalid(`${p}.values[${i}]`, value, msg));
    });
  }
  if (c.errors.length > before) return undefined;
  try {
    return labelSelectorFromObject(sel as Parameters<typeof labelSelectorFromObject>[0]);
  } catch {
    return undefined;
  }
}

/** Whether a LabelSelector object selects nothing and everything alike: no matchLabels and no matchExpressions. */
export function selectorIsEmpty(v: unknown): boolean {
  if (!isObj(v)) return true;
  const n = (x: unknown): number => (isObj(x) ? Object.keys(x).length : Array.isArray(x) ? x.length : 0);
  return n(v.matchLabels) + n(v.matchExpressions) === 0;
}

export function isValidPortNum(port: number): string[] {
  return port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

/** An IANA_SVC_NAME: at most 15 characters of [-a-z0-9], a letter, no `--`, no leading or trailing `-`. */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (port.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.startsWith('-') || port.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

/** A port given as a number (1-65535) or as a port name. */
export function portNumOrName(c: Check, v: unknown, path: string): void {
  const port = c.intOrString(v, path);
  if (typeof port === 'number') for (const msg of isValidPortNum(port)) c.add(fieldInvalid(path, port, msg));
  else if (typeof port === 'string') for (const msg of isValidPortName(port)) c.add(fieldInvalid(path, port, msg));
}

export const portProtocols = ['SCTP', 'TCP', 'UDP'] as const;

/** A key of a ConfigMap or Secret (also env and volume item keys). */
export function isConfigMapKey(key: string): string[] {
  const errs: string[] = [];
  if (Buffer.byteLength(key) > 253) errs.push('must be no more than 253 characters');
  if (!/^[-._a-zA-Z0-9]+$/.test(key)) {
    errs.push(
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    );
  }
  if (key === '.') errs.push("must not be '.'");
  else if (key === '..') errs.push("must not be '..'");
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

/** One of a list of values, or `Required` when empty, `Unsupported` when another. */
export function oneOf(c: Check, v: unknown, path: string, supported: readonly string[]): string | undefined {
  const s = c.str(v, path);
  if (s === '') c.add(fieldRequired(path));
  else if (s !== undefined && !supported.includes(s)) c.add(fieldNotSupported(path, s, supported));
  return s;
}
