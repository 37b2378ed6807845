// The rules a Service renders to, case by case (kube-proxy's iptables mode).
import t from 'tap';
import type { corev1 } from '../../api/types.js';
import { serviceChain } from './chains.js';
import { proxyPorts } from './model.js';
import { service, slice, type EndpointSpec } from './proxy.fixture.js';
import { renderService, type ServiceRules } from './render.js';

const ctx = { clusterCidr: '10.42.0.0/16' };
const svcChain = serviceChain('SVC', 'default/web:http/tcp');
const extChain = serviceChain('EXT', 'default/web:http/tcp');
const svlChain = serviceChain('SVL', 'default/web:http/tcp');
const sepChain = (ip: string): string => serviceChain('SEP', `default/web:http/tcp/${ip}:8080`);

function render(spec: corev1.ServiceSpec, eps: EndpointSpec[], extra: { ingress?: string[] } = {}): ServiceRules {
  return renderService(proxyPorts(service('web', spec, extra), [slice('web', eps)], 'node-a'), ctx);
}
const shared = (r: ServiceRules, table: string, chain: string): string[] => r.shared.filter((s) => s.table === table && s.chain === chain).map((s) => s.spec);

const three = [{ ip: '10.42.0.5' }, { ip: '10.42.0.6' }, { ip: '10.42.0.7' }];

t.test('ClusterIP with three ready endpoints: one dispatch rule, 1/3, 1/2, 1', async (t) => {
  const r = render({ clusterIP: '10.43.0.20' }, three);
  t.same(shared(r, 'nat', 'TSK8S-SERVICES'), [`-d 10.43.0.20/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j ${svcChain}`]);
  t.same(r.chains.get(svcChain), [
    '! -s 10.42.0.0/16 -d 10.43.0.20/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j TSK8S-MARK-MASQ',
    `-m comment --comment "default/web:http -> 10.42.0.5:8080" -m statistic --mode random --probability 0.3333333333 -j ${sepChain('10.42.0.5')}`,
    `-m comment --comment "default/web:http -> 10.42.0.6:8080" -m statistic --mode random --probability 0.5000000000 -j ${sepChain('10.42.0.6')}`,
    `-m comment --comment "default/web:http -> 10.42.0.7:8080" -j ${sepChain('10.42.0.7')}`,
  ]);
  t.same(r.chains.get(sepChain('10.42.0.6')), [
    '-s 10.42.0.6/32 -m comment --comment "default/web:http" -j TSK8S-MARK-MASQ',
    '-p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination 10.42.0.6:8080',
  ], 'hairpin masquerade, then DNAT');
  t.same([...r.chains.keys()].filter((c) => c.startsWith('TSK8S-EXT-') || c.startsWith('TSK8S-SVL-')), [], 'no external chains');
  t.same(r.shared.filter((s) => s.table === 'filter'), [], 'nothing rejected');
});

