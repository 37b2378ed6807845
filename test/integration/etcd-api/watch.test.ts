import t from 'tap';
import { status } from '@grpc/grpc-js';
import { b, forEachBackend, rawClient, serve, sleep, StreamReader, type Msg, type RawClient } from './harness.js';

// The Watch stream at the protocol level (ETCD-FACTS §5.5-5.7), with a raw
// grpc-js client built from the etcd3 package's protos.

interface Ev {
  type: string;
  kv: { key: Buffer; mod_revision: string; value: Buffer };
  prev_kv: { value: Buffer } | null;
}
interface Res {
  header: { revision: string } | null;
  watch_id: string;
  created: boolean;
  canceled: boolean;
  compact_revision: string;
  cancel_reason: string;
  events: Ev[];
}
const asRes = (m: Msg): Res => m as unknown as Res;
const rev = (m: Res): number => Number(m.header?.revision ?? 0);
const keys = (m: Res): string[] => m.events.map((e) => `${e.type.toUpperCase()} ${e.kv.key.toString()}@${e.kv.mod_revision}`);

function openWatch(t: Parameters<Parameters<typeof forEachBackend>[1]>[0], c: RawClient): { r: StreamReader; send(req: Msg): void; next(ms?: number): Promise<Res> } {
  const call = c.stream('Watch', 'Watch');
  t.teardown(() => call.cancel());
  const r = new StreamReader(call);
  return { r, send: (req) => call.write(req), next: async (ms) => asRes(await r.next(ms)) };
}

