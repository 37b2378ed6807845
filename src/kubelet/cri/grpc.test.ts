import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server, ServerCredentials, status, type sendUnaryData, type ServerUnaryCall, type UntypedServiceImplementation } from '@grpc/grpc-js';
import t, { type Test } from 'tap';
import { connectCri, grpcTarget } from './grpc.js';
import { criMethods, type Wire } from './proto.js';

// The gRPC client against a scripted CRI server on a unix socket: decoding
// (int64 nanoseconds exact, absent fields defaulted), deadlines, cancellation
// and the translation of gRPC statuses. The conformance suite covers the
// rest on containerd itself (test/integration/cri).

interface Failure {
  code: status;
  details: string;
}
type Handler = (request: Wire) => Wire | Failure | 'hang';
const isFailure = (a: Wire | Failure): a is Failure => typeof a.code === 'number' && typeof a.details === 'string';

async function serve(t: Test, handlers: Record<string, Handler>): Promise<{ socket: string; requests: Map<string, Wire> }> {
  const dir = mkdtempSync(join(tmpdir(), 'tsk8s-cri-grpc-'));
  const socket = join(dir, 'cri.sock');
  const requests = new Map<string, Wire>();
  const server = new Server();
  const methods = criMethods();
  for (const service of ['RuntimeService', 'ImageService'] as const) {
    const impl: UntypedServiceImplementation = {};
    for (const name of Object.keys(methods[service])) {
      impl[name] = (call: ServerUnaryCall<Wire, Wire>, callback: sendUnaryData<Wire>) => {
        requests.set(name, call.request);
        const handler = handlers[name];
        if (!handler) return callback({ code: status.UNIMPLEMENTED, details: `${name} not scripted` });
        const answer = handler(call.request);
        if (answer === 'hang') return;
        if (isFailure(answer)) return callback(answer);
        callback(null, answer);
      };
    }
    server.addService(methods[service], impl);
  }
  await new Promise<void>((resolve, reject) => server.bindAsync(`unix://${socket}`, ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve())));
  t.teardown(() => {
    server.forceShutdown();
    rmSync(dir, { recursive: true, force: true });
  });
  return { socket, requests };
}

t.test('endpoints: unix sockets only', async (t) => {
  t.equal(grpcTarget('unix:///run/c.sock'), 'unix:///run/c.sock');
  t.equal(grpcTarget('/run/c.sock'), 'unix:///run/c.sock');
  t.throws(() => grpcTarget('localhost:1234'), /not a unix socket/);
});

t.test('decoding: int64 nanoseconds stay exact, absent fields get defaults', async (t) => {
  const createdAt = '1700000000123456789';
  const { socket, requests } = await serve(t, {
    ContainerStatus: () => ({
      status: { id: 'c1', state: 'CONTAINER_EXITED', createdAt, startedAt: createdAt, finishedAt: '1700000001999999999', exitCode: 137, reason: 'Error' },
    }),
    RunPodSandbox: () => ({ podSandboxId: 's1' }),
    ListPodSandbox: () => ({ items: [{ id: 's1', state: 'SANDBOX_READY', createdAt, metadata: { name: 'p', uid: 'u', namespace: 'n', attempt: 2 } }] }),
  });
  const rt = connectCri({ endpoint: socket });
  t.teardown(() => rt.close());
  const s = await rt.containerStatus('c1');
  t.equal(s.createdAt, 1700000000123456789n, 'bigint, not a rounded double');
  t.equal(s.finishedAt, 1700000001999999999n);
  t.match(s, { id: 'c1', state: 'CONTAINER_EXITED', exitCode: 137, reason: 'Error', message: '', labels: {}, mounts: [], resources: undefined });
  t.same(await rt.listPodSandbox({ state: 'SANDBOX_READY', labelSelector: { a: 'b' } }), [
    { id: 's1', metadata: { name: 'p', uid: 'u', namespace: 'n', attempt: 2 }, state: 'SANDBOX_READY', createdAt: 1700000000123456789n, labels: {}, annotations: {}, runtimeHandler: '' },
  ]);
  t.match(requests.get('ListPodSandbox'), { filter: { state: { state: 'SANDBOX_READY' }, labelSelector: { a: 'b' } } }, 'state filter wrapped as the wire wants');
  await rt.runPodSandbox({
    metadata: { name: 'p', uid: 'u', namespace: 'n' },
    linux: { securityContext: { runAsUser: 1000, namespaceOptions: { network: 'NODE' } } },
  });
  t.match(
    requests.get('RunPodSandbox'),
    { config: { metadata: { name: 'p' }, linux: { securityContext: { runAsUser: { value: '1000' }, runAsGroup: null, namespaceOptions: { network: 'NODE' } } } } },
    'run_as_user sent as an Int64Value, unset run_as_group absent',
  );
});

