import t from 'tap';
import { ago, cellsOf, day, now } from './builders.fixture.js';
import { ingressClassPrinter, ingressPrinter, networkPolicyPrinter } from './networking.js';

const meta = { name: 'web', creationTimestamp: ago(day) };

t.test('ingress hosts, address and ports', async (t) => {
  const ing = {
    metadata: meta,
    spec: { ingressClassName: 'traefik', rules: [{ host: 'a.example' }, { host: 'b.example' }], tls: [{ hosts: ['a.example'] }] },
    status: { loadBalancer: { ingress: [{ ip: '192.168.1.5' }, { ip: '192.168.1.4' }] } },
  };
  t.same(cellsOf(ingressPrinter, ing), ['web', 'traefik', 'a.example,b.example', '192.168.1.4,192.168.1.5', '80, 443', '24h']);
  t.same(cellsOf(ingressPrinter, { metadata: meta, spec: { rules: [{}] } }), ['web', '<none>', '*', '', '80', '24h']);
  const many = { metadata: meta, spec: { rules: ['a', 'b', 'c', 'd', 'e'].map((h) => ({ host: `${h}.example` })) } };
  t.equal(cellsOf(ingressPrinter, many)[2], 'a.example,b.example,c.example + 2 more...');
});

t.test('ingress classes and network policies', async (t) => {
  const ic = { metadata: meta, spec: { controller: 'traefik.io/ingress-controller', parameters: { apiGroup: 'k8s.example.com', kind: 'Params', name: 'p' } } };
  t.same(cellsOf(ingressClassPrinter, ic), ['web', 'traefik.io/ingress-controller', 'Params.k8s.example.com/p', '24h']);
  t.same(cellsOf(ingressClassPrinter, { metadata: meta, spec: { controller: 'c' } })[2], '<none>');
  t.same(cellsOf(networkPolicyPrinter, { metadata: meta, spec: { podSelector: { matchLabels: { app: 'db' } } } }), ['web', 'app=db', '24h']);
  t.same(cellsOf(networkPolicyPrinter, { metadata: meta, spec: { podSelector: {} } })[1], '<none>');
});
