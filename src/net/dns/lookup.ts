// The cluster zone's names → what they point at, as CoreDNS's kubernetes
// plugin (with `pods insecure`) reads them:
//   <svc>.<ns>.svc.<zone>                  ClusterIPs; headless: ready endpoints
//   <host>.<svc>.<ns>.svc.<zone>           the endpoint with that hostname (or dashed IP)
//   _<port>._<proto>.<svc>.<ns>.svc.<zone> the named port's records
//   <a-b-c-d>.<ns>.pod.<zone>              that address, in any existing namespace
// `nxdomain` where CoreDNS answers NXDOMAIN; `hits: []` where it answers
// NODATA (the apex, `svc`/`pod`, a namespace); otherwise the hits, whose
// `owner` is the name an SRV record targets and `host` an IP or, for an
// ExternalName Service, the name it aliases.
import { isIP } from 'node:net';
import { endpointLabel, type ClusterRecords, type PortEntry } from './records.js';

export interface Hit {
  /** The canonical name, without the zone: `<svc>.<ns>.svc` or `<host>.<svc>.<ns>.svc`. */
  owner: string;
  /** An IP, or the target of an ExternalName alias. */
  host: string;
  /** -1 when the object has no ports. */
  port: number;
}

export type Lookup = { nxdomain: true } | { nxdomain: false; hits: Hit[] };

const nxdomain: Lookup = { nxdomain: true };
const nodata: Lookup = { nxdomain: false, hits: [] };

interface Request {
  kind: 'svc' | 'pod';
  namespace: string;
  service: string;
  endpoint: string;
  /** "" matches any. */
  port: string;
  protocol: string;
}

/** `base` is the lower-cased query name with the zone and its dot removed ("" for the apex). */
export function lookupCluster(records: ClusterRecords, base: string): Lookup {
  if (base === '' || base === 'svc' || base === 'pod') return nodata;
  const req = parse(base);
  if (!req) return nxdomain;
  if (!records.hasNamespace(req.namespace)) return nxdomain;
  if (req.service === '') return nodata;
  return req.kind === 'pod' ? pod(req) : services(records, req);
}

function parse(base: string): Request | undefined {
  const segs = base.split('.');
  const kind = segs.pop();
  if (kind !== 'svc' && kind !== 'pod') return undefined;
  const req: Request = { kind, namespace: segs.pop() ?? '', service: segs.pop() ?? '', endpoint: '', port: '', protocol: '' };
  if (segs.length === 1) req.endpoint = segs[0] ?? '';
  else if (segs.length === 2) {
    req.port = stripUnderscore(segs[0] ?? '');
    req.protocol = stripUnderscore(segs[1] ?? '');
  } else if (segs.length > 2) return undefined;
  return req;
}

function stripUnderscore(label: string): string {
  return label.startsWith('_') ? label.slice(1) : label;
}

function pod(req: Request): Lookup {
  const name = req.service;
  const v4 = (name.match(/-/g)?.length ?? 0) === 3 && !name.includes('--');
  const ip = v4 ? name.replaceAll('-', '.') : name.replaceAll('-', ':');
  if (isIP(ip) === 0) return nxdomain;
  return { nxdomain: false, hits: [{ owner: `${name}.${req.namespace}.pod`, host: ip, port: 0 }] };
}

function services(records: ClusterRecords, req: Request): Lookup {
  const svc = records.service(req.namespace, req.service);
  if (!svc) return nxdomain;
  const owner = `${svc.name}.${svc.namespace}.svc`;
  const hits: Hit[] = [];
  if (svc.externalName !== undefined) {
    // An alias has no endpoints; an IP in externalName is not an alias either.
    if (req.endpoint !== '' || isIP(svc.externalName) !== 0 || svc.externalName === '') return nxdomain;
    return { nxdomain: false, hits: [{ owner, host: svc.externalName.toLowerCase().replace(/\.$/, ''), port: 0 }] };
  }
  if (svc.headless || req.endpoint !== '') {
    for (const slice of records.slicesOf(svc.namespace, svc.name)) {
      for (const e of slice.endpoints) {
        for (const ip of e.ips) {
          const label = endpointLabel(e, ip);
          if (req.endpoint !== '' && req.endpoint !== label.toLowerCase()) continue;
          for (const p of slice.ports) if (portMatches(req, p)) hits.push({ owner: `${label}.${owner}`, host: ip, port: p.port });
        }
      }
    }
  } else {
    for (const p of svc.ports) {
      if (!portMatches(req, p)) continue;
      for (const ip of svc.clusterIps) hits.push({ owner, host: ip, port: p.port });
    }
  }
  return hits.length > 0 ? { nxdomain: false, hits } : nxdomain;
}

function portMatches(req: Request, p: PortEntry): boolean {
  return (req.port === '' || req.port === p.name.toLowerCase()) && (req.protocol === '' || req.protocol === p.protocol.toLowerCase());
}
