// Network namespaces for tests that touch networking. Each test builds its
// node in a namespace of its own, never in the host's: inside it, loopback is
// up and an EMPTY bridge (uplink0, no ports) carries the node's "host IP"
// 192.168.251.2/24 and a default route via 192.168.251.1 that leads nowhere.
// So the node has what a real host has (an address, a default route) and a
// packet that wrongly follows the default route is lost inside the namespace.
//
// Two ways in:
//  - exec/run/spawn use `ip netns exec <name>`, which also gives the command
//    a NEW MOUNT NAMESPACE: / is made recursively slave and /sys is remounted
//    for the network namespace, so /sys/class/net lists the namespace's links
//    but the cgroup filesystems under /sys/fs/cgroup are GONE: runc, and so
//    containerd and tsk8s itself, cannot run this way. Mounts the command and
//    its children make are private to that mount namespace: the test process
//    does not see them in /proc/self/mountinfo and cannot unmount them; they
//    go away when its last process exits. Host mounts made later still
//    propagate in. Two separate `exec`s get two separate mount namespaces.
//    Use it for network tools (ip, iptables, CNI plugins, little servers).
//  - execNet/spawnNet use `nsenter --net=<path>`: the network namespace only.
//    The command keeps the host's mounts (cgroups included) and its own mounts
//    land in the host's mount namespace, so register their roots with
//    addMountRoot for remove() to unmount. /sys still shows the HOST's links
//    (sysfs belongs to the namespace that mounted it); netlink (ip, Node's
//    os.networkInterfaces) shows the namespace's. Use it for containerd and
//    tsk8s.
// Either way nothing else changes: same filesystem, same PID namespace, same
// /etc (we create no /etc/netns/<name>); files land in the host's
// filesystem, so give processes temp dirs. /proc/sys/net is per network
// namespace, so sysctls set inside (ip_forward, route_localnet) stay inside,
// as do iptables rules. Processes are found by network namespace (`ip netns
// pids`), not by process tree: pods that containerd starts get network
// namespaces of their own, and remove() finds them as descendants of
// processes in the namespace (their shims).
// Names are tsk8s-t-<creator pid>-<n>-<random>; a namespace whose creator
// has died (a crashed earlier run) is removed, with whatever still runs in it,
// the first time a process creates one.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { hostRunner, type CommandOptions, type CommandResult, type CommandRunner } from '../../src/net/index.js';

export const testNetnsPrefix = 'tsk8s-t-';
export const testUplink = { name: 'uplink0', address: '192.168.251.2', prefix: 24, gateway: '192.168.251.1' } as const;

export interface TestNetns {
  readonly name: string;
  /** /run/netns/<name>: what CNI_NETNS and setns want. */
  readonly path: string;
  /** The node's address on its uplink; undefined for a namespace made with `uplink: false`. */
  readonly hostIp: string | undefined;
  /** Runs a command inside; resolves whatever its exit code. */
  readonly exec: CommandRunner;
  /** Runs a command inside and returns its stdout; throws on a non-zero exit, with stderr. */
  run(command: string, args: readonly string[], opts?: CommandOptions): Promise<string>;
  /** Starts a long-running command inside; remove() kills it. */
  spawn(command: string, args: readonly string[], opts?: SpawnOptions): ChildProcess;
  /** Like exec, but entering the network namespace only (nsenter --net): host mounts and cgroups stay visible. */
  readonly execNet: CommandRunner;
  /** Like spawn, but entering the network namespace only (nsenter --net). */
  spawnNet(command: string, args: readonly string[], opts?: SpawnOptions): ChildProcess;
  /** A host dir whose mounts belong to this namespace's run: remove() unmounts them. */
  addMountRoot(dir: string): void;
  /** Kills every process inside (and their descendants), unmounts, deletes the namespace, and checks nothing is left. Idempotent. */
  remove(): Promise<void>;
}

export interface TestNetnsOptions {
  /** The empty uplink bridge with the host IP and the default route; default true. A "pod" namespace has only loopback. */
  uplink?: boolean;
  /** Registers remove() to run even when the test fails midway: pass `t.teardown`. */
  teardown?: (fn: () => Promise<void>) => void;
  mountRoots?: string[];
}

/** Why this process cannot make test namespaces, or undefined if it can. */
export function netnsSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root: creates network namespaces';
  const path = (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin']);
  if (!path.some((d) => existsSync(`${d}/ip`))) return 'needs iproute2 (the ip command)';
  return undefined;
}

let counter = 0;
let staleSweep: Promise<string[]> | undefined;

