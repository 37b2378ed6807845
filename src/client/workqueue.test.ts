import t from 'tap';
import { BucketRateLimiter, ItemExponentialRateLimiter, MaxOfRateLimiter, runWorkers, WorkQueue } from './workqueue.js';

t.test('a key added many times is queued once', async (t) => {
  const q = new WorkQueue();
  q.add('a');
  q.add('b');
  q.add('a');
  t.equal(q.length, 2);
  t.equal(await q.get(), 'a');
  t.equal(await q.get(), 'b');
  q.shutDown();
  t.equal(await q.get(), undefined);
});

t.test('a key added while being processed is handed out again only after done', async (t) => {
  const q = new WorkQueue();
  q.add('a');
  const key = await q.get();
  q.add('a');
  t.equal(q.length, 0, 'not queued while processing');
  q.done(key!);
  t.equal(q.length, 1, 'queued again after done');
  t.equal(await q.get(), 'a');
  q.shutDown();
});

t.test('a waiting get is woken by add and by shutDown', async (t) => {
  const q = new WorkQueue();
  const first = q.get();
  q.add('x');
  t.equal(await first, 'x');
  const second = q.get();
  q.shutDown();
  t.equal(await second, undefined);
  q.add('y');
  t.equal(q.length, 0, 'adds after shutdown are dropped');
});

t.test('per-item back-off doubles from 5 ms up to 1000 s and resets on forget', async (t) => {
  const l = new ItemExponentialRateLimiter();
  t.same([l.when('k'), l.when('k'), l.when('k'), l.when('k')], [5, 10, 20, 40]);
  t.equal(l.retries('k'), 4);
  for (let i = 0; i < 40; i++) l.when('k');
  t.equal(l.when('k'), 1_000_000);
  l.forget('k');
  t.equal(l.when('k'), 5);
  t.equal(l.when('other'), 5, 'keys back off independently');
});

t.test('the overall bucket allows a burst, then spaces attempts at its rate', async (t) => {
  let now = 0;
  const b = new BucketRateLimiter(10, 3, () => now);
  t.same([b.when(), b.when(), b.when()], [0, 0, 0]);
  t.equal(b.when(), 100);
  now = 1000;
  t.equal(b.when(), 0, 'refilled');
  const both = new MaxOfRateLimiter(new ItemExponentialRateLimiter(5, 1000), new BucketRateLimiter(10, 100));
  t.equal(both.when('a'), 5);
});

t.test('addAfter delays a key; an earlier pending add wins', async (t) => {
  const q = new WorkQueue();
  q.addAfter('a', 30);
  q.addAfter('a', 5000);
  t.equal(q.length, 0);
  const start = Date.now();
  const keepAlive = setTimeout(() => undefined, 1000); // delayed adds do not hold the process open
  t.equal(await q.get(), 'a');
  clearTimeout(keepAlive);
  t.ok(Date.now() - start < 1000);
  q.shutDown();
});

t.test('runWorkers retries failures with back-off, forgets on success, and stops on abort', async (t) => {
  const q = new WorkQueue({ rateLimiter: new ItemExponentialRateLimiter(1, 10) });
  const ac = new AbortController();
  const calls: string[] = [];
  let active = 0;
  let maxActive = 0;
  const done = runWorkers(
    q,
    async (key) => {
      active++;
      maxActive = Math.max(maxActive, active);
      calls.push(key);
      await new Promise((r) => setTimeout(r, 2));
      active--;
      if (key === 'flaky' && calls.filter((k) => k === 'flaky').length < 3) throw new Error('try again');
    },
    ac.signal,
    { workers: 4 },
  );
  q.add('flaky');
  q.add('ok');
  await new Promise((r) => setTimeout(r, 100));
  t.equal(calls.filter((k) => k === 'flaky').length, 3, 'retried until it succeeded');
  t.equal(calls.filter((k) => k === 'ok').length, 1);
  t.equal(q.retries('flaky'), 0, 'forgotten after success');
  t.ok(maxActive <= 2);
  ac.abort();
  await done;
  t.ok(q.shuttingDown);
});

t.test('one key is never processed by two workers at once', async (t) => {
  const q = new WorkQueue();
  const ac = new AbortController();
  let active = 0;
  let overlap = false;
  let runs = 0;
  const done = runWorkers(
    q,
    async () => {
      if (active > 0) overlap = true;
      active++;
      runs++;
      await new Promise((r) => setTimeout(r, 10));
      active--;
    },
    ac.signal,
    { workers: 5 },
  );
  for (let i = 0; i < 5; i++) {
    q.add('same');
    await new Promise((r) => setTimeout(r, 3));
  }
  await new Promise((r) => setTimeout(r, 60));
  t.notOk(overlap);
  t.ok(runs >= 1 && runs < 5, `coalesced (${runs} runs)`);
  ac.abort();
  await done;
});
