// Conformance: container create, start, exec, stop, remove; exits of their
// own; list filters; what sandbox stop and removal do to containers.
import type { Test } from 'tap';
import { scenario, type OpenRuntime } from './harness.js';

const longRunning = ['sleep', '3600'];
const running = (s: { state: string }): boolean => s.state === 'CONTAINER_RUNNING';
const exited = (s: { state: string }): boolean => s.state === 'CONTAINER_EXITED';

export function containerSuite(t: Test, open: OpenRuntime): void {
  scenario(t, 'container: create, start, exec, stop, remove', open, async ({ t, rt, runSandbox, containerConfig, waitFor }) => {
    const { id: sandbox, config: sandboxConfig } = await runSandbox('container-life');
    const config = containerConfig('main', longRunning, { role: 'main' });
    const id = await rt.createContainer(sandbox, config, sandboxConfig);
    t.match(id, /^[0-9a-f]{64}$/, 'a 64-hex id');
    const created = await rt.containerStatus(id);
    t.match(created, { id, state: 'CONTAINER_CREATED', metadata: { name: 'main' }, labels: { role: 'main' }, startedAt: 0n, finishedAt: 0n });
    t.ok(created.createdAt > 0n, 'createdAt set');
    t.match(created.imageRef, /sha256:[0-9a-f]{64}$/, 'imageRef is a digest reference');
    if (sandboxConfig.logDirectory) t.equal(created.logPath, `${sandboxConfig.logDirectory}/main.log`, 'log path under the log directory');

    await rt.startContainer(id);
    const started = await waitFor(id, running);
    t.ok(started.startedAt >= started.createdAt, 'startedAt after createdAt');
    t.equal(started.finishedAt, 0n, 'not finished');
    await t.rejects(rt.startContainer(id), { code: 'runtime', method: 'StartContainer' }, 'starting twice fails');

    const hi = await rt.execSync(id, ['echo', 'hi'], 10);
    t.same({ stdout: hi.stdout.toString(), stderr: hi.stderr.toString(), exitCode: hi.exitCode }, { stdout: 'hi\n', stderr: '', exitCode: 0 }, 'echo hi');
    t.equal((await rt.execSync(id, ['sh', '-c', 'exit 3'], 10)).exitCode, 3, "sh -c 'exit 3'");
    t.match(await rt.exec({ containerId: id, cmd: ['sh'], stdin: true, stdout: true }), /^https?:\/\//, 'exec answers a URL');
    t.match(await rt.attach({ containerId: id, stdout: true }), /^https?:\/\//, 'attach answers a URL');
    t.match(await rt.portForward(sandbox, [80]), /^https?:\/\//, 'port-forward answers a URL');
    const stats = await rt.containerStats(id);
    t.equal(stats.attributes.id, id, 'stats name the container');
    t.ok((await rt.listContainerStats({ podSandboxId: sandbox })).some((s) => s.attributes.id === id), 'listed in the sandbox stats');

    await rt.stopContainer(id, 0);
    const stopped = await rt.containerStatus(id);
    t.match(stopped, { state: 'CONTAINER_EXITED', exitCode: 137, reason: 'Error' }, 'killed at once by a 0 s stop');
    t.ok(stopped.finishedAt >= stopped.startedAt, 'finishedAt after startedAt');
    await rt.stopContainer(id, 0);
    t.pass('stopping again resolves');
    await t.rejects(rt.execSync(id, ['true'], 5), { code: 'runtime' }, 'no exec in an exited container');

    await rt.removeContainer(id);
    await t.rejects(rt.containerStatus(id), { code: 'not-found' }, 'gone after removal');
    t.same(await rt.listContainers({ id }), [], 'not listed');
    await rt.removeContainer(id);
    t.pass('removing again resolves');
  });

  scenario(t, 'container: one that exits by itself reports its exit code and reason', open, async ({ t, rt, runSandbox, containerConfig, waitFor }) => {
    const { id: sandbox, config: sandboxConfig } = await runSandbox('container-exits');
    const failing = await rt.createContainer(sandbox, containerConfig('failing', ['sh', '-c', 'exit 7']), sandboxConfig);
    const succeeding = await rt.createContainer(sandbox, containerConfig('succeeding', ['true']), sandboxConfig);
    await rt.startContainer(failing);
    await rt.startContainer(succeeding);
    t.match(await waitFor(failing, exited), { state: 'CONTAINER_EXITED', exitCode: 7, reason: 'Error' });
    const done = await waitFor(succeeding, exited);
    t.match(done, { state: 'CONTAINER_EXITED', exitCode: 0, reason: 'Completed' });
    // A program this short can be reaped before containerd records its start:
    // finishedAt may then precede startedAt by a little, so only order against creation.
    t.ok(done.startedAt >= done.createdAt && done.finishedAt >= done.createdAt, 'started and finished after creation', {
      createdAt: String(done.createdAt),
      startedAt: String(done.startedAt),
      finishedAt: String(done.finishedAt),
    });
    t.same((await rt.listContainers({ podSandboxId: sandbox, state: 'CONTAINER_EXITED' })).map((c) => c.id).sort(), [failing, succeeding].sort());
  });

  scenario(t, 'listContainers filters by sandbox, labels, state and id', open, async ({ t, rt, runSandbox, containerConfig, waitFor }) => {
    const one = await runSandbox('filters-one');
    const two = await runSandbox('filters-two');
    const a = await rt.createContainer(one.id, containerConfig('a', longRunning, { app: 'a', tier: 'x' }), one.config);
    const b = await rt.createContainer(one.id, containerConfig('b', longRunning, { app: 'b' }), one.config);
    const c = await rt.createContainer(two.id, containerConfig('c', longRunning, { app: 'a' }), two.config);
    await rt.startContainer(a);
    await waitFor(a, running);
    const ids = async (filter: Parameters<typeof rt.listContainers>[0]): Promise<string[]> => (await rt.listContainers(filter)).map((x) => x.id).sort();
    t.same(await ids({ podSandboxId: one.id }), [a, b].sort(), 'by sandbox');
    t.same(await ids({ labelSelector: { app: 'a' } }), [a, c].sort(), 'by label');
    t.same(await ids({ labelSelector: { app: 'a', tier: 'x' } }), [a], 'by two labels');
    t.same(await ids({ podSandboxId: one.id, labelSelector: { app: 'a' } }), [a], 'by sandbox and label');
    t.same(await ids({ podSandboxId: one.id, state: 'CONTAINER_RUNNING' }), [a], 'by state');
    t.same(await ids({ id: c }), [c], 'by id');
    const listed = (await rt.listContainers({ id: a }))[0];
    t.match(listed, { id: a, podSandboxId: one.id, state: 'CONTAINER_RUNNING', metadata: { name: 'a' }, labels: { app: 'a', tier: 'x' } });
  });

  scenario(t, 'sandbox stop kills its containers; removal removes them', open, async ({ t, rt, runSandbox, containerConfig, waitFor }) => {
    const { id: sandbox, config } = await runSandbox('sandbox-kills');
    const id = await rt.createContainer(sandbox, containerConfig('main', longRunning), config);
    await rt.startContainer(id);
    await waitFor(id, running);
    await rt.stopPodSandbox(sandbox);
    t.match(await rt.containerStatus(id), { state: 'CONTAINER_EXITED', exitCode: 137 }, 'killed with the sandbox');
    // containerd answers not-found (the sandbox's task is gone); callers should not rely on the code.
    await t.rejects(rt.createContainer(sandbox, containerConfig('late', longRunning), config), { name: 'CriError' }, 'no new containers in a stopped sandbox');
    await rt.removePodSandbox(sandbox);
    await t.rejects(rt.containerStatus(id), { code: 'not-found' }, 'removed with the sandbox');
  });
}
