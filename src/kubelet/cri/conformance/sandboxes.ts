// Conformance: sandbox run, status, list, stop, remove, name clashes.
import type { Test } from 'tap';
import { namespace, scenario, type OpenRuntime } from './harness.js';

export function sandboxSuite(t: Test, open: OpenRuntime): void {
  scenario(t, 'sandbox: run, status, list, stop, remove', open, async ({ t, rt, runSandbox }) => {
    const { id, config } = await runSandbox('sandbox-life', { app: 'life' });
    t.match(id, /^[0-9a-f]{64}$/, 'a 64-hex id');
    const status = await rt.podSandboxStatus(id);
    t.match(status, { id, state: 'SANDBOX_READY', metadata: config.metadata, labels: { app: 'life' } });
    t.ok(status.createdAt > 1_600_000_000_000_000_000n, 'createdAt in nanoseconds');
    t.same(status.annotations, config.annotations, 'annotations kept');

    t.same((await rt.listPodSandbox({ id })).map((s) => s.id), [id], 'filtered by id');
    t.same((await rt.listPodSandbox({ labelSelector: { app: 'life' } })).map((s) => s.id), [id], 'filtered by label');
    t.ok((await rt.listPodSandbox({ state: 'SANDBOX_READY' })).some((s) => s.id === id), 'filtered by state');
    t.same(await rt.listPodSandbox({ labelSelector: { app: 'life', other: 'x' } }), [], 'every selector pair must match');

    await rt.stopPodSandbox(id);
    t.equal((await rt.podSandboxStatus(id)).state, 'SANDBOX_NOTREADY', 'not ready once stopped');
    t.same((await rt.listPodSandbox({ id, state: 'SANDBOX_READY' })).length, 0, 'no longer listed as ready');
    await rt.stopPodSandbox(id);
    t.pass('stopping again resolves');

    await rt.removePodSandbox(id);
    await t.rejects(rt.podSandboxStatus(id), { code: 'not-found' }, 'gone after removal');
    t.same(await rt.listPodSandbox({ id }), [], 'not listed after removal');
    await rt.removePodSandbox(id);
    t.pass('removing again resolves');
  });

  scenario(t, 'sandbox: a second sandbox with the same name and attempt is refused', open, async ({ t, rt, runSandbox }) => {
    const { config } = await runSandbox('sandbox-clash');
    await t.rejects(rt.runPodSandbox(config), { code: 'already-exists', method: 'RunPodSandbox' });
    t.equal((await rt.listPodSandbox({ labelSelector: { 'cri-conformance': 'yes' } })).filter((s) => s.metadata.uid === config.metadata.uid).length, 1);
  });

  scenario(t, 'unknown ids: not-found for reads and starts, stops and removals resolve', open, async ({ t, rt, subject, runSandbox, containerConfig }) => {
    const unknown = 'f'.repeat(64);
    await t.rejects(rt.podSandboxStatus(unknown), { code: 'not-found', method: 'PodSandboxStatus' });
    await t.rejects(rt.containerStatus(unknown), { code: 'not-found', method: 'ContainerStatus' });
    await t.rejects(rt.startContainer(unknown), { code: 'not-found', method: 'StartContainer' });
    await t.rejects(rt.execSync(unknown, ['true'], 5), { code: 'not-found', method: 'ExecSync' });
    await t.rejects(rt.containerStats(unknown), { code: 'not-found', method: 'ContainerStats' });
    const sandboxConfig = subject.sandboxConfig({ metadata: { name: 'nowhere', uid: 'nowhere', namespace, attempt: 0 } });
    await t.rejects(rt.createContainer(unknown, containerConfig('c', ['true']), sandboxConfig), { code: 'not-found', method: 'CreateContainer' });
    await rt.stopPodSandbox(unknown);
    await rt.removePodSandbox(unknown);
    await rt.stopContainer(unknown, 0);
    await rt.removeContainer(unknown);
    t.pass('stop and remove of unknown ids resolve');

    const { id, config } = await runSandbox('unknown-image');
    const missingImage = { ...containerConfig('c', ['true']), image: { image: 'localhost/cri-conformance/never-imported:1' } };
    await t.rejects(rt.createContainer(id, missingImage, config), { code: 'not-found', method: 'CreateContainer' }, 'an absent image');
  });
}
