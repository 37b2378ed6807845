// The HPA controller against an in-process API server (which has no
// kubelets to scrape, so the metrics API is unavailable): replica bounds
// applied through the target's /scale, the metrics failure reported in
// status and events, and an autoscaling/v1 HPA answered in v1's fields.
import t from 'tap';
import type { appsv1, autoscalingv1, autoscalingv2, corev1 } from '../../../src/api/types.js';
import { horizontalPodAutoscalersRef } from '../../../src/controllers/horizontalpodautoscaler.js';
import { eventually, startControllerTest } from '../../helpers/controllers.js';

const { client } = await startControllerTest(t, { controllers: ['horizontalpodautoscaling'] });
const hpas = client.resource<autoscalingv2.HorizontalPodAutoscaler>(horizontalPodAutoscalersRef);
const v1Hpas = client.resource<autoscalingv1.HorizontalPodAutoscaler>({ ...horizontalPodAutoscalersRef, version: 'v1' });

const deployment = (name: string, replicas: number): appsv1.Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default' },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '100m' } } }] } },
  },
});

const events = async (name: string): Promise<string[]> =>
  (await client.events.list({ namespace: 'default' })).items.filter((e: corev1.Event) => e.involvedObject.name === name && e.involvedObject.kind === 'HorizontalPodAutoscaler').map((e) => `${e.reason ?? ''} ${e.message ?? ''}`);

t.test('below minReplicas the target is scaled up to it through /scale', async (t) => {
  await client.deployments.create(deployment('low', 1));
  await hpas.create({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'low', namespace: 'default' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'low' }, minReplicas: 2, maxReplicas: 4 },
  });
  t.ok(await eventually(async () => (await client.deployments.get('low', 'default')).spec?.replicas === 2), 'scaled to 2');
  t.ok(await eventually(async () => (await events('low')).includes('SuccessfulRescale New size: 2; reason: Current number of replicas below Spec.MinReplicas')), 'event recorded');
  t.ok(await eventually(async () => (await hpas.get('low', 'default')).status?.desiredReplicas === 2), 'status says so');
});

t.test('without a metrics API the HPA reports it cannot compute a count', async (t) => {
  await client.deployments.create(deployment('web', 1));
  await hpas.create({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 1,
      maxReplicas: 3,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
    },
  });
  let active: autoscalingv2.HorizontalPodAutoscalerCondition | undefined;
  t.ok(await eventually(async () => (active = (await hpas.get('web', 'default')).status?.conditions?.find((c) => c.type === 'ScalingActive')) !== undefined), 'conditions written');
  t.match(active, { status: 'False', reason: 'FailedGetResourceMetric', message: /^the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: / });
  const status = (await hpas.get('web', 'default')).status;
  t.match(status?.conditions?.find((c) => c.type === 'AbleToScale'), { status: 'True', reason: 'SucceededGetScale' });
  t.equal(status?.currentReplicas, 1);
  t.equal((await client.deployments.get('web', 'default')).spec?.replicas, 1, 'nothing scaled');
});

t.test('an autoscaling/v1 HPA above maxReplicas scales down and gets v1 status', async (t) => {
  await client.deployments.create(deployment('old', 5));
  await v1Hpas.create({
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'old', namespace: 'default' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'old' }, minReplicas: 1, maxReplicas: 3, targetCPUUtilizationPercentage: 50 },
  });
  t.ok(await eventually(async () => (await client.deployments.get('old', 'default')).spec?.replicas === 3), 'scaled down to maxReplicas');
  t.ok(await eventually(async () => (await v1Hpas.get('old', 'default')).status?.desiredReplicas === 3));
  const status = { ...(await v1Hpas.get('old', 'default')).status } as Record<string, unknown>;
  t.match(status, { desiredReplicas: 3, lastScaleTime: String });
  t.notOk('conditions' in status || 'currentMetrics' in status, 'v1 has no conditions or metrics in status');
});
