import t from 'tap';
import type { corev1 } from '../../api/types.js';
import { containerEnv, expandCommand, formatMap, serviceEnv, type EnvSources } from './env.js';
import { expand } from './expand.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

const configMaps: Record<string, corev1.ConfigMap> = {
  settings: { metadata: { name: 'settings', namespace: 'ns' }, data: { LEVEL: 'debug', COLOR: 'blue' } },
};
const secrets: Record<string, corev1.Secret> = {
  creds: { metadata: { name: 'creds', namespace: 'ns' }, data: { password: b64('s3cret'), USER: b64('admin') } },
};
const services: corev1.Service[] = [
  { metadata: { name: 'kubernetes', namespace: 'default' }, spec: { clusterIP: '10.43.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP' }] } },
  { metadata: { name: 'web-app', namespace: 'ns' }, spec: { clusterIP: '10.43.0.20', ports: [{ port: 80 }, { name: 'metrics', port: 9090, protocol: 'TCP' }] } },
  { metadata: { name: 'headless', namespace: 'ns' }, spec: { clusterIP: 'None', ports: [{ port: 80 }] } },
  { metadata: { name: 'other', namespace: 'elsewhere' }, spec: { clusterIP: '10.43.0.30', ports: [{ port: 80 }] } },
];

const sources: EnvSources = {
  configMap: async (_ns, name) => configMaps[name],
  secret: async (_ns, name) => secrets[name],
  services: () => services,
  nodeAllocatable: { cpuMilli: 4000, memoryBytes: 8 * 1024 ** 3, ephemeralStorageBytes: 10 * 1024 ** 3 },
  hostIPs: ['192.0.2.10', '2001:db8::10'],
  podIPs: ['10.42.0.7'],
};

function pod(container: Partial<corev1.Container>, spec: Partial<corev1.PodSpec> = {}): { pod: corev1.Pod; container: corev1.Container } {
  const c: corev1.Container = { name: 'app', image: 'x', ...container };
  return {
    pod: {
      metadata: { name: 'p', namespace: 'ns', uid: 'uid-1', labels: { b: '2', a: 'x"y' }, annotations: { note: 'hi' } },
      spec: { nodeName: 'node-1', serviceAccountName: 'robot', enableServiceLinks: false, containers: [c], ...spec },
    },
    container: c,
  };
}

async function envOf(container: Partial<corev1.Container>, spec?: Partial<corev1.PodSpec>): Promise<Record<string, string>> {
  const p = pod(container, spec);
  return Object.fromEntries((await containerEnv(p.pod, p.container, sources)).map((kv) => [kv.key, kv.value]));
}

t.test('$(VAR) expansion follows upstream rules', async (t) => {
  const vars: Record<string, string> = { A: 'a', EMPTY: '' };
  const lookup = (n: string): string | undefined => vars[n];
  const cases: [string, string][] = [
    ['$(A)', 'a'],
    ['x$(A)y$(A)', 'xaya'],
    ['$(MISSING)', '$(MISSING)'],
    ['$$(A)', '$(A)'],
    ['$$$(A)', '$a'],
    ['$(A', '$(A'],
    ['$A', '$A'],
    ['trailing $', 'trailing $'],
    ['$(EMPTY)!', '!'],
    ['$()', '$()'],
  ];
  for (const [input, want] of cases) t.equal(expand(input, lookup), want, input);
});

