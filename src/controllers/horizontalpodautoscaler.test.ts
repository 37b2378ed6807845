import t from 'tap';
import type { autoscalingv2, corev1 } from '../api/types.js';
import { Client, type ClientRequest, type ClientResponse } from '../client/index.js';
import { HorizontalPodAutoscalerController } from './horizontalpodautoscaler.js';
import { normalizeReplicas } from './horizontalpodautoscaler-normalize.js';
import { resourceReplicas } from './horizontalpodautoscaler-replicas.js';
import type { Hpa } from './horizontalpodautoscaler-spec.js';
import { FakeLister, FakeRecorder, RecordingTransport } from './testing.fixture.js';

const t0 = new Date('2026-01-02T03:04:05Z');

/** Answers PodMetrics lists from `podMetrics`; everything else as the recording transport. */
class MetricsTransport extends RecordingTransport {
  podMetrics: unknown[] = [];
  metricsPaths: string[] = [];
  override async request(req: ClientRequest): Promise<ClientResponse> {
    if (req.path.startsWith('/apis/metrics.k8s.io/')) {
      this.metricsPaths.push(`${req.path}?${req.query?.labelSelector ?? ''}`);
      return { code: 200, body: { kind: 'PodMetricsList', metadata: {}, items: structuredClone(this.podMetrics) } };
    }
    return super.request(req);
  }
}

function pod(name: string, opts: { cpu?: string | null; phase?: string; ready?: boolean } = {}): corev1.Pod {
  const requests: Record<string, string> = opts.cpu === null ? {} : { cpu: opts.cpu ?? '100m' };
  return {
    metadata: { name, namespace: 'ns', labels: { app: 'web' } },
    spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests } }] },
    status: {
      phase: opts.phase ?? 'Running',
      startTime: '2026-01-02T02:00:00Z',
      conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True', lastTransitionTime: '2026-01-02T02:00:01Z' }],
    },
  };
}

function usage(name: string, cpu: string) {
  return { metadata: { name, namespace: 'ns' }, timestamp: '2026-01-02T03:04:00Z', window: '15.012s', containers: [{ name: 'c', usage: { cpu, memory: '1Mi' } }] };
}

function hpa(spec: Partial<autoscalingv2.HorizontalPodAutoscalerSpec> = {}): Hpa {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'h', namespace: 'ns', generation: 1 },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 1,
      maxReplicas: 3,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
      ...spec,
    },
  };
}

