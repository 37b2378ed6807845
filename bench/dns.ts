// Cluster DNS benchmark: queries per second and latency for cluster names
// from a loopback client against the server on 127.0.0.1 with 1,000
// Services in its records (goal ≥ 20,000/s, p99 < 5 ms), next to dnsmasq
// serving the same 1,000 names from a hosts file, measured in the same run
// when it is installed, and the floor of this process's UDP path: a bare
// dgram socket sending one fixed answer back, no DNS work at all. The client runs in a worker thread (its own event
// loop, so the other core), keeps a fixed number of queries in flight and
// asks the names in turn.
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import dnsPacket from 'dns-packet';
import { silentLogger } from '../src/log/logger.js';
import { ClusterRecords, Forwarder, Resolver, startDnsServer } from '../src/net/dns/index.js';
import { fmt, renderTable, summarize, type Sample } from './stats.js';

const services = 1000;
const total = 100_000;
const warmup = 10_000;
const concurrency = 16;
const goals = { qps: 20_000, p99Ms: 5 };

export async function benchDns(log: (line: string) => void): Promise<void> {
  const names = Array.from({ length: services }, (_, i) => `svc-${i}.bench.svc.cluster.local`);
  const ips = names.map((_, i) => `10.43.${Math.floor(i / 250) + 1}.${(i % 250) + 1}`);
  const queries = names.map((name) => dnsPacket.encode({ type: 'query', id: 0, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type: 'A', class: 'IN' }] }));

  const records = new ClusterRecords();
  records.setNamespace({ metadata: { name: 'bench' } });
  names.forEach((_, i) => records.setService({ metadata: { name: `svc-${i}`, namespace: 'bench' }, spec: { clusterIP: ips[i], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } }));
  const stop = new AbortController();
  const resolver = new Resolver({ records, zone: 'cluster.local', forwarder: new Forwarder({ upstreams: [] }), logger: silentLogger });
  const server = startDnsServer({ host: '127.0.0.1', port: 0, resolver, logger: silentLogger }, stop.signal);
  const rows: string[][] = [];
  let ours: Sample | undefined;
  let floor: Sample | undefined;
  let peer: Sample | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'tsk8s-bench-dns-'));
  let dnsmasq: ChildProcess | undefined;
  try {
    const at = await server.ready;
    await load(at.port, queries, warmup);
    ours = await load(at.port, queries, total);
    rows.push(['tsk8s', fmt(ours.opsPerSec), fmt(ours.p50Ms, 3), fmt(ours.p99Ms, 3)]);
    floor = await nodeUdpFloor(queries);
    rows.push(['Node UDP floor', fmt(floor.opsPerSec), fmt(floor.p50Ms, 3), fmt(floor.p99Ms, 3)]);

    const binary = ['/usr/sbin/dnsmasq', '/usr/bin/dnsmasq'].find((p) => existsSync(p));
    if (binary) {
      const hosts = join(dir, 'hosts');
      writeFileSync(hosts, names.map((n, i) => `${ips[i]} ${n}\n`).join(''), { mode: 0o644 });
      // dnsmasq reads the file as the unprivileged user it switches to.
      chmodSync(dir, 0o755);
      const port = await freeUdpPort();
      dnsmasq = spawn(binary, ['--keep-in-foreground', '--conf-file=/dev/null', '--no-resolv', '--no-hosts', `--addn-hosts=${hosts}`, '--listen-address=127.0.0.1', '--bind-interfaces', `--port=${port}`, '--local-ttl=5', '--cache-size=10000', '--pid-file=', '--user=nobody'], { stdio: ['ignore', 'ignore', 'pipe'] });
      await waitForAnswer(port, queries[0] as Buffer);
      await load(port, queries, warmup);
      peer = await load(port, queries, total);
      rows.push(['dnsmasq (peer)', fmt(peer.opsPerSec), fmt(peer.p50Ms, 3), fmt(peer.p99Ms, 3)]);
    }
  } finally {
    dnsmasq?.kill('SIGTERM');
    stop.abort();
    await server.stopped;
    rmSync(dir, { recursive: true, force: true });
  }
  log(`dns: A queries for ${services} Service names over UDP on loopback, ${concurrency} in flight, ${total} queries`);
  log(renderTable(['server', 'queries/s', 'p50 ms', 'p99 ms'], rows));
  const met = ours.opsPerSec >= goals.qps && ours.p99Ms < goals.p99Ms;
  log(`  goal ≥ ${goals.qps}/s and p99 < ${goals.p99Ms} ms: ${met ? 'met' : 'NOT met'}`);
  if (floor) log(`  ratio to the Node UDP floor: ${fmt(ours.opsPerSec / floor.opsPerSec, 2)}× the queries/s`);
  if (peer) log(`  ratio to dnsmasq: ${fmt(ours.opsPerSec / peer.opsPerSec, 2)}× the queries/s, ${fmt(ours.p99Ms / peer.p99Ms, 2)}× the p99`);
  else log('  dnsmasq not installed (scripts/install-test-deps.sh): no peer measured');
}

