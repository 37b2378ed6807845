// Ingresses, IngressClasses and NetworkPolicies.
import type { networkingv1 } from '../types.js';
import { age } from './age.js';
import { ageColumn, column, definePrinter, nameColumn } from './columns.js';
import { formatLabelSelector } from './format.js';
import { list, text } from './read.js';

/**
 * Hosts: the first three rule hosts, ` + N more...` counting every rule
 * past the third; `*` when no rule names a host.
 */
function formatHosts(ingress: networkingv1.Ingress): string {
  const rules = list(ingress.spec?.rules);
  const max = 3;
  const hosts: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (hosts.length === max) more = true;
    const host = text(rule?.host);
    if (!more && host !== '') hosts.push(host);
  }
  if (hosts.length === 0) return '*';
  return more ? `${hosts.join(',')} + ${rules.length - max} more...` : hosts.join(',');
}

/** Address: load-balancer IPs (else hostnames), de-duplicated and sorted. */
function ingressAddress(ingress: networkingv1.Ingress): string {
  const found = new Set<string>();
  for (const point of list(ingress.status?.loadBalancer?.ingress)) {
    const address = text(point?.ip) || text(point?.hostname);
    if (address !== '') found.add(address);
  }
  return [...found].sort().join(',');
}

export const ingressPrinter = definePrinter<networkingv1.Ingress>(
  [
    nameColumn,
    column('Class', 'string', 'The name of the IngressClass resource that should be used for additional configuration'),
    column('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
    column('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    column('Ports', 'string', 'Ports of TLS configurations that open'),
    ageColumn,
  ],
  (ing, now) => [
    text(ing.metadata?.name),
    typeof ing.spec?.ingressClassName === 'string' ? ing.spec.ingressClassName : '<none>',
    formatHosts(ing),
    ingressAddress(ing),
    list(ing.spec?.tls).length > 0 ? '80, 443' : '80',
    age(ing.metadata?.creationTimestamp, now),
  ],
);

export const ingressClassPrinter = definePrinter<networkingv1.IngressClass>(
  [
    nameColumn,
    column('Controller', 'string', 'Controller that is responsible for handling this class'),
    column('Parameters', 'string', 'A reference to a resource with additional parameters'),
    ageColumn,
  ],
  (ic, now) => {
    const p = ic.spec?.parameters;
    let parameters = '<none>';
    if (p) {
      const group = typeof p.apiGroup === 'string' ? `.${p.apiGroup}` : '';
      parameters = `${text(p.kind)}${group}/${text(p.name)}`;
    }
    return [text(ic.metadata?.name), text(ic.spec?.controller), parameters, age(ic.metadata?.creationTimestamp, now)];
  },
);

export const networkPolicyPrinter = definePrinter<networkingv1.NetworkPolicy>(
  [nameColumn, column('Pod-Selector', 'string', 'The pods to which this policy applies; empty selects all pods in the namespace.'), ageColumn],
  // An absent podSelector decodes upstream as the empty selector, which prints <none>.
  (np, now) => [text(np.metadata?.name), formatLabelSelector(np.spec?.podSelector ?? {}), age(np.metadata?.creationTimestamp, now)],
);
