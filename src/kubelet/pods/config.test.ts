// Sandbox and container configs as the kubelet sends them to the runtime.
import t from 'tap';
import type { corev1 } from '../../api/types.js';
import { buildContainerConfig, type ContainerConfigInput } from './container-config.js';
import type { EnvSources } from './env.js';
import { podHostsFile } from './hosts-file.js';
import { podHostname, sandboxConfig, type SandboxConfigInput } from './sandbox-config.js';
import { defaultMaskedPaths } from './security.js';

const input: SandboxConfigInput = {
  rootDir: '/var/lib/tsk8s/agent',
  podLogDir: '/var/log/pods',
  cgroupRoot: '/tsk8s',
  clusterDns: ['10.43.0.10'],
  clusterDomain: 'cluster.local',
  host: { servers: ['192.0.2.53'], searches: [], options: [] },
};

const base = (spec: Partial<corev1.PodSpec> = {}, meta: Partial<corev1.Pod['metadata']> = {}): corev1.Pod => ({
  metadata: { name: 'web', namespace: 'shop', uid: '1234-5678', labels: { app: 'web' }, annotations: { note: 'x' }, ...meta },
  spec: { containers: [{ name: 'main', image: 'busybox:1', ports: [{ containerPort: 80, hostPort: 8080, protocol: 'TCP' }, { containerPort: 53, protocol: 'UDP' }] }], ...spec },
});

t.test('sandbox config', async (t) => {
  const { config } = sandboxConfig(base(), 2, input);
  t.same(config.metadata, { name: 'web', namespace: 'shop', uid: '1234-5678', attempt: 2 });
  t.equal(config.hostname, 'web');
  t.equal(config.logDirectory, '/var/log/pods/shop_web_1234-5678');
  t.same(config.dnsConfig, { servers: ['10.43.0.10'], searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], options: ['ndots:5'] });
  t.same(config.portMappings, [
    { protocol: 'TCP', containerPort: 80, hostPort: 8080 },
    { protocol: 'UDP', containerPort: 53 },
  ]);
  t.same(config.labels, { app: 'web', 'io.kubernetes.pod.name': 'web', 'io.kubernetes.pod.namespace': 'shop', 'io.kubernetes.pod.uid': '1234-5678' });
  t.same(config.annotations, { note: 'x' });
  t.equal(config.linux?.cgroupParent, '/tsk8s/pod1234-5678');
  t.same(config.linux?.securityContext?.namespaceOptions, { network: 'POD', pid: 'CONTAINER', ipc: 'POD' });
  t.same(config.linux?.securityContext?.seccomp, { profileType: 'Unconfined' });

  const host = sandboxConfig(base({ hostNetwork: true, hostPID: true, hostIPC: true }), 0, input).config;
  t.equal(host.hostname, undefined, 'host-network sandboxes keep the host name');
  t.same(host.linux?.securityContext?.namespaceOptions, { network: 'NODE', pid: 'NODE', ipc: 'NODE' });
  t.same(host.dnsConfig?.servers, ['192.0.2.53']);

  const sc = sandboxConfig(
    base({ shareProcessNamespace: true, securityContext: { runAsUser: 1000, runAsGroup: 2000, fsGroup: 3000, supplementalGroups: [4000], sysctls: [{ name: 'net.core.somaxconn', value: '1024' }], seccompProfile: { type: 'RuntimeDefault' } } }),
    0,
    input,
  ).config;
  t.match(sc.linux?.securityContext, { runAsUser: 1000, runAsGroup: 2000, supplementalGroups: [4000, 3000], namespaceOptions: { pid: 'POD' }, seccomp: { profileType: 'RuntimeDefault' } });
  t.same(sc.linux?.sysctls, { 'net.core.somaxconn': '1024' });
  t.equal(sandboxConfig(base(), 0, { ...input, cgroupRoot: '/' }).config.linux?.cgroupParent, '/pod1234-5678');
});

