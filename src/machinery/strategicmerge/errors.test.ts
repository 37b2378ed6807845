import t from 'tap';
import { patchMetaFor, unknownPatchMeta } from '../../api/patchmeta/index.js';
import { ApiError } from '../errors.js';
import { applyStrategicMergePatch } from '../strategicmerge.js';

const pod = patchMetaFor('', 'Pod') ?? unknownPatchMeta;
const original = Object.freeze({ metadata: Object.freeze({ name: 'p' }), spec: Object.freeze({ containers: Object.freeze([Object.freeze({ name: 'a' })]) }) });

function failure(patch: unknown, base: unknown = original): { code: number; reason: string; message: string; causes: unknown } {
  try {
    applyStrategicMergePatch(base, patch, pod);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return { code: err.code, reason: err.reason, message: err.message, causes: err.status.details?.causes };
  }
  throw new Error('no error');
}

t.test('malformed patches are 400s with upstream messages', async (t) => {
  const cases: [string, unknown, string][] = [
    ['not an object', [1], 'json: cannot unmarshal array into Go value of type map[string]interface {}'],
    ['missing merge key', { spec: { containers: [{ image: 'x' }] } }, 'map: map[image:x] does not contain declared merge key: name'],
    ['delete element without key', { spec: { containers: [{ $patch: 'delete' }] } }, 'map: map[$patch:delete] does not contain declared merge key: name'],
    ['unknown map directive', { spec: { $patch: 'bogus' } }, 'unknown patch type: bogus in map: map[$patch:bogus]'],
    ['merge directive on a map', { spec: { $patch: 'merge' } }, 'unknown patch type: merge in map: map[$patch:merge]'],
    ['merge directive in a list', { spec: { containers: [{ $patch: 'merge' }] } }, 'merging lists cannot yet be specified in the patch'],
    ['unknown list directive', { spec: { containers: [{ name: 'a', $patch: 'x' }] } }, 'unknown patch type: x in map: map[$patch:x name:a]'],
    ['retainKeys not a list', { spec: { $retainKeys: 'a' } }, 'invalid patch format of retainKeys'],
    ['key not retained', { spec: { $retainKeys: ['a'], b: 1 } }, 'invalid patch format of retainKeys'],
    ['delete list without name', { spec: { $deleteFromPrimitiveList: ['a'] } }, 'invalid patch format of primitive list'],
    ['order directive without name', { spec: { $setElementOrderX: [] } }, 'invalid patch format of setElementOrder list'],
    ['order not a list', { spec: { '$setElementOrder/containers': 'a' } }, 'expected a []interface {}, but received a string'],
    ['order element not a map', { spec: { '$setElementOrder/containers': ['a'], containers: [{ name: 'a' }] } }, 'expected a map[string]interface {}, but received a string'],
    [
      'order does not match',
      { spec: { '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }], containers: [{ name: 'b' }, { name: 'a' }] } },
      'The order in patch list:\n[map[name:b] map[name:a]]\n doesn\'t match $setElementOrder list:\n[map[name:a] map[name:b]]\n',
    ],
    ['mixed element types', { spec: { containers: ['a'] } }, 'list element types are not identical: [[map[name:a]] [a]]'],
  ];
  for (const [name, patch, message] of cases) {
    t.same(failure(patch), { code: 400, reason: 'BadRequest', message, causes: undefined }, name);
  }
});

t.test('merging maps in a list without a merge key is refused', async (t) => {
  const o = { metadata: { finalizers: ['a'] } };
  t.throws(() => applyStrategicMergePatch(o, { metadata: { finalizers: [{ a: 1 }] } }, pod), { code: 400, message: 'list element types are not identical: [[a] [map[a:1]]]' });
  t.throws(() => applyStrategicMergePatch({ metadata: { finalizers: [{ b: 1 }] } }, { metadata: { finalizers: [{ a: 1 }] } }, pod), {
    code: 400,
    message: 'cannot merge lists without merge key for unknown',
  });
});

t.test('a list of lists is a 422 with the reason as a cause', async (t) => {
  t.same(failure({ metadata: { finalizers: [['a']] } }, { metadata: { finalizers: [] } }), {
    code: 422,
    reason: 'Invalid',
    message: 'the server rejected our request due to an error in our request',
    causes: [{ reason: 'FieldValueInvalid', message: 'lists of lists are not supported', field: 'patch' }],
  });
});
