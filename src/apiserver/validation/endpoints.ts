// Endpoints (core) and EndpointSlices (discovery.k8s.io/v1): addresses
// and ports.
import { isIP } from 'node:net';
import type { KubeObject } from '../../api/types.js';
import { fieldDuplicate, fieldInvalid, fieldNotSupported, fieldRequired, fieldTooMany, nameIsDNSSubdomain } from '../../machinery/index.js';
import { dns1123Label, immutable, isValidPortNum, oneOf, portProtocols, qualifiedName } from './common.js';
import type { Check, Obj } from './input.js';
import { kindValidator, type KindValidator } from './kind.js';

const invalidIP = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

/** Addresses a Service may not send traffic to. */
export function nonSpecialIP(ip: string): string | undefined {
  if (ip === '0.0.0.0' || ip === '::') return 'may not be unspecified (0.0.0.0)';
  if (ip.startsWith('127.') || ip === '::1') return 'may not be in the loopback range (127.0.0.0/8, ::1/128)';
  if (ip.startsWith('169.254.') || /^fe[89ab][0-9a-f]:/i.test(ip)) return 'may not be in the link-local range (169.254.0.0/16, fe80::/10)';
  if (ip.startsWith('224.0.0.') || /^ff02:/i.test(ip)) return 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)';
  return undefined;
}

function address(c: Check, addr: Obj, path: string): void {
  const ip = c.str(addr.ip, `${path}.ip`) ?? '';
  if (isIP(ip) === 0) c.add(fieldInvalid(`${path}.ip`, ip, invalidIP));
  else {
    const special = nonSpecialIP(ip);
    if (special) c.add(fieldInvalid(`${path}.ip`, ip, special));
  }
  const hostname = c.str(addr.hostname, `${path}.hostname`);
  if (hostname) dns1123Label(c, hostname, `${path}.hostname`);
  const nodeName = c.str(addr.nodeName, `${path}.nodeName`);
  if (nodeName) for (const msg of nameIsDNSSubdomain(nodeName, false)) c.add(fieldInvalid(`${path}.nodeName`, nodeName, msg));
}

function port(c: Check, p: Obj, path: string, requireName: boolean): void {
  const name = c.str(p.name, `${path}.name`);
  if (requireName && name === '') c.add(fieldRequired(`${path}.name`));
  else if (name) dns1123Label(c, name, `${path}.name`);
  const number = c.int(p.port, `${path}.port`) ?? 0;
  for (const msg of isValidPortNum(number)) c.add(fieldInvalid(`${path}.port`, number, msg));
  oneOf(c, p.protocol, `${path}.protocol`, portProtocols);
  const appProtocol = c.str(p.appProtocol, `${path}.appProtocol`);
  if (appProtocol) qualifiedName(c, appProtocol, `${path}.appProtocol`);
}

function validateEndpoints(c: Check, obj: KubeObject): void {
  for (const [subset, p] of c.objList(obj.subsets, 'subsets')) {
    const addresses = c.objList(subset.addresses, `${p}.addresses`);
    const notReady = c.objList(subset.notReadyAddresses, `${p}.notReadyAddresses`);
    if (addresses.length === 0 && notReady.length === 0) c.add(fieldRequired(p, 'must specify `addresses` or `notReadyAddresses`'));
    for (const [addr, ap] of [...addresses, ...notReady]) address(c, addr, ap);
    const ports = c.objList(subset.ports, `${p}.ports`);
    for (const [pt, pp] of ports) port(c, pt, pp, ports.length > 1);
  }
}

const addressTypes = ['FQDN', 'IPv4', 'IPv6'];
const maxEndpoints = 1000;
const maxAddresses = 100;

function validateEndpointSlice(c: Check, obj: KubeObject): void {
  const type = oneOf(c, obj.addressType, 'addressType', addressTypes);
  const endpoints = c.objList(obj.endpoints, 'endpoints');
  if (endpoints.length > maxEndpoints) c.add(fieldTooMany('endpoints', endpoints.length, maxEndpoints));
  for (const [endpoint, p] of endpoints) {
    const addresses = c.strList(endpoint.addresses, `${p}.addresses`);
    if (addresses.length === 0) c.add(fieldRequired(`${p}.addresses`, 'must contain at least 1 address'));
    else if (addresses.length > maxAddresses) c.add(fieldTooMany(`${p}.addresses`, addresses.length, maxAddresses));
    addresses.forEach((a, i) => {
      const ap = `${p}.addresses[${i}]`;
      if (type === 'IPv4' && isIP(a) !== 4) c.add(fieldInvalid(ap, a, 'must be a valid IPv4 address'));
      if (type === 'IPv6' && isIP(a) !== 6) c.add(fieldInvalid(ap, a, 'must be a valid IPv6 address'));
      if (type === 'FQDN') for (const msg of nameIsDNSSubdomain(a, false)) c.add(fieldInvalid(ap, a, msg));
    });
    const hostname = c.str(endpoint.hostname, `${p}.hostname`);
    if (hostname) dns1123Label(c, hostname, `${p}.hostname`);
    const nodeName = c.str(endpoint.nodeName, `${p}.nodeName`);
    if (nodeName) for (const msg of nameIsDNSSubdomain(nodeName, false)) c.add(fieldInvalid(`${p}.nodeName`, nodeName, msg));
    c.obj(endpoint.conditions, `${p}.conditions`);
  }
  const names = new Set<string>();
  for (const [pt, p] of c.objList(obj.ports, 'ports')) {
    const name = c.str(pt.name, `${p}.name`) ?? '';
    if (name !== '') dns1123Label(c, name, `${p}.name`);
    if (names.has(name)) c.add(fieldDuplicate(`${p}.name`, name));
    names.add(name);
    const protocol = c.str(pt.protocol, `${p}.protocol`);
    if (protocol && !portProtocols.includes(protocol as never)) c.add(fieldNotSupported(`${p}.protocol`, protocol, portProtocols));
    const number = c.int(pt.port, `${p}.port`);
    if (number !== undefined) for (const msg of isValidPortNum(number)) c.add(fieldInvalid(`${p}.port`, number, msg));
  }
}

export const endpointsValidators: Readonly<Record<string, KindValidator>> = {
  endpoints: kindValidator(validateEndpoints),
  'endpointslices.discovery.k8s.io': kindValidator(validateEndpointSlice, (c, obj, old) => immutable(c, obj.addressType, old.addressType, 'addressType')),
};
