import t from 'tap';
import type { corev1 } from '../../src/api/types.js';
import { Client, Informer, SharedInformerFactory, builtinRefs } from '../../src/client/index.js';
import { startTestApiServer } from '../helpers/apiserver.js';
import { eventually } from '../helpers/controllers.js';
import { ScriptedTransport } from '../helpers/transports.js';

type ConfigMap = corev1.ConfigMap;

const api = await startTestApiServer();
t.teardown(() => api.close());

let nsCounter = 0;
/** A fresh namespace per test, so informers see only that test's objects. */
async function namespace(client: Client): Promise<string> {
  const name = `inf-${process.pid}-${nsCounter++}`;
  await client.namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return name;
}

function cm(ns: string, name: string, data: Record<string, string> = {}, labels: Record<string, string> = {}): ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, labels }, data };
}

/** Records handler calls as `add name`, `update name old->new`, `delete name`. */
function recorder(informer: Informer<ConfigMap>): string[] {
  const log: string[] = [];
  informer.addEventHandler({
    onAdd: (obj, initial) => log.push(`add${initial ? '(initial)' : ''} ${obj.metadata?.name}`),
    onUpdate: (old, obj) => log.push(`update ${obj.metadata?.name} ${old.data?.['v'] ?? '-'}->${obj.data?.['v'] ?? '-'}`),
    onDelete: (obj) => log.push(`delete ${obj.metadata?.name}`),
  });
  return log;
}

for (const [kind, open] of [
  ['in-process', () => api.inProcess()],
  ['http', () => api.http()],
] as const) {
  t.test(`${kind}: an informer sees every create, update and delete of 20 objects`, async (t) => {
    const client = new Client(open());
    t.teardown(() => client.close());
    const ns = await namespace(client);
    await client.configMaps.create(cm(ns, 'pre', { v: '0' }));
    const informer = new Informer(client.configMaps, { namespace: ns, freeze: true });
    const log = recorder(informer);
    informer.start();
    t.teardown(() => informer.stop());
    await informer.synced;
    t.same(log, ['add(initial) pre']);
    log.length = 0;

    const names = Array.from({ length: 20 }, (_, i) => `o${String(i).padStart(2, '0')}`);
    for (const n of names) await client.configMaps.create(cm(ns, n, { v: '1' }));
    for (const n of names) await client.configMaps.patch(n, { data: { v: '2' } }, { namespace: ns });
    for (const n of names) await client.configMaps.delete(n, { namespace: ns });
    t.ok(await eventually(() => log.length === 60), `60 events (got ${log.length})`);
    t.same(log, [...names.map((n) => `add ${n}`), ...names.map((n) => `update ${n} 1->2`), ...names.map((n) => `delete ${n}`)]);
    t.same(informer.keys(), [`${ns}/pre`], 'the cache holds what the server holds');
    t.equal(informer.get('pre', ns)?.data?.['v'], '0');
  });
}

t.test('after the watch ends the informer relists and delivers what it missed', async (t) => {
  const scripted = new ScriptedTransport(api.inProcess());
  const client = new Client(scripted);
  const ns = await namespace(client);
  for (const n of ['keep', 'change', 'vanish']) await client.configMaps.create(cm(ns, n, { v: '1' }));
  const informer = new Informer(client.configMaps, { namespace: ns, watchTimeoutSeconds: () => 1 });
  const log = recorder(informer);
  informer.start();
  t.teardown(() => informer.stop());
  await informer.synced;
  const listsBefore = scripted.lists;
  log.length = 0;

  // The watch misses these; only a relist can bring them in.
  scripted.dropEvents = true;
  await client.configMaps.patch('change', { data: { v: '2' } }, { namespace: ns });
  await client.configMaps.delete('vanish', { namespace: ns });
  await client.configMaps.create(cm(ns, 'new', { v: '1' }));
  t.same(log, [], 'nothing delivered while events are lost');
  scripted.dropEvents = false;

  t.ok(await eventually(() => scripted.lists > listsBefore && log.length === 3, 5000), 'relisted after the 1 s watch ended');
  t.same([...log].sort(), ['add new', 'delete vanish', 'update change 1->2']);
  t.same(informer.keys().sort(), [`${ns}/change`, `${ns}/keep`, `${ns}/new`]);
  t.ok(scripted.watches >= 2, 'a new watch started from the new list');
});

t.test('an ERROR 410 from the watch makes the informer relist', async (t) => {
  const scripted = new ScriptedTransport(api.inProcess());
  const client = new Client(scripted);
  const ns = await namespace(client);
  const informer = new Informer(client.configMaps, { namespace: ns });
  const log = recorder(informer);
  informer.start();
  t.teardown(() => informer.stop());
  await informer.synced;
  await client.configMaps.create(cm(ns, 'a', { v: '1' }));
  t.ok(await eventually(() => log.length === 1), 'the watch is running');
  const listsBefore = scripted.lists;

  scripted.dropEvents = true;
  await client.configMaps.create(cm(ns, 'b', { v: '1' }));
  scripted.dropEvents = false;
  scripted.inject({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'too old resource version: 1 (2)', reason: 'Expired', code: 410 } });
  t.ok(await eventually(() => scripted.lists === listsBefore + 1 && log.length === 2), 'relisted at once');
  t.same(log, ['add a', 'add b']);
});

