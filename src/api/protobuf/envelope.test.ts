import t from 'tap';
import { decodeProtobufObject, readEnvelope } from './envelope.js';
import { ProtobufError } from './errors.js';
import { body, hex, ld, num } from './encode.fixture.js';

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof ProtobufError ? err.code : `not a ProtobufError: ${String(err)}`;
  }
};
const configMap = Buffer.concat([ld(1, ld(1, 'c')), ld(2, ld(1, 'k'), ld(2, 'v'))]);

t.test('the envelope names the kind; kind and apiVersion lead the object', async (t) => {
  const out = decodeProtobufObject(body('v1', 'ConfigMap', configMap));
  t.strictSame(out, { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'c' }, data: { k: 'v' } });
  t.strictSame(Object.keys(out), ['kind', 'apiVersion', 'metadata', 'data']);
  const env = readEnvelope(body('apps/v1', 'Deployment', Buffer.alloc(0)));
  t.match(env, { apiVersion: 'apps/v1', kind: 'Deployment' });
  t.ok(env.raw.done, 'an empty raw message');
});

t.test('the body must start with k8s\\0', async (t) => {
  t.equal(code(() => decodeProtobufObject(Buffer.from('{"kind":"ConfigMap"}'))), 'bad-magic');
  t.equal(code(() => decodeProtobufObject(hex('6b 38 73'))), 'bad-magic');
  t.equal(code(() => decodeProtobufObject(Buffer.alloc(0))), 'bad-magic');
});

t.test('an envelope without apiVersion or kind is refused', async (t) => {
  const noKind = Buffer.concat([hex('6b 38 73 00'), ld(1, ld(1, 'v1')), ld(2, configMap)]);
  t.equal(code(() => decodeProtobufObject(noKind)), 'no-kind');
  const noVersion = Buffer.concat([hex('6b 38 73 00'), ld(1, ld(2, 'ConfigMap')), ld(2, configMap)]);
  t.equal(code(() => decodeProtobufObject(noVersion)), 'no-kind');
  t.equal(code(() => decodeProtobufObject(hex('6b 38 73 00'))), 'no-kind', 'magic only');
});

t.test('a kind without a table is no-table', async (t) => {
  t.equal(code(() => decodeProtobufObject(body('v1', 'Pod', Buffer.alloc(0)))), 'no-table');
  t.equal(code(() => decodeProtobufObject(body('apps/v2', 'Deployment', Buffer.alloc(0)))), 'no-table', 'a version we have no table of');
  t.equal(code(() => decodeProtobufObject(body('v1', 'toString', Buffer.alloc(0)))), 'no-table');
  t.equal(code(() => decodeProtobufObject(body('constructor', 'Namespace', Buffer.alloc(0)))), 'no-table');
});

t.test('a content encoding or a foreign content type is refused', async (t) => {
  const withEncoding = Buffer.concat([hex('6b 38 73 00'), ld(1, ld(1, 'v1'), ld(2, 'ConfigMap')), ld(2, configMap), ld(3, 'gzip')]);
  t.equal(code(() => decodeProtobufObject(withEncoding)), 'content-encoding');
  const asJson = Buffer.concat([hex('6b 38 73 00'), ld(1, ld(1, 'v1'), ld(2, 'ConfigMap')), ld(2, '{}'), ld(4, 'application/json')]);
  t.equal(code(() => decodeProtobufObject(asJson)), 'content-encoding');
  const asProtobuf = Buffer.concat([hex('6b 38 73 00'), ld(1, ld(1, 'v1'), ld(2, 'ConfigMap')), ld(2, configMap), ld(4, 'application/vnd.kubernetes.protobuf')]);
  t.match(decodeProtobufObject(asProtobuf), { kind: 'ConfigMap' });
});

t.test('unknown envelope fields are skipped; known ones must be length-delimited', async (t) => {
  const extra = Buffer.concat([hex('6b 38 73 00'), num(9, 1), ld(1, ld(1, 'v1'), ld(2, 'ConfigMap'), num(7, 3)), ld(2, configMap)]);
  t.match(decodeProtobufObject(extra), { kind: 'ConfigMap', data: { k: 'v' } });
  t.equal(code(() => decodeProtobufObject(Buffer.concat([hex('6b 38 73 00'), num(1, 1)]))), 'wire-type');
  t.equal(code(() => decodeProtobufObject(Buffer.concat([hex('6b 38 73 00'), num(2, 1)]))), 'wire-type');
});

t.test('a length that runs past the body is truncated', async (t) => {
  const good = body('v1', 'ConfigMap', configMap);
  t.equal(code(() => decodeProtobufObject(good.subarray(0, good.length - 9))), 'truncated');
});

t.test('DeleteOptions decodes under any apiVersion, as typed deletes send it', async (t) => {
  const options = Buffer.concat([num(1, 0), ld(2, ld(1, 'u1')), ld(4, 'Foreground'), ld(5, 'All')]);
  for (const apiVersion of ['v1', 'apps/v1', 'meta.k8s.io/v1']) {
    t.strictSame(decodeProtobufObject(body(apiVersion, 'DeleteOptions', options)), {
      kind: 'DeleteOptions',
      apiVersion,
      gracePeriodSeconds: 0,
      preconditions: { uid: 'u1' },
      propagationPolicy: 'Foreground',
      dryRun: ['All'],
    });
  }
});