t.test('gRPC statuses become CriError codes', async (t) => {
  const { socket } = await serve(t, {
    ContainerStatus: () => ({ code: status.NOT_FOUND, details: 'an error occurred when try to find container "x": not found' }),
    RunPodSandbox: () => ({ code: status.UNKNOWN, details: 'failed to reserve sandbox name "p_n_u_0": name "p_n_u_0" is reserved for "abc"' }),
    StartContainer: () => ({ code: status.UNKNOWN, details: 'container is in CONTAINER_EXITED state' }),
    Status: () => ({ code: status.FAILED_PRECONDITION, details: 'nope' }),
    StopPodSandbox: () => ({ code: status.NOT_FOUND, details: 'not found' }),
    RemoveContainer: () => ({ code: status.NOT_FOUND, details: 'not found' }),
    RemoveImage: () => ({ code: status.NOT_FOUND, details: 'not found' }),
    StopContainer: () => ({ code: status.INTERNAL, details: 'boom' }),
  });
  const rt = connectCri({ endpoint: `unix://${socket}` });
  t.teardown(() => rt.close());
  await t.rejects(rt.containerStatus('x'), { name: 'CriError', code: 'not-found', method: 'ContainerStatus', message: 'ContainerStatus: an error occurred when try to find container "x": not found' });
  await t.rejects(rt.runPodSandbox({ metadata: { name: 'p', uid: 'u', namespace: 'n' } }), { code: 'already-exists' }, "containerd's name clash");
  await t.rejects(rt.startContainer('x'), { code: 'runtime' });
  await t.rejects(rt.status(), { code: 'failed-precondition' });
  await rt.stopPodSandbox('gone');
  await rt.removeContainer('gone');
  await rt.removeImage('gone');
  t.pass('not-found of stops and removals resolves');
  await t.rejects(rt.stopContainer('x', 0), { code: 'runtime', message: 'StopContainer: boom' }, 'other failures still reject');
});

t.test('deadlines, cancellation, unreachable runtime, close', async (t) => {
  const { socket, requests } = await serve(t, { Version: () => 'hang', ExecSync: () => 'hang', ListImages: () => ({ images: [] }) });
  const rt = connectCri({ endpoint: socket, timeoutMs: 150 });
  const started = Date.now();
  await t.rejects(rt.version(), { code: 'deadline', method: 'Version' });
  t.ok(Date.now() - started < 2000, 'the default deadline applies');
  await t.rejects(rt.version({ timeoutMs: 50 }), { code: 'deadline' }, 'per-call deadline');
  const execStart = Date.now();
  await t.rejects(rt.execSync('c', ['sleep', '1'], 1), { code: 'deadline' });
  t.ok(Date.now() - execStart >= 1000, "an exec's own timeout extends its deadline");
  t.match(requests.get('ExecSync'), { containerId: 'c', cmd: ['sleep', '1'], timeout: '1' });
  const ac = new AbortController();
  const pending = rt.execSync('c', ['cat'], 0, { signal: ac.signal });
  setTimeout(() => ac.abort(), 50);
  await t.rejects(pending, { code: 'cancelled' }, 'aborting the signal cancels the call');
  t.same(await rt.listImages(), [], 'the connection still works');
  await rt.close();
  await rt.close();
  await t.rejects(rt.listImages(), { code: 'unavailable' }, 'calls after close');

  const missing = connectCri({ endpoint: join(tmpdir(), 'tsk8s-no-such-cri.sock') });
  t.teardown(() => missing.close());
  await t.rejects(missing.version(), { code: 'unavailable' }, 'no socket: unavailable at once');
});
