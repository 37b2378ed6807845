// Answers for names in the cluster zone, from lookup.ts's hits, shaped as
// CoreDNS's kubernetes plugin shapes them: TTL 5 s, records owned by the
// name as asked, SRV to the canonical name with its address in the
// additional section, NXDOMAIN and NODATA with the zone's SOA in the
// authority section, and any other type answered by a "fake A lookup"
// (NODATA if the name exists, else NXDOMAIN). A CNAME to an ExternalName's
// target is returned with `chase` set: the resolver looks the target up
// and appends what it finds (A/AAAA).
import { isIP } from 'node:net';
import type { Answer, RecordType } from 'dns-packet';
import { lookupCluster, type Hit } from './lookup.js';
import type { ClusterRecords } from './records.js';

export const clusterTtl = 5;
/** What CoreDNS answers for TXT dns-version.<zone>: the version of the Kubernetes DNS specification. */
const specVersion = '1.1.0';

export const rcodes = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, FORMERR: 1, REFUSED: 5 } as const;

export interface ZoneAnswer {
  rcode: number;
  answers: Answer[];
  additionals: Answer[];
  authorities: Answer[];
  /** An alias target whose addresses belong after the CNAME (lower case, no trailing dot). */
  chase?: string;
}

export interface ZoneOptions {
  /** "cluster.local", lower case, no trailing dot. */
  zone: string;
  /** The cluster DNS address, for the apex NS record's glue. */
  serverIp?: string;
}

/** `name` as asked (without the trailing dot); `lower` its lower-case form, inside the zone. */
export function answerZone(records: ClusterRecords, opts: ZoneOptions, name: string, lower: string, type: RecordType): ZoneAnswer {
  const { zone } = opts;
  const base = lower === zone ? '' : lower.slice(0, lower.length - zone.length - 1);
  if (base === '' && type === 'SOA') return ok([soa(records, zone)]);
  if (base === '' && type === 'NS') return apexNs(opts, name);
  if (base === 'dns-version' && type === 'TXT') return ok([{ type: 'TXT', name, ttl: clusterTtl, class: 'IN', data: specVersion }]);

  const found = lookupCluster(records, base);
  if (found.nxdomain) return negative(records, zone, rcodes.NXDOMAIN);
  const answers: Answer[] = [];
  const additionals: Answer[] = [];
  let chase: string | undefined;
  const fqdn = (owner: string): string => `${owner}.${zone}`;
  if (type === 'A' || type === 'AAAA') {
    const family = type === 'A' ? 4 : 6;
    const seen = new Set<string>();
    for (const hit of found.hits) {
      if (isIP(hit.host) === 0) {
        if (hit.host === lower || seen.has(hit.host)) continue;
        seen.add(hit.host);
        answers.push({ type: 'CNAME', name, ttl: clusterTtl, class: 'IN', data: hit.host });
        chase = hit.host;
      } else if (isIP(hit.host) === family && !seen.has(hit.host)) {
        seen.add(hit.host);
        answers.push({ type, name, ttl: clusterTtl, class: 'IN', data: hit.host });
      }
    }
  } else if (type === 'CNAME') {
    for (const hit of found.hits) if (isIP(hit.host) === 0) answers.push({ type: 'CNAME', name, ttl: clusterTtl, class: 'IN', data: hit.host });
  } else if (type === 'SRV') {
    const srv = srvHits(found.hits);
    const weight = Math.max(1, Math.floor(100 / Math.max(1, srv.length)));
    const glue = new Set<string>();
    for (const hit of srv) {
      const alias = isIP(hit.host) === 0;
      const target = alias ? hit.host : fqdn(hit.owner);
      answers.push({ type: 'SRV', name, ttl: clusterTtl, class: 'IN', data: { priority: 0, weight, port: Math.max(0, hit.port), target } });
      const family = isIP(hit.host);
      if (alias || glue.has(`${target}/${hit.host}`)) continue;
      glue.add(`${target}/${hit.host}`);
      additionals.push({ type: family === 4 ? 'A' : 'AAAA', name: target, ttl: clusterTtl, class: 'IN', data: hit.host });
    }
  }
  if (answers.length === 0) return negative(records, zone, rcodes.NOERROR);
  return { rcode: rcodes.NOERROR, answers, additionals, authorities: [], ...(chase === undefined ? {} : { chase }) };
}

/** Hits an SRV record can be made of, each (target, port) once; port-less objects have none. */
function srvHits(hits: Hit[]): Hit[] {
  const seen = new Set<string>();
  const out: Hit[] = [];
  for (const hit of hits) {
    if (hit.port < 0) continue;
    const key = `${hit.owner}/${hit.host}/${hit.port}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(hit);
  }
  return out;
}

function ok(answers: Answer[]): ZoneAnswer {
  return { rcode: rcodes.NOERROR, answers, additionals: [], authorities: [] };
}

function apexNs(opts: ZoneOptions, name: string): ZoneAnswer {
  const ns = `ns.dns.${opts.zone}`;
  const glue: Answer[] = opts.serverIp ? [{ type: 'A', name: ns, ttl: clusterTtl, class: 'IN', data: opts.serverIp }] : [];
  return { rcode: rcodes.NOERROR, answers: [{ type: 'NS', name, ttl: clusterTtl, class: 'IN', data: ns }], additionals: glue, authorities: [] };
}

/** NXDOMAIN (rcode 3) or NODATA (rcode 0, no answers), with the zone's SOA for negative caching. */
export function negative(records: ClusterRecords, zone: string, rcode: number): ZoneAnswer {
  return { rcode, answers: [], additionals: [], authorities: [soa(records, zone)] };
}

function soa(records: ClusterRecords, zone: string): Answer {
  return {
    type: 'SOA',
    name: zone,
    ttl: clusterTtl,
    class: 'IN',
    data: { mname: `ns.dns.${zone}`, rname: `hostmaster.${zone}`, serial: records.serial, refresh: 7200, retry: 1800, expire: 86400, minimum: clusterTtl },
  };
}
