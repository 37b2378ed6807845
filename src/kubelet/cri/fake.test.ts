import t from 'tap';
import { runtimeConformance } from './conformance.js';
import { FakeRuntime } from './fake.js';

const image = 'localhost/cri-conformance/busybox:1';
const pullable = 'localhost/cri-conformance/pullable:1';

void runtimeConformance(t, 'fake runtime', async () => ({
  runtime: new FakeRuntime({ images: [image], registry: [pullable] }),
  image,
  pullable,
  missing: 'localhost/cri-conformance/missing:1',
  sandboxConfig: (config) => ({ ...config, logDirectory: '/var/log/pods/fake' }),
  cleanup: async () => {},
}));

// The hooks kubelet tests steer the fake with.
async function podWith(rt: FakeRuntime, argv: string[]): Promise<{ sandbox: string; id: string }> {
  const config = { metadata: { name: 'p', uid: `u${rt.calls.length}`, namespace: 'n' } };
  const sandbox = await rt.runPodSandbox(config);
  const id = await rt.createContainer(sandbox, { metadata: { name: 'c' }, image: { image }, command: argv }, config);
  await rt.startContainer(id);
  return { sandbox, id };
}

t.test('exitContainer ends a running container with the given code and reason', async (t) => {
  const rt = new FakeRuntime({ images: [image] });
  const { id } = await podWith(rt, ['sleep', 'infinity']);
  rt.advance(60_000);
  t.equal((await rt.containerStatus(id)).state, 'CONTAINER_RUNNING', 'sleep infinity runs on');
  rt.exitContainer(id, 137, 'OOMKilled', 'out of memory');
  t.match(await rt.containerStatus(id), { state: 'CONTAINER_EXITED', exitCode: 137, reason: 'OOMKilled', message: 'out of memory' });
  t.throws(() => rt.exitContainer('nope', 1), /no container nope/);
});

t.test('advance: `sleep N` programs exit after N seconds of fake time, at that time', async (t) => {
  const rt = new FakeRuntime({ images: [image] });
  const { id } = await podWith(rt, ['sh', '-c', 'sleep 10; exit 4']);
  const started = (await rt.containerStatus(id)).startedAt;
  rt.advance(9_999);
  t.equal((await rt.containerStatus(id)).state, 'CONTAINER_RUNNING');
  rt.advance(1);
  t.match(await rt.containerStatus(id), { state: 'CONTAINER_EXITED', exitCode: 4, reason: 'Error', finishedAt: started + 10_000_000_000n });
  const plain = await podWith(rt, ['sleep', '5']);
  rt.advance(5_000);
  t.match(await rt.containerStatus(plain.id), { state: 'CONTAINER_EXITED', exitCode: 0, reason: 'Completed' });
});

t.test('graceful stop exits 143, a 0 s stop 137', async (t) => {
  const rt = new FakeRuntime({ images: [image] });
  const a = await podWith(rt, ['httpd', '-f']);
  const b = await podWith(rt, ['httpd', '-f']);
  await rt.stopContainer(a.id, 30);
  await rt.stopContainer(b.id, 0);
  t.equal((await rt.containerStatus(a.id)).exitCode, 143);
  t.equal((await rt.containerStatus(b.id)).exitCode, 137);
});

t.test('failNextPull and failNext fail one call, then calls work again', async (t) => {
  const rt = new FakeRuntime({ images: [image], registry: [pullable] });
  rt.failNextPull();
  await t.rejects(rt.pullImage(pullable), { code: 'runtime', method: 'PullImage' });
  t.match(await rt.pullImage(pullable), /^sha256:/);
  rt.failNext('StartContainer', 'deadline');
  const config = { metadata: { name: 'p', uid: 'u', namespace: 'n' } };
  const sandbox = await rt.runPodSandbox(config);
  const id = await rt.createContainer(sandbox, { metadata: { name: 'c' }, image: { image } }, config);
  await t.rejects(rt.startContainer(id), { code: 'deadline' });
  await rt.startContainer(id);
  t.equal((await rt.containerStatus(id)).state, 'CONTAINER_RUNNING');
});

t.test('setUnavailable, cancelled calls, onExec and the call log', async (t) => {
  const rt = new FakeRuntime({ images: [image] });
  const { id } = await podWith(rt, ['sleep', 'infinity']);
  rt.onExec((_id, cmd) => (cmd[0] === 'probe' ? { stdout: Buffer.from('ok'), stderr: Buffer.alloc(0), exitCode: 1 } : undefined));
  t.match(await rt.execSync(id, ['probe'], 1), { exitCode: 1 });
  t.equal((await rt.execSync(id, ['echo', 'a', 'b'], 1)).stdout.toString(), 'a b\n', 'unhandled commands fall back to the built-ins');
  rt.setUnavailable(true);
  await t.rejects(rt.version(), { code: 'unavailable' });
  rt.setUnavailable(false);
  await t.rejects(rt.version({ signal: AbortSignal.abort() }), { code: 'cancelled' });
  t.same(rt.calls.slice(0, 3), ['RunPodSandbox', `CreateContainer ${rt.calls[1]?.split(' ')[1]}`, `StartContainer ${id}`]);
  t.equal(rt.calls.filter((c) => c.startsWith('ExecSync')).length, 2);
});