export async function createTestNetns(opts: TestNetnsOptions = {}): Promise<TestNetns> {
  staleSweep ??= removeStaleTestNetns();
  await staleSweep;
  const name = `${testNetnsPrefix}${process.pid}-${++counter}-${randomBytes(2).toString('hex')}`;
  await mustHost('ip', ['netns', 'add', name]);
  const ns = handle(name, opts);
  opts.teardown?.(() => ns.remove());
  try {
    await ns.run('ip', ['link', 'set', 'lo', 'up']);
    if (opts.uplink !== false) {
      const u = testUplink;
      await ns.run('ip', ['link', 'add', u.name, 'type', 'bridge']);
      // Keep the uplink silent (no IPv6 router solicitations or MLD, no IGMP reports), so that
      // its transmit counter counts only what a test sends.
      await ns.run('sh', ['-c', `echo 1 > /proc/sys/net/ipv6/conf/${u.name}/disable_ipv6 || true; echo 0 > /proc/sys/net/ipv4/igmp_link_local_mcast_reports`]);
      await ns.run('ip', ['addr', 'add', `${u.address}/${u.prefix}`, 'dev', u.name]);
      await ns.run('ip', ['link', 'set', u.name, 'up']);
      await ns.run('ip', ['route', 'add', 'default', 'via', u.gateway, 'dev', u.name]);
    }
  } catch (err) {
    await ns.remove();
    throw err;
  }
  return ns;
}

function handle(name: string, opts: TestNetnsOptions): TestNetns {
  const children: ChildProcess[] = [];
  const mountRoots = [...(opts.mountRoots ?? [])];
  const exec: CommandRunner = (command, args, o) => hostRunner('ip', ['netns', 'exec', name, command, ...args], o);
  let removing: Promise<void> | undefined;
  return {
    name,
    path: `/run/netns/${name}`,
    hostIp: opts.uplink === false ? undefined : testUplink.address,
    exec,
    async run(command, args, o) {
      const r = await exec(command, args, o);
      if (r.code !== 0) throw new Error(`${command} ${args.join(' ')} in ${name}: exit ${r.code}: ${r.stderr.trim()}`);
      return r.stdout;
    },
    spawn(command, args, o = {}) {
      // ip netns exec execs the command in place: the child's pid is the command's.
      const child = spawn('ip', ['netns', 'exec', name, command, ...args], o);
      children.push(child);
      return child;
    },
    execNet: (command, args, o) => hostRunner('nsenter', [`--net=/run/netns/${name}`, command, ...args], o),
    spawnNet(command, args, o = {}) {
      const child = spawn('nsenter', [`--net=/run/netns/${name}`, command, ...args], o);
      children.push(child);
      return child;
    },
    addMountRoot(dir) {
      mountRoots.push(dir);
    },
    remove() {
      removing ??= removeNetns(name, { children, mountRoots }).catch((err: unknown) => {
        removing = undefined; // a later call may try again
        throw err;
      });
      return removing;
    },
  };
}

/** Removes test namespaces whose creating process is gone (left by a crashed run). Returns their names. */
export async function removeStaleTestNetns(): Promise<string[]> {
  const stale = (await listNetns()).filter((n) => {
    if (!n.startsWith(testNetnsPrefix)) return false;
    const creator = Number(/^tsk8s-t-(\d+)-/.exec(n)?.[1]);
    return !(Number.isSafeInteger(creator) && isAlive(creator));
  });
  const removed: string[] = [];
  for (const n of stale) {
    try {
      await removeNetns(n, { children: [], mountRoots: [] });
      removed.push(n);
    } catch {
      // Another test process may be sweeping the same namespace; what it leaves is reported at its own removal.
    }
  }
  return removed;
}

