// The pod's resolver configuration from its dnsPolicy, as upstream's
// kubelet forms it: ClusterFirst uses the cluster DNS with the namespace's
// search path (host-network pods fall back to the host's resolver unless
// they ask for ClusterFirstWithHostNet), Default copies the host's
// resolv.conf, None starts empty; spec.dnsConfig is merged in last, then
// upstream's limits apply (3 nameservers, 32 search domains, 2048 chars).
import type { corev1 } from '../../api/types.js';

export interface ResolvConf {
  servers: string[];
  searches: string[];
  options: string[];
}

export interface DnsConfig {
  servers: string[];
  searches: string[];
  options: string[];
}

export interface DnsSettings {
  clusterDns: string[];
  clusterDomain: string;
  /** The host's resolver configuration. */
  host: ResolvConf;
}

/** A warning upstream reports as an event on the pod. */
export interface DnsWarning {
  reason: 'MissingClusterDNS' | 'DNSConfigForming';
  message: string;
}

const maxNameservers = 3;
const maxSearches = 32;
const maxSearchChars = 2048;

export function parseResolvConf(text: string): ResolvConf {
  const conf: ResolvConf = { servers: [], searches: [], options: [] };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const [key, ...fields] = line.split(/\s+/);
    if (key === 'nameserver' && fields[0]) conf.servers.push(fields[0]);
    // The last search line wins, as in the resolver.
    else if (key === 'search') conf.searches = fields.filter((f) => f !== '.');
    else if (key === 'options') conf.options.push(...fields);
  }
  return conf;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** Options merged by name ("ndots:5" and "ndots:2" are one option); later ones win. */
export function mergeOptions(base: string[], extra: { name?: string; value?: string }[]): string[] {
  const byName = new Map<string, string>();
  for (const opt of base) byName.set(opt.split(':')[0] ?? opt, opt);
  for (const opt of extra) {
    if (!opt.name) continue;
    byName.set(opt.name, opt.value !== undefined && opt.value !== '' ? `${opt.name}:${opt.value}` : opt.name);
  }
  return [...byName.values()];
}

export type EffectivePolicy = 'ClusterFirst' | 'Default' | 'None';

export function effectivePolicy(pod: corev1.Pod, clusterDns: string[]): EffectivePolicy {
  const policy = pod.spec?.dnsPolicy ?? 'ClusterFirst';
  const hostNetwork = pod.spec?.hostNetwork === true;
  if (policy === 'None' || policy === 'Default') return policy;
  if (policy === 'ClusterFirst' && hostNetwork) return 'Default';
  return clusterDns.length > 0 ? 'ClusterFirst' : 'Default';
}

export function podDnsConfig(pod: corev1.Pod, settings: DnsSettings): { config: DnsConfig; warnings: DnsWarning[] } {
  const warnings: DnsWarning[] = [];
  const policy = effectivePolicy(pod, settings.clusterDns);
  const asked = pod.spec?.dnsPolicy ?? 'ClusterFirst';
  if (settings.clusterDns.length === 0 && (asked === 'ClusterFirst' || asked === 'ClusterFirstWithHostNet') && policy === 'Default' && !(asked === 'ClusterFirst' && pod.spec?.hostNetwork)) {
    warnings.push({
      reason: 'MissingClusterDNS',
      message: `pod: "${pod.metadata?.name}_${pod.metadata?.namespace}(${pod.metadata?.uid})". kubelet does not have ClusterDNS IP configured and cannot create Pod using "${asked}" policy. Falling back to "Default" policy.`,
    });
  }
  let config: DnsConfig;
  if (policy === 'None') {
    config = { servers: [], searches: [], options: [] };
  } else if (policy === 'Default') {
    config = { servers: [...settings.host.servers], searches: [...settings.host.searches], options: [...settings.host.options] };
  } else {
    const ns = pod.metadata?.namespace ?? 'default';
    const domain = settings.clusterDomain;
    config = {
      servers: [...settings.clusterDns],
      searches: unique([`${ns}.svc.${domain}`, `svc.${domain}`, domain, ...settings.host.searches]),
      options: ['ndots:5'],
    };
  }
  const extra = pod.spec?.dnsConfig;
  if (extra) {
    config.servers = unique([...config.servers, ...(extra.nameservers ?? [])]);
    config.searches = unique([...config.searches, ...(extra.searches ?? [])]);
    config.options = mergeOptions(config.options, extra.options ?? []);
  }
  if (config.servers.length > maxNameservers) {
    config.servers = config.servers.slice(0, maxNameservers);
    warnings.push({ reason: 'DNSConfigForming', message: `Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${config.servers.join(' ')}` });
  }
  const searches = limitSearches(config.searches);
  if (searches.length < config.searches.length) {
    warnings.push({ reason: 'DNSConfigForming', message: `Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${searches.join(' ')}` });
    config.searches = searches;
  }
  return { config, warnings };
}

function limitSearches(searches: string[]): string[] {
  const out: string[] = [];
  let chars = 0;
  for (const s of searches.slice(0, maxSearches)) {
    const added = chars + s.length + (out.length > 0 ? 1 : 0);
    if (added > maxSearchChars) break;
    out.push(s);
    chars = added;
  }
  return out;
}
