// The iptables-restore text: a full sync writes everything and deletes stale
// chains; a change to one service touches only that service's chains and
// shared rules.
import t from 'tap';
import { serviceChain } from './chains.js';
import { proxyPorts } from './model.js';
import { service, slice, type EndpointSpec } from './proxy.fixture.js';
import { renderService, type ServiceRules } from './render.js';
import { changeRestore, fullRestore } from './restore.js';

const ctx = { clusterCidr: '10.42.0.0/16' };
const web = (eps: EndpointSpec[], ip = '10.43.0.20'): ServiceRules => renderService(proxyPorts(service('web', { clusterIP: ip }), [slice('web', eps)], 'node-a'), ctx);
const other = renderService(proxyPorts(service('other', { clusterIP: '10.43.0.30' }), [slice('other', [{ ip: '10.42.0.9' }])], 'node-a'), ctx);
const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');
const sep = (ip: string): string => serviceChain('SEP', `default/web:http/tcp/${ip}:8080`);
const svc = serviceChain('SVC', 'default/web:http/tcp');

t.test('full: fixed chains, services, hooks replaced, stale chains of ours deleted, others kept', async (t) => {
  const present = {
    chains: { nat: new Set(['TSK8S-SVC-0000000000000000', 'TSK8S-POSTROUTING', 'CNI-HOSTPORT-DNAT']), filter: new Set<string>() },
    hooks: [{ table: 'nat' as const, chain: 'PREROUTING', spec: '-m comment --comment "old" -j TSK8S-SERVICES' }],
  };
  const isOurs = (_: string, c: string): boolean => c.startsWith('TSK8S-') && c !== 'TSK8S-POSTROUTING';
  const batches = fullRestore([web([{ ip: '10.42.0.5' }]), other], present, isOurs);
  t.equal(batches.length, 2, 'the services’ chains, then the shared chains');
  const chains = lines(batches[0] ?? '');
  t.ok(chains.includes(`:${svc} - [0:0]`) && chains.includes(':TSK8S-MARK-MASQ - [0:0]'));
  t.notOk(chains.some((l) => l.includes('TSK8S-SERVICES') || l.includes('*filter')), 'no shared chain in the first restore');
  const text = lines(batches[1] ?? '');
  const nat = text.slice(text.indexOf('*nat'), text.indexOf('COMMIT') + 1);
  const filter = text.slice(text.indexOf('*filter'));
  t.ok(nat.includes(':TSK8S-SERVICES - [0:0]') && !nat.includes(`:${svc} - [0:0]`));
  t.ok(nat.includes('-D PREROUTING -m comment --comment "old" -j TSK8S-SERVICES'), 'an existing hook is replaced');
  t.ok(nat.includes('-I PREROUTING 1 -m comment --comment "tsk8s service portals" -j TSK8S-SERVICES'));
  t.ok(nat.includes('-A POSTROUTING -m comment --comment "tsk8s service masquerade" -j TSK8S-PROXY-POSTROUTING'));
  t.ok(nat.includes('-X TSK8S-SVC-0000000000000000'), 'a stale chain of ours goes');
  t.notOk(batches.join('').split('\n').some((l) => l.includes('TSK8S-POSTROUTING ') || l.includes('CNI-HOSTPORT-DNAT')), 'the pod network’s and others’ chains are not touched');
  const services = nat.filter((l) => l.startsWith('-A TSK8S-SERVICES '));
  t.equal(services.length, 3, 'two services and the NodePort jump');
  t.match(services.at(-1), /addrtype --dst-type LOCAL -j TSK8S-NODEPORTS$/, 'the NodePort jump is last');
  t.ok(filter.includes(':TSK8S-FORWARD - [0:0]') && filter.includes('-I FORWARD 1 -m conntrack --ctstate NEW -m comment --comment "tsk8s service portals" -j TSK8S-SERVICES'));
  t.equal(text.filter((l) => l === 'COMMIT').length, 2);
});

