// A container's environment, built as upstream's kubelet builds it: envFrom
// sources first (later ones win), then env in order (values expanded
// against what is defined so far and the service variables; valueFrom
// resolved from ConfigMaps, Secrets, the pod's fields and resources), then
// the service link variables nothing overrode. A missing non-optional
// ConfigMap, Secret or key is a CreateContainerConfigError.
import type { corev1 } from '../../api/types.js';
import type { KeyValue } from '../cri/types.js';
import { KubeletError } from '../errors.js';
import { expand, lookupIn } from './expand.js';
import { milli, units } from './resources.js';

export interface NodeAllocatable {
  cpuMilli: number;
  memoryBytes: number;
  ephemeralStorageBytes: number;
}

export interface EnvSources {
  /** The object, or undefined when it does not exist; other failures throw. */
  configMap(namespace: string, name: string): Promise<corev1.ConfigMap | undefined>;
  secret(namespace: string, name: string): Promise<corev1.Secret | undefined>;
  /** Every Service the kubelet knows of; undefined until they have been read once. */
  services(): readonly corev1.Service[] | undefined;
  nodeAllocatable: NodeAllocatable;
  hostIPs: string[];
  podIPs: string[];
}

const masterServices = new Set(['kubernetes']);

const envName = (name: string): string => name.replaceAll('-', '_').toUpperCase();

function serviceIpSet(svc: corev1.Service): boolean {
  const ip = svc.spec?.clusterIP;
  return ip !== undefined && ip !== '' && ip !== 'None';
}

function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** The docker-link style variables of one service. */
export function serviceVariables(svc: corev1.Service): [string, string][] {
  const out: [string, string][] = [];
  const prefix = envName(svc.metadata?.name ?? '');
  const ip = svc.spec?.clusterIP ?? '';
  const ports = svc.spec?.ports ?? [];
  out.push([`${prefix}_SERVICE_HOST`, ip]);
  if (ports[0]) out.push([`${prefix}_SERVICE_PORT`, String(ports[0].port)]);
  for (const p of ports) if (p.name) out.push([`${prefix}_SERVICE_PORT_${envName(p.name)}`, String(p.port)]);
  ports.forEach((p, i) => {
    const proto = (p.protocol ?? 'TCP').toLowerCase();
    const url = `${proto}://${hostPort(ip, p.port)}`;
    if (i === 0) out.push([`${prefix}_PORT`, url]);
    const portPrefix = `${prefix}_PORT_${p.port}_${proto.toUpperCase()}`;
    out.push([portPrefix, url], [`${portPrefix}_PROTO`, proto], [`${portPrefix}_PORT`, String(p.port)], [`${portPrefix}_ADDR`, ip]);
  });
  return out;
}

/** Service variables for a pod in `namespace`: the master services always, the namespace's when links are enabled. */
export function serviceEnv(services: readonly corev1.Service[], namespace: string, enableServiceLinks: boolean): Map<string, string> {
  const chosen = new Map<string, corev1.Service>();
  for (const svc of services) {
    if (!serviceIpSet(svc)) continue;
    const name = svc.metadata?.name ?? '';
    const ns = svc.metadata?.namespace ?? '';
    if (ns === 'default' && masterServices.has(name)) {
      if (!chosen.has(name)) chosen.set(name, svc);
    } else if (ns === namespace && enableServiceLinks) {
      chosen.set(name, svc);
    }
  }
  const env = new Map<string, string>();
  for (const svc of [...chosen.values()].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))) {
    for (const [k, v] of serviceVariables(svc)) env.set(k, v);
  }
  return env;
}

