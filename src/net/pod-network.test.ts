// setupPodNetwork and teardownPodNetwork against a recording fake of `ip` and
// iptables: the commands they issue, and that a second run issues no writes.
// The real thing runs in test/integration/net/pod-network.test.ts.
import t from 'tap';
import { createLogger } from '../log/logger.js';
import type { CommandResult, CommandRunner } from './exec.js';
import { setupPodNetwork, teardownPodNetwork } from './pod-network.js';

interface FakeLink {
  kind: string | undefined;
  up: boolean;
  mac: string;
  addrs: string[];
  mtu?: number;
}

/** A tiny model of one network namespace, answering exactly the commands the pod network issues. */
function fakeHost(links: Record<string, FakeLink> = {}, opts: { iptables?: boolean } = {}) {
  const state = {
    links: new Map(Object.entries(links)),
    routes: (links.eth0 ? [{ dst: 'default', dev: 'eth0', gateway: '192.168.251.1' }] : []) as { dst: string; dev: string; prefsrc?: string; gateway?: string }[],
    nat: '',
  };
  const writes: string[] = [];
  const ok = (stdout = ''): CommandResult => ({ code: 0, stdout, stderr: '' });
  const run: CommandRunner = async (cmd, args, o) => {
    const line = [cmd, ...args].join(' ');
    if (cmd.startsWith('iptables') && opts.iptables === false) throw Object.assign(new Error(`spawn ${cmd} ENOENT`), { code: 'ENOENT' });
    const json = (dev?: string) =>
      JSON.stringify(
        [...state.links]
          .filter(([n]) => dev === undefined || n === dev)
          .map(([n, l]) => ({ ifname: n, addr_info: l.addrs.map((a) => ({ family: 'inet', local: a.split('/')[0], prefixlen: Number(a.split('/')[1]) })) })),
      );
    let m: RegExpExecArray | null;
    if ((m = /^ip -d -j link show dev (\S+)$/.exec(line))) {
      const l = state.links.get(m[1] ?? '');
      if (!l) return { code: 1, stdout: '', stderr: `Device "${m[1]}" does not exist.\n` };
      return ok(JSON.stringify([{ ifname: m[1], flags: l.up ? ['BROADCAST', 'UP'] : ['BROADCAST'], mtu: l.mtu ?? 1500, address: l.mac, ...(l.kind ? { linkinfo: { info_kind: l.kind } } : {}) }]));
    }
    if (line === 'ip -j -4 addr show') return ok(json());
    if ((m = /^ip -j -4 addr show dev (\S+)$/.exec(line))) return ok(json(m[1]));
    if (line === 'ip -j -4 route show table main') return ok(JSON.stringify(state.routes));
    if (line === 'iptables-save -t nat') return ok(state.nat);
    writes.push(line);
    if ((m = /^ip link add name (\S+) address (\S+) type bridge$/.exec(line))) state.links.set(m[1] ?? '', { kind: 'bridge', up: false, mac: m[2] ?? '', addrs: [] });
    else if ((m = /^ip link set dev (\S+) up$/.exec(line))) state.links.get(m[1] ?? '')!.up = true;
    else if ((m = /^ip link set dev (\S+) address (\S+)$/.exec(line))) state.links.get(m[1] ?? '')!.mac = m[2] ?? '';
    else if ((m = /^ip addr add (\S+) dev (\S+)$/.exec(line))) state.links.get(m[2] ?? '')!.addrs.push(m[1] ?? '');
    else if ((m = /^ip addr del (\S+) dev (\S+)$/.exec(line))) {
      const l = state.links.get(m[2] ?? '')!;
      l.addrs = l.addrs.filter((a) => a !== m?.[1]);
    } else if ((m = /^ip route replace (\S+) dev (\S+) src (\S+)$/.exec(line))) {
      state.routes = state.routes.filter((r) => r.dst !== m?.[1]);
      state.routes.push({ dst: m[1] ?? '', dev: m[2] ?? '', prefsrc: m[3] ?? '' });
    } else if ((m = /^ip link del dev (\S+)$/.exec(line))) {
      state.links.delete(m[1] ?? '');
      state.routes = state.routes.filter((r) => r.dev !== m?.[1]);
    } else if (line === 'iptables-restore -w 5 --noflush') {
      // Enough of iptables-restore for these tests: the masquerade chain's text replaces the table.
      const input = o?.input ?? '';
      state.nat = input.includes('-A TSK8S-POSTROUTING')
        ? input.replace('*nat\n', '').replace(/^-D .*\n/gm, '').replace('COMMIT\n', '')
        : '';
    } else return { code: 2, stdout: '', stderr: `fake: unexpected ${line}` };
    return ok();
  };
  return { run, state, writes };
}

