// The kubelet API against the CRI fake: who gets in, logs from a CRI log
// file (follow included), and upgrades passed on to the runtime's
// streaming URL (a stub streaming server here, which echoes).
import t, { type Test } from 'tap';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { WebSocket } from 'ws';
import { CertificateAuthority, issueKubeletServing } from '../../certs/index.js';
import { generateKey } from '../../certs/keys.js';
import { silentLogger } from '../../log/logger.js';
import { ControlType, dataFrame, FlagFin, SpdyFrameDecoder } from '../../machinery/spdy.js';
import { FakeRuntime } from '../cri/fake.js';
import { containerNameLabel, podNameLabel, podNamespaceLabel } from '../pods/labels.js';
import { criLookup, startKubeletServer } from './index.js';

const image = 'localhost/test/busybox:1';

async function clientPair(ca: CertificateAuthority, cn: string) {
  const { keyPem, publicKey } = await generateKey();
  return { certPem: await ca.issue({ commonName: cn, organizations: ['system:masters'], usages: ['client'] }, publicKey), keyPem };
}

async function setup(t: Test) {
  const { ca: serverCa } = await CertificateAuthority.generate('test-server-ca');
  const { ca: clientCa } = await CertificateAuthority.generate('test-client-ca');
  const { ca: otherCa } = await CertificateAuthority.generate('test-other-ca');
  const serving = await issueKubeletServing(serverCa, 'node-a', ['127.0.0.1']);
  const apiserver = await clientPair(clientCa, 'system:kube-apiserver');
  const admin = await clientPair(clientCa, 'system:admin');
  const stranger = await clientPair(otherCa, 'system:kube-apiserver');

  // The runtime's streaming server: answers upgrades with 101, reports what it was asked, then echoes.
  const seen: { method: string; url: string; headers: IncomingMessage['headers'] }[] = [];
  const stub = createServer((_req, res) => res.writeHead(404).end());
  stub.on('upgrade', (req: IncomingMessage, socket) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    if (req.headers['sec-websocket-protocol'] === 'v5.channel.k8s.io') {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    if (req.url?.startsWith('/exec/tok-cat')) {
      // A v4 remote-command server over SPDY: stdin comes back on stdout; the end of stdin ends the command with exit 3.
      socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: SPDY/3.1\r\nConnection: Upgrade\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n');
      const decoder = new SpdyFrameDecoder();
      const opened: number[] = [];
      socket.on('data', (chunk: Buffer) => {
        for (const f of decoder.push(chunk)) {
          if (f.control && f.type === ControlType.SynStream) opened.push(f.streamId);
          if (f.control || f.streamId !== 3) continue;
          if (f.data.length > 0) socket.write(dataFrame(5, Buffer.concat([Buffer.from('echo:'), f.data])));
          if (f.flags & FlagFin) {
            socket.write(dataFrame(1, Buffer.from(JSON.stringify({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] }, opened }))));
            socket.end();
          }
        }
      });
      return;
    }
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: SPDY/3.1\r\nConnection: Upgrade\r\n\r\n');
    socket.pipe(socket);
  });
  await new Promise<void>((r) => stub.listen(0, '127.0.0.1', r));
  const stubPort = (stub.address() as AddressInfo).port;
  t.teardown(() => stub.close());

  const rt = new FakeRuntime({ images: [image] });
  const streamBase = { url: `http://127.0.0.1:${stubPort}` };
  rt.exec = async (req) => `${streamBase.url}/exec/tok-${req.cmd.join('-')}`;
  rt.attach = async () => `${streamBase.url}/attach/tok`;
  rt.portForward = async (sandbox) => `${streamBase.url}/portforward/${sandbox}`;

  const logDir = mkdtempSync(join(tmpdir(), 'kubelet-server-'));
  t.teardown(() => rmSync(logDir, { recursive: true, force: true }));
  const podConfig = { metadata: { name: 'p', uid: 'u1', namespace: 'ns' }, logDirectory: logDir, labels: { [podNameLabel]: 'p', [podNamespaceLabel]: 'ns' } };
  const sandbox = await rt.runPodSandbox(podConfig);
  mkdirSync(join(logDir, 'c'));
  const containerConfig = (attempt: number) => ({
    metadata: { name: 'c', attempt },
    image: { image },
    command: ['sleep', 'infinity'],
    logPath: `c/${attempt}.log`,
    labels: { [podNameLabel]: 'p', [podNamespaceLabel]: 'ns', [containerNameLabel]: 'c' },
  });
  writeFileSync(join(logDir, 'c', '0.log'), '2026-01-02T03:04:05.000000001Z stdout F first run\n');
  const old = await rt.createContainer(sandbox, containerConfig(0), podConfig);
  await rt.startContainer(old);
  await rt.stopContainer(old, 0);
  writeFileSync(join(logDir, 'c', '1.log'), '2026-01-02T03:04:06Z stdout F one\n2026-01-02T03:04:07Z stderr P tw\n2026-01-02T03:04:07Z stderr F o\n');
  const id = await rt.createContainer(sandbox, containerConfig(1), podConfig);
  await rt.startContainer(id);

  const abort = new AbortController();
  const server = startKubeletServer(
    { port: 0, host: '127.0.0.1', tls: { ...serving, clientCaPem: clientCa.certPem }, runtime: rt, lookup: criLookup(rt), logger: silentLogger },
    abort.signal,
  );
  const port = await server.ready;
  t.teardown(async () => {
    abort.abort();
    await server.stopped;
  });

  const get = (path: string, client: { certPem: string; keyPem: string } | null = apiserver) =>
    new Promise<{ code: number; type: string; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, agent: false, ca: serverCa.certPem, ...(client ? { cert: client.certPem, key: client.keyPem } : {}) }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ code: res.statusCode ?? 0, type: res.headers['content-type'] ?? '', body }));
      });
      req.on('error', reject);
      req.end();
    });

  /** Sends an upgrade request; resolves with the answer's head and a way to talk once upgraded. */
  const upgrade = (path: string, headers: Record<string, string> = { Upgrade: 'SPDY/3.1', Connection: 'Upgrade' }, method = 'POST') =>
    new Promise<{ head: string; send(s: string): void; received(): string; close(): void }>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, ca: serverCa.certPem, cert: apiserver.certPem, key: apiserver.keyPem, servername: 'node-a' });
      let data = '';
      socket.on('data', (d: Buffer) => {
        data += d.toString('latin1');
        const end = data.indexOf('\r\n\r\n');
        if (end >= 0 && !resolved && (data.startsWith('HTTP/1.1 101') || /Content-Length: (\d+)/.exec(data)?.[1] === String(data.length - end - 4))) {
          resolved = true;
          const head = data.startsWith('HTTP/1.1 101') ? data.slice(0, end) : data;
          data = data.slice(end + 4);
          resolve({ head, send: (s) => socket.write(Buffer.from(s, 'latin1')), received: () => data, close: () => socket.destroy() });
        }
      });
      let resolved = false;
      socket.on('error', reject);
      socket.once('secureConnect', () => {
        socket.write(`${method} ${path} HTTP/1.1\r\nHost: node-a\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`);
      });
      socket.on('end', () => {
        if (!resolved) {
          resolved = true;
          resolve({ head: data, send: () => undefined, received: () => '', close: () => socket.destroy() });
        }
      });
    });

  /** A WebSocket client as the apiserver; `offer` goes out as the Sec-WebSocket-Protocol header as it is. */
  const websocket = (path: string, offer: string) => {
    const client = new WebSocket(`wss://127.0.0.1:${port}${path}`, {
      ca: serverCa.certPem,
      cert: apiserver.certPem,
      key: apiserver.keyPem,
      headers: { 'Sec-WebSocket-Protocol': offer },
    });
    const messages: Buffer[] = [];
    client.on('message', (data: Buffer) => messages.push(data));
    let protocol: string | undefined;
    // The library checks the answer against protocols offered its own way, which cannot hold a name like
    // `SPDY/3.1+portforward.k8s.io`: the answer is read here and the check left to the test.
    client.once('upgrade', (res: IncomingMessage) => {
      protocol = res.headers['sec-websocket-protocol'];
      delete res.headers['sec-websocket-protocol'];
    });
    const open = new Promise<void>((resolve, reject) => {
      client.once('open', () => resolve());
      client.once('error', reject);
    });
    const closed = new Promise<number>((resolve) => client.once('close', (code: number) => resolve(code)));
    return { client, open, closed, messages, protocol: () => protocol };
  };

  return { rt, id, logDir, get, upgrade, websocket, seen, streamBase, admin, stranger, sandbox };
}

