// Pulls from a real registry: Debian's docker-registry on the node's own
// loopback (inside the node's network namespace), reached over plain http
// through a registries.yaml mirror. An open registry serves a pod with
// imagePullPolicy Always; a registry with basic auth refuses a pod without
// credentials (ErrImagePull, then ImagePullBackOff) and serves one with a
// dockerconfigjson pull secret; a second node gets the credentials from
// registries.yaml `configs` instead. Needs root, runtime/, docker-registry
// and skopeo (scripts/install-test-deps.sh).
import t, { type Test } from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeSkipReason, startNode, type TestNode } from '../helpers/node.js';
import { registrySkipReason, startRegistry, type RegistryAuth } from '../helpers/registry.js';

const skip = nodeSkipReason() ?? registrySkipReason();
t.setTimeout(600_000);

const port = 5000;
const host = `127.0.0.1:${port}`;
const image = `${host}/test/busybox:pulled`;
const auth: RegistryAuth = { username: 'puller', password: 's3cret-pw' };

function registriesYaml(withAuth: boolean): string {
  const configs = withAuth ? `configs:\n  "${host}":\n    auth:\n      username: ${auth.username}\n      password: ${auth.password}\n` : '';
  return `mirrors:\n  "${host}":\n    endpoint:\n      - "http://${host}"\n${configs}`;
}

const podYaml = (name: string, extra = ''): string => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  nodeName: node-a
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: ${image}
    imagePullPolicy: Always
    command: ["sh", "-c", "echo pulled ${name}; trap 'exit 0' TERM; sleep 3600 & wait"]
${extra}`;

async function nodeWithRegistries(t: Test, withAuth: boolean): Promise<TestNode> {
  const dir = mkdtempSync(join(tmpdir(), 'tsk8s-registries-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'registries.yaml');
  writeFileSync(file, registriesYaml(withAuth));
  return startNode({ args: ['--private-registry', file], teardown: (fn) => t.teardown(fn) });
}

async function waitReady(node: TestNode, pod: string): Promise<void> {
  const r = await node.kubectl(['wait', '--for=condition=Ready', `pod/${pod}`, '--timeout=90s']);
  if (r.code === 0) return;
  const describe = await node.kubectl(['describe', `pod/${pod}`]);
  throw new Error(`pod/${pod} not Ready: ${r.stderr}\n${describe.stdout}\n--- server:\n${node.output().split('\n').slice(-40).join('\n')}`);
}

async function events(node: TestNode, pod: string): Promise<string> {
  return node.ok(['get', 'events', '--field-selector', `involvedObject.name=${pod}`, '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}']);
}

/** Polls the container's waiting reason until it is one of `reasons`; returns it with its message. */
async function waitingReason(node: TestNode, pod: string, reasons: string[]): Promise<{ reason: string; message: string }> {
  let last = '';
  for (let i = 0; i < 300; i++) {
    last = await node.ok(['get', 'pod', pod, '-o', 'jsonpath={.status.containerStatuses[0].state.waiting.reason}|{.status.containerStatuses[0].state.waiting.message}']);
    const [reason = '', message = ''] = last.split('|');
    if (reasons.includes(reason)) return { reason, message };
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`pod/${pod} never waited with ${reasons.join(' or ')}; last: ${last}\n${await events(node, pod)}`);
}

if (skip) {
  t.plan(0, skip);
} else {
  await t.test('an open registry: imagePullPolicy Always pulls through the mirror and the pod runs', async (t) => {
    const node = await nodeWithRegistries(t, false);
    const registry = await startRegistry(node.netns, { port });
    t.teardown(() => registry.stop());
    await registry.pushBusybox('test/busybox:pulled');
    await node.ok(['apply', '-f', '-'], { input: podYaml('open') });
    await waitReady(node, 'open');
    const ev = await events(node, 'open');
    t.match(ev, new RegExp(`^Pulling: Pulling image "${image.replaceAll('.', '\\.')}"$`, 'm'));
    t.match(ev, /^Pulled: Successfully pulled image "\S+" in \S+ \(\S+ including waiting\)\. Image size: \d+ bytes\.$/m);
    t.match(await node.ok(['logs', 'open']), /pulled open/);
    t.match(await node.ok(['get', 'pod', 'open', '-o', 'jsonpath={.status.containerStatuses[0].imageID}']), /sha256:[0-9a-f]{64}$/);
  });

  await t.test('a registry with auth: no secret fails to pull, a dockerconfigjson pull secret works', async (t) => {
    const node = await nodeWithRegistries(t, false);
    const registry = await startRegistry(node.netns, { port, auth });
    t.teardown(() => registry.stop());
    await registry.pushBusybox('test/busybox:pulled');

    await node.ok(['apply', '-f', '-'], { input: podYaml('nosecret') });
    const failed = await waitingReason(node, 'nosecret', ['ErrImagePull', 'ImagePullBackOff']);
    t.ok(failed.reason === 'ErrImagePull' || failed.message === `Back-off pulling image "${image}"`, failed.message);
    const backoff = await waitingReason(node, 'nosecret', ['ImagePullBackOff']);
    t.equal(backoff.message, `Back-off pulling image "${image}"`);
    const ev = await events(node, 'nosecret');
    t.match(ev, new RegExp(`^Failed: Failed to pull image "${image.replaceAll('.', '\\.')}": .*(401 Unauthorized|unauthorized|authorization failed)`, 'mi'));
    t.match(ev, /^Failed: Error: ErrImagePull$/m);
    t.match(ev, new RegExp(`^BackOff: Back-off pulling image "${image.replaceAll('.', '\\.')}"$`, 'm'));

    await node.ok(['create', 'secret', 'docker-registry', 'regcred', `--docker-server=${host}`, `--docker-username=${auth.username}`, `--docker-password=${auth.password}`]);
    await node.ok(['apply', '-f', '-'], { input: podYaml('withsecret', '  imagePullSecrets:\n  - name: regcred\n') });
    await waitReady(node, 'withsecret');
    t.match(await node.ok(['logs', 'withsecret']), /pulled withsecret/);
  });

  await t.test('registries.yaml configs auth: a pod without pull secrets pulls from the auth registry', async (t) => {
    const node = await nodeWithRegistries(t, true);
    const registry = await startRegistry(node.netns, { port, auth });
    t.teardown(() => registry.stop());
    await registry.pushBusybox('test/busybox:pulled');
    await node.ok(['apply', '-f', '-'], { input: podYaml('configauth') });
    await waitReady(node, 'configauth');
    t.match(await node.ok(['logs', 'configauth']), /pulled configauth/);
  });
}
