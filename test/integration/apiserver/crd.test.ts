import t from 'tap';
import { rawClient } from '../../helpers/https.js';
import { startTestApiServer } from '../../helpers/apiserver.js';

// CustomResourceDefinitions end to end over HTTPS: the CRD is established
// as soon as its create returns, its kind is served (discovery, OpenAPI,
// CRUD, selectors, patches, status, scale, Table), objects are validated,
// pruned and defaulted from the schema, and deleting the CRD deletes them.
const api = await startTestApiServer();
t.teardown(() => api.close());
const call = rawClient({ url: api.url, caPem: api.pki.serverCa.ca.certPem, certPem: api.pki.admin.certPem, keyPem: api.pki.admin.keyPem });

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const req = async (method: string, path: string, body?: unknown, contentType = 'application/json', accept?: string) => {
  const headers: Record<string, string> = { 'Content-Type': contentType };
  if (accept !== undefined) headers.Accept = accept;
  const res = await call(method, path, body === undefined ? { headers } : { body: typeof body === 'string' ? body : JSON.stringify(body), headers });
  return { code: res.code, obj: res.json as Json, headers: res.headers };
};

const crontabs = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'crontabs.stable.example.com' },
  spec: {
    group: 'stable.example.com',
    scope: 'Namespaced',
    names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', shortNames: ['ct'], categories: ['all'] },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' } },
        additionalPrinterColumns: [
          { name: 'Spec', type: 'string', jsonPath: '.spec.cronSpec', description: 'The cron spec' },
          { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                properties: {
                  cronSpec: { type: 'string', pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$' },
                  image: { type: 'string' },
                  replicas: { type: 'integer', minimum: 1, maximum: 10, default: 1 },
                  port: { 'x-kubernetes-int-or-string': true },
                  extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                  note: { type: 'string', nullable: true },
                },
                required: ['cronSpec'],
              },
              status: { type: 'object', properties: { replicas: { type: 'integer' }, selector: { type: 'string' } } },
            },
          },
        },
      },
      { name: 'v1beta1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
    ],
  },
};

const base = '/apis/stable.example.com/v1/namespaces/default/crontabs';
const tab = (name: string, spec: Json = {}) => ({ apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name, labels: { app: name } }, spec: { cronSpec: '* * * * */5', image: 'img', ...spec } });

