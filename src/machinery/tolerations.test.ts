import t from 'tap';
import type { corev1 } from '../api/types.js';
import { firstUntolerated, isTolerated, toleratesTaint as tolerates } from './tolerations.js';

const taint: corev1.Taint = { key: 'k', value: 'v', effect: 'NoExecute' };

t.test('toleration matching as upstream', async (t) => {
  t.ok(tolerates({ operator: 'Exists' }, taint), 'empty key with Exists matches everything');
  t.ok(tolerates({ key: 'k', operator: 'Exists', effect: 'NoExecute' }, taint));
  t.ok(tolerates({ key: 'k', value: 'v' }, taint), 'Equal is the default');
  t.notOk(tolerates({ key: 'k', value: 'w' }, taint));
  t.notOk(tolerates({ key: 'k', operator: 'Exists', effect: 'NoSchedule' }, taint));
  t.notOk(tolerates({ key: 'other', operator: 'Exists' }, taint));
});

t.test('the first taint of the given effects that nothing tolerates', async (t) => {
  const soft: corev1.Taint = { key: 'soft', effect: 'PreferNoSchedule' };
  t.equal(firstUntolerated([soft, taint], [], ['NoSchedule', 'NoExecute']), taint);
  t.equal(firstUntolerated([soft, taint], [{ key: 'k', operator: 'Exists' }], ['NoSchedule', 'NoExecute']), undefined);
  t.ok(isTolerated(soft, [{ operator: 'Exists', effect: 'PreferNoSchedule' }]));
});
