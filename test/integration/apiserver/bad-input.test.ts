import t, { type Test } from 'tap';
import { rawClient } from '../../helpers/https.js';
import { startTestApiServer } from '../../helpers/apiserver.js';

// Bad input gets a Status with the right code and reason, the server keeps
// serving, and nothing is half-written.
const api = await startTestApiServer();
t.teardown(() => api.close());
const call = rawClient({ url: api.url, caPem: api.pki.serverCa.ca.certPem, certPem: api.pki.admin.certPem, keyPem: api.pki.admin.keyPem });
const anonymous = rawClient({ url: api.url, caPem: api.pki.serverCa.ca.certPem });

const cm = (name: string, extra: Record<string, unknown> = {}) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: '1' }, ...extra });

async function expectStatus(t: Test, res: Awaited<ReturnType<typeof call>>, code: number, reason: string, message?: RegExp): Promise<void> {
  t.equal(res.code, code, `code ${code}`);
  t.match(String(res.headers['content-type']), /^application\/json/);
  t.match(res.json, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason, code });
  if (message) t.match((res.json as { message: string }).message, message);
}

t.test('anonymous requests are 401 except health and version', async (t) => {
  await expectStatus(t, await anonymous('GET', '/api/v1/namespaces'), 401, 'Unauthorized');
  for (const path of ['/healthz', '/livez', '/readyz', '/version']) t.equal((await anonymous('GET', path)).code, 200, path);
  const verbose = await anonymous('GET', '/readyz?verbose');
  t.match(verbose.text, /\[\+\]ping ok\n.*readyz check passed/s);
});

t.test('malformed JSON and YAML are 400', async (t) => {
  await expectStatus(t, await call('POST', '/api/v1/namespaces/default/configmaps', { body: '{"apiVersion":' }), 400, 'BadRequest');
  await expectStatus(t, await call('POST', '/api/v1/namespaces/default/configmaps', { body: 'a: [1,\n', headers: { 'Content-Type': 'application/yaml' } }), 400, 'BadRequest');
  await expectStatus(t, await call('POST', '/api/v1/namespaces/default/configmaps', { body: '[1,2]' }), 400, 'BadRequest');
});

t.test('YAML bodies are accepted', async (t) => {
  const res = await call('POST', '/api/v1/namespaces/default/configmaps', { body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  k: v\n', headers: { 'Content-Type': 'application/yaml' } });
  t.equal(res.code, 201);
});

t.test('a kind or apiVersion that does not match the URL is 400', async (t) => {
  await expectStatus(t, await call('POST', '/api/v1/namespaces/default/configmaps', { body: JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }) }), 400, 'BadRequest', /kind/);
  await expectStatus(t, await call('POST', '/api/v1/namespaces/default/configmaps', { body: JSON.stringify({ apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name: 'x' } }) }), 400, 'BadRequest', /API version/);
  t.equal((await call('GET', '/api/v1/namespaces/default/configmaps/x')).code, 404, 'nothing written');
});

t.test('a name or namespace that does not match the URL is 400', async (t) => {
  t.equal((await call('POST', '/api/v1/namespaces/default/configmaps', { body: cm('named') })).code, 201);
  await expectStatus(t, await call('PUT', '/api/v1/namespaces/default/configmaps/named', { body: cm('other') }), 400, 'BadRequest', /does not match the name on the URL/);
  await expectStatus(t, await call('POST', '/api/v1/namespaces/default/configmaps', { body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'y', namespace: 'kube-system' } }) }), 400, 'BadRequest', /namespace/);
});

t.test('a body over 3 MiB is 413', async (t) => {
  const big = cm('big', { data: { a: 'x'.repeat(3 * 1024 * 1024 + 10) } });
  await expectStatus(t, await call('POST', '/api/v1/namespaces/default/configmaps', { body: big }), 413, 'RequestEntityTooLarge');
  t.equal((await call('GET', '/api/v1/namespaces/default/configmaps/big')).code, 404, 'nothing written');
});

