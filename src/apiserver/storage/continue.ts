// List continuation tokens: base64 of `{"v":"meta.k8s.io/v1","rv":N,"start":"<key>"}`,
// the same shape upstream uses, so a token names the snapshot revision and
// the key (relative to the list prefix) the next page starts at.
import { badRequest } from '../../machinery/index.js';

export interface ContinueToken {
  revision: number;
  /** Key suffix after the list prefix where the next page starts (inclusive). */
  start: string;
}

export function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: token.revision, start: token.start })).toString('base64url');
}

export function decodeContinue(text: string): ContinueToken {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('continue key is not valid: illegal base64 data or malformed JSON');
  }
  const rec = parsed as { v?: unknown; rv?: unknown; start?: unknown } | null;
  if (!rec || rec.v !== 'meta.k8s.io/v1') throw badRequest('continue key is not valid: server does not recognize this encoded version');
  if (typeof rec.rv !== 'number' || !Number.isSafeInteger(rec.rv) || rec.rv <= 0 || typeof rec.start !== 'string') {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  if (rec.start.includes('..') || rec.start.startsWith('/')) throw badRequest('continue key is not valid: key path is not allowed');
  return { revision: rec.rv, start: rec.start };
}
