// Containers and init containers of a pod spec (upstream
// validateContainers, validateInitContainers, validateContainerCommon).
import { fieldDuplicate, fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired } from '../../machinery/index.js';
import { dns1123Label, isValidPortName, isValidPortNum, oneOf, portProtocols } from './common.js';
import { validateEnv, validateEnvFrom } from './env.js';
import type { Check, Obj } from './input.js';
import { validateLifecycle, validateProbe, type ProbeKind } from './probes.js';
import { validateResourceRequirements } from './resources.js';
import { validateVolumeMounts } from './volumes.js';

const pullPolicies = ['Always', 'IfNotPresent', 'Never'];
const probes: readonly ProbeKind[] = ['livenessProbe', 'readinessProbe', 'startupProbe'];

function validatePorts(c: Check, v: unknown, path: string): void {
  const names = new Set<string>();
  for (const [port, p] of c.objList(v, path)) {
    const name = c.str(port.name, `${p}.name`);
    if (name) {
      const msgs = isValidPortName(name);
      for (const msg of msgs) c.add(fieldInvalid(`${p}.name`, name, msg));
      if (msgs.length === 0 && names.has(name)) c.add(fieldDuplicate(`${p}.name`, name));
      names.add(name);
    }
    const containerPort = c.int(port.containerPort, `${p}.containerPort`);
    if (containerPort === 0 || (containerPort === undefined && (port.containerPort === undefined || port.containerPort === null))) {
      c.add(fieldRequired(`${p}.containerPort`));
    } else if (containerPort !== undefined) {
      for (const msg of isValidPortNum(containerPort)) c.add(fieldInvalid(`${p}.containerPort`, containerPort, msg));
    }
    const hostPort = c.int(port.hostPort, `${p}.hostPort`);
    if (hostPort) for (const msg of isValidPortNum(hostPort)) c.add(fieldInvalid(`${p}.hostPort`, hostPort, msg));
    const protocol = c.str(port.protocol, `${p}.protocol`);
    if (protocol === '') c.add(fieldRequired(`${p}.protocol`));
    else if (protocol !== undefined && !portProtocols.includes(protocol as never)) c.add(fieldNotSupported(`${p}.protocol`, protocol, portProtocols));
  }
}

function validateCommon(c: Check, ctr: Obj, path: string, volumes: ReadonlySet<string>): string | undefined {
  const name = c.str(ctr.name, `${path}.name`);
  if (name === '') c.add(fieldRequired(`${path}.name`));
  else if (name !== undefined) dns1123Label(c, name, `${path}.name`);
  if (c.str(ctr.image, `${path}.image`) === '') c.add(fieldRequired(`${path}.image`));
  oneOf(c, ctr.imagePullPolicy, `${path}.imagePullPolicy`, pullPolicies);
  c.strList(ctr.command, `${path}.command`);
  c.strList(ctr.args, `${path}.args`);
  validatePorts(c, ctr.ports, `${path}.ports`);
  validateEnv(c, ctr.env, `${path}.env`);
  validateEnvFrom(c, ctr.envFrom, `${path}.envFrom`);
  validateVolumeMounts(c, ctr.volumeMounts, `${path}.volumeMounts`, volumes);
  validateResourceRequirements(c, ctr.resources, `${path}.resources`);
  c.obj(ctr.securityContext, `${path}.securityContext`);
  return name;
}

/** spec.containers: at least one, names unique among them. Returns their names. */
export function validateContainers(c: Check, v: unknown, path: string, volumes: ReadonlySet<string>): Set<string> {
  const names = new Set<string>();
  const list = c.objList(v, path);
  if (list.length === 0) {
    if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) c.add(fieldRequired(path));
    return names;
  }
  for (const [ctr, p] of list) {
    const name = validateCommon(c, ctr, p, volumes);
    if (name !== undefined) {
      if (names.has(name)) c.add(fieldDuplicate(`${p}.name`, name));
      else names.add(name);
    }
    validateLifecycle(c, ctr.lifecycle, `${p}.lifecycle`);
    for (const probe of probes) validateProbe(c, ctr[probe], `${p}.${probe}`, probe);
    if (ctr.restartPolicy !== undefined && ctr.restartPolicy !== null) c.add(fieldForbidden(`${p}.restartPolicy`, 'may not be set for non-init containers'));
  }
  return names;
}

/** spec.initContainers: names unique among all containers; probes and hooks only for sidecars (restartPolicy Always). */
export function validateInitContainers(c: Check, v: unknown, path: string, volumes: ReadonlySet<string>, others: ReadonlySet<string>): void {
  const names = new Set(others);
  for (const [ctr, p] of c.objList(v, path)) {
    const name = validateCommon(c, ctr, p, volumes);
    const restartPolicy = c.str(ctr.restartPolicy, `${p}.restartPolicy`);
    if (restartPolicy !== undefined && restartPolicy !== '' && restartPolicy !== 'Always') {
      c.add(fieldNotSupported(`${p}.restartPolicy`, restartPolicy, ['Always']));
    }
    if (name !== undefined) {
      if (names.has(name)) c.add(fieldDuplicate(`${p}.name`, name));
      else if (name !== '') names.add(name);
    }
    if (restartPolicy === 'Always') {
      validateLifecycle(c, ctr.lifecycle, `${p}.lifecycle`);
      for (const probe of probes) validateProbe(c, ctr[probe], `${p}.${probe}`, probe);
    } else {
      for (const field of ['lifecycle', ...probes]) {
        if (ctr[field] !== undefined && ctr[field] !== null) c.add(fieldForbidden(`${p}.${field}`, 'may not be set for init containers without restartPolicy=Always'));
      }
    }
  }
}
