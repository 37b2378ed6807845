import t from 'tap';
import { Etcd3, EtcdLeaseInvalidError, isRecoverableError, type IKeyValue, type Watcher } from 'etcd3';
import { forEachBackend, serve, sleep } from './harness.js';

// The npm etcd3 client (grpc-js) against each backend: KV, transactions,
// watches with prevKv, leases with keep-alive and expiry, lock and STM.

/** Collects a watcher's events as "TYPE key=value" (prev value after "<-"). */
function record(w: Watcher): { events: string[]; waitFor(n: number, ms?: number): Promise<string[]> } {
  const events: string[] = [];
  const show = (kv: IKeyValue): string => `${kv.key.toString()}=${kv.value.toString()}`;
  w.on('put', (kv, prev) => events.push(`PUT ${show(kv)}${prev ? ` <- ${prev.value.toString()}` : ''}`));
  w.on('delete', (kv, prev) => events.push(`DELETE ${kv.key.toString()}${prev ? ` <- ${prev.value.toString()}` : ''}`));
  const waitFor = async (n: number, ms = 5000): Promise<string[]> => {
    const deadline = Date.now() + ms;
    while (events.length < n) {
      if (Date.now() > deadline) throw new Error(`wanted ${n} events, got ${JSON.stringify(events)}`);
      await sleep(10);
    }
    return events.slice(0, n);
  };
  return { events, waitFor };
}

