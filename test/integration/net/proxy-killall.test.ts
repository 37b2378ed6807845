// installer/tsk8s-killall.sh inside a test network namespace (entered with
// nsenter --net, so the script's mounts and processes are the host's view):
// it kills a fake shim of the data dir's containerd with its child, unmounts
// what is mounted under the data dir, removes the bridge and its veths and
// every TSK8S-* chain and jump, and leaves other rules, links and processes
// alone. Needs root, iproute2 and iptables.
import t from 'tap';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../../src/log/logger.js';
import { setupPodNetwork } from '../../../src/net/index.js';
import { proxyPorts, ProxyRules, renderService } from '../../../src/net/proxy/index.js';
import { service, slice } from '../../../src/net/proxy/proxy.fixture.js';
import { createTestNetns, netnsSkipReason } from '../../helpers/netns.js';

const script = join(import.meta.dirname, '..', '..', '..', 'installer', 'tsk8s-killall.sh');
const sbin = ['/usr/sbin', '/sbin', '/usr/bin', '/bin'];
const reason = netnsSkipReason() ?? (['iptables-save', 'iptables-restore', 'nsenter'].every((c) => sbin.some((d) => existsSync(join(d, c)))) ? undefined : 'needs iptables and nsenter');

if (reason) {
  t.plan(0, reason);
} else {
  t.test('killall removes pods, interfaces, rules and mounts of its data dir only', async (t) => {
    const ns = await createTestNetns({ teardown: (fn) => t.teardown(fn) });
    const dataDir = mkdtempSync(join(tmpdir(), 'tsk8s-killall-'));
    ns.addMountRoot(dataDir);
    t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
    const tag = createHash('sha256').update(dataDir).digest('hex').slice(0, 8);
    const runDir = `/run/tsk8s/${tag}`;
    ns.addMountRoot(runDir);
    t.teardown(() => rmSync(runDir, { recursive: true, force: true }));

    await setupPodNetwork({ podCidr: '10.42.0.0/24', clusterCidr: '10.42.0.0/16', serviceCidr: '10.43.0.0/16', logger: createLogger('net', { sink: { write: () => {} } }), run: ns.exec });
    await ns.run('ip', ['link', 'add', 'vethpod0', 'type', 'veth', 'peer', 'name', 'vethpod1']);
    await ns.run('ip', ['link', 'set', 'vethpod0', 'master', 'cni0']);
    const web = renderService(proxyPorts(service('web', { clusterIP: '10.43.0.20' }), [slice('web', [{ ip: '10.42.0.5' }])], 'node-a'), { clusterCidr: '10.42.0.0/16' });
    await new ProxyRules(ns.exec).full(new Map([['default/web', web]]));
    await ns.run('iptables-restore', ['--noflush'], { input: '*filter\n:KEEP-ME - [0:0]\n-A KEEP-ME -j RETURN\n-A INPUT -j KEEP-ME\nCOMMIT\n' });
    mkdirSync(join(dataDir, 'agent', 'mnt'), { recursive: true });
    await ns.run('true', []);
    const mounted = await ns.execNet('mount', ['-t', 'tmpfs', 'tmpfs', join(dataDir, 'agent', 'mnt')]);
    t.equal(mounted.code, 0, 'a mount under the data dir');
    // A stand-in for a shim of this data dir's containerd, with a "container" under it.
    const shim = spawn('bash', ['-c', `exec -a containerd-shim-runc-v2 bash -c 'sleep 600 & wait' shim -namespace k8s.io -address ${runDir}/containerd/containerd.sock`], { stdio: 'ignore' });
    const bystander = spawn('bash', ['-c', 'exec -a containerd-shim-runc-v2 bash -c "sleep 600 & wait" shim -address /run/elsewhere/containerd.sock'], { stdio: 'ignore' });
    t.teardown(() => void bystander.kill('SIGKILL'));
    await new Promise((r) => setTimeout(r, 300));

    const r = await ns.execNet('bash', [script], { env: { TSK8S_DATA_DIR: dataDir, TSK8S_UNITS: '' } });
    t.equal(r.code, 0, `the script succeeds: ${r.stderr}`);
    await new Promise((r) => setTimeout(r, 100));
    t.not(shim.exitCode ?? shim.signalCode, null, 'the shim is gone');
    t.equal(bystander.exitCode ?? bystander.signalCode, null, 'another containerd’s shim is left alone');
    const saved = await ns.run('iptables-save', []);
    t.notMatch(saved, /TSK8S-/, 'no TSK8S chain or jump is left');
    t.match(saved, /-A INPUT -j KEEP-ME/, 'other rules stay');
    const links = await ns.run('ip', ['-o', 'link', 'show']);
    t.notMatch(links, /cni0|vethpod/, 'the bridge and the veth are gone');
    t.match(links, /uplink0/, 'other links stay');
    t.notOk(readFileSync('/proc/self/mountinfo', 'utf8').includes(join(dataDir, 'agent', 'mnt')), 'the mount is gone');
    t.ok(existsSync(dataDir), 'the data dir itself stays');
  });
}
