// PTR names of the cluster's own addresses: a Service's ClusterIP answers
// `<svc>.<ns>.svc.<zone>`, a ready endpoint's address
// `<hostname or dashed IP>.<svc>.<ns>.svc.<zone>`. Addresses the cluster
// does not know are not ours to answer (undefined): they go upstream, as
// k3s's CoreDNS falls through for in-addr.arpa.
import type { Answer } from 'dns-packet';
import type { ClusterRecords } from './records.js';
import { clusterTtl } from './zone.js';

const suffix = '.in-addr.arpa';

/** The IPv4 address a `d.c.b.a.in-addr.arpa` name stands for, or undefined. */
export function reverseIpv4(lower: string): string | undefined {
  if (!lower.endsWith(suffix)) return undefined;
  const labels = lower.slice(0, -suffix.length).split('.');
  if (labels.length !== 4 || !labels.every((l) => /^(0|[1-9]\d{0,2})$/.test(l) && Number(l) <= 255)) return undefined;
  return labels.reverse().join('.');
}

/** The PTR answer for a reverse name the cluster owns, or undefined. */
export function answerReverse(records: ClusterRecords, zone: string, name: string, lower: string): Answer[] | undefined {
  const ip = reverseIpv4(lower);
  const target = ip === undefined ? undefined : records.nameForIp(ip);
  if (target === undefined) return undefined;
  return [{ type: 'PTR', name, ttl: clusterTtl, class: 'IN', data: `${target}.${zone}` }];
}