const lines: string[] = [];
const logger = createLogger('net', { sink: { write: (l) => lines.push(l) } });
const options = { podCidr: '10.42.0.0/24', clusterCidr: '10.42.0.0/16', serviceCidr: '10.43.0.0/16', logger };
const eth0: FakeLink = { kind: undefined, up: true, mac: '02:00:00:00:00:01', addrs: ['192.168.251.2/24'], mtu: 1400 };

t.test('a fresh node: the bridge, its address, up, the cluster routes, the masquerade', async (t) => {
  const host = fakeHost({ eth0: { ...eth0 } });
  const net = await setupPodNetwork({ ...options, run: host.run });
  t.same(net, {
    bridge: 'cni0',
    podCidr: '10.42.0.0/24',
    gateway: '10.42.0.1',
    changes: ['bridge created', 'address 10.42.0.1/24 added', 'bridge up', 'route 10.42.0.0/16', 'route 10.43.0.0/16', 'masquerade'],
    uplinkMtu: 1400,
  });
  t.same(host.writes, [
    'ip link add name cni0 address 0a:58:0a:2a:00:01 type bridge',
    'ip addr add 10.42.0.1/24 dev cni0',
    'ip link set dev cni0 up',
    'ip route replace 10.42.0.0/16 dev cni0 src 10.42.0.1',
    'ip route replace 10.43.0.0/16 dev cni0 src 10.42.0.1',
    'iptables-restore -w 5 --noflush',
  ]);
  t.match(host.state.nat, /^:TSK8S-POSTROUTING - \[0:0\]\n-A TSK8S-POSTROUTING -s 10\.42\.0\.0\/16 -d 10\.42\.0\.0\/16 .*-j RETURN\n-A TSK8S-POSTROUTING -s 10\.42\.0\.0\/16 ! -d 224\.0\.0\.0\/4 .*-j MASQUERADE --random-fully\n-A POSTROUTING .*-j TSK8S-POSTROUTING\n$/);
  t.match(lines.at(-1), /info  net: pod network ready bridge=cni0 podCidr=10\.42\.0\.0\/24 gateway=10\.42\.0\.1 uplinkMtu=1400 changes="bridge created, /);

  host.writes.length = 0;
  const again = await setupPodNetwork({ ...options, run: host.run });
  t.same(again.changes, [], 'a second run changes nothing');
  t.same(host.writes, [], 'and writes nothing');
  t.match(lines.at(-1), /changes=none\n$/);
});

t.test('a bridge left from another pod CIDR is renumbered and re-routed', async (t) => {
  const host = fakeHost({ eth0: { ...eth0 }, cni0: { kind: 'bridge', up: true, mac: '0a:58:0a:2a:05:01', addrs: ['10.42.5.1/24'] } });
  const net = await setupPodNetwork({ ...options, masquerade: false, run: host.run });
  t.same(net.changes, ['mac set', 'address 10.42.5.1/24 removed', 'address 10.42.0.1/24 added', 'route 10.42.0.0/16', 'route 10.43.0.0/16']);
  t.same(host.state.links.get('cni0'), { kind: 'bridge', up: true, mac: '0a:58:0a:2a:00:01', addrs: ['10.42.0.1/24'] });
  t.equal(host.state.nat, '', 'masquerade: false leaves iptables alone');
});

t.test('a pod CIDR as large as the cluster CIDR needs no cluster route of its own', async (t) => {
  const host = fakeHost();
  const net = await setupPodNetwork({ ...options, podCidr: '10.42.0.0/16', masquerade: false, run: host.run });
  t.equal(net.uplinkMtu, undefined, 'no default route, no uplink MTU');
  t.same(net.changes, ['bridge created', 'address 10.42.0.1/16 added', 'bridge up', 'route 10.43.0.0/16']);
});

t.test('refused before anything is changed', async (t) => {
  const cases: [string, Record<string, string>, Record<string, FakeLink>, object][] = [
    ['overlapping CIDRs', { serviceCidr: '10.42.128.0/17' }, {}, { code: 'cidr-overlap', message: /10\.42\.0\.0\/16 and the service CIDR 10\.42\.128\.0\/17 overlap/ }],
    ['a pod CIDR outside the cluster', { podCidr: '10.44.0.0/24' }, {}, { code: 'pod-cidr-outside' }],
    ['a pod CIDR too small for a pod', { podCidr: '10.42.0.0/31' }, {}, { code: 'pod-cidr-outside' }],
    ['a bad CIDR', { clusterCidr: '10.42.0.0' }, {}, { code: 'bad-cidr' }],
    ['a host address inside the service CIDR', {}, { eth1: { ...eth0, addrs: ['10.43.9.9/24'] } }, { code: 'address-conflict', message: /^eth1 has the address 10\.43\.9\.9, inside 10\.43\.0\.0\/16/ }],
    ['a link called cni0 that is not a bridge', {}, { cni0: { ...eth0, kind: 'veth', addrs: [] } }, { code: 'not-a-bridge', message: /cni0 exists and is a veth/ }],
  ];
  for (const [name, override, links, error] of cases) {
    const host = fakeHost(links);
    await t.rejects(setupPodNetwork({ ...options, ...override, run: host.run }), { name: 'NetError', ...error }, name);
    t.same(host.writes, [], `${name}: nothing written`);
  }
});

t.test('a missing ip or iptables is command-missing', async (t) => {
  const enoent: CommandRunner = async () => {
    throw Object.assign(new Error('spawn ip ENOENT'), { code: 'ENOENT' });
  };
  await t.rejects(setupPodNetwork({ ...options, run: enoent }), { name: 'NetError', code: 'command-missing', message: 'ip is not installed (or not on PATH)' });
  const host = fakeHost({}, { iptables: false });
  await t.rejects(setupPodNetwork({ ...options, run: host.run }), { code: 'command-missing', message: /^iptables-save / });
});

t.test('a failing command is command-failed with its stderr', async (t) => {
  const host = fakeHost();
  const run: CommandRunner = async (cmd, args, o) =>
    args[0] === 'link' && args[1] === 'add' ? { code: 2, stdout: '', stderr: 'RTNETLINK answers: Operation not permitted\n' } : host.run(cmd, args, o);
  await t.rejects(setupPodNetwork({ ...options, run }), {
    code: 'command-failed',
    message: 'ip link add name cni0 address 0a:58:0a:2a:00:01 type bridge: RTNETLINK answers: Operation not permitted',
  });
});

t.test('teardown removes our nat chain and the bridge; twice is fine; no iptables is fine', async (t) => {
  const host = fakeHost({ eth0: { ...eth0 } });
  await setupPodNetwork({ ...options, run: host.run });
  host.writes.length = 0;
  await teardownPodNetwork({ logger, run: host.run });
  t.same(host.writes, ['iptables-restore -w 5 --noflush', 'ip link del dev cni0']);
  t.notOk(host.state.links.has('cni0'));
  t.same(host.state.routes, [{ dst: 'default', dev: 'eth0', gateway: '192.168.251.1' }]);
  t.match(lines.at(-1), /pod network removed bridge=cni0 chains=TSK8S-POSTROUTING\n$/);
  host.writes.length = 0;
  await teardownPodNetwork({ logger, run: host.run });
  t.same(host.writes, [], 'nothing left to remove');
  const bare = fakeHost({ cni0: { kind: 'bridge', up: true, mac: 'x', addrs: [] } }, { iptables: false });
  await teardownPodNetwork({ logger, run: bare.run });
  t.same(bare.writes, ['ip link del dev cni0']);
});
