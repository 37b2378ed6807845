import t from 'tap';
import { decodeMessage } from './decode.js';
import { decodeProtobufObject } from './envelope.js';
import { ProtobufError } from './errors.js';
import { body, entry, hex, ld, num, tag, varint } from './encode.fixture.js';
import { messageSpec } from './messages.js';
import { parseField } from './schema.js';
import { WireReader } from './wire.js';

const decode = (buf: Buffer) => decodeProtobufObject(buf);
const decodeAs = (id: string, buf: Buffer) => decodeMessage(new WireReader(buf), messageSpec(id));
const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof ProtobufError ? err.code : `not a ProtobufError: ${String(err)}`;
  }
};

// ObjectMeta as gogo writes it with only a name: every non-pointer field present and zero.
const zeroMeta = (name: string) => ld(1, ld(1, name), ld(2), ld(3), ld(4), ld(5), ld(6), num(7, 0), ld(8));

t.test('kubectl create namespace foo: the dump of KUBECTL-WIRE.md item 2', async (t) => {
  const dump = hex(`6b 38 73 00  0a 0f 0a 02 76 31 12 09 4e 61 6d 65 73 70 61 63 65
    12 1b 0a 13 0a 03 66 6f 6f 12 00 1a 00 22 00 2a 00 32 00 38 00 42 00  12 00 1a 02 0a 00
    1a 00 22 00`);
  t.strictSame(decode(dump), { kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'foo', creationTimestamp: null }, spec: {}, status: {} });
});

t.test('kubectl create deployment web --image=busybox --replicas=0 keeps the pointer zero', async (t) => {
  // Recorded from kubectl 1.32.4 (-v=9).
  const dump = hex(`6b 38 73 00 0a 15 0a 07 61 70 70 73 2f 76 31 12 0a 44 65 70 6c 6f 79 6d 65 6e 74 12 af 01 0a 1f
    0a 03 77 65 62 12 00 1a 00 22 00 2a 00 32 00 38 00 42 00 5a 0a 0a 03 61 70 70 12 03 77 65 62 12
    7e 08 00 12 0c 0a 0a 0a 03 61 70 70 12 03 77 65 62 1a 64 0a 1c 0a 00 12 00 1a 00 22 00 2a 00 32
    00 38 00 42 00 5a 0a 0a 03 61 70 70 12 03 77 65 62 12 44 12 26 0a 07 62 75 73 79 62 6f 78 12 07
    62 75 73 79 62 6f 78 2a 00 42 00 6a 00 72 00 80 01 00 88 01 00 90 01 00 a2 01 00 1a 00 32 00 42
    00 4a 00 52 00 58 00 60 00 68 00 82 01 00 8a 01 00 9a 01 00 c2 01 00 22 02 0a 00 28 00 38 00 1a
    0c 08 00 10 00 18 00 20 00 28 00 38 00 1a 00 22 00`);
  t.strictSame(decode(dump), {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    metadata: { name: 'web', creationTimestamp: null, labels: { app: 'web' } },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { creationTimestamp: null, labels: { app: 'web' } },
        spec: { containers: [{ name: 'busybox', image: 'busybox', resources: {} }] },
      },
      strategy: {},
    },
    status: {},
  });
});

t.test('kubectl create secret generic: data values are bytes, written as base64', async (t) => {
  const dump = hex(`6b 38 73 00 0a 0c 0a 02 76 31 12 06 53 65 63 72 65 74 12 1e 0a 12 0a 02 73 39 12 00 1a 00 22 00
    2a 00 32 00 38 00 42 00 12 06 0a 01 61 12 01 62 1a 00 1a 00 22 00`);
  t.strictSame(decode(dump), { kind: 'Secret', apiVersion: 'v1', metadata: { name: 's9', creationTimestamp: null }, data: { a: 'Yg==' } });
});

t.test('kubectl create service nodeport: IntOrString ports, zero nodePort dropped', async (t) => {
  const dump = hex(`6b 38 73 00 0a 0d 0a 02 76 31 12 07 53 65 72 76 69 63 65 12 65 0a 1d 0a 02 6e 39 12 00 1a 00 22 00
    2a 00 32 00 38 00 42 00 5a 09 0a 03 61 70 70 12 02 6e 39 12 40 0a 1b 0a 07 38 30 2d 38 30 38 30 12
    03 54 43 50 18 50 22 07 08 00 10 90 3f 1a 00 28 00 12 09 0a 03 61 70 70 12 02 6e 39 1a 00 22 08 4e
    6f 64 65 50 6f 72 74 3a 00 42 00 52 00 5a 00 60 00 68 00 1a 02 0a 00 1a 00 22 00`);
  t.strictSame(decode(dump), {
    kind: 'Service',
    apiVersion: 'v1',
    metadata: { name: 'n9', creationTimestamp: null, labels: { app: 'n9' } },
    spec: { ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }], selector: { app: 'n9' }, type: 'NodePort' },
    status: { loadBalancer: {} },
  });
});