t.test('an unknown resource is 404 and an unsupported method 405', async (t) => {
  await expectStatus(t, await call('GET', '/api/v1/namespaces/default/widgets'), 404, 'NotFound');
  await expectStatus(t, await call('GET', '/apis/nope.example.com/v1/things'), 404, 'NotFound');
  await expectStatus(t, await call('DELETE', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews/x'), 405, 'MethodNotAllowed');
  await expectStatus(t, await call('PUT', '/api/v1/namespaces/default/configmaps'), 405, 'MethodNotAllowed');
});

t.test('invalid selectors are 400', async (t) => {
  await expectStatus(t, await call('GET', '/api/v1/namespaces/default/configmaps?labelSelector=a%20in%20(b'), 400, 'BadRequest');
  await expectStatus(t, await call('GET', '/api/v1/pods?fieldSelector=spec.nope%3Dx'), 400, 'BadRequest', /field label not supported: spec\.nope/);
});

t.test('unsupported media types are 415', async (t) => {
  await expectStatus(t, await call('POST', '/api/v1/namespaces/default/configmaps', { body: 'x', headers: { 'Content-Type': 'text/plain' } }), 415, 'UnsupportedMediaType');
  await expectStatus(t, await call('PATCH', '/api/v1/namespaces/default/configmaps/named', { body: '[]', headers: { 'Content-Type': 'text/plain' } }), 415, 'UnsupportedMediaType');
  await expectStatus(t, await call('PATCH', '/api/v1/namespaces/default/configmaps/named', { body: '{}', headers: { 'Content-Type': '' } }), 415, 'UnsupportedMediaType');
});

t.test('an object body without a Content-Type is read as JSON (kubectl create --raw sends none)', async (t) => {
  const res = await call('POST', '/api/v1/namespaces/default/configmaps', { body: cm('no-content-type'), headers: { 'Content-Type': '' } });
  t.equal(res.code, 201);
  t.match(res.json, { kind: 'ConfigMap', metadata: { name: 'no-content-type' } });
});

t.test('invalid objects are 422 with causes, and nothing is written', async (t) => {
  const res = await call('POST', '/api/v1/namespaces/default/configmaps', { body: cm('Bad_Name') });
  await expectStatus(t, res, 422, 'Invalid', /^ConfigMap "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name"/);
  t.match(res.json, { details: { name: 'Bad_Name', kind: 'ConfigMap', causes: [{ reason: 'FieldValueInvalid', field: 'metadata.name' }] } });
  const pod = await call('POST', '/api/v1/namespaces/default/pods', { body: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }] } }) });
  await expectStatus(t, pod, 422, 'Invalid', /spec\.containers\[0\]\.image: Required value/);
  t.equal((await call('GET', '/api/v1/namespaces/default/pods/p')).code, 404);
});

t.test('a create in a missing namespace is 404', async (t) => {
  await expectStatus(t, await call('POST', '/api/v1/namespaces/nowhere/configmaps', { body: cm('x') }), 404, 'NotFound', /namespaces "nowhere" not found/);
});

t.test('a stale resourceVersion is 409 Conflict with upstream message', async (t) => {
  const created = (await call('POST', '/api/v1/namespaces/default/configmaps', { body: cm('occ') })).json as { metadata: { resourceVersion: string } };
  const first = await call('PUT', '/api/v1/namespaces/default/configmaps/occ', { body: cm('occ', { metadata: { name: 'occ', resourceVersion: created.metadata.resourceVersion }, data: { a: '2' } }) });
  t.equal(first.code, 200);
  const stale = await call('PUT', '/api/v1/namespaces/default/configmaps/occ', { body: cm('occ', { metadata: { name: 'occ', resourceVersion: created.metadata.resourceVersion }, data: { a: '3' } }) });
  await expectStatus(t, stale, 409, 'Conflict', /^Operation cannot be fulfilled on configmaps "occ": the object has been modified; please apply your changes to the latest version and try again$/);
  const now = (await call('GET', '/api/v1/namespaces/default/configmaps/occ')).json as { data: { a: string } };
  t.equal(now.data.a, '2', 'the stale write lost nothing');
});

t.test('an existing name is 409 AlreadyExists', async (t) => {
  await expectStatus(t, await call('POST', '/api/v1/namespaces/default/configmaps', { body: cm('occ') }), 409, 'AlreadyExists', /^configmaps "occ" already exists$/);
});

t.test('bad query values are 400', async (t) => {
  await expectStatus(t, await call('GET', '/api/v1/namespaces/default/configmaps?limit=abc'), 400, 'BadRequest');
  await expectStatus(t, await call('GET', '/api/v1/namespaces/default/configmaps?limit=1&continue=garbage'), 400, 'BadRequest');
  await expectStatus(t, await call('POST', '/api/v1/namespaces/default/configmaps?dryRun=Some', { body: cm('dry') }), 400, 'BadRequest');
});

t.test('the server still serves after all of that', async (t) => {
  t.equal((await call('GET', '/api/v1/namespaces/default/configmaps/occ')).code, 200);
});