function setup(h: Hpa, pods: corev1.Pod[], metrics: unknown[], replicas = pods.length) {
  const transport = new MetricsTransport();
  transport.podMetrics = metrics;
  transport.objects.set('deployments/ns/web', { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'web', namespace: 'ns' }, spec: { replicas }, status: { replicas, selector: 'app=web' } });
  const recorder = new FakeRecorder();
  let now = t0;
  const hpas = new FakeLister([h]);
  const c = new HorizontalPodAutoscalerController({ client: new Client(transport), hpas, pods: new FakeLister(pods), recorder, now: () => now });
  const sync = async () => {
    await c.sync('ns/h');
    const status = transport.bodies<Hpa>('update', 'horizontalpodautoscalers/h/status').at(-1)?.status;
    if (status) hpas.cache.set({ ...h, status });
    return status;
  };
  return { c, transport, recorder, sync, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

const conditions = (s: Hpa['status']) => Object.fromEntries((s?.conditions ?? []).map((c) => [c.type, `${c.status} ${c.reason ?? ''}`]));

t.test('scales up on CPU above the target, bounded by maxReplicas, and reports why', async (t) => {
  const { transport, recorder, sync } = setup(hpa(), [pod('web-1')], [usage('web-1', '500m')]);
  const status = await sync();
  t.same(transport.bodies<{ spec: { replicas: number } }>('update', 'deployments/web/scale').map((b) => b.spec.replicas), [3]);
  t.same(transport.metricsPaths, ['/apis/metrics.k8s.io/v1beta1/namespaces/ns/pods?app=web'], 'PodMetrics by the scale selector');
  t.same(recorder.events, ['Normal SuccessfulRescale New size: 3; reason: cpu resource utilization (percentage of request) above target']);
  t.match(status, { currentReplicas: 1, desiredReplicas: 3, observedGeneration: 1, lastScaleTime: '2026-01-02T03:04:05Z' });
  t.same(status?.currentMetrics, [{ type: 'Resource', resource: { name: 'cpu', current: { averageValue: '500m', averageUtilization: 500 } } }]);
  t.same(conditions(status), { AbleToScale: 'True SucceededRescale', ScalingActive: 'True ValidMetricFound', ScalingLimited: 'True TooManyReplicas' });
});

t.test('within the tolerance nothing changes', async (t) => {
  const { transport, recorder, sync } = setup(hpa(), [pod('web-1'), pod('web-2')], [usage('web-1', '52m'), usage('web-2', '54m')]);
  const status = await sync();
  t.same(transport.bodies('update', 'deployments/web/scale'), []);
  t.same(recorder.events, []);
  t.match(status, { currentReplicas: 2, desiredReplicas: 2 });
  t.same(conditions(status), { AbleToScale: 'True ReadyForNewScale', ScalingActive: 'True ValidMetricFound', ScalingLimited: 'False DesiredWithinRange' });
});

t.test('a scale-down waits for the stabilization window unless behavior shortens it', async (t) => {
  const pods = [pod('web-1'), pod('web-2'), pod('web-3')];
  const busy = pods.map((p) => usage(p.metadata?.name ?? '', '50m'));
  const idle = pods.map((p) => usage(p.metadata?.name ?? '', '5m'));
  const held = setup(hpa(), pods, busy);
  await held.sync();
  held.transport.podMetrics = idle;
  held.advance(60_000);
  const status = await held.sync();
  t.same(held.transport.bodies('update', 'deployments/web/scale'), [], 'the recommendation of a minute ago (3) still holds');
  t.match(status, { currentReplicas: 3, desiredReplicas: 3 });
  t.equal(conditions(status).AbleToScale, 'True ScaleDownStabilized');
  held.advance(300_000);
  await held.sync();
  t.same(held.transport.bodies<{ spec: { replicas: number } }>('update', 'deployments/web/scale').map((b) => b.spec.replicas), [1], 'after the window it scales down');
  t.same(held.recorder.events, ['Normal SuccessfulRescale New size: 1; reason: All metrics below target']);

  const quick = setup(hpa({ behavior: { scaleDown: { stabilizationWindowSeconds: 0 } } }), pods, busy);
  await quick.sync();
  quick.transport.podMetrics = idle;
  quick.advance(15_000);
  await quick.sync();
  t.same(quick.transport.bodies<{ spec: { replicas: number } }>('update', 'deployments/web/scale').map((b) => b.spec.replicas), [1]);
});

t.test('an autoscaling/v1 HPA scales on its CPU percentage and gets v1 status fields', async (t) => {
  const v1 = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h', namespace: 'ns' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 50 } } as unknown as Hpa;
  const { transport, sync } = setup(v1, [pod('web-1')], [usage('web-1', '150m')]);
  const status = await sync();
  t.same(transport.bodies<{ spec: { replicas: number } }>('update', 'deployments/web/scale').map((b) => b.spec.replicas), [3]);
  t.same(status, { observedGeneration: 0, lastScaleTime: '2026-01-02T03:04:05Z', currentReplicas: 1, desiredReplicas: 3, currentCPUUtilizationPercentage: 150 });
});

t.test('no metrics yet: ScalingActive False with upstream messages and events', async (t) => {
  const { transport, recorder, sync } = setup(hpa(), [pod('web-1')], []);
  const status = await sync();
  t.same(transport.bodies('update', 'deployments/web/scale'), []);
  const message = 'failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API';
  t.match(status?.conditions?.find((c) => c.type === 'ScalingActive'), { status: 'False', reason: 'FailedGetResourceMetric', message: `the HPA was unable to compute the replica count: ${message}` });
  t.same(recorder.events, [`Warning FailedGetResourceMetric ${message}`, `Warning FailedComputeMetricsReplicas invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: ${message}`]);
});

t.test('a container without a CPU request cannot be scaled on utilization', async (t) => {
  const { sync } = setup(hpa(), [pod('web-1', { cpu: null })], [usage('web-1', '150m')]);
  const status = await sync();
  t.match(status?.conditions?.find((c) => c.type === 'ScalingActive')?.message, 'failed to get cpu utilization: missing request for cpu in container c of Pod web-1');
});

t.test('replica bounds and a target at zero', async (t) => {
  const above = setup(hpa(), [pod('web-1')], [usage('web-1', '50m')], 5);
  await above.sync();
  t.same(above.recorder.events, ['Normal SuccessfulRescale New size: 3; reason: Current number of replicas above Spec.MaxReplicas']);
  const zero = setup(hpa(), [], [], 0);
  const status = await zero.sync();
  t.equal(conditions(status).ScalingActive, 'False ScalingDisabled');
  t.same(zero.transport.bodies('update', 'deployments/web/scale'), []);
});

t.test('a target without a scale subresource cannot be scaled', async (t) => {
  const { recorder, sync } = setup(hpa({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'gone' } }), [pod('web-1')], []);
  const status = await sync();
  t.equal(conditions(status).AbleToScale, 'False FailedGetScale');
  t.match(recorder.events[0], /^Warning FailedGetScale deployments "gone" not found/);
});

