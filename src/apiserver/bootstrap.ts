// Objects every cluster starts with: the system namespaces and the
// `kubernetes` Service holding the first service IP. Idempotent: existing
// objects are left as they are.
import { isIP } from 'node:net';
import type { StoredObject } from '../api/types.js';
import type { ApiRouter } from './router.js';
import type { ApiRequest, UserInfo } from './rest/types.js';

const systemUser: UserInfo = { username: 'system:apiserver', groups: ['system:masters'] };

export const systemNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'] as const;

async function ensure(router: ApiRouter, path: string, obj: StoredObject): Promise<void> {
  const req: ApiRequest = {
    method: 'POST',
    path,
    query: new URLSearchParams(),
    accept: 'application/json',
    contentType: 'application/json',
    object: obj,
    user: systemUser,
    signal: new AbortController().signal,
  };
  const res = await router.handle(req);
  if (res.type === 'object' && res.code >= 300) {
    const status = res.body as { reason?: string; message?: string };
    if (status.reason !== 'AlreadyExists') throw new Error(`bootstrap of ${path} failed: ${status.message ?? res.code}`);
  }
}

/** The system namespaces, and the `kubernetes` Service with Endpoints and an EndpointSlice pointing at the API. */
export async function bootstrap(router: ApiRouter, kubernetesServiceIp: string, apiPort: number, apiAddress: string): Promise<void> {
  for (const name of systemNamespaces) {
    await ensure(router, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  await ensure(router, '/api/v1/namespaces/default/services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: {
      type: 'ClusterIP',
      clusterIP: kubernetesServiceIp,
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: apiPort }],
      sessionAffinity: 'None',
    },
  });
  // Endpoints may not point at loopback (validation refuses it), so an API bound only to loopback has none.
  if (isLoopback(apiAddress)) return;
  const port = { name: 'https', port: apiPort, protocol: 'TCP' };
  await ensure(router, '/api/v1/namespaces/default/endpoints', {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: apiAddress }], ports: [port] }],
  });
  await ensure(router, '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices', {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: isIP(apiAddress) === 6 ? 'IPv6' : 'IPv4',
    endpoints: [{ addresses: [apiAddress], conditions: { ready: true } }],
    ports: [port],
  });
}


function isLoopback(ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1';
}
