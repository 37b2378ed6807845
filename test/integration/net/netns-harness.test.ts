// The test network namespace harness itself: what a namespace holds, that
// remove() leaves nothing (processes and their descendants included, also
// after a test fails midway), and that namespaces left by a crashed run are
// swept. Needs root and iproute2.
import t from 'tap';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestNetns, netnsSkipReason, networkSnapshot, removeStaleTestNetns, testNetnsPrefix, testUplink } from '../../helpers/netns.js';

const reason = netnsSkipReason();
const listed = (): string => execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
/** Running, not a zombie waiting to be reaped. */
const alive = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false;
  }
};

if (reason) {
  t.plan(0, reason);
} else {
  const hostBefore = await networkSnapshot();

  await t.test('a node namespace: loopback up, an empty uplink bridge with the host IP, a default route that leads nowhere', async (t) => {
    const ns = await createTestNetns({ teardown: (fn) => t.teardown(fn) });
    t.match(ns.name, new RegExp(`^${testNetnsPrefix}${process.pid}-\\d+-[0-9a-f]{4}$`));
    t.equal(ns.path, `/run/netns/${ns.name}`);
    t.ok(existsSync(ns.path));
    t.equal(ns.hostIp, testUplink.address);
    const links = JSON.parse(await ns.run('ip', ['-j', '-d', 'link', 'show'])) as { ifname: string; flags: string[]; linkinfo?: { info_kind: string } }[];
    t.same(links.map((l) => l.ifname), ['lo', testUplink.name]);
    t.ok(links[0]?.flags.includes('UP'), 'lo is up');
    t.equal(links[1]?.linkinfo?.info_kind, 'bridge');
    t.same(JSON.parse(await ns.run('ip', ['-j', 'link', 'show', 'master', testUplink.name])), [], 'the bridge has no ports: nothing leaves through it');
    t.match(JSON.parse(await ns.run('ip', ['-j', '-4', 'route', 'show'])), [
      { dst: 'default', gateway: testUplink.gateway, dev: testUplink.name },
      { dst: '192.168.251.0/24', dev: testUplink.name, prefsrc: testUplink.address },
    ]);
    t.equal((await ns.exec('ip', ['link', 'show', 'eth0'])).code, 1, "the host's links are not visible");
    t.equal((await ns.exec('sh', ['-c', 'exit 3'])).code, 3, 'exec resolves with the exit code');
    await t.rejects(ns.run('sh', ['-c', 'echo oops >&2; exit 4']), { message: /exit 4: oops$/ });
    t.equal((await ns.exec('sh', ['-c', 'echo $X'], { env: { X: 'passed' } })).stdout, 'passed\n', 'env reaches the command');
    t.equal((await ns.exec('cat', [], { input: 'stdin' })).stdout, 'stdin');
  });

  await t.test('exec gets a mount namespace with the netns /sys (no cgroups); execNet keeps the host mounts', async (t) => {
    const ns = await createTestNetns({ teardown: (fn) => t.teardown(fn) });
    const sh = (runner: typeof ns.exec, script: string) => runner('sh', ['-c', script]).then((r) => r.stdout.trim());
    t.equal(await sh(ns.exec, 'ls /sys/class/net | tr "\\n" " "'), `lo ${testUplink.name}`, 'exec: /sys lists the namespace links');
    t.equal(await sh(ns.exec, 'ls /sys/fs/cgroup | wc -l'), '0', 'exec: no cgroup filesystems');
    t.not(await sh(ns.execNet, 'ls /sys/fs/cgroup | wc -l'), '0', 'execNet: the cgroup filesystems are there');
    t.match(await sh(ns.execNet, 'ip -o link show | cut -d: -f2 | tr -d " " | tr "\\n" " "'), `lo ${testUplink.name}`, 'execNet: netlink shows the namespace links');
    const own = await sh(ns.exec, 'readlink /proc/self/ns/mnt');
    t.not(own, await sh(ns.execNet, 'readlink /proc/self/ns/mnt'), 'the two differ in mount namespace');
    t.equal(await sh(ns.execNet, 'readlink /proc/self/ns/mnt'), readlinkSync('/proc/self/ns/mnt'), "execNet is in the host's");
    const child = ns.spawnNet('sleep', ['4712'], { stdio: 'ignore' });
    await sleep(100);
    t.ok(execFileSync('ip', ['netns', 'pids', ns.name], { encoding: 'utf8' }).split('\n').includes(String(child.pid)), 'spawnNet runs inside');
  });

  await t.test('a pod namespace has loopback only', async (t) => {
    const ns = await createTestNetns({ uplink: false, teardown: (fn) => t.teardown(fn) });
    t.equal(ns.hostIp, undefined);
    t.same((JSON.parse(await ns.run('ip', ['-j', 'link', 'show'])) as { ifname: string }[]).map((l) => l.ifname), ['lo']);
    t.same(JSON.parse(await ns.run('ip', ['-j', '-4', 'route', 'show'])), []);
  });

  await t.test('remove() kills what runs inside and its descendants, deletes the namespace, and may be called again', async (t) => {
    const ns = await createTestNetns();
    const shell = ns.spawn('sh', ['-c', 'sleep 4711 & sleep 4711 & wait'], { stdio: 'ignore' });
    // A process that is NOT in the namespace but descends from one that is (as a pod's processes descend from its shim).
    const escaped = ns.spawn('sh', ['-c', 'unshare --net sleep 4711 & wait'], { stdio: 'ignore' });
    await sleep(300);
    const inside = execFileSync('ip', ['netns', 'pids', ns.name], { encoding: 'utf8' }).trim().split('\n');
    t.ok(inside.length >= 3, 'the shell and its sleepers run inside');
    const sleepers = (): number[] =>
      readdirSync('/proc')
        .filter((p) => /^\d+$/.test(p) && alive(Number(p)))
        .filter((p) => {
          try {
            return readFileSync(`/proc/${p}/cmdline`, 'utf8') === 'sleep\x004711\x00';
          } catch {
            return false;
          }
        })
        .map(Number);
    t.equal(sleepers().length, 3, 'three sleepers, one in a network namespace of its own');
    await ns.remove();
    t.notOk(listed().includes(ns.name), 'not listed');
    t.notOk(existsSync(ns.path), 'its mount point is gone');
    for (const c of [shell, escaped]) t.notOk(c.pid !== undefined && alive(c.pid), 'the spawned process is gone');
    t.same(sleepers(), [], 'no descendant survives, inside the namespace or out');
    await ns.remove();
    t.pass('a second remove() is a no-op');
  });

  await t.test('a namespace left by a crashed run is swept at the next start, with what still runs in it', async (t) => {
    const dead = spawnSync('true').pid as number; // a pid that has just exited
    const name = `${testNetnsPrefix}${dead}-0-dead`;
    execFileSync('ip', ['netns', 'add', name]);
    const leftover = spawn('ip', ['netns', 'exec', name, 'sleep', '1000'], { stdio: 'ignore', detached: true });
    leftover.unref();
    t.teardown(() => {
      if (listed().includes(name)) execFileSync('ip', ['netns', 'del', name]);
    });
    await sleep(200);
    const mine = await createTestNetns({ teardown: (fn) => t.teardown(fn) });
    const removed = await removeStaleTestNetns();
    t.notOk(removed.includes(mine.name), 'a live run’s namespace is kept');
    t.ok(listed().includes(mine.name));
    // Swept by createTestNetns here, or by a test process starting at the same time.
    t.notOk(listed().includes(name), 'the stale namespace is gone');
    t.notOk(leftover.pid !== undefined && alive(leftover.pid), 'its process was killed');
  });

  await t.test('the namespace is handed to the teardown hook at once, so a test failing midway still removes it', async (t) => {
    // Stands in for t.teardown, which tap runs however the test ends.
    const hooks: (() => Promise<void>)[] = [];
    let name = '';
    const failing = async (): Promise<void> => {
      const ns = await createTestNetns({ teardown: (fn) => hooks.push(fn) });
      name = ns.name;
      ns.spawn('sleep', ['1000'], { stdio: 'ignore' });
      throw new Error('boom');
    };
    await t.rejects(failing(), { message: 'boom' });
    t.equal(hooks.length, 1);
    t.ok(listed().includes(name));
    for (const hook of hooks) await hook();
    t.notOk(listed().includes(name), 'removed by the hook');
  });

  await t.test('the host network is as it was', async (t) => {
    t.same(await networkSnapshot(), hostBefore);
  });
}
