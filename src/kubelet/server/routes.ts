// The kubelet API paths this server answers (upstream's names).

export interface ContainerRoute {
  kind: 'containerLogs' | 'exec' | 'attach';
  namespace: string;
  pod: string;
  container: string;
}

export interface PodRoute {
  kind: 'portForward';
  namespace: string;
  pod: string;
}

export type KubeletRoute = ContainerRoute | PodRoute;

/**
 * `/containerLogs/{ns}/{pod}/{container}`, `/exec|attach/{ns}/{pod}/{container}`
 * (also with the pod's uid before the container), `/portForward/{ns}/{pod}`
 * (optionally `/{uid}`); undefined for anything else.
 */
export function parseRoute(pathname: string): KubeletRoute | undefined {
  const parts = pathname.split('/').filter((p) => p !== '').map(decodeURIComponent);
  const [kind, namespace, pod] = parts;
  if (namespace === undefined || pod === undefined) return undefined;
  if (kind === 'portForward' && (parts.length === 3 || parts.length === 4)) return { kind, namespace, pod };
  if (kind !== 'containerLogs' && kind !== 'exec' && kind !== 'attach') return undefined;
  if (parts.length === 4 || (parts.length === 5 && kind !== 'containerLogs')) {
    const container = parts[parts.length - 1] ?? '';
    return { kind, namespace, pod, container };
  }
  return undefined;
}
