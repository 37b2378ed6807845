import t from 'tap';
import { silentLogger } from '../../log/logger.js';
import { ManualClock } from '../clock.fixture.js';
import type { SyncResult } from './sync.js';
import { PodWorkers } from './workers.js';

function workers(sync: (uid: string) => Promise<SyncResult>) {
  const clock = new ManualClock();
  const w = new PodWorkers({ clock, logger: silentLogger, resyncMs: 60_000, retryMs: 10_000, sync });
  return { clock, w };
}

t.test('syncs of one pod never overlap; a request during a sync runs once after it', async (t) => {
  const log: string[] = [];
  let release: () => void = () => undefined;
  let active = 0;
  const { w } = workers(async (uid) => {
    active++;
    t.equal(active, 1, 'never two at once');
    log.push(`start ${uid}`);
    await new Promise<void>((r) => (release = r));
    log.push(`end ${uid}`);
    active--;
    return { done: false };
  });
  w.enqueue('a');
  w.enqueue('a');
  w.enqueue('a');
  await new Promise((r) => setImmediate(r));
  release();
  await new Promise((r) => setImmediate(r));
  release();
  await w.idle();
  t.same(log, ['start a', 'end a', 'start a', 'end a']);
  await w.stop();
});

t.test('the next sync comes when the last one asks, after a failure, or at the resync period', async (t) => {
  const results: (SyncResult | Error)[] = [{ done: false, retryAfterMs: 5000 }, new Error('boom'), { done: false }, { done: true }];
  let calls = 0;
  const { clock, w } = workers(async () => {
    const r = results[calls++]!;
    if (r instanceof Error) throw r;
    return r;
  });
  w.enqueue('p');
  await w.idle();
  t.equal(calls, 1);
  clock.advance(4999);
  await w.idle();
  t.equal(calls, 1);
  clock.advance(1);
  await w.idle();
  t.equal(calls, 2, 'retryAfterMs');
  clock.advance(9999);
  await w.idle();
  t.equal(calls, 2);
  clock.advance(1);
  await w.idle();
  t.equal(calls, 3, 'retry after a failure');
  clock.advance(60_000);
  await w.idle();
  t.equal(calls, 4, 'resync');
  t.notOk(w.has('p'), 'a done pod has no worker any more');
  t.equal(clock.timers, 0);
  await w.stop();
});

t.test('a conditional request is dropped when needless says so; a firm one always syncs', async (t) => {
  const clock = new ManualClock();
  let needless = true;
  let calls = 0;
  const w = new PodWorkers({
    clock,
    logger: silentLogger,
    resyncMs: 60_000,
    retryMs: 10_000,
    sync: async () => {
      calls++;
      return { done: false };
    },
    needless: () => needless,
  });
  w.enqueue('p');
  await w.idle();
  t.equal(calls, 1, 'a firm request syncs');
  w.enqueue('p', true);
  await w.idle();
  t.equal(calls, 1, 'a needless conditional request does not');
  w.enqueue('p', true);
  w.enqueue('p');
  await w.idle();
  t.equal(calls, 2, 'a firm request among conditional ones syncs');
  needless = false;
  w.enqueue('p', true);
  await w.idle();
  t.equal(calls, 3, 'a conditional request that is needed syncs');
  clock.advance(60_000);
  await w.idle();
  t.equal(calls, 4, 'the resync timer stays');
  await w.stop();
});
