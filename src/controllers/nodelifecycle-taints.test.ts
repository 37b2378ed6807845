import t from 'tap';
import type { corev1 } from '../api/types.js';
import { tolerationMs } from './nodelifecycle-taints.js';

const taint: corev1.Taint = { key: 'k', value: 'v', effect: 'NoExecute' };

t.test('tolerationMs: 0 when untolerated, undefined when unbounded, else the least bound (negative as 0)', async (t) => {
  t.equal(tolerationMs([taint], []), 0);
  t.equal(tolerationMs([taint], [{ operator: 'Exists' }]), undefined);
  t.equal(tolerationMs([taint], [{ operator: 'Exists', tolerationSeconds: 7 }]), 7_000);
  t.equal(tolerationMs([taint], [{ operator: 'Exists', tolerationSeconds: -3 }]), 0);
  const other: corev1.Taint = { key: 'o', effect: 'NoExecute' };
  t.equal(tolerationMs([taint, other], [{ key: 'k', operator: 'Exists', tolerationSeconds: 9 }, { key: 'o', operator: 'Exists', tolerationSeconds: 4 }]), 4_000);
  t.equal(tolerationMs([taint, other], [{ key: 'k', operator: 'Exists', tolerationSeconds: 9 }]), 0, 'one taint untolerated');
});
