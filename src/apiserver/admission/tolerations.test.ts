import t from 'tap';
import type { corev1 } from '../../api/types.js';
import { admissionContext, attributes, pod, run } from './testing.fixture.js';
import { defaultTolerationSecondsPlugin } from './tolerations.js';

const notReady = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
const unreachable = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };

t.test('adds 300 s tolerations for not-ready and unreachable nodes unless tolerated', async (t) => {
  const cases: [string, corev1.Toleration[], corev1.Toleration[]][] = [
    ['none', [], [notReady, unreachable]],
    ['own not-ready', [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }], [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }, unreachable]],
    ['tolerate everything', [{ operator: 'Exists' }], [{ operator: 'Exists' }]],
    ['a NoSchedule toleration does not count', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoSchedule' }], [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoSchedule' }, notReady, unreachable]],
  ];
  const ctx = await admissionContext();
  for (const [name, given, want] of cases) {
    const a = attributes('pods', pod('p', { tolerations: given }));
    t.equal(await run(defaultTolerationSecondsPlugin, ctx, a), '');
    t.same((a.object as corev1.Pod).spec?.tolerations, want, name);
  }
});

t.test('leaves other resources, subresources and updates alone', async (t) => {
  const ctx = await admissionContext();
  for (const extra of [{ subresource: 'status' }, { operation: 'UPDATE' as const }]) {
    const a = attributes('pods', pod('p'), extra);
    await run(defaultTolerationSecondsPlugin, ctx, a);
    t.equal((a.object as corev1.Pod).spec?.tolerations, undefined);
  }
});
