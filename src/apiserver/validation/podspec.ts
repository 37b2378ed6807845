// PodSpec and PodTemplateSpec, shared by Pods and every workload template
// (upstream ValidatePodSpec and ValidatePodTemplateSpec).
import { fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired, isValidLabelValue, nameIsDNSSubdomain } from '../../machinery/index.js';
import { dns1123Label, inclusiveRangeError, oneOf, qualifiedName, validateAnnotations, validateLabels } from './common.js';
import { validateContainers, validateInitContainers } from './containers.js';
import { isObj, isUnset, type Check, type Obj } from './input.js';
import { validateVolumes } from './volumes.js';

const restartPolicies = ['Always', 'OnFailure', 'Never'];
const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const taintEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const maxInt32 = 2147483647;

export interface PodSpecOptions {
  /** Volume names mounts may use besides spec.volumes (a StatefulSet's claim templates). */
  extraVolumes?: readonly string[];
}

export function validateTolerations(c: Check, v: unknown, path: string): void {
  for (const [tol, p] of c.objList(v, path)) {
    const key = c.str(tol.key, `${p}.key`) ?? '';
    const operator = c.str(tol.operator, `${p}.operator`) ?? '';
    const value = c.str(tol.value, `${p}.value`) ?? '';
    const effect = c.str(tol.effect, `${p}.effect`) ?? '';
    if (key !== '') qualifiedName(c, key, `${p}.key`);
    if (key === '' && operator !== 'Exists') {
      c.add(fieldInvalid(`${p}.operator`, operator, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (c.int(tol.tolerationSeconds, `${p}.tolerationSeconds`) !== undefined && effect !== 'NoExecute') {
      c.add(fieldInvalid(`${p}.effect`, effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (operator === 'Equal' || operator === '') {
      const msgs = isValidLabelValue(value);
      if (msgs.length > 0) c.add(fieldInvalid(`${p}.operator`, value, msgs.join(';')));
    } else if (operator === 'Exists') {
      if (value !== '') c.add(fieldInvalid(`${p}.operator`, tol, "value must be empty when `operator` is 'Exists'"));
    } else {
      c.add(fieldNotSupported(`${p}.operator`, operator, ['Equal', 'Exists']));
    }
    if (effect !== '' && !taintEffects.includes(effect)) c.add(fieldNotSupported(`${p}.effect`, effect, taintEffects));
  }
}

function dnsSubdomainName(c: Check, v: unknown, path: string): void {
  const name = c.str(v, path);
  if (name) for (const msg of nameIsDNSSubdomain(name, false)) c.add(fieldInvalid(path, name, msg));
}

/** Host networking shares the node's ports: a container port must be its own host port. */
function hostNetworkPorts(c: Check, spec: Obj, path: string): void {
  for (const list of ['containers', 'initContainers']) {
    const containers = Array.isArray(spec[list]) ? (spec[list] as unknown[]) : [];
    containers.forEach((ctr, i) => {
      const ports = typeof ctr === 'object' && ctr !== null && Array.isArray((ctr as Obj).ports) ? ((ctr as Obj).ports as unknown[]) : [];
      ports.forEach((port, j) => {
        if (typeof port !== 'object' || port === null) return;
        const { hostPort, containerPort } = port as Obj;
        if (typeof hostPort === 'number' && hostPort !== 0 && hostPort !== containerPort) {
          c.add(fieldInvalid(`${path}.${list}[${i}].ports[${j}].containerPort`, containerPort ?? 0, 'must match `hostPort` when `hostNetwork` is true'));
        }
      });
    });
  }
}

export function validatePodSpec(c: Check, v: unknown, path: string, opts: PodSpecOptions = {}): void {
  const spec = c.obj(v, path);
  if (spec === undefined) {
    if (isUnset(v)) c.add(fieldRequired(`${path}.containers`));
    return;
  }
  const volumes = validateVolumes(c, spec.volumes, `${path}.volumes`);
  for (const name of opts.extraVolumes ?? []) volumes.add(name);
  const names = validateContainers(c, spec.containers, `${path}.containers`, volumes);
  validateInitContainers(c, spec.initContainers, `${path}.initContainers`, volumes, names);
  oneOf(c, spec.restartPolicy, `${path}.restartPolicy`, restartPolicies);
  const dnsPolicy = oneOf(c, spec.dnsPolicy, `${path}.dnsPolicy`, dnsPolicies);
  if (dnsPolicy === 'None' && isUnset(spec.dnsConfig)) c.add(fieldRequired(`${path}.dnsConfig`, 'must provide `dnsConfig` when `dnsPolicy` is None'));
  c.obj(spec.dnsConfig, `${path}.dnsConfig`);
  validateLabels(c, spec.nodeSelector, `${path}.nodeSelector`);
  c.obj(spec.securityContext, `${path}.securityContext`);
  c.obj(spec.affinity, `${path}.affinity`);
  for (const [secret, p] of c.objList(spec.imagePullSecrets, `${path}.imagePullSecrets`)) c.str(secret.name, `${p}.name`);
  dnsSubdomainName(c, spec.serviceAccountName, `${path}.serviceAccountName`);
  dnsSubdomainName(c, spec.nodeName, `${path}.nodeName`);
  dnsSubdomainName(c, spec.priorityClassName, `${path}.priorityClassName`);
  const deadline = c.int(spec.activeDeadlineSeconds, `${path}.activeDeadlineSeconds`);
  if (deadline !== undefined && (deadline < 1 || deadline > maxInt32)) c.add(fieldInvalid(`${path}.activeDeadlineSeconds`, deadline, inclusiveRangeError(1, maxInt32)));
  c.int(spec.terminationGracePeriodSeconds, `${path}.terminationGracePeriodSeconds`);
  for (const field of ['hostname', 'subdomain']) {
    const value = c.str(spec[field], `${path}.${field}`);
    if (value) dns1123Label(c, value, `${path}.${field}`);
  }
  validateTolerations(c, spec.tolerations, `${path}.tolerations`);
  const preemption = c.str(spec.preemptionPolicy, `${path}.preemptionPolicy`);
  if (preemption !== undefined && preemption !== '' && preemption !== 'PreemptLowerPriority' && preemption !== 'Never') {
    c.add(fieldNotSupported(`${path}.preemptionPolicy`, preemption, ['PreemptLowerPriority', 'Never']));
  }
  for (const flag of ['hostNetwork', 'hostPID', 'hostIPC', 'enableServiceLinks', 'automountServiceAccountToken', 'setHostnameAsFQDN', 'shareProcessNamespace']) {
    c.bool(spec[flag], `${path}.${flag}`);
  }
  if (spec.hostNetwork === true) hostNetworkPorts(c, spec, path);
}

/** A workload's pod template; labels and annotations are reported at `<path>.labels` as upstream does. */
export function validatePodTemplateSpec(c: Check, v: unknown, path: string, opts: PodSpecOptions = {}): Obj {
  const template = c.obj(v, path) ?? {};
  const meta = c.obj(template.metadata, `${path}.metadata`) ?? {};
  validateLabels(c, meta.labels, `${path}.labels`);
  validateAnnotations(c, meta.annotations, `${path}.annotations`);
  validatePodSpec(c, template.spec, `${path}.spec`, opts);
  const spec = isObj(template.spec) ? template.spec : undefined;
  if (Array.isArray(spec?.ephemeralContainers) && spec.ephemeralContainers.length > 0) {
    c.add(fieldForbidden(`${path}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  }
  return template;
}