t.test('kubectl create token: TokenRequest with a pointer int64 and a zero Time', async (t) => {
  const dump = hex(`6b 38 73 00 0a 28 0a 18 61 75 74 68 65 6e 74 69 63 61 74 69 6f 6e 2e 6b 38 73 2e 69 6f 2f 76 31
    12 0c 54 6f 6b 65 6e 52 65 71 75 65 73 74 12 1d 0a 10 0a 00 12 00 1a 00 22 00 2a 00 32 00 38 00 42
    00 12 03 20 b0 09 1a 04 0a 00 12 00 1a 00 22 00`);
  t.strictSame(decode(dump), {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec: { expirationSeconds: 1200 },
    // token has no omitempty: its empty string is kept, as JSON writes it.
    status: { token: '', expirationTimestamp: null },
  });
});

t.test('kubectl auth can-i create pods: SelfSubjectAccessReview', async (t) => {
  const dump = hex(`6b 38 73 00 0a 32 0a 17 61 75 74 68 6f 72 69 7a 61 74 69 6f 6e 2e 6b 38 73 2e 69 6f 2f 76 31 12
    17 53 65 6c 66 53 75 62 6a 65 63 74 41 63 63 65 73 73 52 65 76 69 65 77 12 3f 0a 10 0a 00 12 00 1a
    00 22 00 2a 00 32 00 38 00 42 00 12 21 0a 1f 0a 07 64 65 66 61 75 6c 74 12 06 63 72 65 61 74 65 1a
    00 22 00 2a 04 70 6f 64 73 32 00 3a 00 1a 08 08 00 12 00 1a 00 20 00 1a 00 22 00`);
  t.strictSame(decode(dump), {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec: { resourceAttributes: { namespace: 'default', verb: 'create', resource: 'pods' } },
    status: { allowed: false },
  });
});

t.test('kubectl create pdb --max-unavailable=50%: a string IntOrString behind a pointer', async (t) => {
  const dump = hex(`6b 38 73 00 0a 20 0a 09 70 6f 6c 69 63 79 2f 76 31 12 13 50 6f 64 44 69 73 72 75 70 74 69 6f 6e 42
    75 64 67 65 74 12 3d 0a 14 0a 04 70 64 62 39 12 00 1a 00 22 00 2a 00 32 00 38 00 42 00 12 19 12 0c
    0a 0a 0a 03 61 70 70 12 03 77 65 62 1a 09 08 01 10 00 1a 03 35 30 25 1a 0a 08 00 18 00 20 00 28 00
    30 00 1a 00 22 00`);
  const pdb = decode(dump);
  t.strictSame(pdb.spec, { selector: { matchLabels: { app: 'web' } }, maxUnavailable: '50%' });
  // Status counters have no omitempty: their zeros stay.
  t.strictSame(pdb.status, { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 });
});

t.test('pointer scalars keep explicit zeros; plain scalars drop them; `!` scalars keep them', async (t) => {
  const spec = Buffer.concat([num(1, 0), num(3, 0), num(7, 0), num(10, 0), num(5, 0), ld(9)]);
  // JobSpec: parallelism *int32, activeDeadlineSeconds *int64, backoffLimit *int32, suspend *bool; manualSelector *bool; completionMode *string
  t.strictSame(decodeAs('batch/v1.JobSpec', spec), { parallelism: 0, activeDeadlineSeconds: 0, backoffLimit: 0, manualSelector: false, completionMode: '', suspend: false });
  // DeploymentSpec: minReadySeconds and paused are plain: zero means unset.
  t.strictSame(decodeAs('apps/v1.DeploymentSpec', Buffer.concat([num(5, 0), num(7, 0)])), {});
  t.strictSame(decodeAs('apps/v1.DeploymentSpec', Buffer.concat([num(5, 4), num(7, 1)])), { minReadySeconds: 4, paused: true });
  // PriorityClass.value has no omitempty: value 0 is written.
  t.strictSame(decodeAs('scheduling/v1.PriorityClass', Buffer.concat([zeroMeta('p'), num(2, 0), num(3, 0), ld(4)])), {
    metadata: { name: 'p', creationTimestamp: null },
    value: 0,
  });
});

