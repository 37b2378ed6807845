// Builders for the endpoints controllers' tests: services and pods with an
// address, readiness and named container ports.
import type { corev1 } from '../api/types.js';
import { makePod, type PodOpts } from './testing.fixture.js';

export function makeService(name: string, opts: { selector?: Record<string, string> | null; ports?: corev1.ServicePort[]; headless?: boolean; publishNotReady?: boolean; labels?: Record<string, string> } = {}): corev1.Service {
  const selector = opts.selector === null ? undefined : (opts.selector ?? { app: name });
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', uid: `svc-${name}`, resourceVersion: '1', ...(opts.labels ? { labels: opts.labels } : {}) },
    spec: {
      ...(selector ? { selector } : {}),
      ports: opts.ports ?? [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'web' }],
      clusterIP: opts.headless ? 'None' : '10.43.0.20',
      ...(opts.publishNotReady ? { publishNotReadyAddresses: true } : {}),
    },
  };
}

/** A running pod with `ip`, a container port named `web` (8080), on node `n1` unless told. */
export function makeEndpointPod(name: string, ip: string | undefined, opts: PodOpts = {}): corev1.Pod {
  const pod = makePod(name, { node: 'n1', phase: 'Running', labels: { app: 'web' }, ...opts });
  const spec = { ...pod.spec!, containers: [{ name: 'c', image: 'busybox', ports: [{ name: 'web', containerPort: 8080, protocol: 'TCP' }] }] };
  return { ...pod, spec, status: ip ? { ...pod.status, podIP: ip, podIPs: [{ ip }] } : pod.status };
}
