// Ingresses, IngressClasses and NetworkPolicies (networking.k8s.io/v1).
import { isIP } from 'node:net';
import type { KubeObject } from '../../api/types.js';
import { fieldInvalid, fieldNotSupported, fieldRequired, isDNS1123Subdomain, nameIsDNS1035Label, nameIsDNSSubdomain } from '../../machinery/index.js';
import { GoLiteral } from '../../machinery/quote.js';
import { immutable, isValidPortName, isValidPortNum, portNumOrName, portProtocols, validateLabelSelector } from './common.js';
import { isUnset, type Check, type Obj } from './input.js';
import { kindValidator, type KindValidator } from './kind.js';
import { isCIDR } from './node.js';

const pathTypes = ['Exact', 'ImplementationSpecific', 'Prefix'];
const wildcardMessage =
  "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

function validateBackend(c: Check, backend: Obj, path: string): void {
  const service = c.obj(backend.service, `${path}.service`);
  const resource = c.obj(backend.resource, `${path}.resource`);
  if (service && resource) return c.add(fieldInvalid(path, '', 'cannot set both resource and service backends'));
  if (resource) {
    if (c.str(resource.kind, `${path}.resource.kind`) === '') c.add(fieldRequired(`${path}.resource.kind`));
    if (c.str(resource.name, `${path}.resource.name`) === '') c.add(fieldRequired(`${path}.resource.name`));
    return;
  }
  if (!service) return c.add(fieldInvalid(path, '', 'resource or service backend is required'));
  const name = c.str(service.name, `${path}.service.name`);
  if (name === '') c.add(fieldRequired(`${path}.service.name`));
  else if (name !== undefined) for (const msg of nameIsDNS1035Label(name, false)) c.add(fieldInvalid(`${path}.service.name`, name, msg));
  const port = c.obj(service.port, `${path}.service.port`) ?? {};
  const portName = c.str(port.name, `${path}.service.port.name`) ?? '';
  const portNumber = c.int(port.number, `${path}.service.port.number`) ?? 0;
  if (portName !== '' && portNumber !== 0) c.add(fieldInvalid(path, '', 'cannot set both port name & port number'));
  else if (portName !== '') for (const msg of isValidPortName(portName)) c.add(fieldInvalid(`${path}.service.port.name`, portName, msg));
  else if (portNumber !== 0) for (const msg of isValidPortNum(portNumber)) c.add(fieldInvalid(`${path}.service.port.number`, portNumber, msg));
  else c.add(fieldRequired(path, 'port name or number is required'));
}

function validatePath(c: Check, rule: Obj, p: string): void {
  const pathType = c.str(rule.pathType, `${p}.pathType`);
  const value = c.str(rule.path, `${p}.path`) ?? '';
  if (isUnset(rule.pathType)) c.add(fieldRequired(`${p}.pathType`, 'pathType must be specified'));
  else if (pathType === 'Exact' || pathType === 'Prefix') {
    if (!value.startsWith('/')) c.add(fieldInvalid(`${p}.path`, value, 'must be an absolute path'));
    for (const seq of ['//', '/./', '/../', '%2f', '%2F']) if (value.includes(seq)) c.add(fieldInvalid(`${p}.path`, value, `must not contain '${seq}'`));
    for (const suffix of ['/..', '/.']) if (value.endsWith(suffix)) c.add(fieldInvalid(`${p}.path`, value, `cannot end with '${suffix}'`));
  } else if (pathType === 'ImplementationSpecific') {
    if (value !== '' && !value.startsWith('/')) c.add(fieldInvalid(`${p}.path`, value, 'must be an absolute path'));
  } else if (pathType !== undefined) {
    c.add(fieldNotSupported(`${p}.pathType`, pathType, pathTypes));
  }
  if (isUnset(rule.pathType)) return;
  validateBackend(c, c.obj(rule.backend, `${p}.backend`) ?? {}, `${p}.backend`);
}

