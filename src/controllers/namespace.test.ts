import t from 'tap';
import type { corev1 } from '../api/types.js';
import { NamespaceController } from './namespace.js';
import { ServiceAccountController } from './serviceaccount.js';
import { FakeLister, recordingClient } from './testing.fixture.js';

const terminating: corev1.Namespace = { metadata: { name: 'doomed', deletionTimestamp: '2026-01-01T00:00:00Z' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Terminating' } };

t.test('a terminating namespace is emptied, then its kubernetes finalizer is removed', async (t) => {
  const { client, transport } = recordingClient();
  const c = new NamespaceController({
    client,
    namespaces: new FakeLister([terminating]),
    discover: async () => [
      { group: '', version: 'v1', resource: 'configmaps', namespaced: true },
      { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true },
    ],
  });
  await c.sync('doomed');
  t.same(transport.summary(), ['delete configmaps', 'delete deployments', 'update namespaces/doomed/finalize']);
  const [body] = transport.bodies<corev1.Namespace>('update', 'namespaces/doomed/finalize');
  t.same(body?.spec?.finalizers, []);
});

t.test('an active namespace is left alone', async (t) => {
  const { client, transport } = recordingClient();
  const c = new NamespaceController({ client, namespaces: new FakeLister([{ metadata: { name: 'live' } }]), discover: async () => [] });
  await c.sync('live');
  t.same(transport.summary(), []);
});

t.test('a namespace without a default ServiceAccount gets one; one that has it gets nothing', async (t) => {
  const { client, transport } = recordingClient();
  const sa: corev1.ServiceAccount = { metadata: { name: 'default', namespace: 'has' } };
  const c = new ServiceAccountController({ client, namespaces: new FakeLister([{ metadata: { name: 'new' } }, { metadata: { name: 'has' } }, terminating]), serviceAccounts: new FakeLister([sa]) });
  await c.sync('new');
  await c.sync('has');
  await c.sync('doomed');
  t.same(transport.summary(), ['create serviceaccounts']);
  t.match(transport.bodies('create', 'serviceaccounts'), [{ metadata: { name: 'default', namespace: 'new' } }]);
});