t.test('rules by case', async (t) => {
  const cases: { name: string; spec: corev1.ServiceSpec; eps: EndpointSpec[]; ingress?: string[]; want: { table: string; chain: string; has: RegExp[] }[] }[] = [
    {
      name: 'no endpoints: REJECT in filter, no nat rule',
      spec: { type: 'NodePort', clusterIP: '10.43.0.20', externalIPs: ['192.0.2.9'], ports: [{ name: 'http', port: 80, nodePort: 30080 }] },
      eps: [],
      want: [
        { table: 'filter', chain: 'TSK8S-SERVICES', has: [/^-d 10\.43\.0\.20\/32 -p tcp .*has no endpoints.* --dport 80 -j REJECT/] },
        { table: 'filter', chain: 'TSK8S-EXTERNAL-SERVICES', has: [/^-d 192\.0\.2\.9\/32 .*--dport 80 -j REJECT/, /--dst-type LOCAL -m tcp --dport 30080 -j REJECT/] },
        { table: 'nat', chain: 'TSK8S-SERVICES', has: [] },
      ],
    },
    {
      name: 'only not-ready endpoints count as none',
      spec: { clusterIP: '10.43.0.20' },
      eps: [{ ip: '10.42.0.5', ready: false, serving: false }],
      want: [{ table: 'filter', chain: 'TSK8S-SERVICES', has: [/REJECT/] }],
    },
    {
      name: 'NodePort: node-port rule to EXT, which masquerades then balances',
      spec: { type: 'NodePort', clusterIP: '10.43.0.20', ports: [{ name: 'http', port: 80, nodePort: 30080 }] },
      eps: three,
      want: [
        { table: 'nat', chain: 'TSK8S-NODEPORTS', has: [new RegExp(`^-p tcp .*node port" -m tcp --dport 30080 -j ${extChain}$`)] },
        { table: 'nat', chain: extChain, has: [/-j TSK8S-MARK-MASQ$/, new RegExp(`^-j ${svcChain}$`)] },
      ],
    },
    {
      name: 'LoadBalancer: the ingress IPs and external IPs dispatch to EXT',
      spec: { type: 'LoadBalancer', clusterIP: '10.43.0.20', externalIPs: ['192.0.2.9'], ports: [{ name: 'http', port: 80, nodePort: 30080 }] },
      eps: three,
      ingress: ['192.168.251.2'],
      want: [
        {
          table: 'nat',
          chain: 'TSK8S-SERVICES',
          has: [/cluster IP/, new RegExp(`^-d 192\\.0\\.2\\.9/32 .*external IP.* --dport 80 -j ${extChain}$`), new RegExp(`^-d 192\\.168\\.251\\.2/32 .*loadbalancer IP.* --dport 80 -j ${extChain}$`)],
        },
        { table: 'nat', chain: 'TSK8S-NODEPORTS', has: [/--dport 30080/] },
      ],
    },
    {
      name: 'externalTrafficPolicy Local: pods and the node go cluster-wide, outside traffic to local endpoints without masquerade',
      spec: { type: 'NodePort', clusterIP: '10.43.0.20', externalTrafficPolicy: 'Local', ports: [{ name: 'http', port: 80, nodePort: 30080 }] },
      eps: [{ ip: '10.42.0.5' }, { ip: '10.42.1.5', node: 'node-b' }],
      want: [
        {
          table: 'nat',
          chain: extChain,
          has: [new RegExp(`^-s 10\\.42\\.0\\.0/16 .* -j ${svcChain}$`), /--src-type LOCAL -j TSK8S-MARK-MASQ$/, new RegExp(`--src-type LOCAL -j ${svcChain}$`), new RegExp(`^-j ${svlChain}$`)],
        },
        { table: 'nat', chain: svlChain, has: [new RegExp(`10\\.42\\.0\\.5:8080" -j ${sepChain('10.42.0.5')}$`)] },
      ],
    },
    {
      name: 'externalTrafficPolicy Local without local endpoints: DROP for outside traffic, ClusterIP still served',
      spec: { type: 'NodePort', clusterIP: '10.43.0.20', externalTrafficPolicy: 'Local', ports: [{ name: 'http', port: 80, nodePort: 30080 }] },
      eps: [{ ip: '10.42.1.5', node: 'node-b' }],
      want: [
        { table: 'filter', chain: 'TSK8S-EXTERNAL-SERVICES', has: [/has no local endpoints.*--dst-type LOCAL -m tcp --dport 30080 -j DROP$/] },
        { table: 'nat', chain: 'TSK8S-SERVICES', has: [/cluster IP/] },
        { table: 'nat', chain: extChain, has: [/pod traffic/, /masquerade LOCAL/, /route LOCAL/] },
      ],
    },
    {
      name: 'sessionAffinity ClientIP: recent checks first, recent set before DNAT',
      spec: { clusterIP: '10.43.0.20', sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } },
      eps: [{ ip: '10.42.0.5' }, { ip: '10.42.0.6' }],
      want: [
        {
          table: 'nat',
          chain: svcChain,
          has: [
            /MARK-MASQ$/,
            new RegExp(`-m recent --name ${sepChain('10.42.0.5')} --mask 255\\.255\\.255\\.255 --rsource --rcheck --seconds 60 --reap -j ${sepChain('10.42.0.5')}$`),
            new RegExp(`--rcheck --seconds 60 --reap -j ${sepChain('10.42.0.6')}$`),
            /--probability 0\.5000000000/,
            new RegExp(`-j ${sepChain('10.42.0.6')}$`),
          ],
        },
        { table: 'nat', chain: sepChain('10.42.0.5'), has: [/MARK-MASQ$/, new RegExp(`-m recent --name ${sepChain('10.42.0.5')} --mask 255\\.255\\.255\\.255 --rsource --set -m tcp -j DNAT --to-destination 10\\.42\\.0\\.5:8080$`)] },
      ],
    },
    {
      name: 'headless: nothing to proxy',
      spec: { clusterIP: 'None' },
      eps: three,
      want: [{ table: 'nat', chain: 'TSK8S-SERVICES', has: [] }, { table: 'filter', chain: 'TSK8S-SERVICES', has: [] }],
    },
  ];
  for (const c of cases) {
    const r = render(c.spec, c.eps, c.ingress ? { ingress: c.ingress } : {});
    for (const w of c.want) {
      const rules = w.chain.startsWith('TSK8S-SERVICES') || w.chain.startsWith('TSK8S-NODEPORTS') || w.chain.startsWith('TSK8S-EXTERNAL') ? shared(r, w.table, w.chain) : (r.chains.get(w.chain) ?? []);
      t.equal(rules.length, w.has.length, `${c.name}: ${w.table} ${w.chain} has ${w.has.length} rules`);
      w.has.forEach((re, i) => t.match(rules[i] ?? '', re, `${c.name}: ${w.chain} rule ${i}`));
    }
  }
});

t.test('UDP and SCTP ports use their protocol', async (t) => {
  const r = renderService(
    proxyPorts(service('dns', { clusterIP: '10.43.0.53', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] }), [slice('dns', [{ ip: '10.42.0.9' }], [{ name: 'dns', port: 5353, protocol: 'UDP' }])], 'node-a'),
    ctx,
  );
  t.match(shared(r, 'nat', 'TSK8S-SERVICES')[0], /-p udp .* -m udp --dport 53 /);
  t.match(r.chains.get(serviceChain('SEP', 'default/dns:dns/udp/10.42.0.9:5353'))?.[1], /^-p udp .* -j DNAT --to-destination 10\.42\.0\.9:5353$/);
});
