// pods/log, pods/exec and pods/portforward through the apiserver to a
// kubelet API (the real one, over mutual TLS, on the CRI fake) and on to a
// stub streaming server: the path each request takes, and the refusals a
// client sees on the way. The same kubelet also stands for a node of the
// apiserver's own process, reached by a call instead of TLS.
import t from 'tap';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { startApiServer } from '../../../src/apiserver/index.js';
import { ensurePki, issueKubeletServing } from '../../../src/certs/index.js';
import { Client, InProcessTransport } from '../../../src/client/index.js';
import { FakeRuntime } from '../../../src/kubelet/cri/fake.js';
import { containerNameLabel, podNameLabel, podNamespaceLabel } from '../../../src/kubelet/pods/labels.js';
import { criLookup, startKubeletServer, type KubeletServer } from '../../../src/kubelet/server/index.js';
import { silentLogger } from '../../../src/log/logger.js';
import { openMemoryBackend } from '../../../src/store/memory/index.js';
import { adminUser } from '../../helpers/apiserver.js';

const image = 'localhost/test/busybox:1';
const dir = mkdtempSync(join(tmpdir(), 'tsk8s-streams-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
let kubelet: KubeletServer | undefined;
const pki = await ensurePki(join(dir, 'tls'), { nodeName: 'node-a', nodeIps: ['127.0.0.1'], serviceIp: '10.43.0.1', clusterDomain: 'cluster.local' });
const backend = openMemoryBackend();
await backend.ready;
const api = await startApiServer({
  backend,
  tls: { certPem: pki.serving.certPem, keyPem: pki.serving.keyPem, clientCaPem: pki.clientCa.ca.certPem },
  host: '127.0.0.1',
  port: 0,
  serviceCidr: '10.43.0.0/16',
  nodePortRange: { min: 30000, max: 32767 },
  productVersion: 'v1.32.0+tsk8s-test',
  kubeletClient: { certPem: pki.apiserverClient.certPem, keyPem: pki.apiserverClient.keyPem, caPem: pki.serverCa.ca.certPem },
  localKubelet: (nodeName) => (nodeName === 'node-local' ? kubelet : undefined),
  logger: silentLogger,
});
t.teardown(() => api.close());

// The runtime's streaming server: 101, then echo.
const seen: string[] = [];
const stub = createServer((_req, res) => res.writeHead(404).end());
stub.on('upgrade', (req: IncomingMessage, socket) => {
  seen.push(`${req.method} ${req.url}`);
  socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: SPDY/3.1\r\nConnection: Upgrade\r\n\r\n');
  socket.pipe(socket);
});
await new Promise<void>((r) => stub.listen(0, '127.0.0.1', r));
t.teardown(() => stub.close());
const stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;

const rt = new FakeRuntime({ images: [image] });
rt.exec = async (req) => `${stubUrl}/exec/${req.cmd.join('-')}`;
rt.portForward = async () => `${stubUrl}/portforward/tok`;
const logDir = join(dir, 'logs');
mkdirSync(join(logDir, 'app'), { recursive: true });
writeFileSync(join(logDir, 'app', '0.log'), '2026-01-02T03:04:05Z stdout F hello\n2026-01-02T03:04:06Z stderr F world\n');
const podConfig = { metadata: { name: 'web', uid: 'u1', namespace: 'default' }, logDirectory: logDir, labels: { [podNameLabel]: 'web', [podNamespaceLabel]: 'default' } };
const sandbox = await rt.runPodSandbox(podConfig);
const cid = await rt.createContainer(
  sandbox,
  { metadata: { name: 'app' }, image: { image }, command: ['sleep', 'infinity'], logPath: 'app/0.log', labels: { [podNameLabel]: 'web', [podNamespaceLabel]: 'default', [containerNameLabel]: 'app' } },
  podConfig,
);
await rt.startContainer(cid);

// A pod on the in-process node: its node's address leads nowhere, so only the call reaches the kubelet.
const localConfig = { ...podConfig, metadata: { name: 'near', uid: 'u2', namespace: 'default' }, labels: { [podNameLabel]: 'near', [podNamespaceLabel]: 'default' } };
await rt.runPodSandbox(localConfig);

const stop = new AbortController();
const serving = await issueKubeletServing(pki.serverCa.ca, 'node-a', ['127.0.0.1']);
const kubeletServer = startKubeletServer({ port: 0, host: '127.0.0.1', tls: { ...serving, clientCaPem: pki.clientCa.ca.certPem }, runtime: rt, lookup: criLookup(rt), logger: silentLogger }, stop.signal);
kubelet = kubeletServer;
const kubeletPort = await kubeletServer.ready;
t.teardown(async () => {
  stop.abort();
  await kubeletServer.stopped;
});

const client = new Client(new InProcessTransport(api.router, adminUser));
const node = await client.nodes.create({ metadata: { name: 'node-a' } });
await client.nodes.updateStatus({ ...node, status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: kubeletPort } } } });
const running = { name: 'app', image, imageID: '', ready: true, restartCount: 0, state: { running: {} } };
const pod = await client.pods.create({ metadata: { name: 'web', namespace: 'default' }, spec: { nodeName: 'node-a', containers: [{ name: 'app', image }] } });
await client.pods.updateStatus({ ...pod, status: { phase: 'Running', containerStatuses: [running] } });
const localNode = await client.nodes.create({ metadata: { name: 'node-local' } });
await client.nodes.updateStatus({ ...localNode, status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: 1 } } } });
await client.pods.create({ metadata: { name: 'near', namespace: 'default' }, spec: { nodeName: 'node-local', containers: [{ name: 'app', image }] } });
await client.pods.create({ metadata: { name: 'two', namespace: 'default' }, spec: { nodeName: 'node-a', containers: [{ name: 'a', image }, { name: 'b', image }] } });

