import t from 'tap';
import { ManualClock } from './clock.js';

t.test('ManualClock fires due timers in deadline order with now() at each deadline', async (t) => {
  const clock = new ManualClock(1000);
  const fired: string[] = [];
  clock.setTimer(() => fired.push(`b@${clock.now()}`), 200);
  clock.setTimer(() => fired.push(`a@${clock.now()}`), 100);
  const late = clock.setTimer(() => fired.push('late'), 500);
  clock.advance(150);
  t.same(fired, ['a@1100']);
  t.equal(clock.now(), 1150);
  late.cancel();
  clock.advance(1000);
  t.same(fired, ['a@1100', 'b@1200']);
  t.equal(clock.now(), 2150);
  t.equal(clock.pendingTimers, 0);
});

t.test('a timer armed by a firing timer fires within the same advance when due', async (t) => {
  const clock = new ManualClock(0);
  const fired: number[] = [];
  clock.setTimer(() => {
    fired.push(clock.now());
    clock.setTimer(() => fired.push(clock.now()), 10);
  }, 10);
  clock.advance(25);
  t.same(fired, [10, 20]);
});
