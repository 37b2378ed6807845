// The pod network on a real kernel, inside test network namespaces only: a
// "node" namespace (an empty uplink bridge with the host IP and a default
// route that leads nowhere) and a "pod" namespace. setupPodNetwork builds
// cni0 and the cluster routes in the node; the bundled CNI plugins (bridge,
// host-local, portmap) attach the pod with the conflist tsk8s writes; node
// and pod talk both ways, through hostPorts and hairpin; nothing meant for a
// cluster address follows the default route; teardown removes it all; and
// the host's own namespace ends as it began. Needs root, iproute2, iptables
// and runtime/ (CI has all four).
import t from 'tap';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { createLogger } from '../../../src/log/logger.js';
import { allocatePodCidr, setupPodNetwork, teardownPodNetwork, writeCniConfig, type CniConfList } from '../../../src/net/index.js';
import { defaultRuntimeDir } from '../../../src/supervisor/index.js';
import { createTestNetns, networkSnapshot, netnsSkipReason, testUplink, type TestNetns } from '../../helpers/netns.js';
import { cniAdd, cniDel, type CniResult } from './cni.js';

const binDir = join(defaultRuntimeDir(), 'bin');
const sbin = ['/usr/sbin', '/sbin', '/usr/bin', '/bin'];
const reason =
  netnsSkipReason() ??
  (['iptables-save', 'iptables-restore'].every((c) => sbin.some((d) => existsSync(join(d, c)))) ? undefined : 'needs iptables (apt-get install iptables)') ??
  (['bridge', 'host-local', 'portmap'].every((p) => existsSync(join(binDir, p))) ? undefined : 'runtime/ is not fetched: run scripts/fetch-runtime.sh');

