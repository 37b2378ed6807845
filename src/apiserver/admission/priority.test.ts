import t from 'tap';
import type { corev1 } from '../../api/types.js';
import { keyspaces } from './lookup.js';
import { priorityPlugin } from './priority.js';
import { admissionContext, attributes, pod, run } from './testing.fixture.js';

const pc = (name: string, value: number, extra: Record<string, unknown> = {}) => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, ...extra });
const classes = keyspaces.priorityClasses;

t.test('pods get priority and preemption policy from their class', async (t) => {
  const cases: { name: string; classes: ReturnType<typeof pc>[]; spec: Record<string, unknown>; err?: string; priority?: number; className?: string; policy?: string }[] = [
    { name: 'no class, no default', classes: [], spec: {}, priority: 0, policy: 'PreemptLowerPriority' },
    { name: 'named class', classes: [pc('high', 1000, { preemptionPolicy: 'Never' })], spec: { priorityClassName: 'high' }, priority: 1000, className: 'high', policy: 'Never' },
    { name: 'global default', classes: [pc('d', 7, { globalDefault: true }), pc('x', 9)], spec: {}, priority: 7, className: 'd' },
    { name: 'lowest of two defaults', classes: [pc('d1', 7, { globalDefault: true }), pc('d2', 5, { globalDefault: true })], spec: {}, priority: 5, className: 'd2' },
    { name: 'missing class', classes: [], spec: { priorityClassName: 'nope' }, err: 'pods "p" is forbidden: no PriorityClass with name nope was found' },
    {
      name: 'own priority differing from the class',
      classes: [pc('high', 1000)],
      spec: { priorityClassName: 'high', priority: 5 },
      err: 'pods "p" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name',
    },
    { name: 'own priority equal to the class', classes: [pc('high', 1000)], spec: { priorityClassName: 'high', priority: 1000 }, priority: 1000 },
  ];
  for (const c of cases) {
    const ctx = await admissionContext(c.classes.map((o) => [classes, o]));
    const a = attributes('pods', pod('p', c.spec));
    const err = await run(priorityPlugin, ctx, a);
    t.equal(err, c.err ?? '', c.name);
    if (c.err) continue;
    const spec = (a.object as corev1.Pod).spec;
    t.equal(spec?.priority, c.priority, `${c.name}: priority`);
    if (c.className) t.equal(spec?.priorityClassName, c.className, `${c.name}: class name`);
    if (c.policy) t.equal(spec?.preemptionPolicy, c.policy, `${c.name}: preemption policy`);
  }
});

t.test('an update keeps the priority creation set', async (t) => {
  const ctx = await admissionContext();
  const old = pod('p', { priority: 100, preemptionPolicy: 'Never' });
  const a = attributes('pods', pod('p'), { operation: 'UPDATE', oldObject: old });
  t.equal(await run(priorityPlugin, ctx, a), '');
  t.equal((a.object as corev1.Pod).spec?.priority, 100);
  t.equal((a.object as corev1.Pod).spec?.preemptionPolicy, 'Never');
});

t.test('only one PriorityClass may be the global default', async (t) => {
  const ctx = await admissionContext([[classes, pc('d', 1, { globalDefault: true })]]);
  t.equal(await run(priorityPlugin, ctx, attributes('priorityclasses.scheduling.k8s.io', pc('e', 2, { globalDefault: true }))), 'priorityclasses.scheduling.k8s.io "e" is forbidden: PriorityClass d is already marked as default. Only one default can exist');
  t.equal(await run(priorityPlugin, ctx, attributes('priorityclasses.scheduling.k8s.io', pc('e', 2))), '', 'a non-default class is fine');
  t.equal(await run(priorityPlugin, ctx, attributes('priorityclasses.scheduling.k8s.io', pc('d', 1, { globalDefault: true }), { operation: 'UPDATE' })), '', 'the default itself may be updated');
  t.match(await run(priorityPlugin, ctx, attributes('priorityclasses.scheduling.k8s.io', pc('x', 1, { globalDefault: true }), { operation: 'UPDATE' })), /already marked as default/);
});