t.test('pod hostnames', async (t) => {
  t.same(podHostname(base({ hostname: 'db-0', subdomain: 'db' }), 'cluster.local'), { hostname: 'db-0', domain: 'db.shop.svc.cluster.local' });
  t.same(podHostname(base({}, { name: `${'a'.repeat(62)}-bc` }), 'c').hostname, 'a'.repeat(62), 'truncated to 63 without a trailing dash');
  t.throws(() => podHostname(base({ hostname: 'Not_Valid' }), 'c'), /is not a valid DNS label/);
  t.equal(sandboxConfig(base({ hostname: 'db-0', subdomain: 'db', setHostnameAsFQDN: true }), 0, input).config.hostname, 'db-0.db.shop.svc.cluster.local');
});

t.test('hosts file', async (t) => {
  const text = podHostsFile(base({ hostAliases: [{ ip: '192.0.2.99', hostnames: ['a.example', 'b.example'] }] }), ['10.42.0.9'], 'web', '');
  t.match(text, /^# Kubernetes-managed hosts file\.\n127\.0\.0\.1\tlocalhost\n/);
  t.match(text, /\n10\.42\.0\.9\tweb\n/);
  t.match(text, /# Entries added by HostAliases\.\n192\.0\.2\.99\ta\.example\tb\.example\n$/);
  t.match(podHostsFile(base(), ['10.42.0.9'], 'db-0', 'db.shop.svc.cluster.local'), /10\.42\.0\.9\tdb-0\.db\.shop\.svc\.cluster\.local\tdb-0\n/);
});

const env: EnvSources = {
  configMap: async () => undefined,
  secret: async () => undefined,
  services: () => [],
  nodeAllocatable: { cpuMilli: 4000, memoryBytes: 2 ** 33, ephemeralStorageBytes: 2 ** 34 },
  hostIPs: ['192.0.2.10'],
  podIPs: ['10.42.0.9'],
};

function containerInput(pod: corev1.Pod, over: Partial<ContainerConfigInput> = {}): ContainerConfigInput {
  return {
    pod,
    container: pod.spec!.containers[0]!,
    restartCount: 3,
    imageRef: 'sha256:feed',
    image: undefined,
    env,
    volumes: new Map([
      ['data', { hostPath: '/var/lib/tsk8s/agent/pods/u/volumes/kubernetes.io~empty-dir/data', readOnly: false }],
      ['conf', { hostPath: '/var/lib/tsk8s/agent/pods/u/volumes/kubernetes.io~configmap/conf', readOnly: true }],
    ]),
    hostsFile: '/var/lib/tsk8s/agent/pods/u/etc-hosts',
    terminationMessageFile: '/var/lib/tsk8s/agent/pods/u/containers/main/abcd',
    memoryCapacityBytes: 2 ** 33,
    ...over,
  };
}

t.test('container config', async (t) => {
  const pod = base();
  pod.spec!.containers[0] = {
    name: 'main',
    image: 'busybox:1',
    command: ['sh', '-c'],
    args: ['echo $(GREETING) from $(POD_NAME)'],
    workingDir: '/work',
    env: [
      { name: 'GREETING', value: 'hello' },
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ],
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
    volumeMounts: [
      { name: 'data', mountPath: '/data' },
      { name: 'data', mountPath: '/sub', subPath: 'a/b' },
      { name: 'conf', mountPath: '/etc/conf', mountPropagation: 'HostToContainer' },
    ],
    securityContext: { capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] }, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, runAsUser: 1001 },
    tty: true,
    stdin: true,
  };
  pod.spec!.securityContext = { runAsUser: 1000, runAsGroup: 2000 };
  const config = await buildContainerConfig(containerInput(pod));
  t.same(config.metadata, { name: 'main', attempt: 3 });
  t.same(config.image, { image: 'sha256:feed', userSpecifiedImage: 'busybox:1' });
  t.same(config.command, ['sh', '-c']);
  t.same(config.args, ['echo hello from web']);
  t.equal(config.workingDir, '/work');
  t.same(config.envs?.map((e) => `${e.key}=${e.value}`), ['GREETING=hello', 'POD_NAME=web']);
  t.equal(config.logPath, 'main/3.log');
  t.same(config.mounts, [
    { containerPath: '/data', hostPath: '/var/lib/tsk8s/agent/pods/u/volumes/kubernetes.io~empty-dir/data', readonly: false, propagation: 'PROPAGATION_PRIVATE' },
    { containerPath: '/sub', hostPath: '/var/lib/tsk8s/agent/pods/u/volumes/kubernetes.io~empty-dir/data/a/b', readonly: false, propagation: 'PROPAGATION_PRIVATE' },
    { containerPath: '/etc/conf', hostPath: '/var/lib/tsk8s/agent/pods/u/volumes/kubernetes.io~configmap/conf', readonly: true, propagation: 'PROPAGATION_HOST_TO_CONTAINER' },
    { containerPath: '/etc/hosts', hostPath: '/var/lib/tsk8s/agent/pods/u/etc-hosts', readonly: false },
    { containerPath: '/dev/termination-log', hostPath: '/var/lib/tsk8s/agent/pods/u/containers/main/abcd', readonly: false },
  ]);
  t.same(config.labels, { 'io.kubernetes.pod.name': 'web', 'io.kubernetes.pod.namespace': 'shop', 'io.kubernetes.pod.uid': '1234-5678', 'io.kubernetes.container.name': 'main' });
  t.match(config.annotations, {
    'io.kubernetes.container.hash': /^[0-9a-f]+$/,
    'io.kubernetes.container.restartCount': '3',
    'io.kubernetes.container.terminationMessagePath': '/dev/termination-log',
    'io.kubernetes.container.terminationMessagePolicy': 'File',
    'io.kubernetes.pod.terminationGracePeriod': '30',
  });
  t.notOk('io.kubernetes.container.ports' in (config.annotations ?? {}), 'no ports, no ports annotation');
  const ported = await buildContainerConfig(containerInput(base()));
  t.equal(ported.annotations?.['io.kubernetes.container.ports'], '[{"containerPort":80,"protocol":"TCP"},{"containerPort":53,"protocol":"UDP"}]');
  t.same(config.linux?.resources, { cpuShares: 102, cpuPeriod: 100_000, cpuQuota: 20_000, memoryLimitInBytes: 128 * 1024 ** 2, oomScoreAdj: 993 });
  const sc = config.linux?.securityContext;
  t.match(sc, { runAsUser: 1001, runAsGroup: 2000, readonlyRootfs: true, noNewPrivs: true, capabilities: { addCapabilities: ['NET_ADMIN'], dropCapabilities: ['ALL'] }, namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } });
  t.same(sc?.maskedPaths, defaultMaskedPaths);
  t.ok(config.tty && config.stdin);
});

