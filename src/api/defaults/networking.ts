// networking.k8s.io/v1 defaults.
import type { Defaulter } from '../registry/types.js';
import { child, ensure, isEmptyCollection, items, setIfUnset } from './shape.js';

/** policyTypes [Ingress], plus Egress when egress rules exist; ports TCP. */
const networkPolicy: Defaulter = (obj) => {
  const spec = ensure(obj, 'spec');
  if (spec === undefined) return;
  if (isEmptyCollection(spec.policyTypes)) {
    spec.policyTypes = Array.isArray(spec.egress) && spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  }
  for (const rule of [...items(spec, 'ingress'), ...items(spec, 'egress')]) {
    for (const port of items(rule, 'ports')) setIfUnset(port, 'protocol', 'TCP');
  }
};

/** Parameters without a scope are cluster-scoped. */
const ingressClass: Defaulter = (obj) => {
  setIfUnset(child(child(obj, 'spec'), 'parameters'), 'scope', 'Cluster');
};

export const networkingDefaulters: Readonly<Record<string, Defaulter>> = {
  'networkpolicies.networking.k8s.io': networkPolicy,
  'ingressclasses.networking.k8s.io': ingressClass,
};
