import t from 'tap';
import { ApiError } from './errors.js';
import { applyJsonPatch, maxJsonPatchOperations } from './jsonpatch.js';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const doc = () => ({
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: { replicas: 2, containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] },
});

/** Applies with frozen inputs, so any attempt to modify them throws. */
const apply = (ops: unknown, d: unknown = doc()): unknown => applyJsonPatch(deepFreeze(d), deepFreeze(ops));

function failure(ops: unknown, d: unknown = doc()): { code: number; reason: string; message: string; detail: string | undefined } {
  try {
    apply(ops, d);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return { code: err.code, reason: err.reason, message: err.message, detail: err.status.details?.causes?.[0]?.message };
  }
  throw new Error('no error');
}

const rejected = (detail: string) => ({ code: 422, reason: 'Invalid', message: 'the server rejected our request due to an error in our request', detail });

t.test('add, remove, replace, move, copy and test', async (t) => {
  const want = doc();
  t.same(apply([{ op: 'replace', path: '/spec/replicas', value: 4 }]), { ...want, spec: { ...want.spec, replicas: 4 } });
  t.same(apply([{ op: 'add', path: '/metadata/labels/tier', value: 'fe' }]), { ...want, metadata: { name: 'web', labels: { app: 'web', tier: 'fe' } } });
  t.same(apply([{ op: 'remove', path: '/metadata/labels/app' }]), { ...want, metadata: { name: 'web', labels: {} } });
  t.same(apply([{ op: 'add', path: '/spec/containers/1', value: { name: 'c' } }]), {
    ...want,
    spec: { ...want.spec, containers: [want.spec.containers[0], { name: 'c' }, want.spec.containers[1]] },
  });
  t.same((apply([{ op: 'add', path: '/spec/containers/-', value: { name: 'z' } }]) as typeof want).spec.containers.map((c) => c.name), ['a', 'b', 'z']);
  t.same((apply([{ op: 'remove', path: '/spec/containers/0' }]) as typeof want).spec.containers.map((c) => c.name), ['b']);
  t.same(apply([{ op: 'move', from: '/metadata/labels', path: '/metadata/annotations' }]), { ...want, metadata: { name: 'web', annotations: { app: 'web' } } });
  t.same(apply([{ op: 'copy', from: '/metadata/labels', path: '/metadata/annotations' }]), { ...want, metadata: { ...want.metadata, annotations: { app: 'web' } } });
  t.same(apply([{ op: 'test', path: '/spec/containers/0', value: { image: 'x', name: 'a' } }, { op: 'replace', path: '/spec/containers/0/image', value: 'x2' }]), {
    ...want,
    spec: { ...want.spec, containers: [{ name: 'a', image: 'x2' }, want.spec.containers[1]] },
  });
  t.same(apply([{ op: 'add', path: '/metadata/labels/a~1b', value: '1' }, { op: 'test', path: '/metadata/labels/a~1b', value: '1' }]), {
    ...want,
    metadata: { name: 'web', labels: { app: 'web', 'a/b': '1' } },
  });
});

t.test('operations apply in order; an empty patch changes nothing', async (t) => {
  t.same(apply([]), doc());
  t.same(apply([{ op: 'add', path: '/status', value: {} }, { op: 'add', path: '/status/phase', value: 'Running' }]), { ...doc(), status: { phase: 'Running' } });
});

t.test('a test for null passes on an absent key, as upstream', async (t) => {
  t.same(apply([{ op: 'test', path: '/metadata/annotations', value: null }]), doc());
});

t.test('the root may only be replaced or tested', async (t) => {
  t.same(apply([{ op: 'replace', path: '', value: { a: 1 } }]), { a: 1 });
  t.same(apply([{ op: 'test', path: '', value: doc() }]), doc());
  t.same(failure([{ op: 'remove', path: '' }]), rejected('remove operation does not apply: doc is missing path: "": missing value'));
  t.same(failure([{ op: 'replace', path: '', value: 1 }]), rejected('replace operation value must be object or array'));
});

