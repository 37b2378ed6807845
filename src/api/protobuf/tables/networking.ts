// Protobuf tables of networking.k8s.io/v1 Ingress. Each entry is named for the
// upstream Go type of k8s.io/api/networking/v1 at Kubernetes 1.32: field numbers
// and wire types from its generated.proto; JSON names, omitempty and pointers
// from the struct tags in its types.go.
import type { MessageTables } from '../schema.js';

export const networkingV1: MessageTables = {
  HTTPIngressPath: { path: '1 string', pathType: '3 *string', backend: '2 IngressBackend' },
  HTTPIngressRuleValue: { paths: '1 []HTTPIngressPath' },
  Ingress: { metadata: '1 meta/v1.ObjectMeta', spec: '2 IngressSpec', status: '3 IngressStatus' },
  IngressBackend: { service: '4 IngressServiceBackend', resource: '3 core/v1.TypedLocalObjectReference' },
  IngressLoadBalancerIngress: { ip: '1 string', hostname: '2 string', ports: '4 []IngressPortStatus' },
  IngressLoadBalancerStatus: { ingress: '1 []IngressLoadBalancerIngress' },
  IngressPortStatus: { port: '1 int32!', protocol: '2 string!', error: '3 *string' },
  IngressRule: { host: '1 string', '(inline)': '2 IngressRuleValue' },
  IngressRuleValue: { http: '1 HTTPIngressRuleValue' },
  IngressServiceBackend: { name: '1 string!', port: '2 ServiceBackendPort' },
  IngressSpec: { ingressClassName: '4 *string', defaultBackend: '1 IngressBackend', tls: '2 []IngressTLS', rules: '3 []IngressRule' },
  IngressStatus: { loadBalancer: '1 IngressLoadBalancerStatus' },
  IngressTLS: { hosts: '1 []string', secretName: '2 string' },
  ServiceBackendPort: { name: '1 string', number: '2 int32' },
};
