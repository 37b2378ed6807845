import t from 'tap';
import type { corev1 } from '../../api/types.js';
import { limitRangerPlugin } from './limitranger.js';
import { keyspaces } from './lookup.js';
import { admissionContext, attributes, pod, run } from './testing.fixture.js';

const range = (limits: corev1.LimitRangeItem[]) => ({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'lr', namespace: 'ns' }, spec: { limits } });
const container = (resources: corev1.ResourceRequirements, name = 'c') => ({ name, image: 'nginx', resources });

t.test('defaults container and init container resources and records it', async (t) => {
  const ctx = await admissionContext([[keyspaces.limitRanges, range([{ type: 'Container', default: { cpu: '500m', memory: '128Mi' }, defaultRequest: { cpu: '100m' } }])]]);
  const a = attributes('pods', pod('p', { containers: [container({ limits: { memory: '1Gi' } })], initContainers: [container({}, 'init')] }));
  t.equal(await run(limitRangerPlugin, ctx, a), '');
  const p = a.object as corev1.Pod;
  t.same(p.spec?.containers[0]?.resources, { limits: { memory: '1Gi', cpu: '500m' }, requests: { cpu: '100m' } });
  t.same(p.spec?.initContainers?.[0]?.resources, { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m' } });
  t.equal(
    p.metadata?.annotations?.['kubernetes.io/limit-ranger'],
    'LimitRanger plugin set: cpu request for container c; cpu limit for container c; cpu request for init container init; cpu, memory limit for init container init',
  );
});

t.test('refuses resources outside min, max and ratio', async (t) => {
  const cases: [string, corev1.LimitRangeItem, corev1.ResourceRequirements, string][] = [
    ['within', { type: 'Container', max: { cpu: '1' }, min: { cpu: '100m' } }, { requests: { cpu: '200m' }, limits: { cpu: '1' } }, ''],
    ['limit above max', { type: 'Container', max: { cpu: '1' } }, { limits: { cpu: '2' } }, 'pods "p" is forbidden: maximum cpu usage per Container is 1, but limit is 2'],
    ['no limit under max', { type: 'Container', max: { memory: '1Gi' } }, { requests: { memory: '1Mi' } }, 'pods "p" is forbidden: maximum memory usage per Container is 1Gi.  No limit is specified'],
    ['request below min', { type: 'Container', min: { cpu: '100m' } }, { requests: { cpu: '50m' } }, 'pods "p" is forbidden: minimum cpu usage per Container is 100m, but request is 50m'],
    ['no request under min', { type: 'Container', min: { cpu: '100m' } }, {}, 'pods "p" is forbidden: minimum cpu usage per Container is 100m.  No request is specified'],
    ['ratio too high', { type: 'Container', maxLimitRequestRatio: { cpu: '2' } }, { requests: { cpu: '100m' }, limits: { cpu: '500m' } }, 'pods "p" is forbidden: cpu max limit to request ratio per Container is 2, but provided ratio is 5.000000'],
    ['pod total above max', { type: 'Pod', max: { cpu: '1' } }, { limits: { cpu: '800m' } }, 'pods "p" is forbidden: maximum cpu usage per Pod is 1, but limit is 1600m'],
  ];
  for (const [name, item, resources, want] of cases) {
    const ctx = await admissionContext([[keyspaces.limitRanges, range([item])]]);
    const containers = item.type === 'Pod' ? [container(resources, 'a'), container(resources, 'b')] : [container(resources)];
    t.equal(await run(limitRangerPlugin, ctx, attributes('pods', pod('p', { containers }))), want, name);
  }
});

t.test('several violations are listed together', async (t) => {
  const ctx = await admissionContext([[keyspaces.limitRanges, range([{ type: 'Container', max: { cpu: '1', memory: '1Gi' } }])]]);
  const err = await run(limitRangerPlugin, ctx, attributes('pods', pod('p', { containers: [container({ limits: { cpu: '2', memory: '2Gi' } })] })));
  t.equal(err, 'pods "p" is forbidden: [maximum cpu usage per Container is 1, but limit is 2, maximum memory usage per Container is 1Gi, but limit is 2Gi]');
});

t.test('claims are held to PersistentVolumeClaim limits', async (t) => {
  const ctx = await admissionContext([[keyspaces.limitRanges, range([{ type: 'PersistentVolumeClaim', max: { storage: '1Gi' }, min: { storage: '1Mi' } }])]]);
  const claim = (storage: string) => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c', namespace: 'ns' }, spec: { resources: { requests: { storage } } } });
  t.equal(await run(limitRangerPlugin, ctx, attributes('persistentvolumeclaims', claim('5Gi'))), 'persistentvolumeclaims "c" is forbidden: maximum storage usage per PersistentVolumeClaim is 1Gi, but request is 5Gi');
  t.equal(await run(limitRangerPlugin, ctx, attributes('persistentvolumeclaims', claim('1Ki'))), 'persistentvolumeclaims "c" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Mi, but request is 1Ki');
});

t.test('pod updates are not checked', async (t) => {
  const ctx = await admissionContext([[keyspaces.limitRanges, range([{ type: 'Container', max: { cpu: '1' } }])]]);
  t.equal(await run(limitRangerPlugin, ctx, attributes('pods', pod('p'), { operation: 'UPDATE' })), '');
});
