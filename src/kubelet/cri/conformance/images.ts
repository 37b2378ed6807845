// Conformance: version, status and the image service.
import type { Test } from 'tap';
import { scenario, type OpenRuntime } from './harness.js';

export function imageSuite(t: Test, open: OpenRuntime): void {
  scenario(t, 'version and status: CRI v1, runtime ready; close', open, async ({ t, rt }) => {
    const v = await rt.version();
    t.equal(v.runtimeApiVersion, 'v1');
    t.ok(v.runtimeName, 'names the runtime');
    t.ok(v.runtimeVersion, 'gives its version');
    const status = await rt.status();
    t.match(status.conditions.find((c) => c.type === 'RuntimeReady'), { status: true }, 'RuntimeReady is true');
    t.ok(status.conditions.some((c) => c.type === 'NetworkReady'), 'reports NetworkReady');
    await rt.close();
    await t.rejects(rt.version(), { code: 'unavailable', method: 'Version' }, 'calls after close');
    await rt.close();
    t.pass('closing again resolves');
  });

  scenario(t, 'a present image is listed, has a status and can be found by id', open, async ({ t, rt, subject }) => {
    const status = await rt.imageStatus(subject.image);
    if (!status) return void t.fail(`${subject.image} is not present`);
    t.match(status.id, /^sha256:[0-9a-f]{64}$/, 'the id is a digest');
    t.ok(status.size > 0, 'has a size');
    t.ok(status.repoTags.some((tag) => tag.endsWith(subject.image.replace(/^.*\//, ''))), 'tagged with its name');
    t.ok((await rt.listImages()).some((i) => i.id === status.id), 'listed');
    t.equal((await rt.listImages()).filter((i) => i.id === status.id).length, 1, 'listed once, with all its tags');
    t.equal((await rt.imageStatus(status.id))?.id, status.id, 'found by id');
    t.equal(await rt.imageStatus('localhost/cri-conformance/never-imported:1'), undefined, 'an absent image has no status');
    const fs = await rt.imageFsInfo();
    t.ok(fs.imageFilesystems.length > 0 && fs.imageFilesystems[0]?.mountpoint, 'image filesystem reported');
  });

  scenario(t, 'pull, status, remove', open, async ({ t, rt, subject }) => {
    const { pullable } = subject;
    if (!pullable) return void t.plan(0, 'no pullable image for this runtime');
    t.equal(await rt.imageStatus(pullable), undefined, 'absent before the pull');
    const ref = await rt.pullImage(pullable);
    t.match(ref, /sha256:[0-9a-f]{64}$/, 'the pull answers a digest reference');
    const status = await rt.imageStatus(pullable);
    t.ok(status, 'present after the pull');
    t.ok((await rt.listImages()).some((i) => i.id === status?.id), 'listed after the pull');
    await rt.removeImage(pullable);
    t.equal(await rt.imageStatus(pullable), undefined, 'absent after removal');
    await rt.removeImage(pullable);
    t.pass('removing it again resolves');
  });

  scenario(t, 'a pull of a missing image fails with not-found', open, async ({ t, rt, subject }) => {
    if (!subject.missing) return void t.plan(0, 'no missing image name for this runtime');
    await t.rejects(rt.pullImage(subject.missing), { name: 'CriError', code: 'not-found', method: 'PullImage' });
  });
}
