import t from 'tap';
import type { KubeObject } from '../../api/types.js';
import { createErrors, updateErrors } from './objects.fixture.js';

const svc = (spec: unknown, name = 'web'): KubeObject => ({ metadata: { name, namespace: 'default', uid: 'u', creationTimestamp: '2025-01-01T00:00:00Z' }, spec });

t.test('service rules', async (t) => {
  const cases: [string, unknown, string[]][] = [
    ['ports required', { selector: { app: 'a' } }, ['spec.ports: Required value']],
    ['headless needs no ports', { clusterIP: 'None' }, []],
    ['externalName needs no ports', { type: 'ExternalName', externalName: 'db.example.com.' }, []],
    ['externalName required', { type: 'ExternalName' }, ['spec.externalName: Required value']],
    // targetPort defaults to port, so it is reported too, as upstream reports it.
    ['port 0', { ports: [{ port: 0 }] }, ['spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive', 'spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive']],
    ['port too big', { ports: [{ port: 65536, targetPort: 8080 }] }, ['spec.ports[0].port: Invalid value: 65536: must be between 1 and 65535, inclusive']],
    ['names required with several ports', { ports: [{ port: 80 }, { port: 443, name: 'https' }] }, ['spec.ports[0].name: Required value']],
    ['duplicate names', { ports: [{ port: 80, name: 'web' }, { port: 81, name: 'web' }] }, ['spec.ports[1].name: Duplicate value: "web"']],
    [
      'duplicate ports',
      { ports: [{ port: 80, name: 'a' }, { port: 80, name: 'b' }] },
      ['spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}'],
    ],
    ['bad protocol', { ports: [{ port: 80, protocol: 'ICMP' }] }, ['spec.ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"']],
    ['bad targetPort', { ports: [{ port: 80, targetPort: 70000 }] }, ['spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive']],
    ['bad type', { type: 'Public', ports: [{ port: 80 }] }, ['spec.type: Unsupported value: "Public": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"']],
    ['nodePort on ClusterIP', { ports: [{ port: 80, nodePort: 30080 }] }, ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]],
    ['nodePort on NodePort', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }, []],
    ['headless NodePort', { type: 'NodePort', clusterIP: 'None', ports: [{ port: 80 }] }, ['spec.clusterIPs[0]: Invalid value: "None": may not be set to \'None\' for NodePort services']],
    ['bad selector', { selector: { app: 'a b' }, ports: [{ port: 80 }] }, [
      "spec.selector: Invalid value: \"a b\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ]],
    ['externalTrafficPolicy on ClusterIP', { ports: [{ port: 80 }], externalTrafficPolicy: 'Local' }, ['spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services']],
    ['bad clusterIP', { clusterIP: '10.43.0.300', ports: [{ port: 80 }] }, ['spec.clusterIPs[0]: Invalid value: "10.43.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']],
    ['clusterIPs disagree', { clusterIP: '10.43.0.5', clusterIPs: ['10.43.0.6'], ports: [{ port: 80 }] }, ['spec.clusterIPs: Invalid value: []string{"10.43.0.6"}: first value must match `clusterIP`']],
    ['session affinity', { sessionAffinity: 'Cookie', ports: [{ port: 80 }] }, ['spec.sessionAffinity: Unsupported value: "Cookie": supported values: "ClientIP", "None"']],
    ['kubelet port on a load balancer', { type: 'LoadBalancer', ports: [{ port: 10250 }] }, ['spec.ports[0]: Invalid value: 10250: may not expose port 10250 externally since it is used by kubelet']],
  ];
  for (const [label, spec, want] of cases) t.same(createErrors('services', true, svc(spec)), want, label);
});

t.test('service updates keep the cluster IP', async (t) => {
  const old = svc({ clusterIP: '10.43.0.10', ports: [{ port: 80 }] });
  t.same(updateErrors('services', true, svc({ clusterIP: '10.43.0.10', ports: [{ port: 81 }] }), old), []);
  t.same(updateErrors('services', true, svc({ clusterIP: '10.43.0.11', ports: [{ port: 80 }] }), old), ['spec.clusterIPs[0]: Invalid value: []string{"10.43.0.11"}: may not change once set']);
  t.same(updateErrors('services', true, svc({ ports: [{ port: 80 }] }), old), ['spec.clusterIPs[0]: Invalid value: []string{}: primary clusterIP can not be unset']);
  t.same(updateErrors('services', true, svc({ type: 'ExternalName', externalName: 'x.example.com' }), old), [], 'changing to ExternalName releases the address');
});
