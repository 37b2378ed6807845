import t from 'tap';
import { builtinRegistry } from '../../../src/api/builtin.js';
import { ApiRouter } from '../../../src/apiserver/index.js';
import { serviceAllocators } from '../../../src/apiserver/rest/allocate.js';
import { DecodedObjects } from '../../../src/apiserver/rest/decoded.js';
import { ObjectStore } from '../../../src/apiserver/storage/store.js';
import { silentLogger } from '../../../src/log/logger.js';
import { rawClient } from '../../helpers/https.js';
import { adminUser, startTestApiServer } from '../../helpers/apiserver.js';
import { openWatch } from '../../helpers/watch.js';

// Custom resources over time: watches of each served version see the
// changes with their own apiVersion, and a server started on a store that
// already holds CRDs serves their kinds from its first request.
const api = await startTestApiServer();
t.teardown(() => api.close());
const tls = { caPem: api.pki.serverCa.ca.certPem, certPem: api.pki.admin.certPem, keyPem: api.pki.admin.keyPem };
const call = rawClient({ url: api.url, ...tls });
const post = (path: string, obj: unknown) => call('POST', path, { body: JSON.stringify(obj) });

const preserve = { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } };
const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'backups.data.example.com' },
  spec: {
    group: 'data.example.com',
    scope: 'Namespaced',
    names: { plural: 'backups', kind: 'Backup' },
    versions: [
      { name: 'v1', served: true, storage: true, deprecated: true, schema: preserve },
      { name: 'v2', served: true, storage: false, schema: preserve },
    ],
  },
};
const created = await post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
if (created.code !== 201) throw new Error(`setup failed: ${JSON.stringify(created.json)}`);

t.test('discovery prefers the highest version', async (t) => {
  const group = (await call('GET', '/apis/data.example.com')).json as { versions: { version: string }[]; preferredVersion: { version: string } };
  t.same(group.versions.map((v) => v.version), ['v2', 'v1']);
  t.equal(group.preferredVersion.version, 'v2');
});

t.test('a deprecated version warns on every request', async (t) => {
  const res = await call('GET', '/apis/data.example.com/v1/namespaces/default/backups');
  t.equal(res.code, 200);
  t.equal(res.headers.warning, '299 - "data.example.com/v1 Backup is deprecated"');
  t.equal((await call('GET', '/apis/data.example.com/v2/namespaces/default/backups')).headers.warning, undefined);
});

t.test('watches see changes with their own version, filtered by selectors', async (t) => {
  const v1 = openWatch(`${api.url}/apis/data.example.com/v1/namespaces/default/backups?watch=true&labelSelector=keep%3Dyes`, tls);
  const v2 = openWatch(`${api.url}/apis/data.example.com/v2/namespaces/default/backups?watch=true&labelSelector=keep%3Dyes`, tls);
  await v1.headers;
  await v2.headers;
  const backup = (name: string, keep: string) => ({ apiVersion: 'data.example.com/v2', kind: 'Backup', metadata: { name, labels: { keep } }, spec: { at: name } });
  t.equal((await post('/apis/data.example.com/v2/namespaces/default/backups', backup('nightly', 'yes'))).code, 201);
  t.equal((await post('/apis/data.example.com/v2/namespaces/default/backups', backup('skipped', 'no'))).code, 201);
  await call('PATCH', '/apis/data.example.com/v1/namespaces/default/backups/nightly', { body: JSON.stringify({ spec: { at: 'later' } }), headers: { 'Content-Type': 'application/merge-patch+json' } });
  await call('DELETE', '/apis/data.example.com/v1/namespaces/default/backups/nightly');
  const [one, two] = [await v1.waitFor(3), await v2.waitFor(3)];
  v1.close();
  v2.close();
  t.same(one.map((e) => `${e.type} ${e.object.metadata?.name} ${String((e.object as { apiVersion?: string }).apiVersion)}`), [
    'ADDED nightly data.example.com/v1',
    'MODIFIED nightly data.example.com/v1',
    'DELETED nightly data.example.com/v1',
  ]);
  t.same(two.map((e) => `${e.type} ${e.object.metadata?.name} ${String((e.object as { apiVersion?: string }).apiVersion)}`), [
    'ADDED nightly data.example.com/v2',
    'MODIFIED nightly data.example.com/v2',
    'DELETED nightly data.example.com/v2',
  ]);
});

t.test('a new server on the same store serves the stored CRDs from its first request', async (t) => {
  await post('/apis/data.example.com/v1/namespaces/default/backups', { apiVersion: 'data.example.com/v1', kind: 'Backup', metadata: { name: 'kept' }, spec: {} });
  const state = {
    store: new ObjectStore(api.backend),
    registry: builtinRegistry(),
    now: () => new Date(),
    logger: silentLogger,
    allocators: serviceAllocators({ serviceCidr: '10.43.0.0/16', nodePortMin: 30000, nodePortMax: 32767 }),
    decoded: new DecodedObjects(),
  };
  const router = new ApiRouter({ state, healthChecks: [], productVersion: 'test', serverAddress: '127.0.0.1:6443', logger: silentLogger });
  const res = await router.handle({
    method: 'GET',
    path: '/apis/data.example.com/v2/namespaces/default/backups/kept',
    query: new URLSearchParams(),
    accept: 'application/json',
    contentType: '',
    user: adminUser,
    signal: new AbortController().signal,
  });
  t.match(res, { type: 'object', code: 200, body: { apiVersion: 'data.example.com/v2', metadata: { name: 'kept' } } });
});
