import t from 'tap';
import type { KubeObject } from '../../api/types.js';
import { createErrors, defaulted, updateErrors } from './objects.fixture.js';
import { podUpdateMessage } from './pod.js';

const labelMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

function pod(spec: unknown): KubeObject {
  return { metadata: { name: 'p', namespace: 'default', uid: 'u', creationTimestamp: '2025-01-01T00:00:00Z' }, spec };
}

const ctr = (extra: Record<string, unknown> = {}) => ({ name: 'c', image: 'nginx', ...extra });

t.test('pod spec rules on create', async (t) => {
  const cases: [string, unknown, string[]][] = [
    ['no containers', {}, ['spec.containers: Required value']],
    ['empty containers', { containers: [] }, ['spec.containers: Required value']],
    ['image missing', { containers: [{ name: 'c' }] }, ['spec.containers[0].image: Required value']],
    ['name missing', { containers: [{ image: 'x' }] }, ['spec.containers[0].name: Required value']],
    ['bad container name', { containers: [ctr({ name: 'Web_1' })] }, [`spec.containers[0].name: Invalid value: "Web_1": ${labelMsg}`]],
    ['duplicate names', { containers: [ctr(), ctr()] }, ['spec.containers[1].name: Duplicate value: "c"']],
    ['init name clashes', { containers: [ctr()], initContainers: [ctr()] }, ['spec.initContainers[0].name: Duplicate value: "c"']],
    ['port 0', { containers: [ctr({ ports: [{ containerPort: 0 }] })] }, ['spec.containers[0].ports[0].containerPort: Required value']],
    ['port too big', { containers: [ctr({ ports: [{ containerPort: 70000 }] })] }, ['spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive']],
    ['bad protocol', { containers: [ctr({ ports: [{ containerPort: 80, protocol: 'HTTP' }] })] }, ['spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"']],
    [
      'bad port name',
      { containers: [ctr({ ports: [{ containerPort: 80, name: 'Http--' }] })] },
      [
        'spec.containers[0].ports[0].name: Invalid value: "Http--": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
        'spec.containers[0].ports[0].name: Invalid value: "Http--": must not contain consecutive hyphens',
        'spec.containers[0].ports[0].name: Invalid value: "Http--": must not begin or end with a hyphen',
      ],
    ],
    ['bad restartPolicy', { containers: [ctr()], restartPolicy: 'Sometimes' }, ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"']],
    [
      'bad dnsPolicy',
      { containers: [ctr()], dnsPolicy: 'Google' },
      ['spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"'],
    ],
    ['dnsPolicy None without config', { containers: [ctr()], dnsPolicy: 'None' }, ['spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None']],
    ['bad pull policy', { containers: [ctr({ imagePullPolicy: 'Sometimes' })] }, ['spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"']],
    [
      'requests above limits',
      { containers: [ctr({ resources: { limits: { cpu: '500m' }, requests: { cpu: '1' } } })] },
      ['spec.containers[0].resources.requests: Invalid value: "1": must be less than or equal to cpu limit of 500m'],
    ],
    ['negative quantity', { containers: [ctr({ resources: { requests: { memory: '-1Mi' } } })] }, ['spec.containers[0].resources.requests[memory]: Invalid value: "-1Mi": must be greater than or equal to 0']],
    [
      'unparseable quantity',
      { containers: [ctr({ resources: { limits: { cpu: 'lots' } } })] },
      // Defaulting copied the limit into requests, so both are reported, as upstream reports them.
      [
        "spec.containers[0].resources.limits[cpu]: Invalid value: \"lots\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
        "spec.containers[0].resources.requests[cpu]: Invalid value: \"lots\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
      ],
    ],
    ['unknown resource', { containers: [ctr({ resources: { requests: { gpus: '1' } } })] }, [
      'spec.containers[0].resources.requests[gpus]: Invalid value: "gpus": must be a standard resource type or fully qualified',
      'spec.containers[0].resources.requests[gpus]: Invalid value: "gpus": must be a standard resource for containers',
    ]],
    [
      'extended resource must equal its limit',
      { containers: [ctr({ resources: { limits: { 'example.com/gpu': '2' }, requests: { 'example.com/gpu': '1' } } })] },
      ['spec.containers[0].resources.requests: Invalid value: "1": must be equal to example.com/gpu limit of 2'],
    ],
    ['duplicate volume', { containers: [ctr()], volumes: [{ name: 'v' }, { name: 'v' }] }, ['spec.volumes[1].name: Duplicate value: "v"']],
    ['volume without name', { containers: [ctr()], volumes: [{ emptyDir: {} }] }, ['spec.volumes[0].name: Required value']],
    ['two volume sources', { containers: [ctr()], volumes: [{ name: 'v', emptyDir: {}, hostPath: { path: '/x' } }] }, ['spec.volumes[0].emptyDir: Forbidden: may not specify more than 1 volume type']],
    ['configMap name', { containers: [ctr()], volumes: [{ name: 'v', configMap: {} }] }, ['spec.volumes[0].configMap.name: Required value']],
    ['secret name', { containers: [ctr()], volumes: [{ name: 'v', secret: {} }] }, ['spec.volumes[0].secret.secretName: Required value']],
    ['claim name', { containers: [ctr()], volumes: [{ name: 'v', persistentVolumeClaim: {} }] }, ['spec.volumes[0].persistentVolumeClaim.claimName: Required value']],
    ['mount of unknown volume', { containers: [ctr({ volumeMounts: [{ name: 'data', mountPath: '/d' }] })] }, ['spec.containers[0].volumeMounts[0].name: Not found: "data"']],
    [
      'mount path required and unique',
      { containers: [ctr({ volumeMounts: [{ name: 'v', mountPath: '/d' }, { name: 'v', mountPath: '/d' }, { name: 'v' }] })], volumes: [{ name: 'v' }] },
      ['spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/d": must be unique', 'spec.containers[0].volumeMounts[2].mountPath: Required value'],
    ],
    ['subPath with ..', { containers: [ctr({ volumeMounts: [{ name: 'v', mountPath: '/d', subPath: '../x' }] })], volumes: [{ name: 'v' }] }, ["spec.containers[0].volumeMounts.subPath: Invalid value: \"../x\": must not contain '..'"]],
    ['env name missing', { containers: [ctr({ env: [{ value: 'x' }] })] }, ['spec.containers[0].env[0].name: Required value']],
    ['env name with =', { containers: [ctr({ env: [{ name: 'A=B' }] })] }, ["spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='"]],
    ['env relaxed names are fine', { containers: [ctr({ env: [{ name: 'my.var-1' }, { name: '1st' }] })] }, []],
    ['env value and valueFrom', { containers: [ctr({ env: [{ name: 'A', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] })] }, ['spec.containers[0].env[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty']],
    ['env empty valueFrom', { containers: [ctr({ env: [{ name: 'A', valueFrom: {} }] })] }, ['spec.containers[0].env[0].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`']],
    [
      'env unsupported fieldRef',
      { containers: [ctr({ env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'status.phase' } } }] })] },
      ['spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"'],
    ],
    ['env secret key missing', { containers: [ctr({ env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 's' } } }] })] }, ['spec.containers[0].env[0].valueFrom.secretKeyRef.key: Required value']],
    ['probe without handler', { containers: [ctr({ livenessProbe: { periodSeconds: 5 } })] }, ['spec.containers[0].livenessProbe: Required value: must specify a handler type']],
    [
      'probe with two handlers',
      { containers: [ctr({ readinessProbe: { exec: { command: ['true'] }, tcpSocket: { port: 80 } } })] },
      ['spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type'],
    ],
    ['liveness success threshold', { containers: [ctr({ livenessProbe: { tcpSocket: { port: 80 }, successThreshold: 2 } })] }, ['spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1']],
    ['probe negative period', { containers: [ctr({ readinessProbe: { httpGet: { port: 'http' }, initialDelaySeconds: -1 } })] }, ['spec.containers[0].readinessProbe.initialDelaySeconds: Invalid value: -1: must be greater than or equal to 0']],
    ['httpGet port 0', { containers: [ctr({ readinessProbe: { httpGet: { port: 0 } } })] }, ['spec.containers[0].readinessProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive']],
    ['init container probe', { containers: [ctr()], initContainers: [ctr({ name: 'i', livenessProbe: { exec: { command: ['x'] } } })] }, ['spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always']],
    ['sidecar probe is fine', { containers: [ctr()], initContainers: [ctr({ name: 'i', restartPolicy: 'Always', readinessProbe: { exec: { command: ['x'] } } })] }, []],
    ['restartPolicy on a container', { containers: [ctr({ restartPolicy: 'Always' })] }, ['spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers']],
    ['host network port mismatch', { hostNetwork: true, containers: [ctr({ ports: [{ containerPort: 80, hostPort: 8080 }] })] }, ['spec.containers[0].ports[0].containerPort: Invalid value: 80: must match `hostPort` when `hostNetwork` is true']],
    ['bad nodeName', { containers: [ctr()], nodeName: 'Node_1' }, [`spec.nodeName: Invalid value: "Node_1": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`]],
    ['activeDeadlineSeconds 0', { containers: [ctr()], activeDeadlineSeconds: 0 }, ['spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive']],
    [
      'toleration operator',
      { containers: [ctr()], tolerations: [{ operator: 'Equal', value: 'x' }, { key: 'k', operator: 'Exists', value: 'v' }, { key: 'k', operator: 'Maybe' }] },
      [
        'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
        'spec.tolerations[1].operator: Invalid value: {"key":"k","operator":"Exists","value":"v"}: value must be empty when `operator` is \'Exists\'',
        'spec.tolerations[2].operator: Unsupported value: "Maybe": supported values: "Equal", "Exists"',
      ],
    ],
    ['ephemeral containers on create', { containers: [ctr()], ephemeralContainers: [ctr({ name: 'debug' })] }, ['spec.ephemeralContainers: Forbidden: cannot be set on create']],
  ];
  for (const [label, spec, want] of cases) t.same(createErrors('pods', true, pod(spec)), want, label);
});

