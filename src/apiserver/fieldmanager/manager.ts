// Who a write is recorded for: the request's fieldManager, or else the
// client's User-Agent up to its first '/' (`kubectl/v1.32.4 (linux/amd64)`
// is `kubectl`), without unprintable characters and cut to 128 bytes, as
// upstream derives it. A fieldManager must itself be at most 128 bytes of
// printable characters.
import { fieldInvalid, fieldTooLong, type FieldError } from '../../machinery/index.js';

export const fieldManagerMaxLength = 128;

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

export function isPrintable(ch: string): boolean {
  return printable.test(ch);
}

export function managerFromUserAgent(userAgent: string): string {
  const prefix = userAgent.split('/')[0] ?? '';
  let out = '';
  let bytes = 0;
  for (const ch of prefix) {
    if (!isPrintable(ch)) continue;
    const size = Buffer.byteLength(ch);
    if (bytes + size > fieldManagerMaxLength) break;
    out += ch;
    bytes += size;
  }
  return out;
}

/** The manager a write is recorded for (the fieldManager is assumed valid). */
export function managerFor(fieldManager: string | undefined, userAgent: string | undefined): string {
  if (fieldManager !== undefined && fieldManager !== '') return fieldManager;
  return managerFromUserAgent(userAgent ?? '');
}

/** Upstream's ValidateFieldManager: at most 128 bytes, every character printable. */
export function validateFieldManager(value: string, field: string): FieldError[] {
  const errors: FieldError[] = [];
  if (Buffer.byteLength(value) > fieldManagerMaxLength) errors.push(fieldTooLong(field, fieldManagerMaxLength));
  let position = 0;
  for (const ch of value) {
    if (!isPrintable(ch)) {
      const code = (ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
      errors.push(fieldInvalid(field, value, `invalid character U+${code} (at position ${position})`));
    }
    position += Buffer.byteLength(ch);
  }
  return errors;
}