/** Sends `count` queries (the names in turn) with `concurrency` in flight from a worker thread; every answer must be NOERROR with one record. */
async function load(port: number, queries: Buffer[], count: number): Promise<Sample> {
  const worker = new Worker(clientSource, { eval: true, workerData: { port, queries, count, concurrency } });
  const result = await new Promise<{ latencies: number[]; elapsedMs: number; bad: number; lost: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  if (result.bad > 0) throw new Error(`${result.bad} answers were not NOERROR with one record`);
  if (result.lost > count / 100) throw new Error(`${result.lost} of ${count} queries got no answer`);
  return summarize(result.latencies, result.latencies.length, result.elapsedMs);
}

// The load client, plain JavaScript for the worker: one UDP socket, IDs by slot, a lost query resent after 1 s.
const clientSource = `
const { createSocket } = require('node:dgram');
const { parentPort, workerData } = require('node:worker_threads');
const { port, queries, count, concurrency } = workerData;
const socket = createSocket('udp4');
const latencies = [];
const sentAt = new Float64Array(concurrency);
const sentQ = new Int32Array(concurrency).fill(-1);
let next = 0, done = 0, bad = 0, lost = 0;
const started = performance.now();
function send(slot) {
  if (next >= count) { sentQ[slot] = -1; return; }
  const i = next++;
  const q = Buffer.from(queries[i % queries.length]);
  q.writeUInt16BE(slot, 0);
  sentQ[slot] = i;
  sentAt[slot] = performance.now();
  socket.send(q, port, '127.0.0.1');
}
function finish() {
  clearInterval(timer);
  socket.close();
  parentPort.postMessage({ latencies, elapsedMs: performance.now() - started, bad, lost });
}
socket.on('message', (msg) => {
  const slot = msg.readUInt16BE(0);
  if (slot >= concurrency || sentQ[slot] < 0) return;
  latencies.push(performance.now() - sentAt[slot]);
  if ((msg[3] & 0xf) !== 0 || msg.readUInt16BE(6) !== 1) bad++;
  done++;
  if (done >= count) return finish();
  send(slot);
});
const timer = setInterval(() => {
  const now = performance.now();
  for (let s = 0; s < concurrency; s++) if (sentQ[s] >= 0 && now - sentAt[s] > 1000) { lost++; done++; if (done >= count) return finish(); send(s); }
}, 200);
socket.bind(0, '127.0.0.1', () => { for (let s = 0; s < concurrency; s++) send(s); });
`;

/** The same load against a socket in this thread that answers every query with one pre-encoded answer (its ID patched). */
async function nodeUdpFloor(queries: Buffer[]): Promise<Sample> {
  const first = dnsPacket.decode(queries[0] as Buffer);
  const answer = dnsPacket.encode({ type: 'response', id: 0, flags: dnsPacket.RECURSION_DESIRED, questions: first.questions, answers: [{ type: 'A', name: first.questions?.[0]?.name ?? '', ttl: 5, data: '10.43.1.1' }] });
  const socket = createSocket('udp4');
  socket.on('message', (msg, rinfo) => {
    const res = Buffer.from(answer);
    msg.copy(res, 0, 0, 2);
    socket.send(res, rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  try {
    await load(socket.address().port, queries, warmup);
    return await load(socket.address().port, queries, total);
  } finally {
    socket.close();
  }
}

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Waits until a server answers on the port (a child needs a moment to bind). */
async function waitForAnswer(port: number, query: Buffer): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const s = createSocket('udp4');
    const answered = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 200);
      s.on('message', () => {
        clearTimeout(timer);
        resolve(true);
      });
      s.send(query, port, '127.0.0.1');
    });
    s.close();
    if (answered) return;
    if (Date.now() > deadline) throw new Error(`nothing answers DNS on 127.0.0.1:${port}`);
  }
}
