// Volumes, init containers and dropped-in images on a real node, each
// checked through what the container itself prints: configMap and secret
// volumes and env (and a volume following an update), a memory-backed
// emptyDir as a tmpfs of its sizeLimit, an emptyDir two containers share,
// init containers one after the other, and an image tarball dropped into
// <data-dir>/agent/images while the server runs becoming runnable with
// imagePullPolicy Never. Also the node's pressure conditions as computed
// from the machine. Needs root, runtime/ and runtime/images (CI has all three).
import t from 'tap';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tsk8sBin } from '../helpers/bin.js';
import { nodeSkipReason, startNode, type TestNode } from '../helpers/node.js';

const skip = nodeSkipReason();
// A whole node starts, runs pods and stops here: more than the default two minutes on a busy machine.
t.setTimeout(600_000);
if (skip) {
  t.plan(0, skip);
} else {
  let node: TestNode;
  t.before(async () => {
    node = await startNode({ teardown: (fn) => t.teardown(fn) });
    await node.ok(['wait', '--for=condition=Ready', 'node/node-a', '--timeout=60s']);
  });

  const busybox = 'localhost/tsk8s/busybox:1.35';
  /** Keeps the container alive after `script`, ending at once on SIGTERM. */
  const thenWait = (script: string): string => `${script}; trap 'exit 0' TERM; sleep 3600 & wait`;
  const jsonpath = async (kind: string, name: string, path: string): Promise<string> => node.ok(['get', kind, name, '-o', `jsonpath={${path}}`]);
  const failure = async (what: string, detail: string): Promise<Error> => {
    const describe = await node.kubectl(['describe', 'pod', what]);
    return new Error(`${what}: ${detail}\n${describe.stdout}\n--- server:\n${node.output().split('\n').slice(-40).join('\n')}`);
  };
  /** Polls `read` every half second until `done` holds for its result; fails with the pod's description after `timeoutMs`. */
  const until = async (pod: string, read: () => Promise<string>, done: (out: string) => boolean, timeoutMs = 60_000): Promise<string> => {
    const end = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < end) {
      last = await read().catch((err: unknown) => String(err));
      if (done(last)) return last;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw await failure(pod, `timed out; last read: ${last}`);
  };
  const logs = (pod: string, container?: string) => () => node.ok(['logs', pod, ...(container ? ['-c', container] : [])]);
  const phase = (pod: string) => () => jsonpath('pod', pod, '.status.phase');

  await t.test('on this machine the pressure conditions are False, with upstream reasons and events', async (t) => {
    const out = await node.ok(['get', 'node', 'node-a', '-o', 'jsonpath={range .status.conditions[*]}{.type}={.status}/{.reason}{"\\n"}{end}']);
    t.match(out, /^MemoryPressure=False\/KubeletHasSufficientMemory$/m);
    t.match(out, /^DiskPressure=False\/KubeletHasNoDiskPressure$/m);
    t.match(out, /^PIDPressure=False\/KubeletHasSufficientPID$/m);
    const events = await node.ok(['get', 'events', '--field-selector', 'involvedObject.kind=Node,involvedObject.name=node-a', '-o', 'jsonpath={.items[*].reason}']);
    for (const reason of ['NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID']) t.match(events, reason);
  });

  await t.test('an unknown --kubelet-arg stops the server before it starts, with one line', async (t) => {
    const run = promisify(execFile);
    const err = (await run(tsk8sBin, ['server', '--data-dir', join(node.dir, 'unused'), '--kubelet-arg', 'max-pods=200']).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code?: number; stderr?: string }) => ({ code: e.code, stderr: e.stderr ?? '' }),
    ));
    t.equal(err.code, 1);
    t.equal(err.stderr, 'tsk8s: --kubelet-arg "max-pods" is not a kubelet argument tsk8s supports (supported: eviction-hard, image-gc-high-threshold, image-gc-low-threshold)\n');
  });

  await t.test('--kubelet-arg reaches the kubelet: a memory threshold above the machine makes MemoryPressure True', async (t) => {
    const pressed = await startNode({ name: 'node-pressed', args: ['--kubelet-arg=eviction-hard=memory.available<100Ti', '--kubelet-arg', 'image-gc-high-threshold=90'], teardown: (fn) => t.teardown(fn) });
    const end = Date.now() + 60_000;
    let out = '';
    while (Date.now() < end && !/^MemoryPressure=True/m.test(out)) {
      out = await pressed.ok(['get', 'node', 'node-pressed', '-o', 'jsonpath={range .status.conditions[*]}{.type}={.status}/{.reason}{"\\n"}{end}']).catch(() => '');
      await new Promise((r) => setTimeout(r, 500));
    }
    t.match(out, /^MemoryPressure=True\/KubeletHasInsufficientMemory$/m);
    t.match(out, /^DiskPressure=False\/KubeletHasNoDiskPressure$/m, 'a threshold left out of eviction-hard is not watched');
    t.match(await pressed.ok(['get', 'node', 'node-pressed', '-o', 'jsonpath={.status.allocatable.memory}']), /^0(Ki)?$/, 'allocatable keeps the threshold back');
  });

  await t.test('configMap and secret: volumes and env are visible inside, and the volumes follow updates', async (t) => {
    await node.ok(['create', 'configmap', 'app-config', '--from-literal=greeting=hello', '--from-literal=colour=blue']);
    await node.ok(['create', 'secret', 'generic', 'app-secret', '--from-literal=password=s3cret']);
    const script = thenWait(
      'echo "env greeting=$GREETING password=$PASSWORD colour=$colour"; echo "file greeting=$(cat /etc/config/greeting) password=$(cat /etc/secret/password)"',
    );
    await node.ok(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'config-reader' },
        spec: {
          nodeName: 'node-a',
          terminationGracePeriodSeconds: 2,
          containers: [
            {
              name: 'main',
              image: busybox,
              imagePullPolicy: 'Never',
              command: ['sh', '-c', script],
              env: [
                { name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'greeting' } } },
                { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'app-secret', key: 'password' } } },
              ],
              envFrom: [{ configMapRef: { name: 'app-config' } }],
              volumeMounts: [
                { name: 'config', mountPath: '/etc/config' },
                { name: 'secret', mountPath: '/etc/secret', readOnly: true },
              ],
            },
          ],
          volumes: [
            { name: 'config', configMap: { name: 'app-config' } },
            { name: 'secret', secret: { secretName: 'app-secret' } },
          ],
        },
      }),
    });
    const out = await until('config-reader', logs('config-reader'), (s) => s.includes('file '));
    t.match(out, /^env greeting=hello password=s3cret colour=blue$/m);
    t.match(out, /^file greeting=hello password=s3cret$/m);

    await node.ok(['patch', 'configmap', 'app-config', '-p', JSON.stringify({ data: { greeting: 'updated' } })]);
    await node.ok(['patch', 'secret', 'app-secret', '-p', JSON.stringify({ data: { password: Buffer.from('changed').toString('base64') } })]);
    // The kubelet rewrites these volumes on every sync of the pod (at least once a minute).
    const cat = (path: string) => () => node.ok(['exec', 'config-reader', '--', 'cat', path]);
    t.equal(await until('config-reader', cat('/etc/config/greeting'), (s) => s === 'updated', 150_000), 'updated');
    t.equal(await until('config-reader', cat('/etc/secret/password'), (s) => s === 'changed', 150_000), 'changed');
    t.equal((await node.ok(['exec', 'config-reader', '--', 'sh', '-c', 'echo "$GREETING"'])).trim(), 'hello', 'env is fixed when the container starts');
    await node.ok(['delete', 'pod', 'config-reader', '--timeout=60s']);
  });

  await t.test('emptyDir with medium Memory and sizeLimit 16Mi is a tmpfs of 16Mi inside the container', async (t) => {
    await node.ok(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'memory-dir' },
        spec: {
          nodeName: 'node-a',
          terminationGracePeriodSeconds: 2,
          containers: [
            {
              name: 'main',
              image: busybox,
              imagePullPolicy: 'Never',
              command: ['sh', '-c', thenWait("grep ' /cache ' /proc/mounts; df -k /cache | tail -n 1; echo done")],
              volumeMounts: [{ name: 'cache', mountPath: '/cache' }],
            },
          ],
          volumes: [{ name: 'cache', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } }],
        },
      }),
    });
    const out = await until('memory-dir', logs('memory-dir'), (s) => /^done$/m.test(s));
    t.match(out, /^tmpfs \/cache tmpfs \S*size=16384k/m, 'mounted as a tmpfs of 16384 KiB');
    t.match(out, /^\S+\s+16384\s+\d+\s+\d+\s+\d+%\s+\/cache$/m, 'df shows 16384 1K-blocks');
    await node.ok(['delete', 'pod', 'memory-dir', '--timeout=60s']);
  });

  await t.test('two containers share an emptyDir', async (t) => {
    await node.ok(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'shared-dir' },
        spec: {
          nodeName: 'node-a',
          terminationGracePeriodSeconds: 2,
          containers: [
            {
              name: 'writer',
              image: busybox,
              imagePullPolicy: 'Never',
              command: ['sh', '-c', thenWait('echo "written by $HOSTNAME/writer" > /shared/tmp; mv /shared/tmp /shared/message')],
              volumeMounts: [{ name: 'shared', mountPath: '/shared' }],
            },
            {
              name: 'reader',
              image: busybox,
              imagePullPolicy: 'Never',
              command: ['sh', '-c', thenWait('until [ -f /data/message ]; do sleep 0.2; done; echo "reader sees: $(cat /data/message)"')],
              volumeMounts: [{ name: 'shared', mountPath: '/data' }],
            },
          ],
          volumes: [{ name: 'shared', emptyDir: {} }],
        },
      }),
    });
    const out = await until('shared-dir', logs('shared-dir', 'reader'), (s) => s.includes('reader sees:'));
    t.match(out, /^reader sees: written by shared-dir\/writer$/m);
    await node.ok(['delete', 'pod', 'shared-dir', '--timeout=60s']);
  });

  await t.test('init containers run one after the other, to completion, before the containers', async (t) => {
    // The first init container is the slower one: run at once, the second would write first.
    const init = (name: string, delay: string) => ({
      name,
      image: busybox,
      imagePullPolicy: 'Never',
      command: ['sh', '-c', `sleep ${delay}; echo "${name} $(cat /work/order 2>/dev/null | wc -l)" >> /work/order`],
      volumeMounts: [{ name: 'work', mountPath: '/work' }],
    });
    await node.ok(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'init-order' },
        spec: {
          nodeName: 'node-a',
          terminationGracePeriodSeconds: 2,
          initContainers: [init('first', '2'), init('second', '0')],
          containers: [
            {
              name: 'main',
              image: busybox,
              imagePullPolicy: 'Never',
              command: ['sh', '-c', thenWait('cat /work/order; echo main ran')],
              volumeMounts: [{ name: 'work', mountPath: '/work' }],
            },
          ],
          volumes: [{ name: 'work', emptyDir: {} }],
        },
      }),
    });
    const out = await until('init-order', logs('init-order', 'main'), (s) => s.includes('main ran'));
    t.equal(out, 'first 0\nsecond 1\nmain ran\n');
    t.equal(await jsonpath('pod', 'init-order', '.status.initContainerStatuses[*].state.terminated.reason'), 'Completed Completed');
    t.equal(await jsonpath('pod', 'init-order', '.status.conditions[?(@.type=="Initialized")].status'), 'True');
    await node.ok(['delete', 'pod', 'init-order', '--timeout=60s']);
  });

  await t.test('an image dropped into agent/images while running becomes runnable with imagePullPolicy Never', async (t) => {
    const name = 'localhost/tsk8s-test/dropped:1';
    await node.ok(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'dropped' },
        spec: {
          nodeName: 'node-a',
          terminationGracePeriodSeconds: 2,
          containers: [{ name: 'main', image: name, imagePullPolicy: 'Never', command: ['sh', '-c', thenWait('echo running the dropped image')] }],
        },
      }),
    });
    const reason = '.status.containerStatuses[0].state.waiting.reason';
    t.equal(await until('dropped', () => jsonpath('pod', 'dropped', reason), (s) => s === 'ErrImageNeverPull'), 'ErrImageNeverPull', 'absent at first');

    // The bundled busybox archive under a new name, written beside the directory and renamed into it whole.
    const staged = join(node.dir, 'dropped.tar');
    writeFileSync(staged, renamedArchive(join(import.meta.dirname, '..', '..', 'runtime', 'images', 'busybox.tar'), name, node.dir));
    renameSync(staged, join(node.dir, 'agent', 'images', 'dropped.tar'));

    await until('dropped', phase('dropped'), (s) => s === 'Running', 90_000);
    t.match(await until('dropped', logs('dropped'), (s) => s.includes('running')), /^running the dropped image$/m);
    t.match(node.output(), /dropped\.tar/, 'the server logged the import');
    await node.ok(['delete', 'pod', 'dropped', '--timeout=60s']);
  });
}

/** An OCI archive of `source` whose one image is named `name` (for containerd and for other tools). */
function renamedArchive(source: string, name: string, scratch: string): Buffer {
  const dir = mkdtempSync(join(scratch, 'renamed-'));
  try {
    execFileSync('tar', ['-xf', source, '-C', dir]);
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { manifests: { annotations?: Record<string, string> }[] };
    for (const m of index.manifests) m.annotations = { 'io.containerd.image.name': name, 'org.opencontainers.image.ref.name': name };
    writeFileSync(join(dir, 'index.json'), JSON.stringify(index));
    return execFileSync('tar', ['-C', dir, '-cf', '-', 'oci-layout', 'index.json', 'blobs'], { maxBuffer: 64 * 1024 * 1024 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
