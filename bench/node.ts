// Node benchmark: a real node (`tsk8s server` with its embedded agent) in a
// network namespace of the bench's own, as the end-to-end tests run it.
//  - server start → node Ready, cold (first start: runtime install, image
//    import) and warm (a restart on the same data dir);
//  - pod startup (create → Running, image present) for 1, 10 and 30 pods
//    created at once, next to the floor measured in the same run: the same
//    pods started straight through CRI on the node's containerd;
//  - memory: the server's RSS idle with no pods and with 30, containerd and
//    the shims counted separately.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { nodeSkipReason, startNode, type TestNode } from '../test/helpers/node.js';
import { fmt, renderTable } from './stats.js';

const batches = [1, 10, 30];
const goals = { ratio: 1.5, warmReadyMs: 5000, idleRssMiB: 150 };

export async function benchNode(log: (line: string) => void): Promise<void> {
  const skip = nodeSkipReason();
  if (skip) {
    log(`  skipped: ${skip}`);
    return;
  }
  let t0 = performance.now();
  const node = await startNode({ name: 'bench-node' });
  try {
    const coldMs = performance.now() - t0;
    await node.ok(['wait', '--for=condition=Ready', 'node/bench-node', '--timeout=60s']);
    await node.stop();
    t0 = performance.now();
    await node.restart();
    const warmMs = performance.now() - t0;
    await node.ok(['wait', '--for=condition=Ready', 'node/bench-node', '--timeout=60s']);
    log(`  start → ready: cold ${fmt(coldMs)} ms, warm ${fmt(warmMs)} ms`);
    await new Promise((r) => setTimeout(r, 2000));
    const idle = memory(node);
    log(`  idle: server ${mib(idle.server)} MiB, containerd ${mib(idle.containerd)} MiB`);

    const results = await runInner(node, log);
    const rows = results.rows.map((r) => {
      const ratio50 = r.api.p50 / r.floor.p50;
      const ratio99 = r.api.p99 / r.floor.p99;
      const met = ratio50 <= goals.ratio && ratio99 <= goals.ratio ? 'yes' : 'no';
      return [`${r.pods} at once`, fmt(r.api.p50), fmt(r.api.p99), fmt(r.floor.p50), fmt(r.floor.p99), fmt(ratio50, 2), fmt(ratio99, 2), met];
    });
    log('');
    log('node: pod startup, create → Running through tsk8s (API, kubelet, CRI) vs the floor: the same pods straight through CRI (ms)');
    log(renderTable(['pods', '', 'tsk8s p50', 'tsk8s p99', 'CRI p50', 'CRI p99', 'ratio p50', 'ratio p99', `goal ≤${goals.ratio}`].filter((h) => h !== ''), rows));
    log('');
    const loaded = results.loaded;
    log(
      renderTable(
        ['measure', 'value', 'goal', 'met'],
        [
          ['warm start → node Ready (ms)', fmt(warmMs), `≤ ${goals.warmReadyMs}`, warmMs <= goals.warmReadyMs ? 'yes' : 'no'],
          ['cold start → node Ready (ms)', fmt(coldMs), '', ''],
          ['server RSS idle, 0 pods (MiB)', mib(idle.server), `< ${goals.idleRssMiB}`, idle.server / 1048576 < goals.idleRssMiB ? 'yes' : 'no'],
          [`server RSS, ${Math.max(...batches)} pods (MiB)`, mib(loaded.server), '', ''],
          ['containerd RSS, 0 / 30 pods (MiB)', `${mib(idle.containerd)} / ${mib(loaded.containerd)}`, '', ''],
          [`shims RSS, ${Math.max(...batches)} pods (MiB)`, mib(loaded.shims), '', ''],
        ],
      ),
    );
  } catch (err) {
    log(`  the server printed (last lines):\n${node.output().split('\n').slice(-30).join('\n')}`);
    throw err;
  } finally {
    await node.remove();
  }
}

interface Row {
  pods: number;
  api: { p50: number; p99: number };
  floor: { p50: number; p99: number };
}
interface Memory {
  server: number;
  containerd: number;
  shims: number;
}

/** Runs node-inner.ts inside the node's network namespace; reads memory when it pauses with pods running. */
async function runInner(node: TestNode, log: (line: string) => void): Promise<{ rows: Row[]; loaded: Memory }> {
  const tag = createHash('sha256').update(node.dir).digest('hex').slice(0, 8);
  const socket = `/run/tsk8s/${tag}/containerd/containerd.sock`;
  const inner = join(import.meta.dirname, 'node-inner.ts');
  const child = spawn('nsenter', [`--net=${node.netns.path}`, process.execPath, '--import', 'tsx', inner, node.kubeconfig, socket, node.name, ...batches.map(String)], {
    stdio: ['pipe', 'pipe', 'inherit'],
    cwd: join(import.meta.dirname, '..'),
  });
  const rows: Row[] = [];
  let loaded: Memory = { server: NaN, containerd: NaN, shims: NaN };
  const exited = new Promise<number | null>((r) => child.once('exit', r));
  for await (const line of createInterface({ input: child.stdout })) {
    const msg = JSON.parse(line) as { marker?: string } & Partial<Row>;
    if (msg.marker) {
      loaded = memory(node);
      child.stdin.write('go\n');
    } else {
      rows.push(msg as Row);
      log(`  ${msg.pods} pods: tsk8s p50 ${fmt(msg.api?.p50 ?? NaN)} ms p99 ${fmt(msg.api?.p99 ?? NaN)} ms; CRI p50 ${fmt(msg.floor?.p50 ?? NaN)} ms p99 ${fmt(msg.floor?.p99 ?? NaN)} ms`);
    }
  }
  const code = await exited;
  if (code !== 0) throw new Error(`the in-namespace bench exited ${code}`);
  return { rows, loaded };
}

/** RSS of the processes in the node's namespace by what they run. */
function memory(node: TestNode): Memory {
  const out: Memory = { server: 0, containerd: 0, shims: 0 };
  const nsId = netnsInode(node.netns.path);
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readlinkSync(`/proc/${pid}/ns/net`) !== nsId) continue;
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const rss = Number(/^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
      if (cmd.some((a) => a.endsWith('bin/tsk8s'))) out.server += rss;
      else if (cmd[0]?.endsWith('/containerd')) out.containerd += rss;
      else if (cmd[0]?.endsWith('containerd-shim-runc-v2')) out.shims += rss;
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** `net:[inode]` of a network namespace file, as /proc/<pid>/ns/net links read (the nsfs mount's inode is the namespace's). */
function netnsInode(path: string): string {
  return `net:[${statSync(path).ino}]`;
}

function mib(bytes: number): string {
  return fmt(bytes / 1048576, 1);
}
