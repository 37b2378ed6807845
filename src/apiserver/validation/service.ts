// Services (upstream ValidateService and ValidateServiceUpdate). Cluster
// IPs and node ports are allocated after validation on create, so empty
// ones are accepted here; the allocator checks ranges and conflicts.
import { isIP } from 'node:net';
import type { KubeObject } from '../../api/types.js';
import { fieldDuplicate, fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired, isDNS1123Subdomain } from '../../machinery/index.js';
import { GoLiteral, quote } from '../../machinery/quote.js';
import { dns1123Label, oneOf, portNumOrName, portProtocols, qualifiedName, validateLabels } from './common.js';
import { isUnset, type Check, type Obj } from './input.js';
import { kindValidator } from './kind.js';

const serviceTypes = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const kubeletPort = 10250;

const isHeadless = (spec: Obj): boolean => spec.clusterIP === 'None';

function externallyAccessible(spec: Obj): boolean {
  return spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0);
}

/** The Go rendering of the (protocol, port) key a duplicate port is reported with. */
function portKey(protocol: string, port: number): GoLiteral {
  return new GoLiteral(
    `core.ServicePort{Name:"", Protocol:${quote(protocol)}, AppProtocol:(*string)(nil), Port:${port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`,
  );
}

function validatePorts(c: Check, spec: Obj): void {
  const ports = c.objList(spec.ports, 'spec.ports');
  const names = new Set<string>();
  const seen = new Set<string>();
  const nodePorts = new Set<string>();
  for (const [port, p] of ports) {
    const name = c.str(port.name, `${p}.name`);
    if (ports.length > 1 && name === '') c.add(fieldRequired(`${p}.name`));
    else if (name) {
      dns1123Label(c, name, `${p}.name`);
      if (names.has(name)) c.add(fieldDuplicate(`${p}.name`, name));
      else names.add(name);
    }
    const number = c.int(port.port, `${p}.port`) ?? (isUnset(port.port) ? 0 : undefined);
    if (number !== undefined && (number < 1 || number > 65535)) c.add(fieldInvalid(`${p}.port`, number, 'must be between 1 and 65535, inclusive'));
    const protocol = oneOf(c, port.protocol, `${p}.protocol`, portProtocols) ?? '';
    portNumOrName(c, port.targetPort, `${p}.targetPort`);
    const appProtocol = c.str(port.appProtocol, `${p}.appProtocol`);
    if (appProtocol) qualifiedName(c, appProtocol, `${p}.appProtocol`);
    if (spec.type === 'LoadBalancer' && number === kubeletPort) c.add(fieldInvalid(p, number, `may not expose port ${kubeletPort} externally since it is used by kubelet`));
    const nodePort = c.int(port.nodePort, `${p}.nodePort`) ?? 0;
    if (nodePort !== 0 && spec.type === 'ClusterIP') c.add(fieldForbidden(`${p}.nodePort`, "may not be used when `type` is 'ClusterIP'"));
    if (nodePort !== 0) {
      if (nodePorts.has(`${protocol}/${nodePort}`)) c.add(fieldDuplicate(`${p}.nodePort`, nodePort));
      nodePorts.add(`${protocol}/${nodePort}`);
    }
    if (number !== undefined) {
      if (seen.has(`${protocol}/${number}`)) c.add(fieldDuplicate(p, portKey(protocol, number)));
      seen.add(`${protocol}/${number}`);
    }
  }
}

function validateClusterIPs(c: Check, spec: Obj): void {
  if (spec.type === 'ExternalName') return;
  const clusterIP = c.str(spec.clusterIP, 'spec.clusterIP') ?? '';
  const clusterIPs = c.strList(spec.clusterIPs, 'spec.clusterIPs');
  if (clusterIP !== '' && clusterIPs.length > 0 && clusterIPs[0] !== clusterIP) c.add(fieldInvalid('spec.clusterIPs', clusterIPs, 'first value must match `clusterIP`'));
  if (clusterIP === '' && clusterIPs.length > 0) c.add(fieldInvalid('spec.clusterIPs', clusterIPs, 'must be empty when `clusterIP` is not specified'));
  clusterIPs.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (clusterIPs.length > 1) c.add(fieldInvalid('spec.clusterIPs', clusterIPs, "'None' must be the first and only value"));
    } else if (isIP(ip) === 0) {
      c.add(fieldInvalid(`spec.clusterIPs[${i}]`, ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
    }
  });
  if (clusterIPs.length > 2) c.add(fieldInvalid('spec.clusterIPs', clusterIPs, 'may only hold up to 2 values'));
  const families = c.strList(spec.ipFamilies, 'spec.ipFamilies');
  families.forEach((family, i) => {
    if (family !== 'IPv4' && family !== 'IPv6') c.add(fieldNotSupported(`spec.ipFamilies[${i}]`, family, ['IPv4', 'IPv6']));
    if (families.indexOf(family) !== i) c.add(fieldDuplicate(`spec.ipFamilies[${i}]`, family));
  });
  const policy = c.str(spec.ipFamilyPolicy, 'spec.ipFamilyPolicy');
  if (policy && !['PreferDualStack', 'RequireDualStack', 'SingleStack'].includes(policy)) {
    c.add(fieldNotSupported('spec.ipFamilyPolicy', policy, ['PreferDualStack', 'RequireDualStack', 'SingleStack']));
  }
}

