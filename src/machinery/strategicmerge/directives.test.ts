import t from 'tap';
import { patchMetaFor, unknownPatchMeta, type PatchMeta } from '../../api/patchmeta/index.js';
import { applyStrategicMergePatch } from '../strategicmerge.js';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const pod = patchMetaFor('', 'Pod') ?? unknownPatchMeta;
const apply = (original: unknown, patch: unknown, meta: PatchMeta = pod): unknown => applyStrategicMergePatch(deepFreeze(original), deepFreeze(patch), meta);

const original = () => ({
  metadata: { name: 'p', labels: { a: '1', b: '2' } },
  spec: { nodeSelector: { disk: 'ssd', zone: 'a' }, containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] },
});

t.test('$patch: replace on a map replaces it', async (t) => {
  t.same(apply(original(), { spec: { nodeSelector: { $patch: 'replace', zone: 'b' } } }), { ...original(), spec: { ...original().spec, nodeSelector: { zone: 'b' } } });
});

t.test('$patch: delete on a map empties it', async (t) => {
  t.same(apply(original(), { metadata: { labels: { $patch: 'delete' } } }), { ...original(), metadata: { name: 'p', labels: {} } });
});

t.test('$patch: replace in a list makes the other elements the whole list', async (t) => {
  const out = apply(original(), { spec: { containers: [{ $patch: 'replace' }, { name: 'c', image: 'z', env: null }] } });
  t.same(out, { ...original(), spec: { ...original().spec, containers: [{ name: 'c', image: 'z' }] } });
});

t.test('a $patch: delete element for a missing key is a no-op, also in a new list', async (t) => {
  t.same(apply(original(), { spec: { containers: [{ name: 'zz', $patch: 'delete' }] } }), original());
  t.same(apply({ spec: {} }, { spec: { initContainers: [{ name: 'i' }, { name: 'zz', $patch: 'delete' }] } }), { spec: { initContainers: [{ name: 'i' }] } });
});

t.test('added content loses nulls and directives', async (t) => {
  const patch = {
    spec: {
      affinity: { nodeAffinity: null, podAffinity: { x: 1, y: null } },
      volumes: [{ name: 'v', $retainKeys: ['name', 'emptyDir'], emptyDir: {} }],
      '$setElementOrder/volumes': [{ name: 'v' }],
    },
  };
  const out = apply({ spec: {} }, patch);
  t.same(out, { spec: { affinity: { podAffinity: { x: 1 } }, volumes: [{ name: 'v', emptyDir: {} }] } });
});

t.test('a replace map where nothing exists keeps its content; delete drops it', async (t) => {
  t.same(apply({ spec: {} }, { spec: { nodeSelector: { $patch: 'replace', zone: 'b' } } }), { spec: { nodeSelector: { zone: 'b' } } });
  t.same(apply({ spec: {} }, { spec: { nodeSelector: { $patch: 'delete' } } }), { spec: {} });
});

t.test('a value of another kind replaces the original', async (t) => {
  t.same(apply({ spec: { x: 'a' } }, { spec: { x: { y: 1 } } }), { spec: { x: { y: 1 } } });
  t.same(apply({ spec: { x: { y: 1 } } }, { spec: { x: [1] } }), { spec: { x: [1] } });
});

t.test('unknown fields: maps merge recursively, lists are replaced', async (t) => {
  const doc = { a: { b: 1, c: [1, 2] }, d: [{ name: 'x', v: 1 }] };
  t.same(apply(doc, { a: { e: 2, c: [3] }, d: [{ name: 'x', w: 2 }] }, unknownPatchMeta), { a: { b: 1, c: [3], e: 2 }, d: [{ name: 'x', w: 2 }] });
});

t.test('$deleteFromPrimitiveList also applies to lists without a strategy', async (t) => {
  t.same(apply({ spec: { containers: [{ name: 'a', args: ['x', 'y', 'x'] }] } }, { spec: { containers: [{ name: 'a', '$deleteFromPrimitiveList/args': ['x'] }] } }), {
    spec: { containers: [{ name: 'a', args: ['y'] }] },
  });
});

t.test('a primitive set drops duplicates; named values follow the patch order', async (t) => {
  const node = patchMetaFor('', 'Node') ?? unknownPatchMeta;
  t.same(apply({ spec: { podCIDRs: ['a', 'b', 'a'] } }, { spec: { podCIDRs: ['c', 'b'] } }, node), { spec: { podCIDRs: ['c', 'a', 'b'] } });
});

t.test('a null or empty patch changes nothing, an absent original is empty', async (t) => {
  t.same(apply(original(), null), original());
  t.same(apply(original(), {}), original());
  t.same(applyStrategicMergePatch(undefined, deepFreeze({ a: 1 }), pod), { a: 1 });
});

t.test('the result shares nothing with the inputs', async (t) => {
  const o = original();
  const p = { spec: { containers: [{ name: 'c', env: [{ name: 'E' }] }], tolerations: [{ key: 'k' }] } };
  const out = applyStrategicMergePatch(o, p, pod) as ReturnType<typeof original> & { spec: { tolerations: unknown[] } };
  t.not(out.metadata, o.metadata);
  t.not(out.spec.containers[0], o.spec.containers[0]);
  t.not(out.spec.containers[2], p.spec.containers[0]);
  t.not(out.spec.tolerations[0], p.spec.tolerations[0]);
});

t.test('a __proto__ key is data, never a prototype', async (t) => {
  const patch = JSON.parse('{"metadata":{"labels":{"__proto__":{"polluted":"yes"}}}}') as unknown;
  const out = apply(original(), patch) as { metadata: { labels: Record<string, unknown> } };
  t.equal(Object.getPrototypeOf(out.metadata.labels), Object.prototype);
  t.same(Object.getOwnPropertyDescriptor(out.metadata.labels, '__proto__')?.value, { polluted: 'yes' });
  t.equal(({} as Record<string, unknown>)['polluted'], undefined);
});
