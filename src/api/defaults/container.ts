// Container defaults (upstream SetDefaults_Container, _Probe,
// _HTTPGetAction, _ObjectFieldSelector and the generated port protocol
// default), shared by containers, init containers and ephemeral containers.
import { defaultPullPolicy } from './image.js';
import { child, items, setIfEmpty, setIfUnset, setIfZero, type Obj } from './shape.js';

function defaultHttpGet(handler: Obj | undefined): void {
  const http = child(handler, 'httpGet');
  setIfEmpty(http, 'path', '/');
  setIfEmpty(http, 'scheme', 'HTTP');
}

function defaultProbe(probe: Obj | undefined): void {
  if (probe === undefined) return;
  setIfZero(probe, 'timeoutSeconds', 1);
  setIfZero(probe, 'periodSeconds', 10);
  setIfZero(probe, 'successThreshold', 1);
  setIfZero(probe, 'failureThreshold', 3);
  defaultHttpGet(probe);
  setIfUnset(child(probe, 'grpc'), 'service', '');
}

/** `fieldRef.apiVersion` v1 (environment variables and downward API items). */
export function defaultFieldRef(holder: Obj | undefined): void {
  setIfEmpty(child(holder, 'fieldRef'), 'apiVersion', 'v1');
}

export function defaultContainer(c: Obj): void {
  setIfEmpty(c, 'imagePullPolicy', defaultPullPolicy(c.image));
  setIfEmpty(c, 'terminationMessagePath', '/dev/termination-log');
  setIfEmpty(c, 'terminationMessagePolicy', 'File');
  for (const port of items(c, 'ports')) setIfEmpty(port, 'protocol', 'TCP');
  for (const env of items(c, 'env')) defaultFieldRef(child(env, 'valueFrom'));
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) defaultProbe(child(c, probe));
  const lifecycle = child(c, 'lifecycle');
  defaultHttpGet(child(lifecycle, 'postStart'));
  defaultHttpGet(child(lifecycle, 'preStop'));
}

/**
 * Requests default to limits for every resource with a limit and no
 * request (upstream does this for Pods only, not for templates).
 */
export function defaultRequestsFromLimits(c: Obj): void {
  const resources = child(c, 'resources');
  const limits = child(resources, 'limits');
  if (resources === undefined || limits === undefined) return;
  let requests = child(resources, 'requests');
  if (requests === undefined) {
    if (resources.requests !== undefined && resources.requests !== null) return;
    requests = {};
    resources.requests = requests;
  }
  for (const [name, value] of Object.entries(limits)) {
    if (!(name in requests)) requests[name] = value;
  }
}

/** With host networking every container port without a hostPort gets its containerPort as hostPort (Pods only). */
export function defaultHostNetworkPorts(c: Obj): void {
  for (const port of items(c, 'ports')) {
    if (typeof port.containerPort === 'number' && port.containerPort !== 0) setIfZero(port, 'hostPort', port.containerPort);
  }
}