t.test('average value targets; unready and missing pods as upstream treats them', async (t) => {
  const now = t0.getTime();
  const sample = (value: number) => ({ value, timestampMs: now - 1000, windowMs: 15_000 });
  const pods = [pod('a'), pod('b'), pod('c', { ready: false }), pod('d', { phase: 'Pending' })];
  const samples = new Map([['a', sample(400)], ['b', sample(400)], ['c', sample(0)]]);
  const avg = { type: 'AverageValue', average: 200 } as const;
  // a and b at twice the target would ask for more; the unready c (never ready) and pending d count at zero when scaling up.
  const up = resourceReplicas(4, pods, samples, 'cpu', avg, now);
  t.same(up, { replicas: 4, average: 400 }, 'unready pods at zero pull the ratio back to exactly 1: no change');
  const missing = resourceReplicas(3, [pod('a'), pod('b'), pod('e')], new Map([['a', sample(100)], ['b', sample(100)]]), 'cpu', avg, now);
  t.equal(missing.replicas, 2, 'a missing pod counts at the target when scaling down: ceil(400/3/200 × 3) = 2, not 1');
  t.throws(() => resourceReplicas(1, [pod('a', { phase: 'Pending' })], new Map([['a', sample(1)]]), 'cpu', avg, now), /did not receive metrics for targeted pods \(pods might be unready\)/);
});

t.test('behavior policies limit the rate', async (t) => {
  const base = { min: 1, max: 100, recommendations: [], events: [], nowMs: 1_000_000, defaultDownscaleWindowMs: 300_000 };
  const behavior = { scaleUp: { policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] } };
  t.same(normalizeReplicas({ ...base, current: 2, desired: 10, behavior }), { replicas: 4, stabilized: false, limit: { reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' } });
  const afterEvent = normalizeReplicas({ ...base, current: 4, desired: 10, behavior, events: [{ timestampMs: 990_000, change: 2 }] });
  t.equal(afterEvent.replicas, 4, 'the change within the period uses the allowance up');
  t.same(normalizeReplicas({ ...base, current: 2, desired: 10, behavior: undefined }).replicas, 4, 'without behavior: at most max(2×current, 4)');
  t.equal(normalizeReplicas({ ...base, current: 2, desired: 0, behavior: undefined }).limit?.reason, 'TooFewReplicas');
});