t.test('only the apiserver gets in', async (t) => {
  const s = await setup(t);
  const none = await s.get('/containerLogs/ns/p/c', null);
  t.equal(none.code, 401);
  t.match(JSON.parse(none.body), { kind: 'Status', reason: 'Unauthorized' });
  t.equal((await s.get('/containerLogs/ns/p/c', s.stranger)).code, 401, 'a certificate of another CA');
  const admin = await s.get('/containerLogs/ns/p/c', s.admin);
  t.equal(admin.code, 403);
  t.match(JSON.parse(admin.body).message, /User "system:admin" cannot access the kubelet API/);
  t.equal((await s.get('/containerLogs/ns/p/c')).code, 200);
});

t.test('container logs from the CRI log file', async (t) => {
  const s = await setup(t);
  const all = await s.get('/containerLogs/ns/p/c');
  t.equal(all.type, 'text/plain');
  t.equal(all.body, 'one\ntwo\n', 'the current instance, partial lines joined');
  t.equal((await s.get('/containerLogs/ns/p/c?tailLines=1&timestamps=true')).body, '2026-01-02T03:04:07.000000000Z two\n');
  t.equal((await s.get('/containerLogs/ns/p/c?previous=true')).body, 'first run\n');
  t.equal((await s.get('/containerLogs/ns/p/c?limitBytes=2')).body, 'on');
  const bad = await s.get('/containerLogs/ns/p/c?tailLines=-2');
  t.equal(bad.code, 400);
  t.match(JSON.parse(bad.body), { kind: 'Status', reason: 'BadRequest' });
  const unknown = await s.get('/containerLogs/ns/p/nope');
  t.equal(unknown.code, 404);
  t.match(JSON.parse(unknown.body).message, /container "nope" in pod "ns\/p" is not available/);
  t.equal((await s.get('/healthz')).code, 404);
});

