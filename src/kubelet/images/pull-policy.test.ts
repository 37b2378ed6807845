import t from 'tap';
import { effectivePullPolicy, shouldPull, type PullPolicy } from './pull-policy.js';

t.test('a container without a policy gets Always for latest and IfNotPresent otherwise', async (t) => {
  const cases: [string, PullPolicy][] = [
    ['busybox', 'Always'],
    ['busybox:latest', 'Always'],
    ['docker.io/library/busybox', 'Always'],
    ['localhost:5000/app', 'Always'],
    ['busybox:1.35', 'IfNotPresent'],
    ['localhost/tsk8s/pause:3.10', 'IfNotPresent'],
    [`busybox@sha256:${'a'.repeat(64)}`, 'IfNotPresent'],
    [`busybox:latest@sha256:${'a'.repeat(64)}`, 'Always'],
  ];
  for (const [image, want] of cases) t.equal(effectivePullPolicy(image), want, image);
});

t.test("a container's own policy wins; an unknown one falls back to the default", async (t) => {
  t.equal(effectivePullPolicy('busybox', 'Never'), 'Never');
  t.equal(effectivePullPolicy('busybox', 'IfNotPresent'), 'IfNotPresent');
  t.equal(effectivePullPolicy('busybox:1', 'Always'), 'Always');
  t.equal(effectivePullPolicy('busybox:1', ''), 'IfNotPresent');
  t.equal(effectivePullPolicy('busybox', 'always'), 'Always', 'policies are case-sensitive: the default applies');
});

t.test('shouldPull: Always always, IfNotPresent when missing, Never never', async (t) => {
  t.same(
    (['Always', 'IfNotPresent', 'Never'] as const).map((p) => [shouldPull(p, true), shouldPull(p, false)]),
    [
      [true, true],
      [false, true],
      [false, false],
    ],
  );
});
