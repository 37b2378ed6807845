// The service proxy's rules on a real kernel, inside a test network namespace
// only: a full sync installs our chains and hooks once (and again without
// doubling them), removes stale chains of ours and leaves other chains alone;
// a change to one service rewrites only that service's chains; a ClusterIP
// reaches its endpoint and one without endpoints refuses at once; a chain
// removed behind the proxy's back is healed by a fallback to a full sync;
// removeProxyRules leaves nothing of ours. Needs root, iproute2 and iptables.
import t from 'tap';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '../../../src/log/logger.js';
import { setupPodNetwork } from '../../../src/net/index.js';
import { ensureProxySysctls, proxyPorts, ProxyRules, removeProxyRules, renderService, type ServiceRules } from '../../../src/net/proxy/index.js';
import { service, slice, type EndpointSpec } from '../../../src/net/proxy/proxy.fixture.js';
import { createTestNetns, netnsSkipReason, testUplink, type TestNetns } from '../../helpers/netns.js';

const sbin = ['/usr/sbin', '/sbin', '/usr/bin', '/bin'];
const reason = netnsSkipReason() ?? (['iptables-save', 'iptables-restore'].every((c) => sbin.some((d) => existsSync(join(d, c)))) ? undefined : 'needs iptables (apt-get install iptables)');

