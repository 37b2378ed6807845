import t, { type Test } from 'tap';
import { rawClient, type RawResponse } from '../../helpers/https.js';
import { startTestApiServer } from '../../helpers/apiserver.js';

// managedFields on every write and server-side apply, over HTTPS as
// clients send them: managers from fieldManager or the User-Agent,
// ownership moving between managers, apply as an upsert, conflicts and
// force, idempotence, dry run, and bad input that never writes anything.
const api = await startTestApiServer();
t.teardown(() => api.close());
const call = rawClient({ url: api.url, caPem: api.pki.serverCa.ca.certPem, certPem: api.pki.admin.certPem, keyPem: api.pki.admin.keyPem });

interface Entry {
  manager?: string;
  operation: string;
  apiVersion: string;
  time?: string;
  fieldsType: string;
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}
type Obj = { metadata: { name: string; resourceVersion: string; managedFields?: Entry[]; annotations?: Record<string, string> }; spec?: Record<string, unknown>; data?: Record<string, string> };

const deployments = '/apis/apps/v1/namespaces/default/deployments';
const configmaps = '/api/v1/namespaces/default/configmaps';
const applyType = { 'Content-Type': 'application/apply-patch+yaml' };

const deploymentYaml = (name: string, replicas: number, image = 'busybox:1.36') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: main
        image: ${image}