forEachBackend(t, async (t, kind) => {
  const { tcp, socket } = await serve(t, kind);
  const client = new Etcd3({ hosts: `http://${tcp}` });
  t.teardown(() => client.close());

  await t.test('put, get, getAll().prefix(), count, delete', async (t) => {
    await client.put('/kv/a').value('1');
    await client.put('/kv/b').value('2');
    await client.put('/kv/c').value(Buffer.from([0, 255]));
    t.equal(await client.get('/kv/a').string(), '1');
    t.same(await client.get('/kv/c').buffer(), Buffer.from([0, 255]), 'binary values survive');
    t.same(await client.getAll().prefix('/kv/').strings(), { '/kv/a': '1', '/kv/b': '2', '/kv/c': '\u0000\ufffd' });
    t.equal(await client.getAll().prefix('/kv/').count(), 3);
    t.same(await client.getAll().prefix('/kv/').limit(2).keys(), ['/kv/a', '/kv/b']);
    t.equal(await client.get('/kv/missing').string(), null);
    const del = await client.delete().key('/kv/a').getPrevious();
    t.equal(del[0]?.value.toString(), '1', 'delete returns prev kvs');
    t.equal((await client.delete().prefix('/kv/')).deleted, '2');
    t.same(await client.getAll().prefix('/kv/').keys(), []);
  });

  await t.test('if/then/else transactions', async (t) => {
    await client.put('/txn/k').value('v1');
    const ok = await client.if('/txn/k', 'Value', '==', 'v1').then(client.put('/txn/k').value('v2')).else(client.get('/txn/k')).commit();
    t.equal(ok.succeeded, true);
    t.equal(await client.get('/txn/k').string(), 'v2');
    const failed = await client.if('/txn/k', 'Value', '==', 'v1').then(client.put('/txn/k').value('v3')).else(client.get('/txn/k')).commit();
    t.equal(failed.succeeded, false);
    t.equal(failed.responses[0]?.response_range?.kvs[0]?.value.toString(), 'v2', 'else branch result');
    const created = await client.if('/txn/new', 'Create', '==', 0).then(client.put('/txn/new').value('x')).commit();
    t.equal(created.succeeded, true, 'create-if-absent');
    const again = await client.if('/txn/new', 'Create', '==', 0).then(client.put('/txn/new').value('y')).commit();
    t.equal(again.succeeded, false);
  });

  await t.test('watch: events with prevKv, from a past revision, and cancel', async (t) => {
    const watcher = await client.watch().prefix('/watch/').withPreviousKV().create();
    const seen = record(watcher);
    await client.put('/watch/a').value('1');
    await client.put('/watch/a').value('2');
    await client.delete().key('/watch/a');
    t.same(await seen.waitFor(3), ['PUT /watch/a=1', 'PUT /watch/a=2 <- 1', 'DELETE /watch/a <- 2']);
    await watcher.cancel();

    const rev = (await client.put('/watch/b').value('x')).header.revision;
    await client.put('/watch/b').value('y');
    const replay = await client.watch().key('/watch/b').startRevision(rev).create();
    const replayed = record(replay);
    t.same(await replayed.waitFor(2), ['PUT /watch/b=x', 'PUT /watch/b=y']);
    await replay.cancel();

    await client.put('/watch/a').value('after cancel');
    await sleep(200);
    t.equal(seen.events.length, 3, 'no events after cancel');
  });

  await t.test('several watchers on one stream get their own events', async (t) => {
    const [w1, w2] = await Promise.all([client.watch().key('/multi/1').create(), client.watch().key('/multi/2').create()]);
    const s1 = record(w1);
    const s2 = record(w2);
    await client.put('/multi/2').value('b');
    await client.put('/multi/1').value('a');
    t.same(await s1.waitFor(1), ['PUT /multi/1=a']);
    t.same(await s2.waitFor(1), ['PUT /multi/2=b']);
    await Promise.all([w1.cancel(), w2.cancel()]);
  });

  await t.test('leases: keep-alive keeps keys, revoke and expiry delete them', async (t) => {
    const kept = client.lease(2);
    let keepalives = 0;
    kept.on('keepaliveSucceeded', () => keepalives++);
    await kept.put('/lease/kept').value('v');
    await sleep(3500);
    t.equal(await client.get('/lease/kept').string(), 'v', 'alive past its TTL thanks to keep-alives');
    t.ok(keepalives >= 1, `keep-alives were answered (${keepalives})`);
    t.equal((await kept.keepaliveOnce()).TTL, '2', 'a keep-alive answers the granted TTL');
    await kept.revoke();
    t.equal(await client.get('/lease/kept').string(), null, 'revoke deleted the key');

    const expiring = client.lease(1, { autoKeepAlive: false });
    await expiring.put('/lease/gone').value('v');
    await expiring.put('/lease/gone2').value('v');
    const watcher = await client.watch().prefix('/lease/gone').create();
    const seen = record(watcher);
    t.same(await seen.waitFor(2, 5000), ['DELETE /lease/gone', 'DELETE /lease/gone2'], 'expiry deletes every key');
    t.equal(await client.get('/lease/gone').string(), null);
    await watcher.cancel();
    const lost = await expiring.keepaliveOnce().catch((e: unknown) => e);
    t.type(lost, EtcdLeaseInvalidError, 'keep-alive of an expired lease: lease lost');
  });

  await t.test('put with an unknown lease is EtcdLeaseInvalidError', async (t) => {
    const err = await client.put('/lease/bad').value('v').lease('123456789').exec().catch((e: unknown) => e);
    t.type(err, EtcdLeaseInvalidError);
    t.notOk(isRecoverableError(err instanceof Error ? err : new Error()), 'not retried as a connection problem');
  });

  await t.test('lock and STM', async (t) => {
    // etcd3's lock is a try-lock: a create-if-absent txn on the lock key, under a lease.
    const held = await client.lock('/locks/one').ttl(5).acquire();
    await t.rejects(client.lock('/locks/one').acquire(), { message: 'Failed to acquire a lock on /locks/one' }, 'a held lock cannot be taken');
    await held.release();
    const ran = await client.lock('/locks/one').do(async () => 'ran');
    t.equal(ran, 'ran', 'free again after release');

    await client.put('/stm/counter').value('0');
    const bump = () =>
      client.stm({ retries: 20 }).transact(async (tx) => {
        const n = Number(await tx.get('/stm/counter').string());
        await tx.put('/stm/counter').value(String(n + 1));
      });
    await Promise.all(Array.from({ length: 5 }, bump));
    t.equal(await client.get('/stm/counter').string(), '5', 'conflicting STM transactions retried');
  });

  await t.test('the unix socket serves grpc-js clients too', async (t) => {
    const overSocket = new Etcd3({ hosts: `unix://${socket}` });
    t.teardown(() => overSocket.close());
    t.equal(await overSocket.get('/txn/k').string(), 'v2');
  });
});
