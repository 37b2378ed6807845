import t from 'tap';
import type { KubeObject } from '../object.js';
import { defaulters } from './index.js';

function run(resource: string, spec: unknown): Record<string, unknown> {
  const obj: KubeObject = { metadata: { name: 'x' }, spec };
  defaulters[resource]?.(obj);
  return obj.spec as Record<string, unknown>;
}

const template = () => ({ metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } });

t.test('deployment defaults', async (t) => {
  const spec = run('deployments.apps', { template: template() });
  t.match(spec, {
    replicas: 1,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    revisionHistoryLimit: 10,
    progressDeadlineSeconds: 600,
    template: { spec: { restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', containers: [{ imagePullPolicy: 'IfNotPresent' }] } },
  });
  t.same(run('deployments.apps', { replicas: 0, strategy: { type: 'Recreate' } }).strategy, { type: 'Recreate' });
  t.equal(run('deployments.apps', { replicas: 0 }).replicas, 0);
  t.same(run('deployments.apps', { strategy: { rollingUpdate: { maxSurge: 0 } } }).strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '25%' } });
});

t.test('replicaset, daemonset, statefulset defaults', async (t) => {
  t.match(run('replicasets.apps', { template: template() }), { replicas: 1, template: { spec: { schedulerName: 'default-scheduler' } } });
  t.match(run('daemonsets.apps', { template: template() }), {
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
    revisionHistoryLimit: 10,
  });
  t.same(run('daemonsets.apps', { updateStrategy: { type: 'OnDelete' } }).updateStrategy, { type: 'OnDelete' });
  const sts = run('statefulsets.apps', { template: template(), volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'] } }] });
  t.match(sts, {
    replicas: 1,
    podManagementPolicy: 'OrderedReady',
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
    revisionHistoryLimit: 10,
    persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
  });
  t.same(sts.volumeClaimTemplates, [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem' }, status: { phase: 'Pending' } }]);
  t.same(run('statefulsets.apps', { updateStrategy: { type: 'OnDelete' } }).updateStrategy, { type: 'OnDelete' });
  t.same(run('statefulsets.apps', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } }).updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 2 } });
});
