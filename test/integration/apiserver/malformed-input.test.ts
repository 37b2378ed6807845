import t, { type Test } from 'tap';
import { body, hex, ld } from '../../../src/api/protobuf/encode.fixture.js';
import { rawClient } from '../../helpers/https.js';
import { startTestApiServer } from '../../helpers/apiserver.js';

// Malformed patches and protobuf bodies: each gets a Status with the right
// code and reason, and the object it aimed at is exactly as before.
const api = await startTestApiServer();
t.teardown(() => api.close());
const call = rawClient({ url: api.url, caPem: api.pki.serverCa.ca.certPem, certPem: api.pki.admin.certPem, keyPem: api.pki.admin.keyPem });

const deploymentPath = '/apis/apps/v1/namespaces/default/deployments/web';
const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
};
const created = await call('POST', '/apis/apps/v1/namespaces/default/deployments', { body: JSON.stringify(deployment) });
if (created.code !== 201) throw new Error(`setup failed: ${JSON.stringify(created.json)}`);
const before = JSON.stringify((await call('GET', deploymentPath)).json);

async function rejected(t: Test, contentType: string, patch: string, code: number, reason: string, message?: RegExp): Promise<void> {
  const res = await call('PATCH', deploymentPath, { body: patch, headers: { 'Content-Type': contentType } });
  t.equal(res.code, code, `${contentType} ${patch}: ${JSON.stringify(res.json)}`);
  t.match(res.json, { kind: 'Status', status: 'Failure', reason, code });
  if (message) t.match((res.json as { message: string }).message, message);
  t.equal(JSON.stringify((await call('GET', deploymentPath)).json), before, 'the object is unchanged');
}

t.test('JSON patches that cannot apply', async (t) => {
  const type = 'application/json-patch+json';
  await rejected(t, type, '{"op":"add"}', 400, 'BadRequest');
  await rejected(t, type, '[{"op":"replace","path":"/spec/nothing/here","value":1}]', 422, 'Invalid');
  await rejected(t, type, '[{"op":"add","path":"spec/replicas","value":2}]', 422, 'Invalid');
  await rejected(t, type, '[{"op":"frobnicate","path":"/spec/replicas","value":2}]', 422, 'Invalid');
  await rejected(t, type, '[{"op":"test","path":"/spec/replicas","value":5},{"op":"replace","path":"/spec/replicas","value":2}]', 422, 'Invalid');
  await rejected(t, type, '[{"op":"replace","path":"/spec/replicas","value":"many"}]', 422, 'Invalid');
  await rejected(t, type, '[{"op":"remove","path":"/spec/template/spec/containers/5"}]', 422, 'Invalid');
  await rejected(t, type, '[not json', 400, 'BadRequest');
});

t.test('merge patches that are not objects or do not fit', async (t) => {
  const type = 'application/merge-patch+json';
  await rejected(t, type, '[1,2]', 400, 'BadRequest');
  await rejected(t, type, '"text"', 400, 'BadRequest');
  await rejected(t, type, '{"spec":{"replicas":"many"}}', 422, 'Invalid');
  await rejected(t, type, '{"metadata":{"name":"other"}}', 400, 'BadRequest');
});

t.test('strategic merge patches with misused directives or mismatched types', async (t) => {
  const type = 'application/strategic-merge-patch+json';
  await rejected(t, type, '{"spec":{"template":{"spec":{"containers":{"name":"c"}}}}}', 422, 'Invalid');
  await rejected(t, type, '{"spec":{"template":{"spec":{"containers":[{"$patch":"explode","name":"c"}]}}}}', 400, 'BadRequest', /unknown patch type: explode/);
  await rejected(t, type, '{"spec":{"template":{"spec":{"containers":[{"image":"no-name"}]}}}}', 400, 'BadRequest', /does not contain declared merge key: name/);
  await rejected(t, type, '{"metadata":{"labels":{"$patch":"replace","app":1}}}', 422, 'Invalid');
});

t.test('protobuf bodies with a bad envelope are 400 or 415 and store nothing', async (t) => {
  const post = (bytes: Buffer) => call('POST', '/api/v1/namespaces/default/configmaps', { body: bytes, headers: { 'Content-Type': 'application/vnd.kubernetes.protobuf' } });
  const cases: [string, Buffer, number, string][] = [
    ['no magic', Buffer.from('not protobuf at all'), 400, 'BadRequest'],
    ['magic only', hex('6b387300'), 400, 'BadRequest'],
    ['truncated length', Buffer.concat([hex('6b387300'), hex('0a ff')]), 400, 'BadRequest'],
    ['a kind without a table', body('v1', 'NoSuchKind', Buffer.alloc(0)), 415, 'UnsupportedMediaType'],
    ['raw bytes that are not the message', body('v1', 'ConfigMap', hex('0a 05 01 02')), 400, 'BadRequest'],
    ['wrong wire type for metadata', body('v1', 'ConfigMap', Buffer.concat([hex('08 01'), ld(2, 'x')])), 400, 'BadRequest'],
  ];
  for (const [name, bytes, code, reason] of cases) {
    const res = await post(bytes);
    t.equal(res.code, code, `${name}: ${JSON.stringify(res.json)}`);
    t.match(res.json, { kind: 'Status', status: 'Failure', reason, code }, name);
  }
  const list = (await call('GET', '/api/v1/namespaces/default/configmaps')).json as { items: { metadata: { name: string } }[] };
  t.same(list.items.map((i) => i.metadata.name).filter((n) => n !== 'kube-root-ca.crt'), [], 'nothing was stored');
});

t.test('the server still serves afterwards', async (t) => {
  t.equal((await call('GET', deploymentPath)).code, 200);
});