if (reason) {
  t.plan(0, reason);
} else {
  const ctx = { clusterCidr: '10.42.0.0/16' };
  const render = (name: string, clusterIP: string, eps: EndpointSpec[], port = 8080): ServiceRules =>
    renderService(proxyPorts(service(name, { clusterIP }), [slice(name, eps, [{ name: 'http', port, protocol: 'TCP' }])], 'node-a'), ctx);
  let ns: TestNetns;
  const save = async (): Promise<string[]> => (await ns.run('iptables-save', [])).split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.replace(/\[\d+:\d+\]/, '[*]'));
  const ours = (lines: string[]): string[] => lines.filter((l) => /TSK8S-(?!POSTROUTING\b)/.test(l));

  t.before(async () => {
    ns = await createTestNetns({ teardown: (fn) => t.teardown(fn) });
  });

  await t.test('a full sync installs chains and hooks once, and removes stale chains of ours only', async (t) => {
    await ns.run('iptables-restore', ['--noflush'], { input: '*nat\n:TSK8S-SVC-AAAAAAAAAAAAAAAA - [0:0]\n:OTHER-CHAIN - [0:0]\n:TSK8S-POSTROUTING - [0:0]\n-A OTHER-CHAIN -j RETURN\nCOMMIT\n' });
    const rules = new ProxyRules(ns.exec);
    const services = new Map([
      ['default/web', render('web', '10.43.0.20', [{ ip: testUplink.address }])],
      ['default/empty', render('empty', '10.43.0.21', [])],
    ]);
    await rules.full(services);
    await rules.full(services);
    const saved = await save();
    t.equal(saved.filter((l) => l.includes('-j TSK8S-SERVICES') && l.startsWith('-A PREROUTING')).length, 1, 'one PREROUTING hook after two full syncs');
    t.equal(saved.filter((l) => l.startsWith('-A FORWARD') && l.includes('TSK8S-')).length, 3, 'three FORWARD hooks');
    t.notOk(saved.some((l) => l.includes('TSK8S-SVC-AAAAAAAAAAAAAAAA')), 'the stale chain is gone');
    t.ok(saved.includes(':OTHER-CHAIN - [*]') && saved.includes(':TSK8S-POSTROUTING - [*]'), 'chains that are not the proxy’s stay');
    t.ok(saved.some((l) => /^-A TSK8S-SERVICES -d 10\.43\.0\.21\/32 .*-j REJECT/.test(l)), 'the REJECT is in filter');
    const nat = saved.slice(saved.indexOf('*nat'));
    const svcRules = nat.filter((l) => l.startsWith('-A TSK8S-SERVICES '));
    t.match(svcRules.at(-1), /TSK8S-NODEPORTS$/, 'the NodePort jump is the last rule of TSK8S-SERVICES');
  });

  await t.test('a ClusterIP reaches its endpoint; one without endpoints refuses at once', async (t) => {
    const server = ns.spawn('node', ['-e', `require('http').createServer((q, s) => s.end('from-endpoint')).listen(8080, '${testUplink.address}', () => console.log('listening'))`]);
    await new Promise<void>((resolve) => server.stdout?.once('data', () => resolve()));
    const get = (url: string): Promise<string> =>
      ns.run('node', ['-e', `fetch('${url}').then(r => r.text()).then(t => console.log(t), e => console.log('error', e.cause?.code ?? e.message))`]);
    t.equal((await get('http://10.43.0.20/')).trim(), 'from-endpoint');
    t.equal((await get('http://10.43.0.21/')).trim(), 'error ECONNREFUSED');
    server.kill();
  });

  await t.test('from a pod on the bridge, a ClusterIP without endpoints refuses (no ICMP redirect sends the pod around it)', async (t) => {
    const pod = await createTestNetns({ uplink: false, teardown: (fn) => t.teardown(fn) });
    await setupPodNetwork({ podCidr: '10.42.0.0/24', clusterCidr: '10.42.0.0/16', serviceCidr: '10.43.0.0/16', logger: createLogger('net', { sink: { write: () => {} } }), run: ns.exec });
    await ns.run('ip', ['link', 'add', 'vethpx', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', pod.name]);
    await ns.run('ip', ['link', 'set', 'vethpx', 'master', 'cni0', 'up']);
    await pod.run('ip', ['addr', 'add', '10.42.0.5/24', 'dev', 'eth0']);
    await pod.run('ip', ['link', 'set', 'eth0', 'up']);
    await pod.run('ip', ['route', 'add', 'default', 'via', '10.42.0.1']);
    await ns.run('sysctl', ['-q', '-w', 'net.ipv4.ip_forward=1']);
    t.ok((await ensureProxySysctls(ns.exec, 'cni0')).some((c) => c.includes('send_redirects')), 'redirects turned off');
    t.same(await ensureProxySysctls(ns.exec, 'cni0'), [], 'a second call changes nothing');
    const connect = `require('net').connect(80, '10.43.0.21').on('error', (e) => console.log(e.code)).on('connect', () => console.log('connected')).setTimeout(3000, function () { console.log('timeout'); this.destroy(); })`;
    for (let i = 0; i < 3; i++) t.equal((await pod.run('node', ['-e', connect])).trim(), 'ECONNREFUSED', `attempt ${i + 1}`);
  });

  await t.test('a change to one service rewrites only its chains', async (t) => {
    const rules = new ProxyRules(ns.exec);
    const first = new Map([
      ['default/a', render('a', '10.43.1.1', [{ ip: '10.42.0.5' }, { ip: '10.42.0.6' }])],
      ['default/b', render('b', '10.43.1.2', [{ ip: '10.42.0.7' }])],
    ]);
    await rules.full(first);
    const before = ours(await save());
    const a2 = render('a', '10.43.1.1', [{ ip: '10.42.0.6' }, { ip: '10.42.0.8' }]);
    const result = await rules.change(new Map([['default/a', a2]]), () => new Map([...first, ['default/a', a2]]));
    t.equal(result.kind, 'change');
    const after = ours(await save());
    const changed = [...before.filter((l) => !after.includes(l)), ...after.filter((l) => !before.includes(l))];
    t.ok(changed.length > 0, 'something changed');
    t.same(changed.filter((l) => !l.includes('default/a') && !/^:TSK8S-(SVC|SEP)-/.test(l)), [], 'every changed line is service a’s');
    t.notOk(after.some((l) => l.includes('10.42.0.5:8080')), 'the gone endpoint’s chain is removed');
    t.ok(after.some((l) => l.includes('10.42.0.8:8080')), 'the new endpoint is there');
    t.ok(after.some((l) => l.includes('default/b')), 'service b untouched');

    const gone = await rules.change(new Map([['default/a', undefined]]), () => new Map([['default/b', first.get('default/b') as ServiceRules]]));
    t.equal(gone.kind, 'change');
    t.notOk(ours(await save()).some((l) => l.includes('default/a')), 'a deleted service leaves no rule');
  });

  await t.test('a chain deleted behind the proxy’s back: the next change falls back to a full sync', async (t) => {
    const rules = new ProxyRules(ns.exec);
    const c1 = render('c', '10.43.2.1', [{ ip: '10.42.0.5' }]);
    await rules.full(new Map([['default/c', c1]]));
    const [svc, sep] = [...c1.chains.keys()];
    await ns.run('iptables-restore', ['--noflush'], { input: `*nat\n-F ${svc}\n-F ${sep}\n-X ${sep}\nCOMMIT\n` });
    const c2 = render('c', '10.43.2.1', [{ ip: '10.42.0.6' }]);
    const result = await rules.change(new Map([['default/c', c2]]), () => new Map([['default/c', c2]]));
    t.equal(result.kind, 'full');
    t.ok(result.fallback, 'says why');
    t.ok((await save()).some((l) => l.includes('10.42.0.6:8080')));
  });

  await t.test('removeProxyRules leaves nothing of ours, and keeps the rest', async (t) => {
    t.ok((await removeProxyRules(ns.exec)).length > 0);
    const saved = await save();
    t.same(ours(saved), []);
    t.ok(saved.includes(':OTHER-CHAIN - [*]') && saved.includes(':TSK8S-POSTROUTING - [*]'));
    t.same(await removeProxyRules(ns.exec), [], 'idempotent');
  });
}
