// Objects every cluster starts with: the system namespaces, the system
// PriorityClasses, the `kubernetes` Service holding the first service IP and the default
// StorageClass `local-path`. Idempotent: existing objects are left as they
// are.
import { isIP } from 'node:net';
import type { StoredObject } from '../api/types.js';
import type { ApiRouter } from './router.js';
import type { ApiRequest, UserInfo } from './rest/types.js';

const systemUser: UserInfo = { username: 'system:apiserver', groups: ['system:masters'] };

export const systemNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'] as const;

/** The built-in PriorityClasses: name, value, description (upstream's SystemPriorityClasses). */
export const systemPriorityClasses = [
  ['system-node-critical', 2000001000, 'Used for system critical pods that must not be moved from their current node.'],
  ['system-cluster-critical', 2000000000, 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.'],
] as const;

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

/** The system namespaces, the default StorageClass, and the `kubernetes` Service with Endpoints and an EndpointSlice pointing at the API. */
export async function bootstrap(router: ApiRouter, kubernetesServiceIp: string, apiPort: number, apiAddress: string, clusterDnsIp?: string): Promise<void> {
  for (const name of systemNamespaces) {
    await ensure(router, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  for (const [name, value, description] of systemPriorityClasses) {
    await ensure(router, '/apis/scheduling.k8s.io/v1/priorityclasses', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, description });
  }
  // Cluster DNS runs inside every node (not in pods), on this address itself: hence no selector, and a
  // label telling the service proxy to leave the address alone.
  if (clusterDnsIp) await ensure(router, '/api/v1/namespaces/kube-system/services', kubeDnsService(clusterDnsIp));
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
  // k3s's default class: volumes on the node that first runs a pod of the claim.
  await ensure(router, '/apis/storage.k8s.io/v1/storageclasses', {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'local-path', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: 'rancher.io/local-path',
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
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

/** The `kube-dns` Service as k3s users know it (labels, port names), minus the pods behind it. */
function kubeDnsService(ip: string): StoredObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kube-dns',
      namespace: 'kube-system',
      labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS', 'tsk8s.io/node-local': 'true' },
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: ip,
      clusterIPs: [ip],
      ipFamilyPolicy: 'SingleStack',
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
      ],
      sessionAffinity: 'None',
    },
  };
}

function isLoopback(ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1';
}
