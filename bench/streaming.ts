// Streaming benchmark: a real node (`tsk8s server` with its embedded agent)
// in a network namespace of the bench's own, as the end-to-end tests run it.
//  - `kubectl exec pod -- true` round trip (p50/p99 over `execRuns`) next to
//    the floor measured in the same run: CRI ExecSync of the same command
//    straight on the node's containerd, plus kubectl's own start-up (a
//    `kubectl get` of the pod, which starts kubectl and makes one API call);
//  - port-forward throughput: one large HTTP response read through
//    `kubectl port-forward` (SPDY tunnelled in a WebSocket, kubectl's
//    default, and plain SPDY), next to the same response read straight from
//    the pod IP.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { connectCri } from '../src/kubelet/cri/grpc.js';
import { nodeSkipReason, startNode, type TestNode } from '../test/helpers/node.js';
import { fmt, percentile, renderTable } from './stats.js';

const execRuns = 20;
const transferRuns = 3;
const payloadMiB = 100;
const goals = { execRatio: 1.5, forwardShare: 0.5 };
const localPort = 18090;

const pod = `apiVersion: v1
kind: Pod
metadata:
  name: bench-web
spec:
  nodeName: bench-stream
  terminationGracePeriodSeconds: 1
  containers:
  - name: web
    image: localhost/tsk8s/busybox:1.35
    imagePullPolicy: Never
    command: ["sh", "-c", "mkdir -p /www && dd if=/dev/zero of=/www/big bs=1048576 count=${payloadMiB} 2>/dev/null && trap 'exit 0' TERM; httpd -f -p 8080 -h /www & wait"]
`;

/**
 * Reads `GET /big` from host:port inside the node's namespace; the time is
 * taken there, from connect to the response's last byte (by its
 * Content-Length). Not to the close: through port-forward, containerd keeps
 * the stream up to a second after the pod closed its side, waiting for the
 * client's side to end too, which is no transfer time.
 */
const reader = `const net = require('node:net');
const [host, port] = process.argv.slice(1);
const t0 = performance.now();
let bytes = 0;
let want = Infinity;
let head = Buffer.alloc(0);
const done = () => { console.log(JSON.stringify({ bytes, ms: performance.now() - t0 })); process.exit(0); };
const s = net.connect({ host, port: Number(port) }, () => s.write('GET /big HTTP/1.0\\r\\nHost: bench\\r\\n\\r\\n'));
s.on('data', (d) => {
  bytes += d.length;
  if (want === Infinity && head.length < 4096) {
    head = Buffer.concat([head, d.subarray(0, 4096)]);
    const end = head.indexOf('\\r\\n\\r\\n');
    const m = /content-length: *(\\d+)/i.exec(head.toString('latin1'));
    if (end >= 0 && m) want = end + 4 + Number(m[1]);
  }
  if (bytes >= want) done();
});
s.on('end', done);
s.on('error', (e) => { console.error(e.message); process.exit(1); });`;

async function readBig(node: TestNode, host: string, port: number): Promise<number> {
  const r = await node.netns.exec('node', ['-e', reader, host, String(port)]);
  if (r.code !== 0) throw new Error(`reading from ${host}:${port}: ${r.stderr.trim()}`);
  const { bytes, ms } = JSON.parse(r.stdout) as { bytes: number; ms: number };
  if (bytes < payloadMiB * 1048576) throw new Error(`reading from ${host}:${port}: only ${bytes} bytes came`);
  return bytes / 1048576 / (ms / 1000);
}

function median(xs: number[]): number {
  return percentile([...xs].sort((a, b) => a - b), 50);
}

/** Latencies (ms) of `runs` sequential calls of `op`. */
async function timed(runs: number, op: () => Promise<void>): Promise<{ p50: number; p99: number }> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await op();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p99: percentile(ms, 99) };
}