t.test('list failures back off and the informer still syncs', async (t) => {
  const scripted = new ScriptedTransport(api.inProcess());
  const client = new Client(scripted);
  const ns = await namespace(client);
  await client.configMaps.create(cm(ns, 'a'));
  scripted.failLists = 3;
  const informer = new Informer(client.configMaps, { namespace: ns, backoff: { initialMs: 20, maxMs: 100 } });
  const started = Date.now();
  informer.start();
  t.teardown(() => informer.stop());
  await informer.synced;
  t.equal(scripted.lists, 4, 'three failures, then a list that worked');
  t.ok(Date.now() - started >= 20 + 40 + 80 - 10, 'each retry waited longer');
  t.same(informer.keys(), [`${ns}/a`]);
});

t.test('resync re-delivers cached objects without calling the API', async (t) => {
  const scripted = new ScriptedTransport(api.inProcess());
  const client = new Client(scripted);
  const ns = await namespace(client);
  for (const n of ['a', 'b']) await client.configMaps.create(cm(ns, n, { v: '1' }));
  const informer = new Informer(client.configMaps, { namespace: ns, resyncMs: 100 });
  const log = recorder(informer);
  informer.start();
  t.teardown(() => informer.stop());
  await informer.synced;
  const requests = scripted.lists;
  t.ok(await eventually(() => log.filter((l) => l.startsWith('update')).length >= 4, 2000), 'two resync rounds');
  t.ok(log.includes('update a 1->1') && log.includes('update b 1->1'), 'onUpdate(obj, obj) for every object');
  t.equal(scripted.lists, requests, 'no list was made for it');
});

t.test('indexes: by namespace by default, custom ones on demand', async (t) => {
  const client = new Client(api.inProcess());
  const [ns1, ns2] = [await namespace(client), await namespace(client)];
  await client.configMaps.create(cm(ns1, 'a', {}, { tier: 'web' }));
  await client.configMaps.create(cm(ns1, 'b', {}, { tier: 'db' }));
  await client.configMaps.create(cm(ns2, 'c', {}, { tier: 'web' }));
  const informer = new Informer(client.configMaps, {
    labelSelector: 'tier',
    indexers: { tier: (obj) => [obj.metadata?.labels?.['tier'] ?? ''] },
  });
  informer.start();
  t.teardown(() => informer.stop());
  await informer.synced;
  const names = (objs: ConfigMap[]) => objs.map((o) => o.metadata?.name).sort();
  t.same(names(informer.list(ns1)), ['a', 'b']);
  t.same(names(informer.list(ns2)), ['c']);
  t.same(names(informer.byIndex('tier', 'web')).filter((n) => n === 'a' || n === 'c'), ['a', 'c']);
  t.ok(informer.indexValues('namespace').includes(ns1));

  await client.configMaps.delete('a', { namespace: ns1 });
  await client.configMaps.patch('b', { metadata: { labels: { tier: 'web' } } }, { namespace: ns1 });
  t.ok(await eventually(() => names(informer.list(ns1)).join() === 'b' && informer.byIndex('tier', 'db').length === 0), 'indexes follow changes');
  informer.addIndexer('byName', (obj) => [obj.metadata?.name ?? '']);
  t.same(names(informer.byIndex('byName', 'c')), ['c'], 'an index added later files what is cached');
  t.equal(informer.get('c', ns2)?.metadata?.namespace, ns2);
});

t.test('handed-out objects are frozen with freeze: a handler write throws and is logged, others go on', async (t) => {
  const client = new Client(api.inProcess());
  const ns = await namespace(client);
  const informer = new Informer(client.configMaps, { namespace: ns, freeze: true });
  const errors: string[] = [];
  informer.addEventHandler({
    onAdd: (obj) => {
      try {
        (obj.metadata as { name?: string }).name = 'changed';
      } catch (err) {
        errors.push((err as Error).name);
        throw err;
      }
    },
  });
  const log = recorder(informer);
  informer.start();
  t.teardown(() => informer.stop());
  await informer.synced;
  await client.configMaps.create(cm(ns, 'x'));
  t.ok(await eventually(() => log.length === 1));
  t.same(errors, ['TypeError']);
  t.same(log, ['add x'], 'the other handler still ran');
  t.equal(informer.get('x', ns)?.metadata?.name, 'x');
});

t.test('a handler added late gets the cache replayed; stop before sync rejects synced', async (t) => {
  const client = new Client(api.inProcess());
  const ns = await namespace(client);
  await client.configMaps.create(cm(ns, 'a'));
  const informer = new Informer(client.configMaps, { namespace: ns });
  informer.start();
  await informer.synced;
  const log = recorder(informer);
  t.same(log, ['add(initial) a']);
  await informer.stop();

  const never = new Informer(new Client(api.inProcess()).configMaps, { namespace: ns });
  await never.stop();
  await t.rejects(never.synced, /stopped before it synced/);
});

t.test('SharedInformerFactory: one informer per resource for the process', async (t) => {
  const client = new Client(api.inProcess());
  const ns = await namespace(client);
  await client.configMaps.create(cm(ns, 'a'));
  const factory = new SharedInformerFactory(client);
  const first = factory.informerFor<ConfigMap>(builtinRefs.configMaps);
  t.equal(factory.informerFor<ConfigMap>(builtinRefs.configMaps), first, 'the same informer');
  t.not(factory.informerFor<ConfigMap>(builtinRefs.configMaps, { namespace: ns }), first, 'a narrower selection is another one');
  const abort = new AbortController();
  factory.start(abort.signal);
  const late = factory.informerFor<corev1.Namespace>(builtinRefs.namespaces);
  await factory.synced();
  t.ok(first.hasSynced && late.hasSynced, 'informers created after start start too');
  t.ok(first.get('a', ns));
  t.ok(late.get(ns));
  abort.abort();
  await factory.stop();
});
