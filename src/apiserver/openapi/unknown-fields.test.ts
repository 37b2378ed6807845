import t from 'tap';
import { ApiError, StatusReason } from '../../machinery/index.js';
import { loadDefinitions } from './definitions.js';
import { fieldCheck, fieldValidationMode, withWarnings } from './field-validation.js';
import { schemaRefPrefix } from './schema.js';
import { scanUnknownFields } from './unknown-fields.js';

const index = loadDefinitions();
if (index === undefined) throw new Error('dist/openapi/definitions.json is missing: build first');
const defs = index.definitions;
const podRef = { $ref: `${schemaRefPrefix}io.k8s.api.core.v1.Pod` };
const deploymentGvk = { group: 'apps', version: 'v1', kind: 'Deployment' };

function pod(extra: Record<string, unknown> = {}, container: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', labels: { 'app.kubernetes.io/name': 'web', anything: 'goes' }, annotations: { 'x/y': 'z' } },
    spec: { containers: [{ name: 'c', image: 'nginx', resources: { limits: { cpu: '1', 'example.com/gpu': '2' } }, ...container }], ...extra },
  };
}

function thrown(fn: () => unknown): ApiError | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  return undefined;
}

t.test('a well-formed object has no unknown fields; maps take any key', async (t) => {
  const obj = pod({ nodeSelector: { 'kubernetes.io/os': 'linux' } });
  const scan = scanUnknownFields(defs, podRef, obj, true);
  t.same(scan.unknown, []);
  t.equal(scan.value, obj, 'nothing dropped: the same object');
});

t.test('unknown fields are found at any depth and inside list items', async (t) => {
  const obj = pod({ foo: 1, securityContext: { bogus: true } }, { livenessProbe: { periodSeconds: 3, typo: 1 } });
  (obj as { extra?: unknown }).extra = 'x';
  const scan = scanUnknownFields(defs, podRef, obj, false);
  t.same(scan.unknown.sort(), ['extra', 'spec.containers[0].livenessProbe.typo', 'spec.foo', 'spec.securityContext.bogus']);
  t.equal(scan.value, obj, 'without pruning the input is returned');
});

t.test('values under map keys are checked against the map value schema', async (t) => {
  const sts = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'x', labels: { 'any/key': 'v' } },
    data: { 'any.key': 'v' },
  };
  t.same(scanUnknownFields(defs, { $ref: `${schemaRefPrefix}io.k8s.api.core.v1.ConfigMap` }, sts, false).unknown, []);
  const made = {
    'x.Holder': { type: 'object', properties: { byName: { type: 'object', additionalProperties: { $ref: `${schemaRefPrefix}x.Item` } } } },
    'x.Item': { type: 'object', properties: { a: { type: 'string' } } },
  } as const;
  const held = { byName: { 'any key': { a: 'x' }, other: { a: 'y', b: 1 } } };
  t.same(scanUnknownFields(made, { $ref: `${schemaRefPrefix}x.Holder` }, held, false).unknown, ['byName.other.b']);
  const status = { conditions: [{ type: 'Ready', status: 'True', nope: 1 }] };
  const scan = scanUnknownFields(defs, { $ref: `${schemaRefPrefix}io.k8s.api.core.v1.PodStatus` }, status, false);
  t.same(scan.unknown, ['conditions[0].nope']);
});

t.test('opaque objects (RawExtension, FieldsV1) accept anything; type mismatches are not unknown fields', async (t) => {
  const obj = {
    metadata: { name: 'p', managedFields: [{ manager: 'm', fieldsV1: { 'f:spec': { 'f:containers': {} } } }] },
    spec: { containers: 'not a list', hostNetwork: { deep: true } },
  };
  t.same(scanUnknownFields(defs, podRef, obj, false).unknown, []);
});

t.test('pruning drops unknown fields from a copy and leaves the input untouched', async (t) => {
  const obj = pod({ foo: 1 }, { bar: 2 });
  const before = JSON.stringify(obj);
  const scan = scanUnknownFields(defs, podRef, obj, true);
  t.same(scan.unknown, ['spec.containers[0].bar', 'spec.foo']);
  t.equal(JSON.stringify(obj), before, 'the input is not mutated');
  const pruned = scan.value as ReturnType<typeof pod>;
  t.same(pruned, pod());
  t.equal(pruned.metadata, obj.metadata, 'untouched branches are shared, not copied');
});

t.test('fieldValidation=Strict rejects with the upstream message naming every unknown field', async (t) => {
  const check = fieldCheck(deploymentGvk, new URLSearchParams('fieldValidation=Strict'), index);
  const err = thrown(() => check.check({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { foo: 1, bar: 2 } }));
  t.equal(err?.code, 400);
  t.equal(err?.reason, StatusReason.BadRequest);
  t.equal(err?.message, 'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo", unknown field "spec.bar"');
  const ok = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 1 } };
  t.equal(check.check(ok), ok);
});

t.test('fieldValidation=Warn (the default) drops the field and collects a warning header', async (t) => {
  for (const query of ['fieldValidation=Warn', '', 'fieldValidation=']) {
    const check = fieldCheck(deploymentGvk, new URLSearchParams(query), index);
    const out = check.check({ metadata: { name: 'd' }, spec: { replicas: 1, foo: 'x' } });
    t.same(out, { metadata: { name: 'd' }, spec: { replicas: 1 } }, query);
    t.same(check.warnings, ['299 - "unknown field \\"spec.foo\\""'], query);
  }
  const response = withWarnings({ type: 'object', code: 200, body: {} }, ['299 - "a"', '299 - "a"', '299 - "b"']);
  t.same(response.type === 'object' ? response.headers : undefined, { Warning: '299 - "a", 299 - "b"' });
  t.same(withWarnings({ type: 'object', code: 200, body: {} }, []), { type: 'object', code: 200, body: {} });
});

t.test('fieldValidation=Ignore drops the field silently', async (t) => {
  const check = fieldCheck(deploymentGvk, new URLSearchParams('fieldValidation=Ignore'), index);
  t.same(check.check({ spec: { foo: 1, replicas: 2 } }), { spec: { replicas: 2 } });
  t.same(check.warnings, []);
});

t.test('an update is not blamed for unknown fields the stored object already had', async (t) => {
  const check = fieldCheck(deploymentGvk, new URLSearchParams('fieldValidation=Strict'), index);
  const previous = { metadata: { name: 'd' }, spec: { old: 1 } };
  t.same(check.check({ metadata: { name: 'd' }, spec: { old: 1, replicas: 3 } }, previous), { metadata: { name: 'd' }, spec: { replicas: 3 } });
  t.match(thrown(() => check.check({ spec: { old: 1, new: 2 } }, previous))?.message, /unknown field "spec\.new"$/);
});

t.test('kinds without a definition are not checked; a bad mode is a 400', async (t) => {
  const check = fieldCheck({ group: 'example.com', version: 'v1', kind: 'Widget' }, new URLSearchParams('fieldValidation=Strict'), index);
  const widget = { spec: { anything: true } };
  t.equal(check.check(widget), widget);
  const err = thrown(() => fieldValidationMode(new URLSearchParams('fieldValidation=Loud')));
  t.equal(err?.code, 400);
  t.equal(err?.message, 'fieldValidation: Unsupported value: "Loud": supported values: "", "Ignore", "Strict", "Warn"');
});