t.test('negative numbers and int64 limits', async (t) => {
  t.strictSame(decodeAs('apps/v1.DeploymentSpec', num(1, -1)), { replicas: -1 }, 'int32 sent as ten bytes');
  t.strictSame(decodeAs('core/v1.PodSecurityContext', num(2, 2n ** 40n)), { runAsUser: 2 ** 40 });
  t.strictSame(decodeAs('core/v1.PodSecurityContext', num(2, -5)), { runAsUser: -5 });
  t.equal(code(() => decodeAs('core/v1.PodSecurityContext', num(2, 2n ** 60n))), 'int64-range');
});

t.test('maps: entries in order, a missing value is its zero, later keys win', async (t) => {
  const meta = Buffer.concat([entry(11, 'b', ld(2, '2')), entry(11, 'a', ld(2, '1')), entry(11, 'empty'), entry(11, 'b', ld(2, '3')), entry(12, '__proto__', ld(2, 'x'))]);
  const out = decodeAs('meta/v1.ObjectMeta', meta);
  t.strictSame(Object.keys(out.labels as object), ['b', 'a', 'empty']);
  t.strictSame(out.labels, { b: '3', a: '1', empty: '' });
  t.equal(Object.getPrototypeOf(out.annotations), Object.prototype, 'a __proto__ key does not replace the prototype');
  t.equal((out.annotations as Record<string, unknown>)['__proto__'], 'x');
  // ResourceRequirements: map<string, Quantity>
  const resources = Buffer.concat([entry(1, 'cpu', ld(2, ld(1, '500m'))), entry(1, 'memory', ld(2))]);
  t.strictSame(decodeAs('core/v1.ResourceRequirements', resources), { limits: { cpu: '500m', memory: '0' } });
  // Secret.data: map<string, bytes>, empty values kept
  t.strictSame(decodeAs('core/v1.Secret', Buffer.concat([entry(2, 'k', ld(2, Buffer.from([0, 255]))), entry(2, 'e', ld(2))])), { data: { k: 'AP8=', e: '' } });
});

t.test('repeated fields: strings, messages, packed and unpacked numbers', async (t) => {
  // Container: command []string, ports []ContainerPort
  const container = Buffer.concat([ld(1, 'c'), ld(3, 'sh'), ld(3, '-c'), ld(6, num(3, 80)), ld(6, ld(1, 'dns'), num(3, 53), ld(4, 'UDP'))]);
  t.strictSame(decodeAs('core/v1.Container', container), {
    name: 'c',
    command: ['sh', '-c'],
    ports: [{ containerPort: 80 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }],
  });
  // PodSecurityContext.supplementalGroups []int64, packed or not
  t.strictSame(decodeAs('core/v1.PodSecurityContext', Buffer.concat([num(4, 1), num(4, 2)])), { supplementalGroups: [1, 2] });
  t.strictSame(decodeAs('core/v1.PodSecurityContext', ld(4, varint(1), varint(2), varint(300))), { supplementalGroups: [1, 2, 300] });
  // Zero elements of a list are elements, not unset fields.
  t.strictSame(decodeAs('core/v1.PodSecurityContext', Buffer.concat([num(4, 0)])), { supplementalGroups: [0] });
});

t.test('inline structs flatten into their parent', async (t) => {
  // Volume{name, VolumeSource{configMap{LocalObjectReference{name}, defaultMode}}}
  const volume = Buffer.concat([ld(1, 'cfg'), ld(2, ld(19, ld(1, ld(1, 'app-config')), num(3, 0o644)))]);
  t.strictSame(decodeAs('core/v1.Volume', volume), { name: 'cfg', configMap: { name: 'app-config', defaultMode: 420 } });
  // Probe{ProbeHandler{httpGet{path, port "http"}}, periodSeconds}
  const probe = Buffer.concat([ld(1, ld(2, ld(1, '/healthz'), ld(2, num(1, 1), ld(3, 'http')))), num(4, 5)]);
  t.strictSame(decodeAs('core/v1.Probe', probe), { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 });
});