t.test('container config errors', async (t) => {
  const pod = base();
  pod.spec!.containers[0]!.volumeMounts = [{ name: 'nope', mountPath: '/x' }];
  await t.rejects(buildContainerConfig(containerInput(pod)), { code: 'container-config', message: 'cannot find volume "nope" to mount into container "main"' });
  pod.spec!.containers[0]!.volumeMounts = [{ name: 'data', mountPath: '/x', subPath: '../escape' }];
  await t.rejects(buildContainerConfig(containerInput(pod)), { code: 'container-config' });
  pod.spec!.containers[0]!.volumeMounts = [];
  pod.spec!.securityContext = { runAsNonRoot: true };
  const root = { id: 'sha256:x', repoTags: [], repoDigests: [], size: 1, uid: 0, username: '', spec: undefined, pinned: false };
  await t.rejects(buildContainerConfig(containerInput(pod, { image: root })), { message: 'container has runAsNonRoot and image will run as root' });
  await t.rejects(buildContainerConfig(containerInput(pod, { image: { ...root, uid: undefined, username: 'app' } })), { message: /non-numeric user \(app\)/ });
  const ok = await buildContainerConfig(containerInput(pod, { image: { ...root, uid: 1000 } }));
  t.ok(ok, 'a non-root image user passes');
  const withHosts = base();
  withHosts.spec!.containers[0]!.volumeMounts = [{ name: 'data', mountPath: '/etc/hosts', subPath: 'hosts' }];
  const own = await buildContainerConfig(containerInput(withHosts));
  t.equal(own.mounts?.filter((m) => m.containerPath === '/etc/hosts').length, 1, "a container's own /etc/hosts wins");
});