t.test('pod updates may change images, deadlines, added tolerations', async (t) => {
  const old = pod({ containers: [ctr({ image: 'nginx:1.26' })], tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }] });
  const ok = pod({
    containers: [ctr({ image: 'nginx:1.27' })],
    activeDeadlineSeconds: 100,
    tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }, { key: 'new', operator: 'Exists' }],
  });
  t.same(updateErrors('pods', true, ok, old), []);
  t.same(updateErrors('pods', true, pod({ ...(old.spec as object), nodeName: 'node-1' }), old), [], 'binding sets the node once');
});

t.test('pod updates of anything else are forbidden', async (t) => {
  const old = pod({ containers: [ctr({ image: 'nginx:1.26' })] });
  const errs = updateErrors('pods', true, pod({ containers: [ctr({ image: 'nginx:1.26', ports: [{ containerPort: 80 }] })] }), old);
  t.equal(errs.length, 1);
  t.ok(errs[0]?.startsWith(`spec: Forbidden: ${podUpdateMessage}\n`), errs[0] ?? 'no error');
  t.equal(
    podUpdateMessage,
    'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
  );
  t.same(updateErrors('pods', true, pod({ containers: [ctr(), ctr({ name: 'd' })] }), old), ['spec.containers: Forbidden: pod updates may not add or remove containers']);
  t.same(updateErrors('pods', true, pod({ containers: [ctr({ image: '' })] }), old), ['spec.containers[0].image: Required value', 'spec.containers[0].image: Required value']);
  const withDeadline = pod({ containers: [ctr({ image: 'nginx:1.26' })], activeDeadlineSeconds: 10 });
  t.same(updateErrors('pods', true, pod({ containers: [ctr({ image: 'nginx:1.26' })], activeDeadlineSeconds: 20 }), withDeadline), ['spec.activeDeadlineSeconds: Invalid value: 20: must be less than or equal to previous value']);
  t.same(updateErrors('pods', true, old, withDeadline), ['spec.activeDeadlineSeconds: Invalid value: "null": must not update from a positive integer to nil value']);
  const tolerated = pod({ containers: [ctr({ image: 'nginx:1.26' })], tolerations: [{ key: 'k', operator: 'Exists' }] });
  t.same(updateErrors('pods', true, old, tolerated), ['spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds']);
  const bound = pod({ containers: [ctr({ image: 'nginx:1.26' })], nodeName: 'a' });
  const moved = updateErrors('pods', true, pod({ containers: [ctr({ image: 'nginx:1.26' })], nodeName: 'b' }), bound);
  t.match(moved[0], /^spec: Forbidden: pod updates may not change fields other than/);
  t.match(moved[0], /- \tnodeName: "a",\n\+ \tnodeName: "b",/);
});

t.test('defaulted pods are valid', async (t) => {
  t.same(createErrors('pods', true, pod({ containers: [ctr({ livenessProbe: { httpGet: { port: 80 } }, resources: { limits: { cpu: '1', memory: '1Gi' } } })] })), []);
  t.match(defaulted('pods', pod({ containers: [ctr()] })).spec, { restartPolicy: 'Always' });
});