async function removeNetns(name: string, own: { children: ChildProcess[]; mountRoots: string[] }): Promise<void> {
  const killed = new Set<number>();
  for (let round = 0; ; round++) {
    const inside = await netnsPids(name);
    const tracked = own.children.flatMap((c) => (c.pid !== undefined && c.exitCode === null && c.signalCode === null ? [c.pid] : []));
    const victims = withDescendants([...inside, ...tracked]).filter(isAlive);
    if (victims.length === 0) break;
    if (round === 5) throw new Error(`netns ${name}: processes survive SIGKILL: ${victims.join(' ')}`);
    for (const pid of victims) {
      killed.add(pid);
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    for (const pid of victims) await waitGone(pid, 5000);
  }
  for (const point of mountsUnder(own.mountRoots)) await mustHost('umount', ['-l', point]);
  if ((await listNetns()).includes(name)) {
    const r = await hostRunner('ip', ['netns', 'del', name]);
    if (r.code !== 0 && (await listNetns()).includes(name)) throw new Error(`ip netns del ${name}: ${r.stderr.trim()}`);
  }
  const left: string[] = [];
  if ((await listNetns()).includes(name)) left.push('the namespace is still listed');
  if (existsSync(`/run/netns/${name}`)) left.push(`/run/netns/${name} still exists`);
  if (mountsUnder([`/run/netns/${name}`, ...own.mountRoots]).length > 0) left.push('mounts remain');
  const alive = [...killed].filter(isAlive);
  if (alive.length > 0) left.push(`processes remain: ${alive.join(' ')}`);
  if (left.length > 0) throw new Error(`netns ${name} not fully removed: ${left.join('; ')}`);
}

async function listNetns(): Promise<string[]> {
  const out = await mustHost('ip', ['netns', 'list']);
  return out.split('\n').flatMap((l) => (l.trim() ? [l.trim().split(/\s+/)[0] ?? ''] : []));
}

async function netnsPids(name: string): Promise<number[]> {
  const r = await hostRunner('ip', ['netns', 'pids', name]);
  if (r.code !== 0) return []; // the namespace is gone
  return r.stdout.split('\n').flatMap((l) => (/^\d+$/.test(l.trim()) ? [Number(l.trim())] : []));
}

/** The pids and every process descending from them (a shim's containers, a shell's children). */
function withDescendants(roots: number[]): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // The field after the state, which follows the parenthesised command name.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const out = new Set<number>();
  const queue = [...roots];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    if (out.has(pid)) continue;
    out.add(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return [...out];
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false;
  }
}

async function waitGone(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(20);
}

/** Mount points in this process's mount namespace at or under `roots`, deepest first. */
function mountsUnder(roots: string[]): string[] {
  if (roots.length === 0) return [];
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => (line.split(' ')[4] ?? '').replace(/\\040/g, ' '))
    .filter((p) => p !== '' && roots.some((r) => p === r || p.startsWith(`${r}/`)))
    .sort((a, b) => b.length - a.length);
}

async function mustHost(command: string, args: string[]): Promise<string> {
  const r: CommandResult = await hostRunner(command, args);
  if (r.code !== 0) throw new Error(`${command} ${args.join(' ')}: exit ${r.code}: ${r.stderr.trim()}`);
  return r.stdout;
}

export interface NetworkSnapshot {
  links: unknown[];
  addresses: unknown[];
  routes: unknown[];
  rules: unknown[];
  iptables: string[];
  sysctls: Record<string, string>;
}

/**
 * The network state of a namespace (the host's by default) that tests must
 * leave as they found it: links, addresses, routes and policy rules (all
 * tables, both families), iptables rules (counters and timestamps dropped)
 * and forwarding sysctls. Read only: iptables-save never creates a table.
 */
export async function networkSnapshot(run: CommandRunner = hostRunner): Promise<NetworkSnapshot> {
  const must = async (command: string, args: string[]): Promise<string> => {
    const r = await run(command, args);
    if (r.code !== 0) throw new Error(`${command} ${args.join(' ')}: exit ${r.code}: ${r.stderr.trim()}`);
    return r.stdout;
  };
  const json = async (args: string[]): Promise<Record<string, unknown>[]> => JSON.parse((await must('ip', ['-j', ...args])) || '[]');
  const pick = (o: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.filter((k) => k in o).map((k) => [k, o[k]]));
  const links = (await json(['-d', 'link', 'show'])).map((l) => ({
    ...pick(l, ['ifname', 'flags', 'mtu', 'master', 'address']),
    kind: (l.linkinfo as { info_kind?: string } | undefined)?.info_kind,
  }));
  const addresses = (await json(['addr', 'show'])).map((l) => ({
    ifname: l.ifname,
    addrs: ((l.addr_info ?? []) as Record<string, unknown>[]).map((a) => pick(a, ['family', 'local', 'prefixlen', 'scope'])),
  }));
  const routeKeys = ['type', 'dst', 'gateway', 'dev', 'table', 'protocol', 'scope', 'prefsrc', 'metric'];
  const routes = [...(await json(['-4', 'route', 'show', 'table', 'all'])), ...(await json(['-6', 'route', 'show', 'table', 'all']))].map((r) => pick(r, routeKeys));
  const rules = await json(['rule', 'show']);
  const iptables: string[] = [];
  for (const save of ['iptables-save', 'ip6tables-save']) {
    try {
      const r = await run(save, []);
      iptables.push(...r.stdout.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.replace(/\[\d+:\d+\]/, '[*]')));
    } catch {
      iptables.push(`(${save} not installed)`);
    }
  }
  const sysctls: Record<string, string> = {};
  for (const key of ['net/ipv4/ip_forward', 'net/ipv6/conf/all/forwarding', 'net/ipv4/conf/all/route_localnet']) {
    const r = await run('cat', [`/proc/sys/${key}`]);
    sysctls[key] = r.code === 0 ? r.stdout.trim() : '(absent)';
  }
  return { links, addresses, routes, rules, iptables, sysctls };
}