const get = (path: string) =>
  new Promise<{ code: number; type: string; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: api.port, path, agent: false, ca: pki.serverCa.ca.certPem, cert: pki.admin.certPem, key: pki.admin.keyPem }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, type: res.headers['content-type'] ?? '', body }));
    });
    req.on('error', reject);
    req.end();
  });

/** Whether an HTTP response's head (through its blank line) has arrived. */
const headDone = (data: string): boolean => data.includes('\r\n\r\n');

/** Whether a whole response has arrived: a 101's head, or a head and the body its Content-Length announces. */
const responseDone = (data: string): boolean => {
  if (!headDone(data)) return false;
  if (data.startsWith('HTTP/1.1 101')) return true;
  const length = /\r\ncontent-length: *(\d+)/i.exec(data);
  return length !== null && Buffer.byteLength(data.slice(data.indexOf('\r\n\r\n') + 4)) >= Number(length[1]);
};

/**
 * A raw upgrade request to the apiserver; resolves with what was received once `until` holds for it, the
 * server closes the connection, or 20 s pass (then the assertions on it fail and show what came).
 */
const upgrade = (head: string, send = '', until: (data: string) => boolean = responseDone) =>
  new Promise<string>((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: api.port, ca: pki.serverCa.ca.certPem, cert: pki.admin.certPem, key: pki.admin.keyPem, servername: 'localhost' });
    let data = '';
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(data);
    };
    const timer = setTimeout(finish, 20_000);
    socket.on('data', (d: Buffer) => {
      data += d.toString();
      if (send !== '' && headDone(data) && data.startsWith('HTTP/1.1 101')) {
        socket.write(send);
        send = '';
      }
      if (send === '' && until(data)) finish();
    });
    socket.on('close', finish);
    socket.on('error', reject);
    socket.once('secureConnect', () => socket.write(head));
  });

t.test('pods/log streams the container log from the kubelet', async (t) => {
  const all = await get('/api/v1/namespaces/default/pods/web/log');
  t.equal(all.code, 200);
  t.equal(all.type, 'text/plain');
  t.equal(all.body, 'hello\nworld\n');
  t.equal((await get('/api/v1/namespaces/default/pods/web/log?container=app&tailLines=1&timestamps=true')).body, '2026-01-02T03:04:06.000000000Z world\n');
});