t.test('well-known types: Time, MicroTime, IntOrString, Quantity, FieldsV1, ExtraValue', async (t) => {
  const time = ld(8, num(1, 1735689600), num(2, 123_000_000));
  t.strictSame(decodeAs('meta/v1.ObjectMeta', time), { creationTimestamp: '2025-01-01T00:00:00Z' }, 'whole seconds, UTC');
  t.strictSame(decodeAs('meta/v1.ObjectMeta', ld(8)), { creationTimestamp: null }, 'zero time');
  t.strictSame(decodeAs('meta/v1.ObjectMeta', ld(8, num(1, 0))), { creationTimestamp: '1970-01-01T00:00:00Z' }, 'the epoch is not zero');
  t.equal(code(() => decodeAs('meta/v1.ObjectMeta', ld(8, num(1, 2n ** 50n)))), 'int64-range');
  // No table of ours has a MicroTime field yet; a one-field message shows its JSON.
  const at = parseField('at', '1 MicroTime', 'test');
  const micro = decodeMessage(new WireReader(ld(1, num(1, 1735689600), num(2, 5_000_123))), { id: 'test.Micro', fields: [at], byNumber: new Map([[1, at]]) });
  t.strictSame(micro, { at: '2025-01-01T00:00:00.005000Z' });
  // ServicePort.targetPort: a plain IntOrString is written even when zero, as JSON does.
  t.strictSame(decodeAs('core/v1.ServicePort', Buffer.concat([num(3, 80), ld(4, num(1, 0), num(2, 0), ld(3))])), { port: 80, targetPort: 0 });
  t.strictSame(decodeAs('core/v1.ServicePort', ld(4, num(1, 1), ld(3, 'http'))), { targetPort: 'http' });
  // ManagedFieldsEntry with FieldsV1 raw JSON
  const managed = ld(17, ld(1, 'kubectl'), ld(2, 'Apply'), ld(6, 'FieldsV1'), ld(7, ld(1, '{"f:data":{}}')));
  t.strictSame(decodeAs('meta/v1.ObjectMeta', managed), { managedFields: [{ manager: 'kubectl', operation: 'Apply', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': {} } }] });
  t.equal(code(() => decodeAs('meta/v1.ObjectMeta', ld(17, ld(7, ld(1, '{not json'))))), 'bad-json');
  // UserInfo.extra: map<string, ExtraValue> → lists of strings
  t.strictSame(decodeAs('authentication/v1.UserInfo', Buffer.concat([ld(1, 'alice'), entry(4, 'scopes', ld(2, ld(1, 'a'), ld(1, 'b')))])), {
    username: 'alice',
    extra: { scopes: ['a', 'b'] },
  });
});

t.test('fields come out in the upstream struct order, whatever the wire order', async (t) => {
  // OwnerReference: apiVersion is field 5 but the first JSON field.
  const ref = Buffer.concat([ld(1, 'ReplicaSet'), ld(3, 'rs'), ld(4, 'u1'), ld(5, 'apps/v1'), num(6, 1)]);
  t.strictSame(Object.keys(decodeAs('meta/v1.OwnerReference', ref)), ['apiVersion', 'kind', 'name', 'uid', 'controller']);
});

t.test('unknown field numbers of every wire type are skipped', async (t) => {
  const meta = Buffer.concat([num(99, 5), tag(98, 1), Buffer.alloc(8), ld(97, 'x'), tag(96, 5), Buffer.alloc(4), ld(1, 'kept')]);
  t.strictSame(decodeAs('meta/v1.ObjectMeta', meta), { name: 'kept' });
});

t.test('a known field with the wrong wire type is an error naming it', async (t) => {
  t.equal(code(() => decodeAs('meta/v1.ObjectMeta', num(1, 5))), 'wire-type');
  t.throws(() => decodeAs('meta/v1.ObjectMeta', num(1, 5)), /meta\/v1\.ObjectMeta\.name \(field 1\) has wire type 0, expected 2/);
  t.equal(code(() => decodeAs('apps/v1.DeploymentSpec', ld(1, 'x'))), 'wire-type', 'a string where a pointer int32 belongs');
  t.equal(code(() => decodeAs('meta/v1.ObjectMeta', Buffer.concat([tag(11, 0), varint(1)]))), 'wire-type', 'a map entry must be a message');
});

t.test('truncated bodies fail as ProtobufErrors, never as anything else', async (t) => {
  const full = body('apps/v1', 'Deployment', Buffer.concat([zeroMeta('web'), ld(2, num(1, 3), ld(3, ld(2, ld(2, ld(1, 'c'), ld(2, 'busybox')))))]));
  t.strictSame(decode(full).spec, { replicas: 3, template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } } });
  for (let n = 0; n < full.length; n++) {
    const prefix = full.subarray(0, n);
    let outcome: string;
    try {
      decode(prefix);
      outcome = 'decoded';
    } catch (err) {
      outcome = err instanceof ProtobufError ? err.code : `unexpected ${String(err)}`;
    }
    if (!['decoded', 'truncated', 'bad-magic', 'no-kind'].includes(outcome)) t.fail(`prefix of ${n} bytes: ${outcome}`);
  }
  t.equal(code(() => decode(full.subarray(0, 30))), 'truncated', 'cut inside the object');
});
