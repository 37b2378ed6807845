import t from 'tap';
import { Backoff, sleep } from './backoff.js';

t.test('delays double up to the cap and reset to the start', async (t) => {
  const b = new Backoff({ initialMs: 100, maxMs: 500, jitter: 0 });
  t.same([b.next(), b.next(), b.next(), b.next(), b.next()], [100, 200, 400, 500, 500]);
  b.reset();
  t.equal(b.next(), 100);
});

t.test('jitter stretches a delay by at most its fraction, never past the cap', async (t) => {
  const b = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0.5, random: () => 0.999 });
  t.equal(b.next(), 150);
  const capped = new Backoff({ initialMs: 1000, maxMs: 1000, jitter: 0.5, random: () => 0.999 });
  t.equal(capped.next(), 1000);
});

t.test('sleep ends early when the signal aborts', async (t) => {
  const abort = new AbortController();
  const started = Date.now();
  setTimeout(() => abort.abort(), 10);
  await sleep(10_000, abort.signal);
  t.ok(Date.now() - started < 1000);
  await sleep(10_000, abort.signal);
  t.pass('an aborted signal returns at once');
});