t.test('follow: lines appended later arrive; the answer ends when the container stops', async (t) => {
  const s = await setup(t);
  const done = s.get('/containerLogs/ns/p/c?follow=true&tailLines=1');
  await new Promise((r) => setTimeout(r, 300));
  appendFileSync(join(s.logDir, 'c', '1.log'), '2026-01-02T03:04:08Z stdout F three\n');
  await new Promise((r) => setTimeout(r, 300));
  appendFileSync(join(s.logDir, 'c', '1.log'), '2026-01-02T03:04:09Z stdout F fo');
  await new Promise((r) => setTimeout(r, 300));
  appendFileSync(join(s.logDir, 'c', '1.log'), 'ur\n');
  await new Promise((r) => setTimeout(r, 300));
  await s.rt.stopContainer(s.id, 0);
  const answer = await done;
  t.equal(answer.body, 'two\nthree\nfour\n');
});

t.test('exec, attach and port-forward are passed on to the streaming URL', async (t) => {
  const s = await setup(t);
  const exec = await s.upgrade('/exec/ns/p/c?command=echo&command=hi&stdout=true&stderr=true', { Upgrade: 'SPDY/3.1', Connection: 'Upgrade', 'X-Stream-Protocol-Version': 'v4.channel.k8s.io' });
  t.match(exec.head, /^HTTP\/1.1 101/);
  exec.send('ping');
  for (let i = 0; i < 50 && exec.received() !== 'ping'; i++) await new Promise((r) => setTimeout(r, 20));
  t.equal(exec.received(), 'ping', 'bytes flow both ways');
  exec.close();
  t.match(s.seen[0], { method: 'POST', headers: { 'x-stream-protocol-version': 'v4.channel.k8s.io', upgrade: 'SPDY/3.1' } });
  t.match(s.seen[0]?.url, /^\/exec\/tok-echo-hi\?command=echo&command=hi/);

  const attach = await s.upgrade('/attach/ns/p/c?stdin=true&stdout=true');
  t.match(attach.head, /^HTTP\/1.1 101/);
  attach.close();
  const pf = await s.upgrade('/portForward/ns/p?ports=8080', { Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Protocol': 'portforward.k8s.io' }, 'GET');
  t.match(pf.head, /^HTTP\/1.1 101/);
  pf.close();
  t.equal(s.seen[2]?.url, `/portforward/${s.sandbox}?ports=8080`);

  const refused = await s.upgrade('/exec/ns/p/c?command=true&stdout=true', { Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Protocol': 'v4.channel.k8s.io, v5.channel.k8s.io' }, 'GET');
  t.match(refused.head, /^HTTP\/1.1 400/, 'a WebSocket upgrade without its key is refused with a Status');
});

t.test('a v5 WebSocket exec is served against the runtime as SPDY v4: stdin, its close, output and the exit status', async (t) => {
  const s = await setup(t);
  const ws = s.websocket('/exec/ns/p/c?command=cat&stdin=true&stdout=true&stderr=true', 'v5.channel.k8s.io');
  await ws.open;
  t.equal(ws.protocol(), 'v5.channel.k8s.io');
  ws.client.send(Buffer.from([0, ...Buffer.from('x\n')]));
  await new Promise((r) => setTimeout(r, 100));
  ws.client.send(Buffer.from([255, 0]));
  t.equal(await ws.closed, 1000, 'then the WebSocket closes normally');
  t.same(ws.messages[0], Buffer.from([1, ...Buffer.from('echo:x\n')]), 'stdin reached the command; its output came back on channel 1');
  t.equal(ws.messages[1]?.[0], 3, 'the status on channel 3');
  t.match(JSON.parse(ws.messages[1]?.subarray(1).toString() ?? '{}'), { reason: 'NonZeroExitCode', details: { causes: [{ message: '3' }] }, opened: [1, 3, 5, 7] });
});

t.test('port-forward with SPDY tunnelled in a WebSocket reaches the runtime as plain SPDY', async (t) => {
  const s = await setup(t);
  const ws = s.websocket('/portForward/ns/p', 'SPDY/3.1+portforward.k8s.io');
  await ws.open;
  t.equal(ws.protocol(), 'SPDY/3.1+portforward.k8s.io');
  t.match(s.seen[0], { method: 'POST', url: `/portforward/${s.sandbox}`, headers: { upgrade: 'SPDY/3.1', 'x-stream-protocol-version': 'portforward.k8s.io' } });
  ws.client.send(Buffer.from('spdy-'));
  ws.client.send(Buffer.from('bytes'));
  const echoed = () => Buffer.concat(ws.messages).toString();
  for (let i = 0; i < 50 && echoed() !== 'spdy-bytes'; i++) await new Promise((r) => setTimeout(r, 20));
  t.equal(echoed(), 'spdy-bytes', 'the SPDY bytes went to the runtime and came back in binary messages');
  ws.client.close(1000);
  t.equal(await ws.closed, 1000);
});

t.test('refusals are Status answers and the server keeps serving', async (t) => {
  const s = await setup(t);
  const noCommand = await s.upgrade('/exec/ns/p/c?stdout=true');
  t.match(noCommand.head, /^HTTP\/1.1 400/);
  t.match(noCommand.head, /you must specify at least 1 command/);
  const noStreams = await s.upgrade('/exec/ns/p/c?command=ls');
  t.match(noStreams.head, /at least 1 of stdin, stdout, stderr/);
  const unknown = await s.upgrade('/exec/ns/p/nope?command=ls&stdout=1');
  t.match(unknown.head, /^HTTP\/1.1 404/);
  const notUpgrade = await s.get('/exec/ns/p/c?command=ls&stdout=1');
  t.equal(notUpgrade.code, 400);
  t.match(JSON.parse(notUpgrade.body).message, /Upgrade request required/);
  s.streamBase.url = 'http://127.0.0.1:1';
  const unreachable = await s.upgrade('/exec/ns/p/c?command=ls&stdout=1');
  t.match(unreachable.head, /^HTTP\/1.1 500/);
  t.match(unreachable.head, /streaming server/);
  t.equal((await s.get('/containerLogs/ns/p/c')).body, 'one\ntwo\n', 'still serving');
});