t.test('pods/log refusals', async (t) => {
  const missing = await get('/api/v1/namespaces/default/pods/nope/log');
  t.equal(missing.code, 404);
  t.match(JSON.parse(missing.body), { kind: 'Status', reason: 'NotFound', message: 'pods "nope" not found' });
  const two = await get('/api/v1/namespaces/default/pods/two/log');
  t.equal(two.code, 400);
  t.equal(JSON.parse(two.body).message, 'a container name must be specified for pod two, choose one of: [a b]');
  const waiting = await get('/api/v1/namespaces/default/pods/two/log?container=a');
  t.equal(JSON.parse(waiting.body).message, 'container "a" in pod "two" is waiting to start: ContainerCreating');
  const bad = await get('/api/v1/namespaces/default/pods/web/log?tailLines=-1');
  t.equal(bad.code, 400);
  const exec = await get('/api/v1/namespaces/default/pods/web/exec?command=ls');
  t.equal(exec.code, 400);
  t.match(JSON.parse(exec.body).message, /Upgrade request required/);
});

t.test('pods/exec and pods/portforward are joined to the runtime through the kubelet', async (t) => {
  const exec = await upgrade(
    'POST /api/v1/namespaces/default/pods/web/exec?command=echo&command=hi&container=app&stdout=true HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n',
    'ping',
    (data) => data.endsWith('ping'),
  );
  t.match(exec, /^HTTP\/1.1 101 .*\r\n\r\nping$/s, 'the 101 comes back and bytes flow both ways');
  t.match(seen.at(-1), /^POST \/exec\/echo-hi\?command=echo&command=hi&stdout=true/);
  const pf = await upgrade('GET /api/v1/namespaces/default/pods/web/portforward?ports=80 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Protocol: portforward.k8s.io\r\nSec-WebSocket-Key: a2V5\r\nSec-WebSocket-Version: 13\r\n\r\n');
  t.match(pf, /^HTTP\/1.1 101/);
  t.equal(seen.at(-1), 'GET /portforward/tok?ports=80');
});

t.test("the process's own node is reached by a call, not over TLS", async (t) => {
  const pf = await upgrade('GET /api/v1/namespaces/default/pods/near/portforward?ports=8080 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\n\r\n', 'ping', (data) => data.endsWith('ping'));
  t.match(pf, /^HTTP\/1.1 101 .*\r\n\r\nping$/s, 'joined to the runtime, bytes flow both ways');
  t.equal(seen.at(-1), 'GET /portforward/tok?ports=8080');
  const bad = await upgrade('GET /api/v1/namespaces/default/pods/near/portforward?ports=99999 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n\r\n');
  t.match(bad, /^HTTP\/1.1 400/, "the kubelet's own checks still apply");
  t.match(bad, /invalid port in 99999/);
});

t.test('malformed or refused upgrades get a Status and the server keeps serving', async (t) => {
  const unknownPod = await upgrade('POST /api/v1/namespaces/default/pods/nope/exec?command=ls&stdout=1 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n\r\n');
  t.match(unknownPod, /^HTTP\/1.1 404 Not Found/);
  t.match(unknownPod, /pods \\"nope\\" not found/);
  const unknownContainer = await upgrade('POST /api/v1/namespaces/default/pods/web/exec?command=ls&stdout=1&container=zz HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n\r\n');
  t.match(unknownContainer, /^HTTP\/1.1 400/);
  t.match(unknownContainer, /container zz is not valid for pod web/);
  const notStream = await upgrade('GET /api/v1/namespaces/default/pods HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n');
  t.match(notStream, /^HTTP\/1.1 400/);
  const garbage = await upgrade('GARBAGE\r\n\r\n');
  t.match(garbage, /^HTTP\/1.1 400/, "node's parser refuses it");
  t.equal((await get('/api/v1/namespaces/default/pods/web/log')).body, 'hello\nworld\n', 'still serving');
});