forEachBackend(t, async (t, kind) => {
  await t.test('protocol', async (t) => {
    const { socket } = await serve(t, kind, { serve: { progressNotifyIntervalMs: 200 } });
    const c = rawClient(t, `unix://${socket}`);
    const put = async (key: string, value = 'v'): Promise<number> => Number(((await c.kv('Put', { key: b(key), value: b(value) })) as { header: { revision: string } }).header.revision);

    await t.test('ids start at 0, created comes first and in order, events follow', async (t) => {
      const w = openWatch(t, c);
      const current = await put('/w/x');
      w.send({ create_request: { key: b('/w/a') } });
      w.send({ create_request: { key: b('/w/b') } });
      const first = await w.next();
      t.match(first, { watch_id: '0', created: true });
      t.equal(rev(first), current, 'created carries the current revision');
      t.match(await w.next(), { watch_id: '1', created: true }, 'the second create is answered after the first');
      const r = await put('/w/b', 'x');
      const ev = await w.next();
      t.equal(ev.watch_id, '1');
      t.same(keys(ev), [`PUT /w/b@${r}`]);
      t.ok(rev(ev) >= r, 'header revision >= the event revision');
    });

    await t.test('history from a start revision; a txn revision is never split', async (t) => {
      const from = await put('/h/a', '1');
      const txn = await c.kv('Txn', { success: [{ request_put: { key: b('/h/b'), value: b('2') } }, { request_put: { key: b('/h/c'), value: b('3') } }, { request_delete_range: { key: b('/h/a') } }] });
      const txnRev = Number((txn as { header: { revision: string } }).header.revision);
      const w = openWatch(t, c);
      w.send({ create_request: { key: b('/h/'), range_end: b('/h0'), start_revision: String(from), prev_kv: true } });
      t.match(await w.next(), { created: true });
      const events: string[] = [];
      let last: Res | undefined;
      while (events.length < 4) {
        last = await w.next();
        const revs = last.events.map((e) => Number(e.kv.mod_revision));
        t.ok(rev(last) >= Math.max(...revs), 'header >= every event');
        if (revs.includes(txnRev)) t.equal(revs.filter((x) => x === txnRev).length, 3, 'all of the txn in one response');
        events.push(...keys(last));
      }
      t.same(events.sort(), [`DELETE /h/a@${txnRev}`, `PUT /h/a@${from}`, `PUT /h/b@${txnRev}`, `PUT /h/c@${txnRev}`].sort());
    });

    await t.test('a compacted start gets created, then a cancel with the compact revision', async (t) => {
      const old = await put('/c/a');
      const now = await put('/c/a');
      t.notOk('code' in (await c.kv('Compact', { revision: String(now) })));
      const w = openWatch(t, c);
      w.send({ create_request: { key: b('/c/a'), start_revision: String(old) } });
      const created = await w.next();
      t.match(created, { watch_id: '0', created: true, canceled: false });
      const canceled = await w.next();
      t.match(canceled, { watch_id: '0', canceled: true, compact_revision: String(now) });
      t.match(canceled.cancel_reason, 'required revision has been compacted');
      w.send({ create_request: { key: b('/c/a'), start_revision: String(now) } });
      t.match(await w.next(), { watch_id: '1', created: true }, 'the compact revision itself is allowed');
      t.match(await w.next(), { watch_id: '1', events: [{ kv: { mod_revision: String(now) } }] });
    });

    await t.test('progress_request: one response with watch_id -1, and only then', async (t) => {
      const w = openWatch(t, c);
      w.send({ create_request: { key: b('/p/a') } });
      await w.next();
      t.same(await w.r.quiet(300), [], 'nothing unasked');
      const current = await put('/p/other');
      w.send({ progress_request: {} });
      const p = await w.next();
      t.match(p, { watch_id: '-1', created: false, canceled: false, events: [] });
      t.equal(rev(p), current, 'progress carries the current revision');
      t.same(await w.r.quiet(300), [], 'exactly one');
    });

    await t.test('progress_notify watches get periodic notifications with their own id', async (t) => {
      const w = openWatch(t, c);
      w.send({ create_request: { key: b('/n/quiet') } });
      await w.next();
      w.send({ create_request: { key: b('/n/a'), progress_notify: true } });
      t.match(await w.next(), { watch_id: '1', created: true });
      const current = await put('/n/other');
      const n = await w.next(2000);
      t.match(n, { watch_id: '1', events: [], created: false, canceled: false });
      t.ok(rev(n) >= current && rev(n) > 0, 'a progress notification carries a revision');
      const more = await w.r.quiet(500);
      t.ok(more.every((m) => asRes(m).watch_id === '1'), 'the watch without progress_notify gets none');
    });

    await t.test('cancel: a reply, then silence; unknown ids get no reply', async (t) => {
      const w = openWatch(t, c);
      w.send({ create_request: { key: b('/x/a') } });
      await w.next();
      w.send({ cancel_request: { watch_id: '0' } });
      t.match(await w.next(), { watch_id: '0', canceled: true });
      await put('/x/a');
      w.send({ cancel_request: { watch_id: '42' } });
      t.same(await w.r.quiet(300), [], 'no events after cancel, no reply to an unknown id');
    });

    await t.test('client-chosen ids, duplicates refused as etcd does', async (t) => {
      const w = openWatch(t, c);
      w.send({ create_request: { key: b('/i/a'), watch_id: '7' } });
      t.match(await w.next(), { watch_id: '7', created: true });
      w.send({ create_request: { key: b('/i/a'), watch_id: '7' } });
      t.match(await w.next(), { watch_id: '-1', created: true, canceled: true, cancel_reason: 'mvcc: duplicate watch ID provided on the WatchStream' });
      w.send({ create_request: { key: b('/i/a') } });
      t.match(await w.next(), { watch_id: '0', created: true });
    });

    await t.test('filters: NOPUT sends only deletes', async (t) => {
      const w = openWatch(t, c);
      w.send({ create_request: { key: b('/f/a'), filters: [0 /* NOPUT */], prev_kv: true } });
      await w.next();
      await put('/f/a', 'x');
      const d = (await c.kv('DeleteRange', { key: b('/f/a') })) as { header: { revision: string } };
      const ev = await w.next();
      t.same(keys(ev), [`DELETE /f/a@${d.header.revision}`]);
      t.equal(ev.events[0]?.prev_kv?.value.toString(), 'x');
    });

    await t.test('a half-closed stream ends every watch and the call, with OK', async (t) => {
      const w = openWatch(t, c);
      w.send({ create_request: { key: b('/e/a') } });
      w.send({ create_request: { key: b('/e/b') } });
      await w.next();
      await w.next();
      w.r.call.end();
      t.match(await w.r.status(), { code: status.OK });
    });
  });

  await t.test('backpressure: a paused reader loses nothing', async (t) => {
    const { socket } = await serve(t, kind);
    const c = rawClient(t, `unix://${socket}`);
    const w = openWatch(t, c);
    w.send({ create_request: { key: b('/bp/'), range_end: b('/bp0') } });
    await w.next();
    w.r.call.pause();
    const value = Buffer.alloc(64 * 1024, 'v');
    const revs: number[] = [];
    for (let i = 0; i < 200; i++) {
      const r = (await c.kv('Put', { key: b(`/bp/${i % 10}`), value })) as { header: { revision: string } };
      revs.push(Number(r.header.revision));
    }
    await sleep(200);
    w.r.call.resume();
    const got: number[] = [];
    while (got.length < revs.length) got.push(...(await w.next()).events.map((e) => Number(e.kv.mod_revision)));
    t.same(got, revs, '12.8 MB of events, in order, no gap');
  });

  await t.test('a watcher too slow to keep up is canceled with a reason', async (t) => {
    const { socket } = await serve(t, kind, { mvcc: { watchQueueLimit: 20 } });
    const c = rawClient(t, `unix://${socket}`);
    const w = openWatch(t, c);
    w.send({ create_request: { key: b('/slow/'), range_end: b('/slow0') } });
    await w.next();
    w.r.call.pause();
    const value = Buffer.alloc(64 * 1024, 'v');
    for (let i = 0; i < 300; i++) await c.kv('Put', { key: b(`/slow/${i % 10}`), value });
    w.r.call.resume();
    let last = 0;
    for (;;) {
      const m = await w.next();
      if (m.canceled) {
        t.match(m, { watch_id: '0', canceled: true, cancel_reason: /fell behind/ });
        break;
      }
      for (const e of m.events) {
        const r = Number(e.kv.mod_revision);
        if (last) t.equal(r, last + 1, 'events before the cancel have no gap');
        last = r;
      }
    }
    t.ok(last < 302, 'canceled before the end');
    const alive = await c.kv('Range', { key: b('/slow/1') });
    t.ok('header' in alive, 'the server keeps serving');
  });
});