/** `key="value"` lines, sorted, as the downward API formats labels and annotations. */
export function formatMap(map: Record<string, string> | undefined): string {
  return Object.keys(map ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(map?.[k] ?? '')}`)
    .join('\n');
}

/** A pod field for fieldRef (env and downward API volumes); throws for an unsupported path. */
export function podFieldValue(pod: corev1.Pod, fieldPath: string, hostIPs: string[], podIPs: string[]): string {
  const m = pod.metadata ?? {};
  const keyed = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(fieldPath);
  if (keyed) return (keyed[1] === 'labels' ? m.labels : m.annotations)?.[keyed[2] ?? ''] ?? '';
  switch (fieldPath) {
    case 'metadata.name':
      return m.name ?? '';
    case 'metadata.namespace':
      return m.namespace ?? '';
    case 'metadata.uid':
      return m.uid ?? '';
    case 'metadata.labels':
      return formatMap(m.labels);
    case 'metadata.annotations':
      return formatMap(m.annotations);
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP':
      return hostIPs[0] ?? '';
    case 'status.hostIPs':
      return hostIPs.join(',');
    case 'status.podIP':
      return podIPs[0] ?? '';
    case 'status.podIPs':
      return podIPs.join(',');
    default:
      throw new KubeletError('container-config', `unsupported fieldPath: ${fieldPath}`);
  }
}

/** A container resource for resourceFieldRef; limits default to the node's allocatable. */
export function resourceFieldValue(pod: corev1.Pod, ref: corev1.ResourceFieldSelector, self: corev1.Container, node: NodeAllocatable): string {
  const container = ref.containerName ? [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === ref.containerName) : self;
  if (!container) throw new KubeletError('container-config', `container ${ref.containerName ?? ''} not found`);
  const r = container.resources ?? {};
  const [kind, name] = ref.resource.split('.', 2) as [string, string];
  const isCpu = name === 'cpu';
  const raw = kind === 'limits' ? r.limits?.[name] : kind === 'requests' ? r.requests?.[name] : undefined;
  if ((kind !== 'limits' && kind !== 'requests') || !['cpu', 'memory', 'ephemeral-storage'].includes(name)) {
    throw new KubeletError('container-config', `unsupported container resource: ${ref.resource}`);
  }
  const fallback = kind === 'limits' ? (isCpu ? node.cpuMilli : name === 'memory' ? node.memoryBytes : node.ephemeralStorageBytes) : 0;
  const divisorText = ref.divisor ?? '1';
  if (isCpu) {
    const value = raw === undefined ? fallback : milli(raw);
    const divisor = milli(divisorText) || 1000;
    return String(Math.ceil(value / divisor));
  }
  const value = raw === undefined ? fallback : units(raw);
  const divisor = units(divisorText) || 1;
  return String(Math.ceil(value / divisor));
}

type Cache<T> = Map<string, T | undefined>;

async function cached<T>(cache: Cache<T>, name: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
  if (!cache.has(name)) cache.set(name, await load());
  return cache.get(name);
}

function secretText(data: Record<string, string> | undefined, key: string): string | undefined {
  const v = data?.[key];
  return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
}

/** The container's environment, in upstream's order. */
export async function containerEnv(pod: corev1.Pod, container: corev1.Container, sources: EnvSources): Promise<KeyValue[]> {
  const ns = pod.metadata?.namespace ?? '';
  const configMaps: Cache<corev1.ConfigMap> = new Map();
  const secrets: Cache<corev1.Secret> = new Map();
  const getConfigMap = async (name: string, optional: boolean): Promise<corev1.ConfigMap | undefined> => {
    const cm = await cached(configMaps, name, () => sources.configMap(ns, name));
    if (!cm && !optional) throw new KubeletError('container-config', `configmap "${name}" not found`);
    return cm;
  };
  const getSecret = async (name: string, optional: boolean): Promise<corev1.Secret | undefined> => {
    const s = await cached(secrets, name, () => sources.secret(ns, name));
    if (!s && !optional) throw new KubeletError('container-config', `secret "${name}" not found`);
    return s;
  };

  const services = sources.services();
  if (!services) throw new KubeletError('container-config', 'services have not yet been read at least once, cannot construct envvars');
  const svcEnv = serviceEnv(services, ns, pod.spec?.enableServiceLinks ?? true);
  const env = new Map<string, string>();

  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      const cm = await getConfigMap(from.configMapRef.name ?? '', from.configMapRef.optional === true);
      for (const [k, v] of Object.entries(cm?.data ?? {})) env.set(prefix + k, v);
    } else if (from.secretRef) {
      const s = await getSecret(from.secretRef.name ?? '', from.secretRef.optional === true);
      for (const k of Object.keys(s?.data ?? {})) env.set(prefix + k, secretText(s?.data, k) ?? '');
    }
  }

  const lookup = lookupIn(env, svcEnv);
  for (const e of container.env ?? []) {
    let value = e.value ?? '';
    const from = e.valueFrom;
    if (value !== '') {
      value = expand(value, lookup);
    } else if (from?.fieldRef) {
      value = podFieldValue(pod, from.fieldRef.fieldPath, sources.hostIPs, sources.podIPs);
    } else if (from?.resourceFieldRef) {
      value = resourceFieldValue(pod, from.resourceFieldRef, container, sources.nodeAllocatable);
    } else if (from?.configMapKeyRef) {
      const ref = from.configMapKeyRef;
      const optional = ref.optional === true;
      const cm = await getConfigMap(ref.name ?? '', optional);
      if (!cm) continue;
      const v = cm.data?.[ref.key];
      if (v === undefined) {
        if (optional) continue;
        throw new KubeletError('container-config', `couldn't find key ${ref.key} in ConfigMap ${ns}/${ref.name ?? ''}`);
      }
      value = v;
    } else if (from?.secretKeyRef) {
      const ref = from.secretKeyRef;
      const optional = ref.optional === true;
      const s = await getSecret(ref.name ?? '', optional);
      if (!s) continue;
      const v = secretText(s.data, ref.key);
      if (v === undefined) {
        if (optional) continue;
        throw new KubeletError('container-config', `couldn't find key ${ref.key} in Secret ${ns}/${ref.name ?? ''}`);
      }
      value = v;
    }
    svcEnv.delete(e.name);
    env.set(e.name, value);
  }

  const out: KeyValue[] = [...env].map(([key, value]) => ({ key, value }));
  for (const [key, value] of svcEnv) if (!env.has(key)) out.push({ key, value });
  return out;
}

/** command and args with `$(VAR)` references expanded against the final environment. */
export function expandCommand(container: corev1.Container, env: KeyValue[]): { command: string[]; args: string[] } {
  const vars = new Map(env.map((kv) => [kv.key, kv.value]));
  const lookup = lookupIn(vars);
  return { command: (container.command ?? []).map((c) => expand(c, lookup)), args: (container.args ?? []).map((a) => expand(a, lookup)) };
}