t.test('full: services are split into batches of whole services; MARK-MASQ comes first', async (t) => {
  const many = Array.from({ length: 5 }, (_, i) =>
    renderService(proxyPorts(service(`web-${i}`, { clusterIP: `10.43.0.${i + 20}` }), [slice(`web-${i}`, [{ ip: `10.42.0.${i + 5}` }, { ip: `10.42.1.${i + 5}` }])], 'node-a'), ctx),
  );
  const batches = fullRestore(many, { chains: { nat: new Set(), filter: new Set() }, hooks: [] }, () => true, 10);
  const serviceBatches = batches.slice(0, -1).map(lines);
  t.ok(serviceBatches.length >= 2, 'more than one batch of service chains');
  t.ok(serviceBatches[0]?.includes(':TSK8S-MARK-MASQ - [0:0]'));
  for (const b of serviceBatches) {
    t.equal(b[0], '*nat');
    t.equal(b.at(-1), 'COMMIT');
    const declared = new Set(b.filter((l) => l.startsWith(':')).map((l) => l.slice(1).split(' ')[0]));
    const targets = b.filter((l) => l.startsWith('-A ')).map((l) => / -j (\S+)/.exec(l)?.[1] ?? '');
    t.ok(targets.every((c) => !c.startsWith('TSK8S-') || declared.has(c) || c === 'TSK8S-MARK-MASQ'), 'every chain jumped to is written in the same batch');
  }
  const declaredOnce = serviceBatches.flat().filter((l) => l.startsWith(':TSK8S-SVC-') || l.startsWith(':TSK8S-SEP-'));
  t.equal(declaredOnce.length, new Set(declaredOnce).size, 'each chain written once');
  t.equal(declaredOnce.length, 5 * 3, 'an SVC and two SEP chains per service, all written');
});

t.test('change: one service’s endpoints change; only its SVC chain and the new/old SEP chains are written', async (t) => {
  const before = web([{ ip: '10.42.0.5' }, { ip: '10.42.0.6' }]);
  const after = web([{ ip: '10.42.0.6' }, { ip: '10.42.0.7' }]);
  const text = lines(changeRestore([{ before, after }]));
  t.same(
    text.filter((l) => l.startsWith(':')),
    [`:${svc} - [0:0]`, `:${sep('10.42.0.7')} - [0:0]`],
  );
  t.ok(text.includes(`-F ${sep('10.42.0.5')}`), 'the gone endpoint’s chain is flushed');
  t.notOk(text.some((l) => l.includes(sep('10.42.0.6')) && !l.startsWith(`-A ${svc}`)), 'the unchanged endpoint chain is not rewritten');
  t.equal(text.at(-2), `-X ${sep('10.42.0.5')}`, 'the gone endpoint’s chain is deleted last');
  t.notOk(text.some((l) => l.includes('TSK8S-SERVICES')), 'the dispatch rule is unchanged, so not touched');
  t.notOk(text.includes('*filter'), 'filter untouched');
});

t.test('change: a new ClusterIP swaps its dispatch rule only', async (t) => {
  const text = lines(changeRestore([{ before: web([{ ip: '10.42.0.5' }]), after: web([{ ip: '10.42.0.5' }], '10.43.0.21') }]));
  t.ok(text.includes(`-D TSK8S-SERVICES -d 10.43.0.20/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j ${svc}`));
  t.ok(text.includes(`-I TSK8S-SERVICES 1 -d 10.43.0.21/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j ${svc}`));
  t.ok(text.indexOf(`-D TSK8S-SERVICES -d 10.43.0.20/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j ${svc}`) < text.findIndex((l) => l.startsWith('-I ')), 'deleted before inserted');
});

t.test('change: endpoints gone → nat chains removed, a REJECT added; service deleted → REJECT removed', async (t) => {
  const text = lines(changeRestore([{ before: web([{ ip: '10.42.0.5' }]), after: web([]) }]));
  t.ok(text.includes(`-X ${svc}`) && text.includes(`-X ${sep('10.42.0.5')}`));
  t.ok(text.some((l) => l.startsWith('-D TSK8S-SERVICES -d 10.43.0.20/32')));
  t.ok(text.some((l) => /^-A TSK8S-SERVICES -d 10\.43\.0\.20\/32 .* -j REJECT/.test(l)) && text.includes('*filter'));
  const gone = lines(changeRestore([{ before: web([]), after: undefined }]));
  t.same(gone, ['*filter', '-D TSK8S-SERVICES -d 10.43.0.20/32 -p tcp -m comment --comment "default/web:http has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable', 'COMMIT']);
});

t.test('change: nothing differs → no text at all', async (t) => {
  t.equal(changeRestore([{ before: web([{ ip: '10.42.0.5' }]), after: web([{ ip: '10.42.0.5' }]) }]), '');
  t.equal(changeRestore([{ before: undefined, after: undefined }]), '');
});