/** MiB/s through `kubectl port-forward` (median of transferRuns); `env` picks the protocol. */
async function forwarded(node: TestNode, env: Record<string, string>): Promise<number> {
  const child = spawn('nsenter', [`--net=${node.netns.path}`, 'kubectl', 'port-forward', 'pod/bench-web', `${localPort}:8080`], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOME: node.dir, KUBECACHEDIR: `${node.dir}/kube-cache`, KUBECONFIG: node.kubeconfig, ...env },
  });
  const exited = new Promise((r) => child.once('exit', r));
  try {
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const deadline = Date.now() + 30_000;
    while (!out.includes('Forwarding from')) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`kubectl port-forward did not start: ${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const rates: number[] = [];
    for (let i = 0; i < transferRuns; i++) rates.push(await readBig(node, '127.0.0.1', localPort));
    return median(rates);
  } finally {
    child.kill('SIGINT');
    await exited;
  }
}

export async function benchStreaming(log: (line: string) => void): Promise<void> {
  const skip = nodeSkipReason();
  if (skip) {
    log(`  skipped: ${skip}`);
    return;
  }
  const node = await startNode({ name: 'bench-stream' });
  const rt = connectCri({ endpoint: `/run/tsk8s/${createHash('sha256').update(node.dir).digest('hex').slice(0, 8)}/containerd/containerd.sock` });
  try {
    await node.ok(['wait', '--for=condition=Ready', 'node/bench-stream', '--timeout=60s']);
    await node.ok(['apply', '-f', '-'], { input: pod });
    await node.ok(['wait', '--for=condition=Ready', 'pod/bench-web', '--timeout=60s']);
    const podIp = await node.ok(['get', 'pod', 'bench-web', '-o', 'jsonpath={.status.podIP}']);
    const containerId = (await node.ok(['get', 'pod', 'bench-web', '-o', 'jsonpath={.status.containerStatuses[0].containerID}'])).replace(/^containerd:\/\//, '');
    // The file is written before httpd starts: wait until a whole read from the pod IP succeeds.
    for (let i = 0; ; i++) {
      const ok = await readBig(node, podIp, 8080).then(() => true, (err: Error) => (i >= 100 ? Promise.reject(err) : false));
      if (ok) break;
      await new Promise((r) => setTimeout(r, 200));
    }

    const exec = await timed(execRuns, async () => {
      await node.ok(['exec', 'bench-web', '--', 'true']);
    });
    const startup = await timed(execRuns, async () => {
      await node.ok(['get', 'pod', 'bench-web', '-o', 'name']);
    });
    const execSync = await timed(execRuns, async () => {
      const r = await rt.execSync(containerId, ['true'], 10);
      if (r.exitCode !== 0) throw new Error(`ExecSync exited ${r.exitCode}`);
    });
    log(`  exec: kubectl p50 ${fmt(exec.p50)} ms; ExecSync p50 ${fmt(execSync.p50)} ms; kubectl get p50 ${fmt(startup.p50)} ms`);

    const direct: number[] = [];
    for (let i = 0; i < transferRuns; i++) direct.push(await readBig(node, podIp, 8080));
    const directRate = median(direct);
    const tunnelled = await forwarded(node, {});
    const plain = await forwarded(node, { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' });
    log(`  transfer of ${payloadMiB} MiB: direct ${fmt(directRate)} MiB/s, port-forward ${fmt(tunnelled)} MiB/s (WebSocket), ${fmt(plain)} MiB/s (SPDY)`);

    const floor50 = execSync.p50 + startup.p50;
    const floor99 = execSync.p99 + startup.p99;
    const r50 = exec.p50 / floor50;
    const r99 = exec.p99 / floor99;
    log('');
    log(`streaming: kubectl exec -- true (${execRuns} runs, ms) vs the floor: CRI ExecSync + kubectl start-up (kubectl get of the pod)`);
    log(
      renderTable(
        ['measure', 'role', 'p50', 'p99'],
        [
          ['kubectl exec -- true', 'tsk8s', fmt(exec.p50), fmt(exec.p99)],
          ['CRI ExecSync true', 'floor, runtime part', fmt(execSync.p50), fmt(execSync.p99)],
          ['kubectl get pod', 'floor, kubectl start-up', fmt(startup.p50), fmt(startup.p99)],
          ['ExecSync + kubectl get', 'floor', fmt(floor50), fmt(floor99)],
          ['ratio exec / floor', `goal ≤${goals.execRatio}`, `${fmt(r50, 2)} ${r50 <= goals.execRatio ? 'yes' : 'no'}`, `${fmt(r99, 2)} ${r99 <= goals.execRatio ? 'yes' : 'no'}`],
        ],
      ),
    );
    log('');
    log(`streaming: one ${payloadMiB} MiB HTTP response over one connection (MiB/s, median of ${transferRuns}) vs a direct connection to the pod IP`);
    const share = (rate: number) => [fmt(rate), fmt(rate / directRate, 2), rate / directRate >= goals.forwardShare ? 'yes' : 'no'];
    log(
      renderTable(
        ['path', 'MiB/s', 'share of direct', `goal ≥${goals.forwardShare}`],
        [
          ['direct to the pod IP', fmt(directRate), '1.00', ''],
          ['kubectl port-forward (WebSocket)', ...share(tunnelled)],
          ['kubectl port-forward (SPDY)', ...share(plain)],
        ],
      ),
    );
  } catch (err) {
    log(`  the server printed (last lines):\n${node.output().split('\n').slice(-30).join('\n')}`);
    throw err;
  } finally {
    await rt.close();
    await node.remove();
  }
}
