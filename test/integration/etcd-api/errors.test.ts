import t, { type Test } from 'tap';
import { status } from '@grpc/grpc-js';
import { Etcd3 } from 'etcd3';
import { b, forEachBackend, isFailure, rawClient, serve, type Failure, type Msg, type RawClient } from './harness.js';

// Bad input gets the gRPC code and message real etcd (3.4.23, observed) gives
// for it, and the server keeps serving afterwards. Requests are built with
// the npm etcd3 package's own copy of etcd's protos.

const compacted = { code: status.OUT_OF_RANGE, details: 'etcdserver: mvcc: required revision has been compacted' };
const future = { code: status.OUT_OF_RANGE, details: 'etcdserver: mvcc: required revision is a future revision' };
const noKey = { code: status.INVALID_ARGUMENT, details: 'etcdserver: key is not provided' };
const noLease = { code: status.NOT_FOUND, details: 'etcdserver: requested lease not found' };

function failure(r: Msg | Failure): Failure | undefined {
  return isFailure(r) ? { code: r.code, details: r.details } : undefined;
}

forEachBackend(t, async (t, kind) => {
  const served = await serve(t, kind);
  const c: RawClient = rawClient(t, `unix://${served.socket}`);
  const put = (key: string, value: string | Buffer, extra: Msg = {}) => c.kv('Put', { key: b(key), value: typeof value === 'string' ? b(value) : value, ...extra });
  const stillServing = async (t: Test): Promise<void> => {
    const res = await c.kv('Range', { key: b('/alive') });
    t.notOk(isFailure(res), 'the server keeps serving');
  };

  await t.test('empty keys', async (t) => {
    t.same(failure(await c.kv('Range', { key: b('') })), noKey, 'Range');
    t.same(failure(await put('', 'v')), noKey, 'Put');
    t.same(failure(await c.kv('DeleteRange', { key: b('') })), noKey, 'DeleteRange');
    t.same(failure(await c.kv('Txn', { compare: [{ key: b(''), target: 'MOD', result: 'EQUAL' }] })), noKey, 'Txn compare');
    t.same(failure(await c.kv('Txn', { success: [{ request_put: { key: b(''), value: b('v') } }] })), noKey, 'Txn op');
    await stillServing(t);
  });

  await t.test('unknown lease', async (t) => {
    t.same(failure(await put('/l', 'v', { lease: '12345' })), noLease, 'Put');
    t.same(failure(await c.lease('LeaseRevoke', { ID: '12345' })), noLease, 'LeaseRevoke');
    const ttl = await c.lease('LeaseTimeToLive', { ID: '12345' });
    t.match(ttl, { ID: '12345', TTL: '-1' }, 'TimeToLive answers TTL -1, no error (as etcd)');
    const huge = await c.lease('LeaseGrant', { TTL: '99999999999' });
    t.same(failure(huge), { code: status.OUT_OF_RANGE, details: 'etcdserver: too large lease TTL' });
    const bigId = '9223372036854775807';
    t.match(await c.lease('LeaseGrant', { TTL: '60', ID: bigId }), { ID: bigId, TTL: '60' }, 'int64 lease ids survive');
    t.same(failure(await c.lease('LeaseGrant', { TTL: '60', ID: bigId })), { code: status.FAILED_PRECONDITION, details: 'etcdserver: lease already exists' });
    await stillServing(t);
  });

  await t.test('compacted and future revisions', async (t) => {
    await put('/r', '1');
    const rev = Number(((await put('/r', '2')) as { header: { revision: string } }).header.revision);
    t.notOk(isFailure(await c.kv('Compact', { revision: String(rev) })));
    t.same(failure(await c.kv('Range', { key: b('/r'), revision: String(rev - 1) })), compacted, 'below the compact revision');
    t.notOk(isFailure(await c.kv('Range', { key: b('/r'), revision: String(rev) })), 'at the compact revision');
    t.same(failure(await c.kv('Range', { key: b('/r'), revision: String(rev + 1) })), future, 'beyond the current revision');
    t.same(failure(await c.kv('Range', { key: b('/r'), revision: '9223372036854775807' })), future, 'int64 max: future, not a crash');
    t.same(failure(await c.kv('Compact', { revision: String(rev) })), compacted, 'compacting again');
    t.same(failure(await c.kv('Compact', { revision: '-1' })), compacted, 'negative compaction');
    t.same(failure(await c.kv('Compact', { revision: '9223372036854775807' })), future, 'compaction into the future');
    const current = await c.kv('Range', { key: b('/r'), revision: '-5' });
    t.match(current, { kvs: [{ value: b('2') }] }, 'a negative revision reads the current one (as etcd)');
    await stillServing(t);
  });

  await t.test('range end before key: empty, no error', async (t) => {
    await put('/a', '1');
    await put('/b', '2');
    const r = await c.kv('Range', { key: b('/b'), range_end: b('/a') });
    t.match(r, { kvs: [], more: false, count: '0' });
    const d = await c.kv('DeleteRange', { key: b('/b'), range_end: b('/a') });
    t.match(d, { deleted: '0' });
    t.match(await c.kv('Range', { key: b('/a'), range_end: b('/c'), limit: '-5' }), { count: '2', kvs: [{}, {}] }, 'a negative limit is no limit');
  });

  await t.test('txn: duplicate key, too many ops, value/lease provided', async (t) => {
    const dup = await c.kv('Txn', { success: [{ request_put: { key: b('/d'), value: b('1') } }, { request_put: { key: b('/d'), value: b('2') } }] });
    t.same(failure(dup), { code: status.INVALID_ARGUMENT, details: 'etcdserver: duplicate key given in txn request' });
    const many = Array.from({ length: 129 }, (_, i) => ({ request_put: { key: b(`/many/${i}`), value: b('v') } }));
    t.same(failure(await c.kv('Txn', { success: many })), { code: status.INVALID_ARGUMENT, details: 'etcdserver: too many operations in txn request' });
    t.same(failure(await put('/v', 'x', { ignore_value: true })), { code: status.INVALID_ARGUMENT, details: 'etcdserver: value is provided' });
    t.same(failure(await put('/v', '', { ignore_lease: true, lease: '5' })), { code: status.INVALID_ARGUMENT, details: 'etcdserver: lease is provided' });
    t.same(failure(await put('/missing', '', { ignore_value: true })), { code: status.INVALID_ARGUMENT, details: 'etcdserver: key not found' });
    t.same(failure(await c.kv('Txn', { success: [{}] })), { code: status.INVALID_ARGUMENT, details: 'etcdserver: key not found' }, 'an empty op');
    await stillServing(t);
  });

  await t.test('oversize requests', async (t) => {
    const tooLarge = await put('/big', Buffer.alloc(1_600_000, 'x'));
    t.same(failure(tooLarge), { code: status.INVALID_ARGUMENT, details: 'etcdserver: request is too large' }, '1.6 MB: over --max-request-bytes');
    const overMax = failure(await put('/big', Buffer.alloc(2 * 1024 * 1024, 'x')));
    t.equal(overMax?.code, status.RESOURCE_EXHAUSTED, '2 MiB: over the gRPC receive limit');
    t.match(overMax?.details, /larger than max \(\d+ vs\.? 2097152\)/);
    t.notOk(isFailure(await put('/big', Buffer.alloc(1_500_000, 'x'))), 'just under the limit is fine');
    await stillServing(t);
    t.equal(((await c.kv('Range', { key: b('/big') })) as { kvs: { value: Buffer }[] }).kvs[0]?.value.length, 1_500_000);

    const etcd3 = new Etcd3({ hosts: `http://${served.tcp}` });
    t.teardown(() => etcd3.close());
    await t.rejects(etcd3.put('/big2').value(Buffer.alloc(2 * 1024 * 1024, 'x')).exec(), { message: /RESOURCE_EXHAUSTED/ }, 'etcd3 sees the same');
    const fresh = new Etcd3({ hosts: `http://${served.tcp}` });
    t.teardown(() => fresh.close());
    t.equal(await fresh.get('/a').string(), '1', 'a new client is served');
  });

  await t.test('services and methods etcd has and we do not: UNIMPLEMENTED', async (t) => {
    const hash = failure(await c.maintenance('HashKV', { revision: '0' }));
    t.equal(hash?.code, status.UNIMPLEMENTED);
    const add = failure(await c.cluster('MemberAdd', { peerURLs: ['http://x:1'] }));
    t.equal(add?.code, status.UNIMPLEMENTED);
    await stillServing(t);
  });
});
