import t from 'tap';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { CallQueue } from './call-queue.js';

// Slices of 20 ms and calls of 12 ms: wide margins against a busy machine.
const sliceMs = 20;
const callMs = 12;

/** A call that keeps the thread busy, as a large read does. */
function busy(log: string[], name: string): () => void {
  return () => {
    const until = performance.now() + callMs;
    while (performance.now() < until);
    log.push(name);
  };
}

t.test('calls run at once while the turn has time, the rest in later turns, in order', async (t) => {
  const q = new CallQueue(sliceMs);
  const log: string[] = [];
  for (const name of ['a', 'b', 'c', 'd', 'e']) q.run(busy(log, name));
  q.run(() => log.push('f'));
  t.same(log, ['a', 'b'], 'b started inside the slice; c found it used up, and the later calls wait behind c');
  await nextTurn();
  t.same(log, ['a', 'b', 'c', 'd'], 'the next turn ran one slice of the waiting calls');
  await nextTurn();
  t.same(log, ['a', 'b', 'c', 'd', 'e', 'f'], 'and the turn after that the rest, in arrival order');
});

t.test('cheap calls of one turn all run at once', async (t) => {
  const q = new CallQueue(sliceMs);
  const log: string[] = [];
  for (let i = 0; i < 1000; i++) q.run(() => log.push(String(i)));
  t.equal(log.length, 1000);
});

t.test('a burst of slow calls lets other work of the loop run between its slices', async (t) => {
  const q = new CallQueue(sliceMs);
  const log: string[] = [];
  // Stands for Node's HTTP/2 writes and reads, which run once per turn.
  const tick = (): void => {
    if (log.filter((e) => e === 'call').length === 6) return;
    log.push('io');
    setImmediate(tick);
  };
  setImmediate(tick);
  for (let i = 0; i < 6; i++) q.run(busy(log, 'call'));
  while (log.filter((e) => e === 'call').length < 6) await nextTurn();
  t.same(log.join(' '), 'call call io call call io call call', 'two calls per slice, the loop in between');
});

t.test('a new turn starts a new slice', async (t) => {
  const q = new CallQueue(sliceMs);
  const log: string[] = [];
  q.run(busy(log, 'a'));
  q.run(busy(log, 'b'));
  await nextTurn();
  q.run(() => log.push('c'));
  t.same(log, ['a', 'b', 'c'], 'the call of the next turn did not wait');
});
