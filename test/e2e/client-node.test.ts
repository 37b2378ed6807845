import t from 'tap';
import { AppsV1Api, CoreV1Api, KubeConfig, KubernetesObjectApi, loadAllYaml, makeInformer, PatchStrategy, type KubernetesObject, type V1ConfigMap } from '@kubernetes/client-node';
import { startTsk8s } from '../helpers/server.js';

// Many kubectl runs against a real server: longer than the suite's default timeout on a busy machine.
t.setTimeout(600_000);

// @kubernetes/client-node against `tsk8s server`: CRUD, list paging, an
// informer that sees every change, and KubernetesObjectApi applying a
// multi-document YAML (a CRD, an object of its kind and built-in kinds).
const server = await startTsk8s();
t.teardown(() => server.stop());
const kc = new KubeConfig();
kc.loadFromFile(server.kubeconfig);
const core = kc.makeApiClient(CoreV1Api);
const apps = kc.makeApiClient(AppsV1Api);

const cm = (name: string, data: Record<string, string> = { a: '1' }): V1ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { suite: 'client-node' } }, data });

t.test('CRUD on configmaps with Status errors as ApiExceptions', async (t) => {
  const created = await core.createNamespacedConfigMap({ namespace: 'default', body: cm('crud') });
  t.equal(created.metadata?.name, 'crud');
  const read = await core.readNamespacedConfigMap({ namespace: 'default', name: 'crud' });
  t.same(read.data, { a: '1' });
  read.data = { a: '2' };
  const replaced = await core.replaceNamespacedConfigMap({ namespace: 'default', name: 'crud', body: read });
  t.same(replaced.data, { a: '2' });
  await t.rejects(core.replaceNamespacedConfigMap({ namespace: 'default', name: 'crud', body: read }), { code: 409 }, 'a stale update conflicts');
  await t.rejects(core.createNamespacedConfigMap({ namespace: 'default', body: cm('crud') }), { code: 409 });
  await core.deleteNamespacedConfigMap({ namespace: 'default', name: 'crud' });
  await t.rejects(core.readNamespacedConfigMap({ namespace: 'default', name: 'crud' }), { code: 404 });
});

t.test('deployments through the apps client', async (t) => {
  const body = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'nodeclient' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'nc' } }, template: { metadata: { labels: { app: 'nc' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
  };
  const created = await apps.createNamespacedDeployment({ namespace: 'default', body });
  t.equal(created.spec?.strategy?.type, 'RollingUpdate');
  const scale = await apps.readNamespacedDeploymentScale({ namespace: 'default', name: 'nodeclient' });
  t.equal(scale.spec?.replicas, 2);
});

t.test('list paging with limit and continue', async (t) => {
  for (let i = 0; i < 25; i++) await core.createNamespacedConfigMap({ namespace: 'default', body: cm(`page-${String(i).padStart(2, '0')}`) });
  const names: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await core.listNamespacedConfigMap({ namespace: 'default', labelSelector: 'suite=client-node', limit: 10, _continue: token });
    pages++;
    names.push(...page.items.map((i) => i.metadata?.name ?? ''));
    token = page.metadata?._continue || undefined;
    if (token) t.equal(page.metadata?.remainingItemCount, undefined, 'no count with a selector');
  } while (token);
  t.equal(pages, 3);
  t.equal(names.length, 25);
  t.same(names, [...names].sort());
});

t.test('an informer sees every change', async (t) => {
  const seen: string[] = [];
  const informer = makeInformer(kc, '/api/v1/namespaces/default/configmaps', () => core.listNamespacedConfigMap({ namespace: 'default', labelSelector: 'informed=yes' }), 'informed=yes');
  informer.on('add', (o) => seen.push(`add ${o.metadata?.name}`));
  informer.on('update', (o) => seen.push(`update ${o.metadata?.name} ${o.data?.v}`));
  informer.on('delete', (o) => seen.push(`delete ${o.metadata?.name}`));
  await informer.start();
  const body = (v: string): V1ConfigMap => ({ ...cm('informed', { v }), metadata: { name: 'informed', labels: { informed: 'yes' } } });
  await core.createNamespacedConfigMap({ namespace: 'default', body: body('1') });
  const live = await core.readNamespacedConfigMap({ namespace: 'default', name: 'informed' });
  await core.replaceNamespacedConfigMap({ namespace: 'default', name: 'informed', body: { ...live, data: { v: '2' } } });
  await core.deleteNamespacedConfigMap({ namespace: 'default', name: 'informed' });
  const deadline = Date.now() + 10_000;
  while (seen.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await informer.stop();
  t.same(seen, ['add informed', 'update informed 2', 'delete informed']);
});

t.test('KubernetesObjectApi applies a multi-document YAML, then applies it again changed', async (t) => {
  const objects = KubernetesObjectApi.makeApiClient(kc);
  const manifest = (size: string, data: string) => `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.example.org
spec:
  group: example.org
  scope: Namespaced
  names: {plural: gadgets, kind: Gadget}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: string}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: multi, namespace: default}
data: {key: ${data}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: multi, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: multi}}
  template:
    metadata: {labels: {app: multi}}
    spec:
      containers: [{name: c, image: busybox}]
---
apiVersion: example.org/v1
kind: Gadget
metadata: {name: g1, namespace: default}
spec: {size: ${size}}
`;
  // The usual apply loop: read each document; create it when missing, else server-side apply it.
  const apply = async (text: string): Promise<string[]> => {
    const done: string[] = [];
    for (const spec of loadAllYaml(text) as KubernetesObject[]) {
      let exists = true;
      try {
        await objects.read({ apiVersion: spec.apiVersion ?? '', kind: spec.kind ?? '', metadata: { name: spec.metadata?.name ?? '', namespace: spec.metadata?.namespace ?? '' } });
      } catch (err) {
        if ((err as { code?: number }).code !== 404) throw err;
        exists = false;
      }
      if (exists) await objects.patch(spec, undefined, undefined, 'multi-apply', true, PatchStrategy.ServerSideApply);
      else await objects.create(spec);
      done.push(`${exists ? 'applied' : 'created'} ${spec.kind}/${spec.metadata?.name}`);
    }
    return done;
  };
  t.same(await apply(manifest('small', 'one')), ['created CustomResourceDefinition/gadgets.example.org', 'created ConfigMap/multi', 'created Deployment/multi', 'created Gadget/g1']);
  t.same(await apply(manifest('large', 'two')), ['applied CustomResourceDefinition/gadgets.example.org', 'applied ConfigMap/multi', 'applied Deployment/multi', 'applied Gadget/g1']);
  const gadget = await objects.read<KubernetesObject & { spec?: { size?: string } }>({ apiVersion: 'example.org/v1', kind: 'Gadget', metadata: { name: 'g1', namespace: 'default' } });
  t.equal(gadget.spec?.size, 'large');
  t.same((await core.readNamespacedConfigMap({ namespace: 'default', name: 'multi' })).data, { key: 'two' });
  const listed = await objects.list('example.org/v1', 'Gadget', 'default');
  t.same(listed.items.map((i) => i.metadata?.name), ['g1']);
  await objects.delete({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'gadgets.example.org' } });
});
