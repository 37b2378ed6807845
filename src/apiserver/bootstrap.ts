// Objects every cluster starts with: the system namespaces and the
// `kubernetes` Service holding the first service IP. Idempotent: existing
// objects are left as they are.
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

export async function bootstrap(router: ApiRouter, kubernetesServiceIp: string, apiPort: number): Promise<void> {
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
}