t.test('a created CRD is established and its kind served at once', async (t) => {
  const created = await req('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crontabs);
  t.equal(created.code, 201, JSON.stringify(created.obj));
  const crd = (await req('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/crontabs.stable.example.com')).obj;
  t.match(crd.status.conditions, [
    { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts' },
    { type: 'Established', status: 'True', reason: 'InitialNamesAccepted' },
  ]);
  t.match(crd.status.acceptedNames, { plural: 'crontabs', kind: 'CronTab', listKind: 'CronTabList', shortNames: ['ct'] });
  t.same(crd.status.storedVersions, ['v1']);
  t.same(crd.metadata.finalizers, ['customresourcecleanup.apiextensions.k8s.io']);

  const group = (await req('GET', '/apis/stable.example.com')).obj;
  t.same(group.preferredVersion, { groupVersion: 'stable.example.com/v1', version: 'v1' });
  const resources = (await req('GET', '/apis/stable.example.com/v1')).obj;
  t.match(resources.resources, [
    { name: 'crontabs', singularName: 'crontab', namespaced: true, kind: 'CronTab', shortNames: ['ct'], categories: ['all'] },
    { name: 'crontabs/scale' },
    { name: 'crontabs/status' },
  ]);
  const groups = (await req('GET', '/apis')).obj;
  t.ok(groups.groups.some((g: Json) => g.name === 'stable.example.com'));
  const aggregated = (await req('GET', '/apis', undefined, 'application/json', 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList')).obj;
  t.ok(aggregated.items.some((g: Json) => g.metadata.name === 'stable.example.com'), 'aggregated discovery lists the group');
});

t.test('OpenAPI v3 publishes the kind with a hash that changes', async (t) => {
  const root = (await req('GET', '/openapi/v3')).obj;
  const entry = root.paths['apis/stable.example.com/v1'];
  t.ok(entry, 'the group-version is listed');
  const doc = (await req('GET', entry.serverRelativeURL)).obj;
  const schema = doc.components.schemas['com.example.stable.v1.CronTab'];
  t.same(schema['x-kubernetes-group-version-kind'], [{ group: 'stable.example.com', version: 'v1', kind: 'CronTab' }]);
  t.ok(schema.properties.spec.properties.cronSpec);
  t.ok(doc.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'], 'ObjectMeta is included');
  t.ok(doc.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}'].patch.parameters.some((p: Json) => p.name === 'fieldValidation'));
});

t.test('objects are created with defaults, pruned, listed and selected', async (t) => {
  const created = await req('POST', base, { ...tab('a'), spec: { ...tab('a').spec, unknown: 1, extra: { anything: { goes: true } }, port: 'http' } });
  t.equal(created.code, 201, JSON.stringify(created.obj));
  t.equal(created.obj.spec.replicas, 1, 'default from the schema');
  t.notOk('unknown' in created.obj.spec, 'undeclared field pruned');
  t.same(created.obj.spec.extra, { anything: { goes: true } }, 'preserved');
  t.match(created.headers.warning, /unknown field \\"spec.unknown\\"/);
  t.equal((await req('POST', base, tab('b', { replicas: 3, port: 8080 }))).code, 201);
  const list = (await req('GET', `${base}?labelSelector=app%3Db`)).obj;
  t.equal(list.kind, 'CronTabList');
  t.same(list.items.map((i: Json) => i.metadata.name), ['b']);
  const byName = (await req('GET', `/apis/stable.example.com/v1/crontabs?fieldSelector=metadata.name%3Da`)).obj;
  t.same(byName.items.map((i: Json) => i.metadata.name), ['a']);
  const stored = await api.backend.range({ key: Buffer.from('/registry/stable.example.com/crontabs/default/a') });
  t.equal(stored.kvs.length, 1, 'stored under /registry/<group>/<plural>/');
});

t.test('invalid objects are rejected with field paths', async (t) => {
  const bad = await req('POST', base, tab('bad', { replicas: 'three', cronSpec: 'nope' }));
  t.equal(bad.code, 422);
  t.equal(bad.obj.reason, 'Invalid');
  const fields = bad.obj.details.causes.map((c: Json) => c.field).sort();
  t.same(fields, ['spec.cronSpec', 'spec.replicas']);
  t.match(bad.obj.message, /^CronTab.stable.example.com "bad" is invalid: /);
  t.match(bad.obj.message, /spec.replicas in body must be of type integer: "string"/);
  const missing = await req('POST', base, { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'm' }, spec: {} });
  t.equal(missing.code, 422);
  t.match(missing.obj.message, /spec.cronSpec: Required value/);
  const tooMany = await req('POST', base, tab('big', { replicas: 11 }));
  t.match(tooMany.obj.message, /spec.replicas in body should be less than or equal to 10/);
  const strict = await req('POST', `${base}?fieldValidation=Strict`, { ...tab('s'), spec: { ...tab('s').spec, bogus: 1 } });
  t.equal(strict.code, 400);
  t.match(strict.obj.message, /strict decoding error: unknown field "spec.bogus"/);
  t.equal((await req('GET', `${base}/bad`)).code, 404, 'nothing stored');
});

t.test('patches: merge and JSON patch apply, strategic merge is 415, apply creates and updates', async (t) => {
  const merged = await req('PATCH', `${base}/a`, { spec: { image: 'new' } }, 'application/merge-patch+json');
  t.equal(merged.obj.spec.image, 'new');
  const jsonPatched = await req('PATCH', `${base}/a`, [{ op: 'replace', path: '/spec/replicas', value: 4 }], 'application/json-patch+json');
  t.equal(jsonPatched.obj.spec.replicas, 4);
  const invalidPatch = await req('PATCH', `${base}/a`, { spec: { replicas: 0 } }, 'application/merge-patch+json');
  t.equal(invalidPatch.code, 422);
  const smp = await req('PATCH', `${base}/a`, { spec: { image: 'x' } }, 'application/strategic-merge-patch+json');
  t.equal(smp.code, 415);
  t.equal(smp.obj.reason, 'UnsupportedMediaType');
  const applied = await req('PATCH', `${base}/c?fieldManager=me`, 'apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata:\n  name: c\nspec:\n  cronSpec: "* * * * *"\n', 'application/apply-patch+yaml');
  t.equal(applied.code, 201, JSON.stringify(applied.obj));
  t.equal(applied.obj.spec.replicas, 1);
  t.equal(applied.obj.metadata.managedFields[0].manager, 'me');
  const again = await req('PATCH', `${base}/c?fieldManager=me`, 'apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata:\n  name: c\nspec:\n  cronSpec: "* * * * *"\n  image: two\n', 'application/apply-patch+yaml');
  t.equal(again.code, 200);
  t.equal(again.obj.spec.image, 'two');
});

t.test('status and scale subresources', async (t) => {
  const status = await req('PATCH', `${base}/b/status`, { status: { replicas: 2, selector: 'app=b' }, spec: { replicas: 9 } }, 'application/merge-patch+json');
  t.equal(status.code, 200);
  t.equal(status.obj.status.replicas, 2);
  t.equal(status.obj.spec.replicas, 3, 'spec untouched by a status write');
  const badStatus = await req('PATCH', `${base}/b/status`, { status: { replicas: 'two' } }, 'application/merge-patch+json');
  t.equal(badStatus.code, 422, 'status writes are held to the schema');
  t.match(badStatus.obj.message, /status.replicas in body must be of type integer: "string"/);
  const main = await req('PATCH', `${base}/b`, { status: { replicas: 7 } }, 'application/merge-patch+json');
  t.equal(main.obj.status.replicas, 2, 'status untouched by a main write');
  const scale = (await req('GET', `${base}/b/scale`)).obj;
  t.same(scale.spec, { replicas: 3 });
  t.same(scale.status, { replicas: 2, selector: 'app=b' });
  const scaled = await req('PATCH', `${base}/b/scale`, { spec: { replicas: 5 } }, 'application/merge-patch+json');
  t.equal(scaled.code, 200);
  t.equal(scaled.obj.spec.replicas, 5);
  t.equal((await req('GET', `${base}/b`)).obj.spec.replicas, 5);
});

t.test('Table output has the printer columns', async (t) => {
  const table = (await req('GET', base, undefined, 'application/json', 'application/json;as=Table;v=v1;g=meta.k8s.io')).obj;
  t.same(table.columnDefinitions.map((c: Json) => c.name), ['Name', 'Spec', 'Replicas', 'Age']);
  const row = table.rows.find((r: Json) => r.cells[0] === 'b');
  t.equal(row.cells[1], '* * * * */5');
  t.equal(row.cells[2], 5);
  t.match(row.cells[3], /^\d+s$/);
});

t.test('another served version reads the same objects with its apiVersion', async (t) => {
  const other = await req('GET', '/apis/stable.example.com/v1beta1/namespaces/default/crontabs/b');
  t.equal(other.code, 200);
  t.equal(other.obj.apiVersion, 'stable.example.com/v1beta1');
  const list = (await req('GET', '/apis/stable.example.com/v1beta1/namespaces/default/crontabs')).obj;
  t.ok(list.items.every((i: Json) => i.apiVersion === 'stable.example.com/v1beta1'));
  const patched = await req('PATCH', '/apis/stable.example.com/v1beta1/namespaces/default/crontabs/b', { metadata: { labels: { v: 'beta' } } }, 'application/merge-patch+json');
  t.equal(patched.code, 200, JSON.stringify(patched.obj));
  const stored = await api.backend.range({ key: Buffer.from('/registry/stable.example.com/crontabs/default/b') });
  t.equal(JSON.parse(stored.kvs[0]!.value.toString()).apiVersion, 'stable.example.com/v1', 'stored as the storage version');
});

t.test('deleting the CRD deletes its objects and stops serving the kind', async (t) => {
  const del = await req('DELETE', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/crontabs.stable.example.com');
  t.equal(del.code, 200);
  t.equal((await req('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/crontabs.stable.example.com')).code, 404);
  t.equal((await req('GET', base)).code, 404);
  const left = await api.backend.range({ key: Buffer.from('/registry/stable.example.com/'), rangeEnd: Buffer.from('/registry/stable.example.com0') });
  t.equal(left.kvs.length, 0);
  t.notOk((await req('GET', '/openapi/v3')).obj.paths['apis/stable.example.com/v1']);
});

const clusterCrd = (name: string, plural: string, kind: string, shortNames: string[] = []) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name },
  spec: {
    group: 'infra.example.com',
    scope: 'Cluster',
    names: { plural, kind, shortNames },
    versions: [{ name: 'v1alpha1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } } }],
  },
});

t.test('a cluster-scoped kind is served without namespaces', async (t) => {
  t.equal((await req('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', clusterCrd('regions.infra.example.com', 'regions', 'Region', ['rg']))).code, 201);
  const created = await req('POST', '/apis/infra.example.com/v1alpha1/regions', { apiVersion: 'infra.example.com/v1alpha1', kind: 'Region', metadata: { name: 'eu', namespace: 'ignored' }, spec: { zones: 3 } });
  t.equal(created.code, 201, JSON.stringify(created.obj));
  t.notOk(created.obj.metadata.namespace);
  t.same(created.obj.spec, { zones: 3 });
  const resources = (await req('GET', '/apis/infra.example.com/v1alpha1')).obj;
  t.match(resources.resources, [{ name: 'regions', namespaced: false, kind: 'Region', singularName: 'region', shortNames: ['rg'] }]);
  const stored = await api.backend.range({ key: Buffer.from('/registry/infra.example.com/regions/eu') });
  t.equal(stored.kvs.length, 1);
});

t.test('a CRD whose names are taken is not established', async (t) => {
  const clash = await req('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', clusterCrd('zones.infra.example.com', 'zones', 'Zone', ['rg']));
  t.equal(clash.code, 201);
  const crd = (await req('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/zones.infra.example.com')).obj;
  t.match(crd.status.conditions, [
    { type: 'NamesAccepted', status: 'False', reason: 'NameConflict', message: '"rg" is already in use' },
    { type: 'Established', status: 'False', reason: 'NotAccepted' },
  ]);
  t.equal((await req('GET', '/apis/infra.example.com/v1alpha1/zones')).code, 404);
  // Freeing the short name lets it in.
  const fixed = await req('PATCH', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/zones.infra.example.com', { spec: { names: { shortNames: ['zn'] } } }, 'application/merge-patch+json');
  t.equal(fixed.code, 200, JSON.stringify(fixed.obj));
  const after = (await req('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/zones.infra.example.com')).obj;
  t.match(after.status.conditions, [{ type: 'NamesAccepted', status: 'True' }, { type: 'Established', status: 'True' }]);
  t.equal((await req('GET', '/apis/infra.example.com/v1alpha1/zones')).code, 200);
});

t.test('an invalid CRD is refused and nothing is served', async (t) => {
  const bad = clusterCrd('wrong.infra.example.com', 'things', 'Thing');
  (bad.spec.versions[0]!.schema.openAPIV3Schema.properties.spec as Record<string, unknown>) = { properties: {} };
  const res = await req('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', bad);
  t.equal(res.code, 422);
  t.match(res.obj.message, /metadata.name: Invalid value: "wrong.infra.example.com": must be spec.names.plural\+"."\+spec.group/);
  t.match(res.obj.message, /spec.versions\[0\].schema.openAPIV3Schema.properties\[spec\].type: Required value: must not be empty for specified object fields/);
  t.equal((await req('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/wrong.infra.example.com')).code, 404);
  t.equal((await req('GET', '/apis/infra.example.com/v1alpha1/things')).code, 404);
});

t.test('a CRD with x-kubernetes extensions passes strict field validation', async (t) => {
  const crd = clusterCrd('racks.infra.example.com', 'racks', 'Rack');
  const res = await req('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions?fieldValidation=Strict', crd);
  t.equal(res.code, 201, JSON.stringify(res.obj));
});