t.test('operations that cannot apply are 422s naming the reason', async (t) => {
  const cases: [string, unknown, string][] = [
    ['failed test', [{ op: 'test', path: '/spec/replicas', value: 3 }], 'testing value /spec/replicas failed: test failed'],
    ['failed root test', [{ op: 'test', path: '', value: {} }], 'testing value  failed: test failed'],
    ['unknown op', [{ op: 'frob', path: '/a' }], 'Unexpected kind: frob'],
    ['missing op', [{ path: '/a' }], 'Unexpected kind: unknown'],
    ['internal op', [{ op: '_get', path: '/a' }], 'Unexpected kind: _get'],
    ['null operation', [null], 'Unexpected kind: unknown'],
    ['missing path', [{ op: 'add', value: 1 }], 'add operation failed to decode path: missing value'],
    ['missing from', [{ op: 'move', path: '/a' }], 'move operation failed to decode from: missing value'],
    ['path without slash', [{ op: 'add', path: 'a', value: 1 }], 'add operation does not apply: doc is missing path: "a": missing value'],
    ['add under a missing parent', [{ op: 'add', path: '/status/phase', value: 'x' }], 'add operation does not apply: doc is missing path: "/status/phase": missing value'],
    ['add past the end', [{ op: 'add', path: '/spec/containers/5', value: {} }], 'add operation does not apply: doc is missing path: "/spec/containers/5": missing value'],
    ['add with a bad index', [{ op: 'add', path: '/spec/containers/x', value: {} }], 'add operation does not apply: doc is missing path: "/spec/containers/x": missing value'],
    ['remove missing', [{ op: 'remove', path: '/metadata/annotations' }], 'remove operation does not apply: doc is missing path: "/metadata/annotations": missing value'],
    ['remove missing index', [{ op: 'remove', path: '/spec/containers/2' }], 'remove operation does not apply: doc is missing path: "/spec/containers/2": missing value'],
    ['replace missing', [{ op: 'replace', path: '/spec/paused', value: true }], 'replace operation does not apply: doc is missing key: /spec/paused: missing value'],
    ['move from missing', [{ op: 'move', from: '/x', path: '/y' }], 'move operation does not apply: doc is missing from path: /x: missing value'],
    ['copy from missing', [{ op: 'copy', from: '/x/y', path: '/y' }], 'copy operation does not apply: doc is missing from path: /x/y: missing value'],
    ['move to missing parent', [{ op: 'move', from: '/spec', path: '/x/y' }], 'move operation does not apply: doc is missing destination path: /x/y: missing value'],
    ['move into itself', [{ op: 'move', from: '/metadata', path: '/metadata/labels/x' }], 'move operation does not apply: doc is missing destination path: /metadata/labels/x: missing value'],
    ['test under a missing parent', [{ op: 'test', path: '/status/phase', value: 'x' }], 'test operation does not apply: is missing path: /status/phase: missing value'],
    ['a later failure', [{ op: 'add', path: '/a', value: 1 }, { op: 'test', path: '/a', value: 2 }], 'testing value /a failed: test failed'],
  ];
  for (const [name, ops, detail] of cases) t.same(failure(ops), rejected(detail), name);
});

t.test('a body that is not a list of operations is a 400', async (t) => {
  t.same(failure({ op: 'add' }), { code: 400, reason: 'BadRequest', message: 'json: cannot unmarshal object into Go value of type jsonpatch.Patch', detail: undefined });
  t.same(failure(['add']), { code: 400, reason: 'BadRequest', message: 'json: cannot unmarshal string into Go value of type jsonpatch.Operation', detail: undefined });
});

t.test('too many operations are refused with 413', async (t) => {
  const ops = Array.from({ length: maxJsonPatchOperations + 1 }, () => ({ op: 'test', path: '/spec/replicas', value: 2 }));
  const err = failure(ops);
  t.equal(err.code, 413);
  t.equal(err.message, `Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001`);
  t.same(apply(ops.slice(1)), doc(), 'exactly the limit is fine');
});

t.test('the result shares nothing with the inputs', async (t) => {
  const value = { name: 'c', env: [{ name: 'E' }] };
  const d = doc();
  const out = applyJsonPatch(d, [{ op: 'add', path: '/spec/containers/-', value }]) as ReturnType<typeof doc>;
  t.not(out.spec.containers[2], value);
  t.not(out.metadata, d.metadata);
  t.same(d, doc(), 'input unchanged');
});

t.test('a __proto__ step is refused', async (t) => {
  t.equal(failure([{ op: 'add', path: '/__proto__/polluted', value: 'yes' }]).code, 422);
  t.equal(({} as Record<string, unknown>)['polluted'], undefined);
});
