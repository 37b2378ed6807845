import t from 'tap';
import type { KubeObject } from '../object.js';
import { defaulters } from './index.js';

const pod = defaulters.pods!;

function defaulted(spec: unknown): Record<string, unknown> {
  const obj: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec };
  pod(obj);
  return obj.spec as Record<string, unknown>;
}

t.test('pod spec defaults', async (t) => {
  const spec = defaulted({ containers: [{ name: 'c', image: 'nginx' }] });
  t.match(spec, {
    restartPolicy: 'Always',
    dnsPolicy: 'ClusterFirst',
    terminationGracePeriodSeconds: 30,
    schedulerName: 'default-scheduler',
    securityContext: {},
    enableServiceLinks: true,
  });
  t.same((spec.containers as unknown[])[0], {
    name: 'c',
    image: 'nginx',
    imagePullPolicy: 'Always',
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
  });
});

t.test('pod spec defaults keep values that are set', async (t) => {
  const spec = defaulted({
    restartPolicy: 'Never',
    dnsPolicy: 'Default',
    terminationGracePeriodSeconds: 0,
    enableServiceLinks: false,
    securityContext: { runAsUser: 1000 },
    containers: [{ name: 'c', image: 'nginx:1.27', imagePullPolicy: 'Never' }],
  });
  t.match(spec, { restartPolicy: 'Never', dnsPolicy: 'Default', terminationGracePeriodSeconds: 0, enableServiceLinks: false, securityContext: { runAsUser: 1000 } });
  t.match((spec.containers as unknown[])[0], { imagePullPolicy: 'Never' });
});

t.test('container defaults: pull policy, ports, probes, env, resources', async (t) => {
  const spec = defaulted({
    initContainers: [{ name: 'init', image: 'busybox:1.36' }],
    containers: [
      {
        name: 'c',
        image: 'nginx:1.27',
        ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }],
        livenessProbe: { httpGet: { port: 80 } },
        readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 5 },
        startupProbe: { grpc: { port: 9000 } },
        lifecycle: { preStop: { httpGet: { port: 80, path: '/stop' } } },
        env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }, { name: 'A', value: 'b' }],
        resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m' } },
      },
    ],
  });
  const [c] = spec.containers as Record<string, unknown>[];
  const [init] = spec.initContainers as Record<string, unknown>[];
  t.equal(init?.imagePullPolicy, 'IfNotPresent');
  t.same(c?.ports, [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 53, protocol: 'UDP' }]);
  t.same(c?.livenessProbe, { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
  t.match(c?.readinessProbe, { periodSeconds: 5, timeoutSeconds: 1 });
  t.same((c?.startupProbe as Record<string, unknown>).grpc, { port: 9000, service: '' });
  t.same(c?.lifecycle, { preStop: { httpGet: { port: 80, path: '/stop', scheme: 'HTTP' } } });
  t.same(c?.env, [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName', apiVersion: 'v1' } } }, { name: 'A', value: 'b' }]);
  t.same(c?.resources, { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m', memory: '128Mi' } });
});

t.test('host networking copies containerPort to hostPort', async (t) => {
  const spec = defaulted({ hostNetwork: true, containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 8080 }, { containerPort: 81, hostPort: 81 }] }] });
  t.same((spec.containers as Record<string, unknown>[])[0]?.ports, [
    { containerPort: 8080, hostPort: 8080, protocol: 'TCP' },
    { containerPort: 81, hostPort: 81, protocol: 'TCP' },
  ]);
});

t.test('volume defaults', async (t) => {
  const spec = defaulted({
    containers: [],
    volumes: [
      { name: 'scratch' },
      { name: 'cm', configMap: { name: 'x' } },
      { name: 'sec', secret: { secretName: 'x', defaultMode: 256 } },
      { name: 'host', hostPath: { path: '/tmp' } },
      { name: 'dapi', downwardAPI: { items: [{ path: 'n', fieldRef: { fieldPath: 'metadata.name' } }] } },
      { name: 'proj', projected: { sources: [{ serviceAccountToken: { path: 'token' } }, { downwardAPI: { items: [{ path: 'ns', fieldRef: { fieldPath: 'metadata.namespace' } }] } }] } },
      { name: 'eph', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'] } } } },
    ],
  });
  t.same(spec.volumes, [
    { name: 'scratch', emptyDir: {} },
    { name: 'cm', configMap: { name: 'x', defaultMode: 420 } },
    { name: 'sec', secret: { secretName: 'x', defaultMode: 256 } },
    { name: 'host', hostPath: { path: '/tmp', type: '' } },
    { name: 'dapi', downwardAPI: { defaultMode: 420, items: [{ path: 'n', fieldRef: { fieldPath: 'metadata.name', apiVersion: 'v1' } }] } },
    {
      name: 'proj',
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
          { downwardAPI: { items: [{ path: 'ns', fieldRef: { fieldPath: 'metadata.namespace', apiVersion: 'v1' } }] } },
        ],
      },
    },
    { name: 'eph', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem' } } } },
  ]);
});

t.test('templates get the PodSpec defaults but not the Pod-only ones', async (t) => {
  const obj: KubeObject = {
    apiVersion: 'v1',
    kind: 'PodTemplate',
    metadata: { name: 't' },
    template: { spec: { containers: [{ name: 'c', image: 'x', resources: { limits: { cpu: '1' } } }] } },
  };
  defaulters.podtemplates!(obj);
  const spec = (obj.template as { spec: Record<string, unknown> }).spec;
  t.equal(spec.restartPolicy, 'Always');
  t.equal(spec.enableServiceLinks, undefined);
  t.same((spec.containers as Record<string, unknown>[])[0]?.resources, { limits: { cpu: '1' } });
});
