// Each kind of handler against something real: exec on the fake runtime,
// httpGet and tcpSocket against servers on loopback.
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import t from 'tap';
import type { corev1 } from '../../api/types.js';
import { CertificateAuthority, issueKubeletServing } from '../../certs/index.js';
import { CriError } from '../cri/errors.js';
import { FakeRuntime } from '../cri/fake.js';
import { resolvePort, runHandler, type HandlerTarget } from './handler.js';

const image = 'localhost/test/busybox:1';

async function listen(server: { listen(port: number, host: string, cb: () => void): unknown; address(): unknown }): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const seen: { url: string; headers: Record<string, unknown> }[] = [];
const http: Server = createServer((req, res) => {
  seen.push({ url: req.url ?? '', headers: req.headers });
  if (req.url === '/slow') return void setTimeout(() => res.end('late'), 3000);
  const code = Number(/^\/status\/(\d+)$/.exec(req.url ?? '')?.[1] ?? 200);
  res.writeHead(code, code === 302 ? { Location: '/elsewhere' } : {});
  res.end(`answer ${code}`);
});
const httpPort = await listen(http);
t.teardown(() => new Promise<void>((resolve) => http.close(() => resolve())));

const container: corev1.Container = { name: 'c', ports: [{ name: 'web', containerPort: httpPort }] };
const target: HandlerTarget = { container, containerId: 'unused', podIP: '127.0.0.1' };
const rt = new FakeRuntime({ images: [image] });

t.test('resolvePort: numbers, numeric strings and named container ports', async (t) => {
  t.equal(resolvePort(80, container), 80);
  t.equal(resolvePort('8080', container), 8080);
  t.equal(resolvePort('web', container), httpPort);
  t.equal(resolvePort('nope', container), undefined);
});

t.test('httpGet: 200-399 succeed, others fail with the status code', async (t) => {
  t.match(await runHandler(rt, { httpGet: { port: httpPort, path: '/status/200' } }, target, 1), { result: 'success', output: 'answer 200' });
  t.match(await runHandler(rt, { httpGet: { port: 'web', path: '/status/302' } }, target, 1), { result: 'success' }, 'a redirect is not followed and counts as success');
  t.same(await runHandler(rt, { httpGet: { port: httpPort, path: '/status/500' } }, target, 1), { result: 'failure', output: 'HTTP probe failed with statuscode: 500' });
  t.match(await runHandler(rt, { httpGet: { port: httpPort, path: '/status/404' } }, target, 1), { result: 'failure', output: 'HTTP probe failed with statuscode: 404' });
});

t.test('httpGet: path, host override, headers and the kube-probe user agent', async (t) => {
  seen.length = 0;
  const action: corev1.HTTPGetAction = { host: '127.0.0.1', port: httpPort, path: 'healthz', httpHeaders: [{ name: 'X-Probe', value: 'yes' }] };
  await runHandler(rt, { httpGet: action }, { ...target, podIP: '203.0.113.1' }, 1);
  t.equal(seen[0]?.url, '/healthz');
  t.match(seen[0]?.headers, { 'x-probe': 'yes', 'user-agent': 'kube-probe/1.32', accept: '*/*' });
  await runHandler(rt, { httpGet: { port: httpPort, httpHeaders: [{ name: 'User-Agent', value: 'mine' }] } }, target, 1);
  t.equal(seen[1]?.headers['user-agent'], 'mine', 'a header given replaces the default');
});

t.test('httpGet: a refused connection and a timeout fail', async (t) => {
  const closed = createTcpServer();
  const port = await listen(closed);
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  t.same(await runHandler(rt, { httpGet: { port, path: '/' } }, target, 1), {
    result: 'failure',
    output: `Get "http://127.0.0.1:${port}/": dial tcp 127.0.0.1:${port}: connect: connection refused`,
  });
  const started = Date.now();
  t.match(await runHandler(rt, { httpGet: { port: httpPort, path: '/slow' } }, target, 1), { result: 'failure', output: /context deadline exceeded/ });
  t.ok(Date.now() - started < 2500, 'timeoutSeconds bounds the request');
});

t.test('httpGet over HTTPS does not verify the certificate', async (t) => {
  const { ca } = await CertificateAuthority.generate('probe-test-ca');
  const serving = await issueKubeletServing(ca, 'somewhere-else', ['192.0.2.1']);
  const tls = createHttpsServer({ cert: serving.certPem, key: serving.keyPem }, (_req, res) => res.end('secure'));
  const port = await listen(tls);
  t.teardown(() => new Promise<void>((resolve) => tls.close(() => resolve())));
  t.same(await runHandler(rt, { httpGet: { port, scheme: 'HTTPS' } }, target, 2), { result: 'success', output: 'secure' }, 'an untrusted certificate for another name is accepted');
  t.equal((await runHandler(rt, { httpGet: { port: httpPort, scheme: 'HTTPS' } }, target, 1)).result, 'failure', 'a failed handshake is a failure');
});

t.test('tcpSocket: open port succeeds, closed port fails', async (t) => {
  t.same(await runHandler(rt, { tcpSocket: { port: httpPort } }, target, 1), { result: 'success', output: '' });
  const closed = createTcpServer();
  const port = await listen(closed);
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  t.same(await runHandler(rt, { tcpSocket: { port } }, target, 1), { result: 'failure', output: `dial tcp 127.0.0.1:${port}: connect: connection refused` });
  t.match(await runHandler(rt, { tcpSocket: { port: 'nope' } }, target, 1), { result: 'unknown' }, 'an unknown port name is an error of the probe');
});

t.test('exec: exit 0 succeeds, other codes fail with the output, a timeout fails', async (t) => {
  const config = { metadata: { name: 'p', uid: 'u', namespace: 'n' } };
  const sandbox = await rt.runPodSandbox(config);
  const id = await rt.createContainer(sandbox, { metadata: { name: 'c' }, image: { image }, command: ['sleep', 'infinity'] }, config);
  await rt.startContainer(id);
  const execTarget = { ...target, containerId: id };
  let timeoutSeen = -1;
  rt.onExec((_id, cmd) => {
    if (cmd[0] === 'check') return { stdout: Buffer.from('not yet\n'), stderr: Buffer.from('oops'), exitCode: 2 };
    return undefined;
  });
  t.match(await runHandler(rt, { exec: { command: ['true'] } }, execTarget, 1), { result: 'success', exitCode: 0 });
  t.same(await runHandler(rt, { exec: { command: ['check'] } }, execTarget, 1), { result: 'failure', output: 'not yet\noops', exitCode: 2 });
  const execSync = rt.execSync.bind(rt);
  rt.execSync = async (cid, cmd, timeout, opts) => {
    timeoutSeen = timeout;
    if (cmd[0] === 'hang') {
      throw new CriError('deadline', 'ExecSync', 'deadline exceeded');
    }
    return execSync(cid, cmd, timeout, opts);
  };
  t.same(await runHandler(rt, { exec: { command: ['hang', 'on'] } }, execTarget, 3), { result: 'failure', output: 'command "hang on" timed out' });
  t.equal(timeoutSeen, 3, 'timeoutSeconds goes to ExecSync');
  t.match(await runHandler(rt, { exec: { command: ['true'] } }, { ...execTarget, containerId: 'gone' }, 1), { result: 'unknown' }, 'a runtime error is not a probe failure');
});