t.test('values, references and sources', async (t) => {
  const cases: { name: string; container: Partial<corev1.Container>; spec?: Partial<corev1.PodSpec>; want: Record<string, string> }[] = [
    { name: 'plain and expanded values', container: { env: [{ name: 'A', value: 'one' }, { name: 'B', value: '$(A)-two' }, { name: 'C', value: '$(LATER)' }, { name: 'LATER', value: 'x' }] }, want: { A: 'one', B: 'one-two', C: '$(LATER)', LATER: 'x' } },
    {
      name: 'pod fields',
      container: {
        env: [
          { name: 'NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
          { name: 'UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } },
          { name: 'LABELS', valueFrom: { fieldRef: { fieldPath: 'metadata.labels' } } },
          { name: 'NOTE', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['note']" } } },
          { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
          { name: 'SA', valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } } },
          { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          { name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
          { name: 'HOST_IPS', valueFrom: { fieldRef: { fieldPath: 'status.hostIPs' } } },
        ],
      },
      want: { NAME: 'p', NS: 'ns', UID: 'uid-1', LABELS: 'a="x\\"y"\nb="2"', NOTE: 'hi', NODE: 'node-1', SA: 'robot', POD_IP: '10.42.0.7', HOST_IP: '192.0.2.10', HOST_IPS: '192.0.2.10,2001:db8::10' },
    },
    {
      name: 'resources, limits defaulting to the node allocatable',
      container: {
        resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { memory: '128Mi' } },
        env: [
          { name: 'CPU_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
          { name: 'CPU_REQ_M', valueFrom: { resourceFieldRef: { resource: 'requests.cpu', divisor: '1m' } } },
          { name: 'CPU_REQ', valueFrom: { resourceFieldRef: { resource: 'requests.cpu' } } },
          { name: 'MEM_MI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
          { name: 'MEM_REQ', valueFrom: { resourceFieldRef: { resource: 'requests.memory' } } },
        ],
      },
      want: { CPU_LIMIT: '4', CPU_REQ_M: '250', CPU_REQ: '1', MEM_MI: '128', MEM_REQ: String(64 * 1024 * 1024) },
    },
    {
      name: 'ConfigMap and Secret keys, optional ones skipped',
      container: {
        env: [
          { name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'settings', key: 'LEVEL' } } },
          { name: 'PW', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } },
          { name: 'OPT1', valueFrom: { configMapKeyRef: { name: 'settings', key: 'nope', optional: true } } },
          { name: 'OPT2', valueFrom: { secretKeyRef: { name: 'missing', key: 'x', optional: true } } },
        ],
      },
      want: { LEVEL: 'debug', PW: 's3cret' },
    },
    {
      name: 'envFrom with prefix; env overrides it',
      container: { envFrom: [{ configMapRef: { name: 'settings' } }, { secretRef: { name: 'creds' }, prefix: 'S_' }, { configMapRef: { name: 'gone', optional: true } }], env: [{ name: 'COLOR', value: 'red' }] },
      want: { LEVEL: 'debug', COLOR: 'red', S_password: 's3cret', S_USER: 'admin' },
    },
  ];
  for (const c of cases) {
    const env = await envOf(c.container, c.spec);
    for (const k of Object.keys(env)) if (k.startsWith('KUBERNETES_')) delete env[k];
    t.same(env, c.want, c.name);
  }
});

t.test('missing sources are CreateContainerConfigErrors with upstream messages', async (t) => {
  const cases: [corev1.EnvVar[] | undefined, corev1.EnvFromSource[] | undefined, string][] = [
    [[{ name: 'X', valueFrom: { configMapKeyRef: { name: 'absent', key: 'k' } } }], undefined, 'configmap "absent" not found'],
    [[{ name: 'X', valueFrom: { configMapKeyRef: { name: 'settings', key: 'k' } } }], undefined, "couldn't find key k in ConfigMap ns/settings"],
    [[{ name: 'X', valueFrom: { secretKeyRef: { name: 'absent', key: 'k' } } }], undefined, 'secret "absent" not found'],
    [[{ name: 'X', valueFrom: { secretKeyRef: { name: 'creds', key: 'k' } } }], undefined, "couldn't find key k in Secret ns/creds"],
    [undefined, [{ secretRef: { name: 'absent' } }], 'secret "absent" not found'],
  ];
  for (const [env, envFrom, message] of cases) {
    await t.rejects(envOf({ env, envFrom }), { code: 'container-config', reason: 'CreateContainerConfigError', message });
  }
});

t.test('service variables: the master service always, the namespace ones with service links', async (t) => {
  const without = serviceEnv(services, 'ns', false);
  t.same(Object.fromEntries(without), {
    KUBERNETES_SERVICE_HOST: '10.43.0.1',
    KUBERNETES_SERVICE_PORT: '443',
    KUBERNETES_SERVICE_PORT_HTTPS: '443',
    KUBERNETES_PORT: 'tcp://10.43.0.1:443',
    KUBERNETES_PORT_443_TCP: 'tcp://10.43.0.1:443',
    KUBERNETES_PORT_443_TCP_PROTO: 'tcp',
    KUBERNETES_PORT_443_TCP_PORT: '443',
    KUBERNETES_PORT_443_TCP_ADDR: '10.43.0.1',
  });
  const withLinks = serviceEnv(services, 'ns', true);
  t.equal(withLinks.get('WEB_APP_SERVICE_HOST'), '10.43.0.20');
  t.equal(withLinks.get('WEB_APP_SERVICE_PORT'), '80');
  t.equal(withLinks.get('WEB_APP_SERVICE_PORT_METRICS'), '9090');
  t.equal(withLinks.get('WEB_APP_PORT_9090_TCP_ADDR'), '10.43.0.20');
  t.notOk(withLinks.has('HEADLESS_SERVICE_HOST'), 'headless services have no variables');
  t.notOk(withLinks.has('OTHER_SERVICE_HOST'), 'other namespaces are not linked');
  // Env can reference a service variable, and a declared variable replaces it.
  const env = await envOf({ env: [{ name: 'API', value: 'https://$(KUBERNETES_SERVICE_HOST)' }, { name: 'KUBERNETES_SERVICE_PORT', value: '6443' }] });
  t.equal(env['API'], 'https://10.43.0.1');
  t.equal(env['KUBERNETES_SERVICE_PORT'], '6443');
  await t.rejects(containerEnv(pod({}).pod, pod({}).container, { ...sources, services: () => undefined }), { message: /services have not yet been read/ });
});

t.test('command and args expand against the final environment', async (t) => {
  const { command, args } = expandCommand({ name: 'c', command: ['/bin/$(PROG)'], args: ['--level=$(LEVEL)', '$(UNSET)', '$$(LEVEL)'] }, [
    { key: 'PROG', value: 'server' },
    { key: 'LEVEL', value: 'debug' },
  ]);
  t.same(command, ['/bin/server']);
  t.same(args, ['--level=debug', '$(UNSET)', '$(LEVEL)']);
  t.equal(formatMap({ z: '1', a: 'two words' }), 'a="two words"\nz="1"');
});
