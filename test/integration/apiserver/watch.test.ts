import t from 'tap';
import { rawClient } from '../../helpers/https.js';
import { startTestApiServer } from '../../helpers/apiserver.js';
import { openWatch } from '../../helpers/watch.js';

// Watch over HTTPS: current state first, changes from a resourceVersion,
// selectors (leaving the selection is a DELETED), Table events, bookmarks
// and timeouts, and ERROR 410 for a compacted revision.
const api = await startTestApiServer();
t.teardown(() => api.close());
const tls = { caPem: api.pki.serverCa.ca.certPem, certPem: api.pki.admin.certPem, keyPem: api.pki.admin.keyPem };
const call = rawClient({ url: api.url, ...tls });
const base = `${api.url}/api/v1/namespaces/default/configmaps`;
const body = (name: string, labels: Record<string, string> = {}, data: Record<string, string> = {}) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data });

t.test('without a resourceVersion the current objects come first as ADDED', async (t) => {
  await call('POST', '/api/v1/namespaces/default/configmaps', { body: body('w-one', { w: 'a' }) });
  const w = openWatch(`${base}?watch=true&labelSelector=w%3Da`, tls);
  const [first] = await w.waitFor(1);
  t.match(first, { type: 'ADDED', object: { metadata: { name: 'w-one' } } });
  t.match(String((await w.headers)['content-type']), /^application\/json/);
  await call('POST', '/api/v1/namespaces/default/configmaps', { body: body('w-two', { w: 'a' }) });
  await call('PATCH', '/api/v1/namespaces/default/configmaps/w-two', { body: JSON.stringify({ data: { x: '1' } }), headers: { 'Content-Type': 'application/merge-patch+json' } });
  await call('PATCH', '/api/v1/namespaces/default/configmaps/w-one', { body: JSON.stringify({ metadata: { labels: { w: 'b' } } }), headers: { 'Content-Type': 'application/merge-patch+json' } });
  await call('DELETE', '/api/v1/namespaces/default/configmaps/w-two');
  const events = await w.waitFor(5);
  w.close();
  t.same(
    events.map((e) => `${e.type} ${e.object.metadata?.name}`),
    ['ADDED w-one', 'ADDED w-two', 'MODIFIED w-two', 'DELETED w-one', 'DELETED w-two'],
  );
});

t.test('from a resourceVersion only later changes arrive, in order', async (t) => {
  const created = (await call('POST', '/api/v1/namespaces/default/configmaps', { body: body('rv-a') })).json as { metadata: { resourceVersion: string } };
  await call('POST', '/api/v1/namespaces/default/configmaps', { body: body('rv-b') });
  const w = openWatch(`${base}?watch=true&resourceVersion=${created.metadata.resourceVersion}&fieldSelector=metadata.name%3Drv-b`, tls);
  const [ev] = await w.waitFor(1);
  w.close();
  t.match(ev, { type: 'ADDED', object: { metadata: { name: 'rv-b' } } });
  t.ok(Number(ev!.object.metadata?.resourceVersion) > Number(created.metadata.resourceVersion));
});

t.test('a Table watch sends one-row Tables, column definitions only first', async (t) => {
  const w = openWatch(`${base}?watch=true&fieldSelector=metadata.name%3Drv-a`, tls, 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json');
  await w.waitFor(1);
  await call('PATCH', '/api/v1/namespaces/default/configmaps/rv-a', { body: JSON.stringify({ data: { k: 'v' } }), headers: { 'Content-Type': 'application/merge-patch+json' } });
  const events = await w.waitFor(2);
  w.close();
  t.match(String((await w.headers)['content-type']), /as=Table/);
  t.match(events[0], { type: 'ADDED', object: { kind: 'Table', columnDefinitions: [{ name: 'Name' }, { name: 'Data' }, { name: 'Age' }], rows: [{ cells: ['rv-a', 0] }] } });
  t.match(events[1], { type: 'MODIFIED', object: { kind: 'Table', rows: [{ cells: ['rv-a', 1] }] } });
  t.notOk('columnDefinitions' in events[1]!.object, 'no headers after the first event');
});

t.test('timeoutSeconds ends the stream, with a bookmark when asked for', async (t) => {
  const w = openWatch(`${base}?watch=true&timeoutSeconds=1&allowWatchBookmarks=true&resourceVersion=1`, tls);
  await w.ended;
  const last = w.events[w.events.length - 1];
  t.match(last, { type: 'BOOKMARK', object: { kind: 'ConfigMap', metadata: { resourceVersion: /^\d+$/ } } });
});

t.test('a compacted resourceVersion gets ERROR 410 Expired and the stream ends', async (t) => {
  await api.compact();
  const w = openWatch(`${base}?watch=true&resourceVersion=2`, tls);
  await w.ended;
  t.equal(w.events.length, 1);
  t.match(w.events[0], { type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: /^too old resource version: 2 \(\d+\)$/ } });
});

t.test('a list with a continue token from a compacted revision is 410', async (t) => {
  for (let i = 0; i < 3; i++) await call('POST', '/api/v1/namespaces/default/configmaps', { body: body(`page-${i}`, { page: 'y' }) });
  const first = (await call('GET', '/api/v1/namespaces/default/configmaps?labelSelector=page%3Dy&limit=1')).json as { metadata: { continue: string } };
  t.ok(first.metadata.continue);
  await call('POST', '/api/v1/namespaces/default/configmaps', { body: body('after') });
  await api.compact();
  const next = await call('GET', `/api/v1/namespaces/default/configmaps?labelSelector=page%3Dy&limit=1&continue=${encodeURIComponent(first.metadata.continue)}`);
  t.equal(next.code, 410);
  t.match(next.json, { reason: 'Expired' });
});
