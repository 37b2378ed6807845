// Service defaults: upstream's SetDefaults_Service, plus the fields its
// service storage fills before validation that do not need an allocator
// (clusterIP and clusterIPs kept in step, ipFamilyPolicy, ipFamilies).
// Allocating addresses and node ports is the apiserver's job.
import { child, isEmptyCollection, isUnset, items, setIfEmpty, setIfUnset, type Obj } from './shape.js';

/** Seconds of ClientIP session stickiness when none is given (three hours). */
const defaultClientIPTimeout = 10800;

function externallyAccessible(spec: Obj): boolean {
  return spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0);
}

function defaultPorts(spec: Obj): void {
  for (const port of items(spec, 'ports')) {
    setIfEmpty(port, 'protocol', 'TCP');
    if (isUnset(port.targetPort) || port.targetPort === 0 || port.targetPort === '') {
      if (typeof port.port === 'number') port.targetPort = port.port;
    }
  }
}

function defaultSessionAffinity(spec: Obj): void {
  setIfEmpty(spec, 'sessionAffinity', 'None');
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    const timeout = child(child(spec, 'sessionAffinityConfig'), 'clientIP')?.timeoutSeconds;
    if (isUnset(timeout)) spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: defaultClientIPTimeout } };
  }
}

/** clusterIP and clusterIPs[0] name the same address; whichever is given fills the other. */
function syncClusterIPs(spec: Obj): void {
  const ip = spec.clusterIP;
  if (typeof ip === 'string' && ip !== '' && isEmptyCollection(spec.clusterIPs)) spec.clusterIPs = [ip];
  const first = Array.isArray(spec.clusterIPs) ? spec.clusterIPs[0] : undefined;
  if ((isUnset(ip) || ip === '') && typeof first === 'string') spec.clusterIP = first;
}

/**
 * A single-stack IPv4 cluster: SingleStack and [IPv4] (IPv6 when the
 * given address is one); a headless Service without selector gets
 * RequireDualStack as upstream gives it. ExternalName Services get none.
 */
function defaultIPFamilies(spec: Obj): void {
  if (spec.type === 'ExternalName') return;
  const headlessWithoutSelector = spec.clusterIP === 'None' && isEmptyCollection(spec.selector);
  setIfUnset(spec, 'ipFamilyPolicy', headlessWithoutSelector ? 'RequireDualStack' : 'SingleStack');
  if (isEmptyCollection(spec.ipFamilies)) {
    const ip = spec.clusterIP;
    spec.ipFamilies = [typeof ip === 'string' && ip.includes(':') ? 'IPv6' : 'IPv4'];
  }
}

export function defaultService(spec: Obj): void {
  defaultSessionAffinity(spec);
  setIfEmpty(spec, 'type', 'ClusterIP');
  defaultPorts(spec);
  if (externallyAccessible(spec)) setIfEmpty(spec, 'externalTrafficPolicy', 'Cluster');
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer' || spec.type === 'ClusterIP') setIfUnset(spec, 'internalTrafficPolicy', 'Cluster');
  if (spec.type === 'LoadBalancer') setIfUnset(spec, 'allocateLoadBalancerNodePorts', true);
  syncClusterIPs(spec);
  defaultIPFamilies(spec);
}