`;

const apply = (path: string, body: string, query = 'fieldManager=ci') => call('PATCH', `${path}?${query}`, { body, headers: applyType });
const get = async (path: string): Promise<Obj> => (await call('GET', path)).json as Obj;
const managers = (obj: Obj) => (obj.metadata.managedFields ?? []).map((e) => `${e.manager ?? ''}/${e.operation}${e.subresource ? `/${e.subresource}` : ''}`);
const entryOf = (obj: Obj, manager: string, operation = 'Apply') => (obj.metadata.managedFields ?? []).find((e) => e.manager === manager && e.operation === operation);

async function expectStatus(t: Test, res: RawResponse, code: number, reason: string, message?: RegExp | string): Promise<void> {
  t.equal(res.code, code, `code ${code}: ${res.text}`);
  t.match(res.json, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason, code });
  if (typeof message === 'string') t.equal((res.json as { message: string }).message, message);
  else if (message) t.match((res.json as { message: string }).message, message);
}

t.test('writes record their manager: fieldManager, else the User-Agent', async (t) => {
  const created = await call('POST', `${configmaps}?fieldManager=kubectl-create`, { body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owned' }, data: { a: '1' } }) });
  t.equal(created.code, 201);
  const obj = created.json as Obj;
  t.match(obj.metadata.managedFields, [{ manager: 'kubectl-create', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { '.': {}, 'f:a': {} } } }]);
  t.match(obj.metadata.managedFields?.[0]?.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const edited = await call('PATCH', `${configmaps}/owned`, { body: '{"data":{"b":"2"}}', headers: { 'Content-Type': 'application/merge-patch+json', 'User-Agent': 'kubectl-edit/v1.32.4 (linux/amd64) kubernetes/abc' } });
  t.same(managers(edited.json as Obj), ['kubectl-create/Update', 'kubectl-edit/Update']);
  t.same(entryOf(edited.json as Obj, 'kubectl-edit', 'Update')?.fieldsV1, { 'f:data': { 'f:b': {} } });
  const replaced = await call('PUT', `${configmaps}/owned`, { body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owned' }, data: { b: '2' } }), headers: { 'User-Agent': 'kubectl/v1.32.4' } });
  t.same(managers(replaced.json as Obj), ['kubectl-create/Update', 'kubectl-edit/Update']);
  t.same(entryOf(replaced.json as Obj, 'kubectl-create', 'Update')?.fieldsV1, { 'f:data': {} }, 'a removed field is no longer its owner\'s');
  const emptied = await call('PUT', `${configmaps}/owned`, { body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owned' } }), headers: { 'User-Agent': 'kubectl/v1.32.4' } });
  t.equal((emptied.json as Obj).metadata.managedFields, undefined, 'entries left with nothing go');
});

t.test('status and scale writes are recorded with their subresource', async (t) => {
  t.equal((await call('POST', `${deployments}?fieldManager=creator`, { body: JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'parts' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } }) })).code, 201);
  await call('PATCH', `${deployments}/parts/status?fieldManager=controller`, { body: '{"status":{"replicas":1}}', headers: { 'Content-Type': 'application/merge-patch+json' } });
  await call('PATCH', `${deployments}/parts/scale`, { body: '{"spec":{"replicas":4}}', headers: { 'Content-Type': 'application/merge-patch+json', 'User-Agent': 'kubectl/v1.32.4' } });
  const obj = await get(`${deployments}/parts`);
  t.same(managers(obj).sort(), ['controller/Update/status', 'creator/Update', 'kubectl/Update/scale']);
  t.same(entryOf(obj, 'kubectl', 'Update')?.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
  t.same(entryOf(obj, 'controller', 'Update')?.fieldsV1, { 'f:status': { '.': {}, 'f:replicas': {} } });
  t.notOk(JSON.stringify(entryOf(obj, 'creator', 'Update')?.fieldsV1).includes('f:replicas'), 'scale took spec.replicas from the creator');
});

t.test('apply creates a missing object (201) and owns exactly what it applied', async (t) => {
  const res = await apply(`${deployments}/web`, deploymentYaml('web', 2));
  t.equal(res.code, 201, res.text);
  const obj = res.json as Obj;
  t.same(managers(obj), ['ci/Apply']);
  t.same(entryOf(obj, 'ci')?.fieldsV1, {
    'f:spec': {
      'f:replicas': {},
      'f:selector': {},
      'f:template': { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:containers': { 'k:{"name":"main"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } },
    },
  });
  t.match(obj.spec, { strategy: { type: 'RollingUpdate' }, template: { spec: { restartPolicy: 'Always' } } }, 'the new object is defaulted');
});

t.test('applying the same configuration twice changes nothing', async (t) => {
  const before = await get(`${deployments}/web`);
  const again = await apply(`${deployments}/web`, deploymentYaml('web', 2));
  t.equal(again.code, 200);
  t.equal((again.json as Obj).metadata.resourceVersion, before.metadata.resourceVersion);
  t.same((again.json as Obj).metadata.managedFields, before.metadata.managedFields);
  const asJson = await apply(`${deployments}/web`, JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'main', image: 'busybox:1.36' }] } } } }));
  t.equal((asJson.json as Obj).metadata.resourceVersion, before.metadata.resourceVersion, 'a JSON body is the same configuration');
});

t.test('a field another manager owns conflicts; force takes it', async (t) => {
  await call('PATCH', `${deployments}/web/scale`, { body: '{"spec":{"replicas":5}}', headers: { 'Content-Type': 'application/merge-patch+json', 'User-Agent': 'kubectl/v1.32.4' } });
  const before = await get(`${deployments}/web`);
  const refused = await apply(`${deployments}/web`, deploymentYaml('web', 3));
  await expectStatus(t, refused, 409, 'Conflict', 'Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas');
  t.same((refused.json as { details: unknown }).details, { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl" with subresource "scale" using apps/v1', field: '.spec.replicas' }] });
  t.equal((await get(`${deployments}/web`)).metadata.resourceVersion, before.metadata.resourceVersion, 'nothing written');
  const shared = await apply(`${deployments}/web`, deploymentYaml('web', 5));
  t.equal(shared.code, 200, 'applying the value the owner set is no conflict');
  const forced = await apply(`${deployments}/web`, deploymentYaml('web', 3), 'fieldManager=ci&force=true');
  t.equal(forced.code, 200);
  t.equal((forced.json as Obj).spec?.replicas, 3);
  t.same(managers(forced.json as Obj), ['ci/Apply'], 'the scale entry lost its only field');
});

t.test('fields the manager stops applying are removed', async (t) => {
  const withEnv = deploymentYaml('web', 3).replace('        image: busybox:1.36\n', '        image: busybox:1.36\n        env:\n        - name: A\n          value: "1"\n');
  const added = await apply(`${deployments}/web`, withEnv);
  t.match(added.json, { spec: { template: { spec: { containers: [{ env: [{ name: 'A', value: '1' }] }] } } } });
  const removed = await apply(`${deployments}/web`, deploymentYaml('web', 3));
  t.notOk(JSON.stringify((removed.json as Obj).spec).includes('"env"'));
});

t.test('dryRun=All answers as the apply would and stores nothing', async (t) => {
  const created = await apply(`${deployments}/dry`, deploymentYaml('dry', 1), 'fieldManager=ci&dryRun=All');
  t.equal(created.code, 201);
  t.equal((await call('GET', `${deployments}/dry`)).code, 404);
  const before = await get(`${deployments}/web`);
  const changed = await apply(`${deployments}/web`, deploymentYaml('web', 7), 'fieldManager=ci&dryRun=All');
  t.equal((changed.json as Obj).spec?.replicas, 7);
  const after = await get(`${deployments}/web`);
  t.equal(after.spec?.replicas, 3);
  t.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
});

t.test('the status subresource applies status only, and never creates', async (t) => {
  const res = await apply(`${deployments}/web/status`, 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nstatus:\n  replicas: 2\n', 'fieldManager=status-writer');
  t.equal(res.code, 200, res.text);
  const obj = res.json as Obj & { status?: { replicas?: number } };
  t.equal(obj.status?.replicas, 2);
  t.match(entryOf(obj, 'status-writer'), { subresource: 'status', fieldsV1: { 'f:status': { 'f:replicas': {} } } });
  await expectStatus(t, await apply(`${deployments}/missing/status`, deploymentYaml('missing', 1)), 404, 'NotFound');
});

t.test('bad apply requests are refused and write nothing', async (t) => {
  const path = `${deployments}/bad`;
  await expectStatus(t, await apply(path, deploymentYaml('bad', 1), ''), 422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
  await expectStatus(t, await apply(path, 'apiVersion: apps/v1\nkind: [\n'), 400, 'BadRequest', /^error decoding YAML: /);
  await expectStatus(t, await apply(path, '- a\n- b\n'), 400, 'BadRequest', /^error decoding YAML: /);
  await expectStatus(t, await apply(path, deploymentYaml('bad', 1).replace('apps/v1', 'apps/v2')), 400, 'BadRequest', 'Incorrect version specified in apply patch. Specified patch version: apps/v2, expected: apps/v1');
  await expectStatus(t, await apply(path, deploymentYaml('bad', 1).replace('kind: Deployment', 'kind: StatefulSet')), 400, 'BadRequest', /kind/);
  await expectStatus(t, await apply(path, deploymentYaml('other', 1)), 400, 'BadRequest', 'the name of the object (other) does not match the name on the URL (bad)');
  await expectStatus(t, await apply(path, deploymentYaml('bad', 1).replace('metadata:\n', 'metadata:\n  managedFields: []\n')), 400, 'BadRequest', 'metadata.managedFields must be nil');
  await expectStatus(t, await apply(path, deploymentYaml('bad', 1).replace('  replicas: 1\n', '  replicas: 1\n  bogus: true\n'), 'fieldManager=ci&fieldValidation=Strict'), 400, 'BadRequest', /unknown field "spec.bogus"/);
  await expectStatus(t, await apply(path, deploymentYaml('bad', 1).replace('busybox:1.36', '""')), 422, 'Invalid', /spec\.template\.spec\.containers\[0\]\.image: Required value/);
  await expectStatus(t, await apply(path, deploymentYaml('bad', 1), `fieldManager=${'x'.repeat(129)}`), 422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes');
  t.equal((await call('GET', path)).code, 404, 'nothing was written');
  const before = await get(`${deployments}/web`);
  await expectStatus(t, await apply(`${deployments}/web`, 'spec: {replicas: [\n'), 400, 'BadRequest');
  await expectStatus(t, await apply(`${deployments}/web`, deploymentYaml('web', -1)), 422, 'Invalid');
  t.equal((await get(`${deployments}/web`)).metadata.resourceVersion, before.metadata.resourceVersion, 'the live object is untouched');
});

t.test('write options are validated as upstream does', async (t) => {
  const cm = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'opts' } });
  await expectStatus(t, await call('POST', `${configmaps}?fieldManager=${'y'.repeat(129)}`, { body: cm }), 422, 'Invalid', 'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes');
  await expectStatus(t, await call('POST', `${configmaps}?fieldManager=a%07b`, { body: cm }), 422, 'Invalid', /fieldManager: Invalid value: .*invalid character U\+0007 \(at position 1\)/);
  t.equal((await call('POST', configmaps, { body: cm })).code, 201);
  await expectStatus(t, await call('PATCH', `${configmaps}/opts?force=true`, { body: '{}', headers: { 'Content-Type': 'application/merge-patch+json' } }), 422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch');
});

t.test('managedFields sent by a client are honoured, reset, ignored or refused as upstream', async (t) => {
  const path = `${configmaps}/edited`;
  await call('POST', `${configmaps}?fieldManager=creator`, { body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'edited' }, data: { a: '1' } }) });
  const put = async (managedFields: unknown) => {
    const current = await get(path);
    return call('PUT', `${path}?fieldManager=editor`, { body: JSON.stringify({ ...current, metadata: { ...current.metadata, managedFields } }) });
  };
  const moved = await put([{ manager: 'migrated', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {} } } }]);
  t.same(managers(moved.json as Obj), ['migrated/Apply']);
  const ignored = await put([{ manager: 'x', operation: 'Replace', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: {} }]);
  t.same(managers(ignored.json as Obj), ['migrated/Apply'], 'entries that do not decode are ignored');
  await expectStatus(t, await put([{ manager: 'z'.repeat(129), operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': {} } }]), 422, 'Invalid', /^ConfigMap "edited" is invalid: metadata\.managedFields\[0\]\.manager: Too long/);
  const reset = await put([]);
  t.equal(reset.code, 200);
  t.equal((reset.json as Obj).metadata.managedFields, undefined, 'the empty list resets them');
});
