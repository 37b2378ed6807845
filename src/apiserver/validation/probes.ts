// Probes and lifecycle handlers of containers (upstream validateProbe,
// validateHandler and the actions they hold).
import { fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired } from '../../machinery/index.js';
import { isValidPortNum, nonNegative, portNumOrName } from './common.js';
import { type Check, type Obj } from './input.js';

function execAction(c: Check, exec: Obj, path: string): void {
  if (c.strList(exec.command, `${path}.command`).length === 0) c.add(fieldRequired(`${path}.command`));
}

function httpGetAction(c: Check, http: Obj, path: string): void {
  if (c.str(http.path, `${path}.path`) === '') c.add(fieldRequired(`${path}.path`));
  portNumOrName(c, http.port ?? 0, `${path}.port`);
  const scheme = c.str(http.scheme, `${path}.scheme`);
  if (scheme !== undefined && scheme !== 'HTTP' && scheme !== 'HTTPS') c.add(fieldNotSupported(`${path}.scheme`, scheme, ['HTTP', 'HTTPS']));
  for (const [header, p] of c.objList(http.httpHeaders, `${path}.httpHeaders`)) {
    const name = c.str(header.name, `${p}.name`);
    if (name !== undefined && !/^[-A-Za-z0-9]+$/.test(name)) {
      c.add(fieldInvalid(`${path}.httpHeaders`, name, "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')"));
    }
  }
}

function grpcAction(c: Check, grpc: Obj, path: string): void {
  const port = c.int(grpc.port, `${path}.port`) ?? 0;
  for (const msg of isValidPortNum(port)) c.add(fieldInvalid(`${path}.port`, port, msg));
}

type ActionCheck = (c: Check, action: Obj, path: string) => void;

/** Exactly one handler type; grpc only in probes, sleep only in lifecycle hooks. */
function validateHandler(c: Check, handler: Obj, path: string, kinds: readonly string[]): void {
  const checks: Record<string, ActionCheck> = {
    exec: execAction,
    httpGet: httpGetAction,
    tcpSocket: (c2, tcp, p) => portNumOrName(c2, tcp.port ?? 0, `${p}.port`),
    grpc: grpcAction,
    sleep: (c2, sleep, p) => nonNegative(c2, sleep.seconds, `${p}.seconds`),
  };
  let count = 0;
  for (const kind of kinds) {
    const action = c.obj(handler[kind], `${path}.${kind}`);
    if (action === undefined) continue;
    if (count > 0) {
      c.add(fieldForbidden(`${path}.${kind}`, 'may not specify more than 1 handler type'));
      continue;
    }
    count++;
    checks[kind]?.(c, action, `${path}.${kind}`);
  }
  if (count === 0) c.add(fieldRequired(path, 'must specify a handler type'));
}

export type ProbeKind = 'livenessProbe' | 'readinessProbe' | 'startupProbe';

export function validateProbe(c: Check, v: unknown, path: string, kind: ProbeKind): void {
  const probe = c.obj(v, path);
  if (probe === undefined) return;
  validateHandler(c, probe, path, ['exec', 'httpGet', 'tcpSocket', 'grpc']);
  for (const field of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    nonNegative(c, probe[field], `${path}.${field}`);
  }
  const grace = c.int(probe.terminationGracePeriodSeconds, `${path}.terminationGracePeriodSeconds`);
  if (grace !== undefined && grace <= 0) c.add(fieldInvalid(`${path}.terminationGracePeriodSeconds`, grace, 'must be greater than 0'));
  if (kind === 'readinessProbe' && grace !== undefined) {
    c.add(fieldInvalid(`${path}.terminationGracePeriodSeconds`, grace, 'must not be set for readinessProbes'));
  }
  const success = typeof probe.successThreshold === 'number' ? probe.successThreshold : undefined;
  if (kind !== 'readinessProbe' && success !== undefined && success !== 1) c.add(fieldInvalid(`${path}.successThreshold`, success, 'must be 1'));
}

export function validateLifecycle(c: Check, v: unknown, path: string): void {
  const lifecycle = c.obj(v, path);
  if (lifecycle === undefined) return;
  for (const hook of ['postStart', 'preStop']) {
    const handler = c.obj(lifecycle[hook], `${path}.${hook}`);
    if (handler) validateHandler(c, handler, `${path}.${hook}`, ['exec', 'httpGet', 'tcpSocket', 'sleep']);
  }
}