if (reason) {
  t.plan(0, reason);
} else {
  const clusterCidr = '10.42.0.0/16';
  const serviceCidr = '10.43.0.0/16';
  const podCidr = allocatePodCidr(clusterCidr, []);
  const lines: string[] = [];
  const logger = createLogger('net', { level: 'debug', sink: { write: (l) => lines.push(l) } });
  const hostBefore = await networkSnapshot();
  const work = mkdtempSync('/tmp/tsk8s-net-');
  t.teardown(() => rmSync(work, { recursive: true, force: true }));
  const confDir = join(work, 'agent', 'etc', 'cni', 'net.d');
  const ipamDataDir = join(work, 'agent', 'cni', 'networks');
  const teardown = (fn: () => Promise<void>) => t.teardown(fn);
  const node = await createTestNetns({ teardown });
  const pod = await createTestNetns({ teardown, uplink: false });
  const children: ChildProcess[] = [];
  t.teardown(() => children.forEach((c) => c.kill('SIGKILL')));
  const options = { podCidr, clusterCidr, serviceCidr, logger, run: node.exec };

  const ipJson = async (ns: TestNetns, args: string[]) => JSON.parse((await ns.run('ip', ['-j', ...args])) || '[]') as Record<string, unknown>[];
  const routeGet = async (address: string) => (await ipJson(node, ['route', 'get', address]))[0];
  const txPackets = async (dev: string) => ((await ipJson(node, ['-s', 'link', 'show', 'dev', dev]))[0]?.stats64 as { tx: { packets: number } }).tx.packets;
  const neighbours = async () => (await ipJson(node, ['neigh', 'show'])).map((n) => `${n.dst} ${n.dev}`);

  // Plain node for the little clients and servers: without the test runner's NODE_OPTIONS hooks, which slow every start.
  const plainNode = (script: string, ...args: (string | number)[]) => ['-u', 'NODE_OPTIONS', process.execPath, '-e', script, ...args.map(String)];

  /** Node's net module inside a namespace: a TCP client printing what the server says, or why it could not. */
  const connect = async (ns: TestNetns, host: string, port: number, timeoutMs = 3000): Promise<string> => {
    const script = `const s=require('net').connect(+process.argv[2],process.argv[1]);let out='';
      s.setTimeout(+process.argv[3],()=>{console.log('timeout');process.exit(2)});
      s.on('data',d=>out+=d);s.on('end',()=>{process.stdout.write(out);process.exit(0)});
      s.on('error',e=>{console.log(e.code);process.exit(1)});`;
    return (await ns.exec('env', plainNode(script, host, port, timeoutMs))).stdout.trim();
  };
  /** A TCP server inside a namespace answering "<label> saw <client address>"; resolves once it listens. */
  const serve = async (ns: TestNetns, host: string, port: number, label: string): Promise<void> => {
    const script = `require('net').createServer(s=>s.end(process.argv[3]+' saw '+s.remoteAddress+'\\n'))
      .listen(+process.argv[2],process.argv[1],()=>console.log('listening'));`;
    const child = ns.spawn('env', plainNode(script, host, port, label), { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (d: Buffer) => d.toString().includes('listening') && resolve());
      child.on('exit', (code) => reject(new Error(`${label} server exited with ${code}`)));
    });
  };
  const sendUdp = (ns: TestNetns, host: string, port: number) =>
    ns.run('env', plainNode(`const s=require('dgram').createSocket('udp4');s.send('x',+process.argv[2],process.argv[1],e=>{s.close();if(e)throw e})`, host, port));

  await t.test('before setup, a service address would follow the default route', async (t) => {
    t.match(await routeGet('10.43.5.5'), { dev: testUplink.name, gateway: testUplink.gateway });
  });

  await t.test('setupPodNetwork makes cni0 with the gateway, up, and routes every cluster range to it', async (t) => {
    const net = await setupPodNetwork(options);
    t.same(net, {
      bridge: 'cni0',
      podCidr: '10.42.0.0/24',
      gateway: '10.42.0.1',
      changes: ['bridge created', 'address 10.42.0.1/24 added', 'bridge up', 'route 10.42.0.0/16', 'route 10.43.0.0/16', 'masquerade'],
      uplinkMtu: 1500,
    });
    const [link] = await ipJson(node, ['-d', 'link', 'show', 'dev', 'cni0']);
    t.match(link, { address: '0a:58:0a:2a:00:01', linkinfo: { info_kind: 'bridge' } });
    t.ok((link?.flags as string[]).includes('UP'), 'cni0 is up');
    const [addrs] = await ipJson(node, ['-4', 'addr', 'show', 'dev', 'cni0']);
    t.match(addrs?.addr_info, [{ local: '10.42.0.1', prefixlen: 24 }]);
    t.equal((addrs?.addr_info as unknown[]).length, 1, 'the gateway is its only IPv4 address');
    const routes = await ipJson(node, ['-4', 'route', 'show']);
    t.match(routes, [
      { dst: 'default', gateway: testUplink.gateway, dev: testUplink.name },
      { dst: '10.42.0.0/24', dev: 'cni0', prefsrc: '10.42.0.1' },
      { dst: '10.42.0.0/16', dev: 'cni0', prefsrc: '10.42.0.1' },
      { dst: '10.43.0.0/16', dev: 'cni0', prefsrc: '10.42.0.1' },
      { dst: '192.168.251.0/24', dev: testUplink.name },
    ]);
    for (const address of ['10.43.5.5', '10.43.0.10', '10.42.0.77', '10.42.200.9']) {
      const r = await routeGet(address);
      t.match(r, { dev: 'cni0', prefsrc: '10.42.0.1' }, `${address} goes to cni0`);
      t.notOk(r?.gateway, `${address} has no gateway`);
    }
    t.match(await routeGet('192.168.251.77'), { dev: testUplink.name }, 'the uplink is untouched');
    t.match(await node.run('iptables-save', ['-t', 'nat']), /-A POSTROUTING -m comment --comment "tsk8s: pod egress" -j TSK8S-POSTROUTING/);
    t.match(lines.join(''), /info  net: pod network ready bridge=cni0 podCidr=10\.42\.0\.0\/24 gateway=10\.42\.0\.1 /);
  });

  await t.test('a packet to a service address with no rule is dropped on cni0, never sent out the default route', async (t) => {
    await node.run('ip', ['neigh', 'flush', 'all']);
    const tx = await txPackets(testUplink.name);
    await sendUdp(node, '10.43.5.5', 53);
    await sleep(300);
    t.ok((await neighbours()).includes('10.43.5.5 cni0'), 'the node asked for 10.43.5.5 on cni0 (and nobody answers there)');
    t.notOk((await neighbours()).some((n) => n.endsWith(` ${testUplink.name}`)), 'no neighbour lookup on the uplink');
    t.equal(await txPackets(testUplink.name), tx, 'nothing was sent on the uplink');
    // Control: the counter does see a packet that really is for the uplink's subnet.
    await sendUdp(node, '192.168.251.77', 9);
    await sleep(300);
    t.ok((await txPackets(testUplink.name)) > tx, 'the uplink counter moves for its own subnet');
  });

  await t.test('a second setup changes nothing', async (t) => {
    const before = await networkSnapshot(node.exec);
    const net = await setupPodNetwork(options);
    t.same(net.changes, []);
    t.same(await networkSnapshot(node.exec), before);
    t.match(lines.at(-1), /changes=none\n$/);
  });

  let list: CniConfList;
  await t.test('the CNI config is written where containerd reads it', async (t) => {
    const written = writeCniConfig(confDir, { podCidr, ipamDataDir });
    t.same(written, { path: join(confDir, '10-tsk8s.conflist'), changed: true, shadowedBy: [] });
    t.equal(writeCniConfig(confDir, { podCidr, ipamDataDir }).changed, false);
    list = JSON.parse(readFileSync(written.path, 'utf8')) as CniConfList;
  });

  const call = {
    containerId: 'tsk8s-net-test-1',
    netns: pod.path,
    portMappings: [{ hostPort: 18080, containerPort: 8080, protocol: 'tcp' as const }],
  };
  let added: CniResult | undefined;
  await t.test('the bundled bridge, host-local and portmap plugins attach a pod to the bridge made beforehand', async (t) => {
    added = await cniAdd(node.exec, binDir, list, call);
    t.match(added.ips, [{ address: '10.42.0.2/24', gateway: '10.42.0.1' }]);
    const [bridge] = await ipJson(node, ['-4', 'addr', 'show', 'dev', 'cni0']);
    t.match(bridge, { addr_info: [{ local: '10.42.0.1', prefixlen: 24 }] }, 'the plugin kept the bridge as it was');
    t.match((await ipJson(node, ['link', 'show', 'dev', 'cni0']))[0], { address: '0a:58:0a:2a:00:01' }, 'with its MAC, though a port with a lower one joined');
    t.equal((bridge?.addr_info as unknown[]).length, 1);
    const ports = await ipJson(node, ['link', 'show', 'master', 'cni0']);
    t.equal(ports.length, 1, 'one veth on cni0');
    const [eth0] = await ipJson(pod, ['-4', 'addr', 'show', 'dev', 'eth0']);
    t.match(eth0?.addr_info, [{ local: '10.42.0.2', prefixlen: 24 }]);
    t.match(await ipJson(pod, ['-4', 'route', 'show']), [{ dst: 'default', gateway: '10.42.0.1', dev: 'eth0' }, { dst: '10.42.0.0/24', dev: 'eth0' }]);
    t.ok(readdirSync(join(ipamDataDir, 'tsk8s')).includes('10.42.0.2'), 'host-local keeps its state in the data dir');
    t.equal((await node.run('cat', ['/proc/sys/net/ipv4/ip_forward'])).trim(), '1', 'the plugin turned forwarding on in the node namespace');
  });

  await t.test('node and pod reach each other: pod IP, hostPort, loopback hostPort, hairpin', async (t) => {
    await serve(pod, '0.0.0.0', 8080, 'pod');
    await serve(node, '10.42.0.1', 9090, 'node');
    t.equal(await connect(node, '10.42.0.2', 8080), 'pod saw 10.42.0.1', 'node to pod IP');
    t.equal(await connect(pod, '10.42.0.1', 9090), 'node saw 10.42.0.2', 'pod to node: the pod keeps its address');
    t.match(await connect(node, testUplink.address, 18080), /^pod saw /, 'hostPort on the node IP');
    t.equal(await connect(node, '127.0.0.1', 18080), 'pod saw 10.42.0.1', 'hostPort on loopback (masqueraded)');
    t.equal(await connect(pod, testUplink.address, 18080), 'pod saw 10.42.0.1', 'hairpin: the pod reaches itself through its hostPort');
  });

  await t.test('from a pod: no service rule means no answer and nothing on the uplink; egress is masqueraded', async (t) => {
    await node.run('ip', ['neigh', 'flush', 'all']);
    const tx = await txPackets(testUplink.name);
    t.match(await connect(pod, '10.43.5.5', 80, 1500), /^(timeout|EHOSTUNREACH)$/);
    t.equal(await txPackets(testUplink.name), tx, 'nothing was sent on the uplink');
    t.ok((await neighbours()).includes('10.43.5.5 cni0'));
    // Traffic leaving the cluster CIDR: the uplink's own (unanswered) gateway address, inside the test namespace.
    await sendUdp(pod, testUplink.gateway, 9);
    await sleep(200);
    const counted = /^\[(\d+):\d+\] -A TSK8S-POSTROUTING .*-j MASQUERADE/m.exec(await node.run('iptables-save', ['-c', '-t', 'nat']));
    t.ok(Number(counted?.[1]) >= 1, 'the masquerade rule matched the pod egress packet');
  });

  await t.test('setup again with a pod attached (a restart) changes nothing and keeps the pod reachable', async (t) => {
    t.same((await setupPodNetwork(options)).changes, []);
    t.equal(await connect(node, '10.42.0.2', 8080), 'pod saw 10.42.0.1');
  });

  await t.test('CNI DEL detaches the pod and releases its address and hostPort', async (t) => {
    await cniDel(node.exec, binDir, list, call, added);
    t.same(await ipJson(pod, ['link', 'show', 'dev', 'eth0']).catch(() => []), [], 'eth0 is gone from the pod');
    t.same(await ipJson(node, ['link', 'show', 'master', 'cni0']), [], 'no port on cni0');
    t.notOk(readdirSync(join(ipamDataDir, 'tsk8s')).includes('10.42.0.2'));
    t.notMatch(await node.run('iptables-save', ['-t', 'nat']), /CNI-DN-|tsk8s-net-test-1/);
  });

  await t.test('teardownPodNetwork removes the bridge, its routes and the rules of this network; twice is fine', async (t) => {
    // A pod whose DEL never came (a crash): its hostPort chain must go too.
    const leftover = await cniAdd(node.exec, binDir, list, { ...call, containerId: 'tsk8s-net-test-2' });
    t.match(leftover.ips, [{ address: '10.42.0.3/24' }]);
    t.match(await node.run('iptables-save', ['-t', 'nat']), /CNI-DN-.*\n(.*\n)*.*tsk8s-net-test-2/);
    await teardownPodNetwork({ logger, run: node.exec });
    t.match(lines.at(-1), /info  net: pod network removed bridge=cni0 chains=TSK8S-POSTROUTING,CNI-DN-[0-9a-f]+\n$/);
    t.same(await node.exec('ip', ['link', 'show', 'dev', 'cni0']).then((r) => r.code), 1, 'cni0 is gone');
    const routes = await ipJson(node, ['-4', 'route', 'show']);
    t.same(routes.map((r) => r.dst), ['default', '192.168.251.0/24'], 'only the uplink routes are left');
    const nat = await node.run('iptables-save', ['-t', 'nat']);
    t.notMatch(nat, /TSK8S|CNI-DN-|tsk8s/, 'no rule of ours is left (portmap keeps its shared CNI-HOSTPORT chains)');
    t.match(await routeGet('10.43.5.5'), { dev: testUplink.name }, 'as before setup');
    await teardownPodNetwork({ logger, run: node.exec });
    t.match(lines.at(-1), /pod network removed bridge=none chains=none\n$/);
  });

  await t.test('removing the namespaces leaves the host network as it was', async (t) => {
    for (const c of children) c.kill('SIGKILL');
    await pod.remove();
    await node.remove();
    const listed = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
    t.notMatch(listed, new RegExp(`${node.name}|${pod.name}`));
    t.same(await networkSnapshot(), hostBefore, 'links, addresses, routes, rules, iptables and forwarding sysctls of the host are unchanged');
  });
}
