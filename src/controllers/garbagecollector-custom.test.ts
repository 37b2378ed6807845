import t from 'tap';
import { builtinRefs, type ObjectLike, type ResourceRef } from '../client/index.js';
import { GarbageCollector } from './garbagecollector.js';
import { definedResource, followCustomResources, type CustomResourceDefinitionLike } from './garbagecollector-custom.js';
import { FakeLister, recordingClient } from './testing.fixture.js';

function widgetsCrd(opts: { established?: boolean; storage?: string } = {}): CustomResourceDefinitionLike {
  const storage = opts.storage ?? 'v1';
  return {
    metadata: { name: 'widgets.example.com', uid: 'crd-1' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { kind: 'Widget', plural: 'widgets' },
      versions: [
        { name: 'v1beta1', served: true, storage: storage === 'v1beta1' },
        { name: 'v1', served: true, storage: storage === 'v1' },
      ],
    },
    status: { conditions: [{ type: 'Established', status: opts.established === false ? 'False' : 'True' }] },
  };
}

const widget = (name: string, uid: string): ObjectLike => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name, namespace: 'default', uid } });
const ownedConfigMap = (name: string, owner: { name: string; uid: string; apiVersion?: string }): ObjectLike => ({
  metadata: { name, namespace: 'default', uid: `cm-${name}`, ownerReferences: [{ apiVersion: owner.apiVersion ?? 'example.com/v1', kind: 'Widget', name: owner.name, uid: owner.uid }] },
});

function setup(configMaps: ObjectLike[], widgets: ObjectLike[]) {
  const { client, transport } = recordingClient();
  const cmLister = new FakeLister<ObjectLike>(configMaps);
  const gc = new GarbageCollector({ client, resources: [{ ref: builtinRefs.configMaps, kind: 'ConfigMap', lister: cmLister }] });
  for (const o of cmLister.list()) for (const h of cmLister.handlers) h.onAdd?.(o, true);
  const definitions = new FakeLister<CustomResourceDefinitionLike>();
  const asked: ResourceRef[] = [];
  const released: ResourceRef[] = [];
  const widgetLister = new FakeLister<ObjectLike>(widgets);
  followCustomResources(gc, {
    definitions,
    lister: (ref) => {
      asked.push(ref);
      const l = widgetLister;
      // The informer replays what it holds to a new handler, as the shared informer does once synced.
      return { hasSynced: true, get: (n, ns) => l.get(n, ns), list: (ns) => l.list(ns), addEventHandler: (h) => (l.addEventHandler(h), l.list().forEach((o) => h.onAdd?.(o, true)), () => undefined) };
    },
    release: (ref) => released.push(ref),
  });
  const defineCrd = (crd: CustomResourceDefinitionLike) => definitions.handlers.forEach((h) => h.onAdd?.(crd, false));
  const deleteCrd = (crd: CustomResourceDefinitionLike) => definitions.handlers.forEach((h) => h.onDelete?.(crd));
  return { gc, transport, asked, released, defineCrd, deleteCrd, widgetLister };
}

t.test('an established definition names its storage version and every served apiVersion', async (t) => {
  t.same(definedResource(widgetsCrd()), {
    ref: { group: 'example.com', version: 'v1', resource: 'widgets', namespaced: true },
    kind: 'Widget',
    apiVersions: ['example.com/v1beta1', 'example.com/v1'],
  });
  t.equal(definedResource(widgetsCrd({ established: false })), undefined, 'not established yet: nothing to follow');
});

t.test('an object owned by a custom object that is gone is collected once its kind is followed', async (t) => {
  const s = setup([ownedConfigMap('cfg', { name: 'w1', uid: 'w-1', apiVersion: 'example.com/v1beta1' })], []);
  await s.gc.sync('cm-cfg');
  t.same(s.transport.summary(), [], 'before the definition: the owner is taken to exist');
  s.defineCrd(widgetsCrd());
  t.same(s.asked, [{ group: 'example.com', version: 'v1', resource: 'widgets', namespaced: true }]);
  await s.gc.sync('cm-cfg');
  t.same(s.transport.summary(), ['delete configmaps/cfg'], 'an owner reference naming another served version resolves too');
  t.ok(s.transport.actions.some((a) => a.verb === 'get' && a.target === 'widgets/w1'), 'the owner was looked up before deleting');
});

t.test('an object whose custom owner exists is kept; deleting the owner collects it', async (t) => {
  const w = widget('w1', 'w-1');
  const s = setup([ownedConfigMap('cfg', { name: 'w1', uid: 'w-1' })], [w]);
  s.defineCrd(widgetsCrd());
  await s.gc.sync('cm-cfg');
  t.same(s.transport.summary(), []);
  s.widgetLister.cache.delete('default/w1');
  for (const h of s.widgetLister.handlers) h.onDelete?.(w);
  await s.gc.sync('cm-cfg');
  t.same(s.transport.summary(), ['delete configmaps/cfg']);
});

t.test('a deleted definition stops its informer; a new storage version moves it', async (t) => {
  const s = setup([], []);
  s.defineCrd(widgetsCrd());
  s.defineCrd(widgetsCrd());
  t.equal(s.asked.length, 1, 'an unchanged definition is followed once');
  s.defineCrd(widgetsCrd({ storage: 'v1beta1' }));
  t.same(s.released.map((r) => r.version), ['v1']);
  t.same(s.asked.map((r) => r.version), ['v1', 'v1beta1']);
  s.deleteCrd(widgetsCrd({ storage: 'v1beta1' }));
  t.same(s.released.map((r) => r.version), ['v1', 'v1beta1']);
});
