// Bound service account tokens for projected volumes, through the
// TokenRequest API, reused until 80% of their lifetime has passed (as
// upstream's token manager does).
import type { authenticationv1, corev1 } from '../../api/types.js';
import type { Client } from '../../client/index.js';
import type { Clock } from '../clock.js';
import { KubeletError } from '../errors.js';

interface Cached {
  token: string;
  refreshAt: number;
}

export function tokenSource(client: Client, clock: Clock): (pod: corev1.Pod, source: corev1.ServiceAccountTokenProjection) => Promise<string> {
  const cache = new Map<string, Cached>();
  return async (pod, source) => {
    const ns = pod.metadata?.namespace ?? '';
    const sa = pod.spec?.serviceAccountName || 'default';
    const expiration = source.expirationSeconds ?? 3600;
    const key = [pod.metadata?.uid, sa, source.audience ?? '', expiration].join('/');
    const hit = cache.get(key);
    const now = clock.now();
    if (hit && now < hit.refreshAt) return hit.token;
    for (const [k, v] of cache) if (now >= v.refreshAt + expiration * 200) cache.delete(k);
    const request: authenticationv1.TokenRequest = {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: {
        audiences: source.audience ? [source.audience] : [],
        expirationSeconds: expiration,
        boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' },
      },
    };
    const res = await client.transport.request({
      method: 'POST',
      path: `/api/v1/namespaces/${encodeURIComponent(ns)}/serviceaccounts/${encodeURIComponent(sa)}/token`,
      body: request,
    });
    const token = (res.body as authenticationv1.TokenRequest | undefined)?.status?.token;
    if (!token) throw new KubeletError('volume', `no token for service account ${ns}/${sa}`);
    cache.set(key, { token, refreshAt: now + expiration * 800 });
    return token;
  };
}
