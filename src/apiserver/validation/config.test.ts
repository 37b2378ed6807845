import t from 'tap';
import type { KubeObject } from '../../api/types.js';
import { createErrors, updateErrors } from './objects.fixture.js';

const meta = { name: 'c', namespace: 'default', uid: 'u', creationTimestamp: '2025-01-01T00:00:00Z' };
const keyMsg =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

t.test('configmap rules', async (t) => {
  const cm = (extra: Record<string, unknown>): KubeObject => ({ metadata: meta, ...extra });
  t.same(createErrors('configmaps', true, cm({ data: { 'bad key': 'x' } })), [`data[bad key]: Invalid value: "bad key": ${keyMsg}`]);
  t.same(createErrors('configmaps', true, cm({ data: { '..a': 'x', '.': 'y' } })), ["data[..a]: Invalid value: \"..a\": must not start with '..'", "data[.]: Invalid value: \".\": must not be '.'"]);
  t.same(createErrors('configmaps', true, cm({ data: { a: 'x' }, binaryData: { a: 'AA==' } })), ['data[a]: Invalid value: "a": duplicate of key present in binaryData']);
  t.same(createErrors('configmaps', true, cm({ data: { a: 'x'.repeat(1024 * 1024 + 1) } })), [': Too long: may not be more than 1048576 bytes']);
  t.same(createErrors('configmaps', true, cm({ binaryData: { b: 'not base64!' } })), ['binaryData[b]: Invalid value: "<secret contents redacted>": must be base64-encoded']);
});

t.test('immutable configmaps and secrets', async (t) => {
  const old: KubeObject = { metadata: meta, data: { a: 'x' }, immutable: true };
  t.same(updateErrors('configmaps', true, { metadata: meta, data: { a: 'y' }, immutable: true }, old), ['data: Forbidden: field is immutable when `immutable` is set']);
  t.same(updateErrors('configmaps', true, { metadata: meta, data: { a: 'x' } }, old), ['immutable: Forbidden: field is immutable when `immutable` is set']);
  t.same(updateErrors('configmaps', true, { metadata: { ...meta, labels: { a: 'b' } }, data: { a: 'x' }, immutable: true }, old), [], 'metadata may change');
  t.same(updateErrors('configmaps', true, { metadata: meta, data: { a: 'y' }, immutable: true }, { metadata: meta, data: { a: 'x' } }), [], 'a mutable one may become immutable');
  const secret: KubeObject = { metadata: meta, data: { a: 'eA==' }, immutable: true };
  t.same(updateErrors('secrets', true, { metadata: meta, stringData: { a: 'changed' }, immutable: true }, secret), ['data: Forbidden: field is immutable when `immutable` is set']);
  t.same(updateErrors('secrets', true, { metadata: meta, data: { a: 'eA==' }, immutable: true, type: 'kubernetes.io/tls' }, secret), [
    'type: Invalid value: "kubernetes.io/tls": field is immutable',
    'data[tls.crt]: Required value',
    'data[tls.key]: Required value',
  ]);
});

t.test('secret rules', async (t) => {
  const s = (extra: Record<string, unknown>): KubeObject => ({ metadata: meta, ...extra });
  t.same(createErrors('secrets', true, s({ data: { 'a/b': 'eA==' } })), [`data[a/b]: Invalid value: "a/b": ${keyMsg}`]);
  t.same(createErrors('secrets', true, s({ stringData: { 'a b': 'x' } })), [`data[a b]: Invalid value: "a b": ${keyMsg}`]);
  t.same(createErrors('secrets', true, s({ type: 'kubernetes.io/basic-auth' })), ['data[username]: Required value', 'data[password]: Required value']);
  t.same(createErrors('secrets', true, s({ type: 'kubernetes.io/dockerconfigjson' })), ['data[.dockerconfigjson]: Required value']);
  t.same(createErrors('secrets', true, s({ type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': '{"auths":{}}' } })), []);
  t.same(createErrors('secrets', true, s({ type: 'kubernetes.io/service-account-token' })), ['metadata.annotations[kubernetes.io/service-account.name]: Required value']);
  t.same(createErrors('secrets', true, s({ data: { a: '%%%' } })), ['data[a]: Invalid value: "<secret contents redacted>": must be base64-encoded']);
  t.same(createErrors('secrets', true, s({ data: { a: Buffer.alloc(1024 * 1024 + 1).toString('base64') } })), ['data: Too long: may not be more than 1048576 bytes']);
});