function validateIngress(c: Check, obj: KubeObject): void {
  const spec = c.obj(obj.spec, 'spec') ?? {};
  const rules = c.objList(spec.rules, 'spec.rules');
  const defaultBackend = c.obj(spec.defaultBackend, 'spec.defaultBackend');
  if (rules.length === 0 && !defaultBackend) {
    const shown = new GoLiteral(Array.isArray(spec.rules) ? '[]networking.IngressRule{}' : '[]networking.IngressRule(nil)');
    c.add(fieldInvalid('spec', shown, 'either `defaultBackend` or `rules` must be specified'));
  }
  if (defaultBackend) validateBackend(c, defaultBackend, 'spec.defaultBackend');
  for (const [rule, p] of rules) {
    const host = c.str(rule.host, `${p}.host`);
    if (host) {
      if (isIP(host) !== 0) c.add(fieldInvalid(`${p}.host`, host, 'must be a DNS name, not an IP address'));
      if (host.includes('*')) {
        if (!/^\*\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(host)) c.add(fieldInvalid(`${p}.host`, host, wildcardMessage));
      } else {
        for (const msg of isDNS1123Subdomain(host)) c.add(fieldInvalid(`${p}.host`, host, msg));
      }
    }
    const http = c.obj(rule.http, `${p}.http`);
    if (!http) continue;
    const paths = c.objList(http.paths, `${p}.http.paths`);
    if (paths.length === 0) c.add(fieldRequired(`${p}.http.paths`));
    for (const [entry, pp] of paths) validatePath(c, entry, pp);
  }
  for (const [tls, p] of c.objList(spec.tls, 'spec.tls')) {
    c.strList(tls.hosts, `${p}.hosts`);
    c.str(tls.secretName, `${p}.secretName`);
  }
  const className = c.str(spec.ingressClassName, 'spec.ingressClassName');
  if (className) for (const msg of nameIsDNSSubdomain(className, false)) c.add(fieldInvalid('spec.ingressClassName', className, msg));
}

function validateIngressClass(c: Check, obj: KubeObject): void {
  const spec = c.obj(obj.spec, 'spec') ?? {};
  const controller = c.str(spec.controller, 'spec.controller');
  if (controller === '') return c.add(fieldRequired('spec.controller'));
  if (controller === undefined) return;
  if (controller.length > 250) c.add(fieldInvalid('spec.controller', controller, 'must be no more than 250 characters'));
  const [host = '', rest] = controller.split(/\/(.*)/s, 2);
  if (rest === undefined || host === '' || rest === '') c.add(fieldInvalid('spec.controller', controller, 'must be a domain-prefixed path (such as "acme.io/foo")'));
  else for (const msg of isDNS1123Subdomain(host)) c.add(fieldInvalid('spec.controller', host, msg));
}

function validateNetworkPolicy(c: Check, obj: KubeObject): void {
  const spec = c.obj(obj.spec, 'spec') ?? {};
  validateLabelSelector(c, spec.podSelector, 'spec.podSelector');
  for (const direction of ['ingress', 'egress']) {
    for (const [rule, p] of c.objList(spec[direction], `spec.${direction}`)) {
      for (const [port, pp] of c.objList(rule.ports, `${p}.ports`)) {
        const protocol = c.str(port.protocol, `${pp}.protocol`);
        if (protocol && !portProtocols.includes(protocol as never)) c.add(fieldNotSupported(`${pp}.protocol`, protocol, portProtocols));
        if (!isUnset(port.port)) portNumOrName(c, port.port, `${pp}.port`);
      }
      for (const [peer, pp] of c.objList(rule[direction === 'ingress' ? 'from' : 'to'], `${p}.${direction === 'ingress' ? 'from' : 'to'}`)) {
        validateLabelSelector(c, peer.podSelector, `${pp}.podSelector`);
        validateLabelSelector(c, peer.namespaceSelector, `${pp}.namespaceSelector`);
        const block = c.obj(peer.ipBlock, `${pp}.ipBlock`);
        const cidr = block ? c.str(block.cidr, `${pp}.ipBlock.cidr`) : undefined;
        if (block && cidr === '') c.add(fieldRequired(`${pp}.ipBlock.cidr`));
        else if (cidr && !isCIDR(cidr)) c.add(fieldInvalid(`${pp}.ipBlock.cidr`, cidr, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
      }
    }
  }
  const types = c.strList(spec.policyTypes, 'spec.policyTypes');
  if (types.length > 2) c.add(fieldInvalid('spec.policyTypes', types, 'may not specify more than two policyTypes'));
  else {
    for (const [i, t] of types.entries()) if (t !== 'Ingress' && t !== 'Egress') c.add(fieldNotSupported(`spec.policyTypes[${i}]`, t, ['Ingress', 'Egress']));
  }
}

export const networkingValidators: Readonly<Record<string, KindValidator>> = {
  'ingresses.networking.k8s.io': kindValidator(validateIngress),
  'ingressclasses.networking.k8s.io': kindValidator(validateIngressClass, (c, obj, old) => {
    immutable(c, (obj.spec as Obj | undefined)?.controller, (old.spec as Obj | undefined)?.controller, 'spec.controller');
  }),
  'networkpolicies.networking.k8s.io': kindValidator(validateNetworkPolicy),
};
