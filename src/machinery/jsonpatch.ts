// JSON patch (RFC 6902, `application/json-patch+json`) as a Kubernetes 1.32
// API server applies it: a body that is not a list of operation objects is
// a 400; more than 10000 operations a 413; an operation that cannot be
// applied (unknown op, missing path or value, failed test) a 422 Invalid
// with upstream's generic message and the specific reason, worded as
// upstream's JSON patch library words it, as a cause on the field `patch`.
// Operations on the document root follow upstream too: only `replace` (with
// an object or a list) and `test` may target it.
import jsonpatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { badRequest, requestEntityTooLarge } from './errors.js';
import { unprocessablePatch } from './strategicmerge/errors.js';
import { goJsonKind, hasOwn, isObject, type JsonObject } from './strategicmerge/json.js';

/** Upstream's limit on the number of operations in one JSON patch. */
export const maxJsonPatchOperations = 10000;

const kinds = ['add', 'remove', 'replace', 'move', 'copy', 'test'] as const;
type Kind = (typeof kinds)[number];

/** An operation whose fields have been checked; `value` defaults to null as upstream's does. */
interface CheckedOperation {
  op: Kind;
  path: string;
  from: string;
  value: unknown;
}

/**
 * Applies the operations in `ops` (the decoded request body) to `doc` in
 * order and returns the new document. Neither argument is modified and the
 * result shares nothing with them. Throws an ApiError as described above.
 */
export function applyJsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw badRequest(`json: cannot unmarshal ${goJsonKind(ops)} into Go value of type jsonpatch.Patch`);
  for (const op of ops) {
    if (op !== null && !isObject(op)) throw badRequest(`json: cannot unmarshal ${goJsonKind(op)} into Go value of type jsonpatch.Operation`);
  }
  if (ops.length > maxJsonPatchOperations) {
    throw requestEntityTooLarge(`The allowed maximum operations in a JSON patch is ${maxJsonPatchOperations}, got ${ops.length}`);
  }
  let current: unknown = structuredClone(doc);
  for (const raw of ops) current = applyOperation(current, check(isObject(raw) ? raw : {}));
  return current;
}

function check(raw: Readonly<JsonObject>): CheckedOperation {
  const op = raw['op'];
  const kind = kinds.find((k) => k === op);
  if (kind === undefined) throw unprocessablePatch(`Unexpected kind: ${typeof op === 'string' ? op : 'unknown'}`);
  const path = raw['path'];
  if (typeof path !== 'string') throw unprocessablePatch(`${kind} operation failed to decode path: missing value`);
  const from = raw['from'];
  if ((kind === 'move' || kind === 'copy') && typeof from !== 'string') {
    throw unprocessablePatch(`${kind} operation failed to decode from: missing value`);
  }
  const value = hasOwn(raw, 'value') ? structuredClone(raw['value']) : null;
  return { op: kind, path, from: typeof from === 'string' ? from : '', value };
}

/** Applies one operation to `doc`, which this module owns and may change. */
function applyOperation(doc: unknown, op: CheckedOperation): unknown {
  if (op.path === '' || !op.path.startsWith('/')) return applyAtRoot(doc, op);
  if ((op.op === 'move' || op.op === 'copy') && !op.from.startsWith('/')) throw unprocessablePatch(missing(op, 'from'));
  // Upstream's test passes for an absent key when the expected value is null.
  if (op.op === 'test' && op.value === null && absentInObject(doc, op.path)) return doc;
  try {
    return jsonpatch.applyOperation(doc, toLibrary(op), true, true, true, 0).newDocument;
  } catch (err) {
    if (err instanceof jsonpatch.JsonPatchError) {
      if (err.name === 'TEST_OPERATION_FAILED') throw unprocessablePatch(`testing value ${op.path} failed: test failed`);
      if (err.name === 'OPERATION_FROM_UNRESOLVABLE') throw unprocessablePatch(missing(op, 'from'));
      throw unprocessablePatch(missing(op, 'path'));
    }
    // The library reports a move or copy to a place that does not exist, and a `__proto__` step, as TypeErrors.
    if (err instanceof TypeError) throw unprocessablePatch(missing(op, 'path'));
    throw err;
  }
}

function applyAtRoot(doc: unknown, op: CheckedOperation): unknown {
  if (op.op === 'replace' && op.path === '') {
    if (typeof op.value !== 'object' || op.value === null) throw unprocessablePatch('replace operation value must be object or array');
    return op.value;
  }
  if (op.op === 'test' && op.path === '') {
    if (jsonpatch._areEquals(doc, op.value)) return doc;
    throw unprocessablePatch(`testing value ${op.path} failed: test failed`);
  }
  throw unprocessablePatch(missing(op, 'path'));
}

function toLibrary(op: CheckedOperation): Operation {
  switch (op.op) {
    case 'add':
    case 'replace':
    case 'test':
      return { op: op.op, path: op.path, value: op.value };
    case 'move':
    case 'copy':
      return { op: op.op, path: op.path, from: op.from };
    case 'remove':
      return { op: op.op, path: op.path };
  }
}

/** Upstream's wording when a path (or the `from` of move and copy) does not resolve. */
function missing(op: CheckedOperation, which: 'path' | 'from'): string {
  const tail = ': missing value';
  if (which === 'from') return `${op.op} operation does not apply: doc is missing from path: ${op.from}${tail}`;
  switch (op.op) {
    case 'add':
    case 'remove':
      return `${op.op} operation does not apply: doc is missing path: "${op.path}"${tail}`;
    case 'replace':
      return `replace operation does not apply: doc is missing key: ${op.path}${tail}`;
    case 'test':
      return `test operation does not apply: is missing path: ${op.path}${tail}`;
    default:
      return `${op.op} operation does not apply: doc is missing destination path: ${op.path}${tail}`;
  }
}

/** Whether `pointer` names a key absent from an object that does exist. */
function absentInObject(doc: unknown, pointer: string): boolean {
  const steps = pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = steps.pop() ?? '';
  let current = doc;
  for (const step of steps) {
    if (Array.isArray(current) && /^\d+$/.test(step)) current = current[Number(step)];
    else if (isObject(current) && hasOwn(current, step)) current = current[step];
    else return false;
  }
  return isObject(current) && !hasOwn(current, last);
}
