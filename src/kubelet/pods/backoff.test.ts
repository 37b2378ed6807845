import t from 'tap';
import { ManualClock } from '../clock.fixture.js';
import { Backoff } from './backoff.js';

t.test('container restarts: immediate, then 10 s doubling to 5 min', async (t) => {
  const clock = new ManualClock();
  const b = new Backoff(clock);
  const key = 'p_ns_uid_c_hash';
  // A container that exits as soon as it starts: each exit happens at the restart.
  const waits: number[] = [];
  let exitedAt = clock.now();
  for (let i = 0; i < 8; i++) {
    let waited = 0;
    while (b.inBackoffSince(key, exitedAt)) {
      clock.advance(1000);
      waited += 1000;
    }
    b.next(key, exitedAt);
    waits.push(waited / 1000);
    exitedAt = clock.now();
  }
  t.same(waits, [0, 10, 20, 40, 80, 160, 300, 300]);
  t.equal(b.get(key), 300_000);
  t.equal(b.remainingSince(key, clock.now()), 300_000);
});

t.test('a container that ran longer than 10 minutes starts over at 10 s', async (t) => {
  const clock = new ManualClock();
  const b = new Backoff(clock);
  b.next('k', clock.now());
  b.next('k', clock.now());
  t.equal(b.get('k'), 20_000);
  clock.advance(10 * 60_000 + 1);
  t.notOk(b.inBackoffSince('k', clock.now()), 'expired entries do not hold a restart back');
  b.next('k', clock.now());
  t.equal(b.get('k'), 10_000);
});

t.test('pull retries: measured from the last failure; forget and gc', async (t) => {
  const clock = new ManualClock();
  const b = new Backoff(clock);
  b.next('uid_img', clock.now());
  t.ok(b.inBackoffSinceUpdate('uid_img', clock.now()));
  clock.advance(9_999);
  t.ok(b.inBackoffSinceUpdate('uid_img', clock.now()));
  t.equal(b.remainingSinceUpdate('uid_img'), 1);
  clock.advance(1);
  t.notOk(b.inBackoffSinceUpdate('uid_img', clock.now()));
  b.next('uid_other', clock.now());
  b.forget('uid_');
  t.equal(b.get('uid_img'), 0);
  b.next('x', clock.now());
  clock.advance(600_001);
  b.gc();
  t.equal(b.get('x'), 0);
});