function validateTypeRules(c: Check, spec: Obj): void {
  const firstIP = Array.isArray(spec.clusterIPs) ? spec.clusterIPs[0] : spec.clusterIP;
  if (spec.type === 'LoadBalancer' && isHeadless(spec)) c.add(fieldInvalid('spec.clusterIPs[0]', firstIP, "may not be set to 'None' for LoadBalancer services"));
  if (spec.type === 'NodePort' && isHeadless(spec)) c.add(fieldInvalid('spec.clusterIPs[0]', firstIP, "may not be set to 'None' for NodePort services"));
  if (spec.type !== 'ExternalName') return;
  if (Array.isArray(spec.clusterIPs) && spec.clusterIPs.length > 0) c.add(fieldForbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
  if (Array.isArray(spec.ipFamilies) && spec.ipFamilies.length > 0) c.add(fieldForbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
  if (!isUnset(spec.ipFamilyPolicy)) c.add(fieldForbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
  const cname = (c.str(spec.externalName, 'spec.externalName') ?? '').replace(/\.$/, '');
  if (cname === '') c.add(fieldRequired('spec.externalName'));
  else for (const msg of isDNS1123Subdomain(cname)) c.add(fieldInvalid('spec.externalName', cname, msg));
}

function validateTrafficPolicies(c: Check, spec: Obj): void {
  const external = c.str(spec.externalTrafficPolicy, 'spec.externalTrafficPolicy');
  if (!externallyAccessible(spec)) {
    if (external) c.add(fieldInvalid('spec.externalTrafficPolicy', external, 'may only be set for externally-accessible services'));
  } else {
    oneOf(c, spec.externalTrafficPolicy, 'spec.externalTrafficPolicy', ['Cluster', 'Local']);
  }
  const healthCheck = c.int(spec.healthCheckNodePort, 'spec.healthCheckNodePort');
  if (healthCheck && !(spec.type === 'LoadBalancer' && external === 'Local')) {
    c.add(fieldInvalid('spec.healthCheckNodePort', healthCheck, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  }
  const internal = c.str(spec.internalTrafficPolicy, 'spec.internalTrafficPolicy');
  if (isUnset(spec.internalTrafficPolicy)) {
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer' || spec.type === 'ClusterIP') c.add(fieldRequired('spec.internalTrafficPolicy'));
  } else if (internal !== undefined && internal !== 'Cluster' && internal !== 'Local') {
    c.add(fieldNotSupported('spec.internalTrafficPolicy', internal, ['Cluster', 'Local']));
  }
}

function validateService(c: Check, obj: KubeObject): void {
  const spec = c.obj(obj.spec, 'spec') ?? {};
  const ports = Array.isArray(spec.ports) ? spec.ports : [];
  if (ports.length === 0 && !isHeadless(spec) && spec.type !== 'ExternalName') c.add(fieldRequired('spec.ports'));
  validateTypeRules(c, spec);
  validatePorts(c, spec);
  validateLabels(c, spec.selector, 'spec.selector');
  const affinity = oneOf(c, spec.sessionAffinity, 'spec.sessionAffinity', ['ClientIP', 'None']);
  if (affinity === 'None' && !isUnset(spec.sessionAffinityConfig)) c.add(fieldForbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  if (affinity === 'ClientIP') {
    const timeout = c.int(c.obj(c.obj(spec.sessionAffinityConfig, 'spec.sessionAffinityConfig')?.clientIP, 'spec.sessionAffinityConfig.clientIP')?.timeoutSeconds, 'spec.sessionAffinityConfig.clientIP.timeoutSeconds');
    if (timeout === undefined) c.add(fieldRequired('spec.sessionAffinityConfig.clientIP.timeoutSeconds', 'when session affinity type is ClientIP'));
    else if (timeout <= 0 || timeout > 86400) c.add(fieldInvalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', timeout, 'must be greater than 0 and less than 86400'));
  }
  validateClusterIPs(c, spec);
  c.strList(spec.externalIPs, 'spec.externalIPs').forEach((ip, i) => {
    if (isIP(ip) === 0) c.add(fieldInvalid(`spec.externalIPs[${i}]`, ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  });
  oneOf(c, spec.type, 'spec.type', serviceTypes);
  validateTrafficPolicies(c, spec);
}

/** The primary cluster IP stays unless the Service changes to or from ExternalName. */
function validateServiceUpdate(c: Check, obj: KubeObject, old: KubeObject): void {
  const spec = (obj.spec ?? {}) as Obj;
  const prev = (old.spec ?? {}) as Obj;
  if (spec.type === 'ExternalName' || prev.type === 'ExternalName') return;
  if (isHeadless(spec) && isHeadless(prev)) return;
  const next = Array.isArray(spec.clusterIPs) ? spec.clusterIPs : [];
  const was = Array.isArray(prev.clusterIPs) ? prev.clusterIPs : [];
  if (next.length === was.length) {
    was.forEach((ip, i) => {
      if (ip !== next[i]) c.add(fieldInvalid(`spec.clusterIPs[${i}]`, next, 'may not change once set'));
    });
  } else if (was.length > next.length) {
    if (next.length === 0) c.add(fieldInvalid('spec.clusterIPs[0]', next, 'primary clusterIP can not be unset'));
    else if (next[0] !== was[0]) c.add(fieldInvalid('spec.clusterIPs[0]', next, 'may not change once set'));
    if (next.length === 1 && spec.ipFamilyPolicy !== 'SingleStack') {
      c.add(fieldInvalid('spec.clusterIPs[0]', next, "`ipFamilyPolicy` must be set to 'SingleStack' when releasing the secondary clusterIP"));
    }
  } else if (was.length > 0 && next[0] !== was[0]) {
    c.add(fieldInvalid('spec.clusterIPs[0]', next, 'may not change once set'));
  }
}

export const serviceValidator = kindValidator(validateService, validateServiceUpdate);
