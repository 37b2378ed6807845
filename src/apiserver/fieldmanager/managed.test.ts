import t from 'tap';
import { FieldSet } from './fieldset.js';
import { decodeManaged, decodeStored, encodeManaged, isResetList, managerIdentity } from './managed.js';

const entry = (manager: string, operation: string, extra: Record<string, unknown> = {}) => ({
  manager,
  operation,
  apiVersion: 'apps/v1',
  time: '2025-01-01T00:00:00Z',
  fieldsType: 'FieldsV1',
  fieldsV1: { 'f:spec': { 'f:replicas': {} } },
  ...extra,
});

t.test('identities: updates include the API version, applies do not', async (t) => {
  t.equal(managerIdentity({ manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1', subresource: '' }), '{"manager":"kubectl","operation":"Apply"}');
  t.equal(
    managerIdentity({ manager: 'kubectl', operation: 'Update', apiVersion: 'apps/v1', subresource: 'scale' }),
    '{"manager":"kubectl","operation":"Update","apiVersion":"apps/v1","subresource":"scale"}',
  );
});

t.test('decode and encode round trip, sorted appliers first then by time', async (t) => {
  const list = [entry('b', 'Update', { time: '2025-01-01T00:00:02Z' }), entry('a', 'Update', { time: '2025-01-01T00:00:01Z', subresource: 'status' }), entry('kubectl', 'Apply')];
  const managed = decodeManaged(list);
  t.equal(managed.size, 3);
  t.same(
    encodeManaged(managed).map((e) => e.manager),
    ['kubectl', 'a', 'b'],
  );
  t.same(Object.keys(encodeManaged(managed)[1] ?? {}), ['manager', 'operation', 'apiVersion', 'time', 'fieldsType', 'fieldsV1', 'subresource'], 'upstream key order');
});

t.test('malformed entries do not decode', async (t) => {
  t.throws(() => decodeManaged([entry('a', 'Foo')]), /operation must be `Apply` or `Update`/);
  t.throws(() => decodeManaged([entry('a', 'Update', { apiVersion: '' })]), /apiVersion must not be empty/);
  t.throws(() => decodeManaged([entry('a', 'Update', { fieldsType: '' })]), /missing fieldsType/);
  t.throws(() => decodeManaged([entry('a', 'Update', { fieldsType: 'FieldsV2' })]), /invalid fieldsType "FieldsV2"/);
  t.throws(() => decodeManaged([entry('a', 'Update', { fieldsV1: { nope: {} } })]));
  t.throws(() => decodeManaged({}));
  t.equal(decodeStored([entry('a', 'Foo')]).size, 0, 'stored garbage counts as nothing');
});

t.test('the reset list: empty, or one empty entry', async (t) => {
  t.ok(isResetList([]));
  t.ok(isResetList([{}]));
  t.notOk(isResetList(undefined));
  t.notOk(isResetList([{ manager: 'x' }]));
  t.notOk(isResetList([{}, {}]));
});

t.test('entries with nothing in them are not stored', async (t) => {
  const managed = decodeManaged([entry('a', 'Update')]);
  for (const e of managed.values()) e.set = new FieldSet();
  t.same(encodeManaged(managed), []);
});
