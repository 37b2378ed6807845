import t from 'tap';
import { AppsV1Api, CoreV1Api, KubeConfig, makeInformer, type V1ConfigMap } from '@kubernetes/client-node';
import { startTsk8s } from '../helpers/server.js';

// @kubernetes/client-node against `tsk8s server`: CRUD, list paging, and an
// informer that sees every change.
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
