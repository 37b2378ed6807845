// DefaultTolerationSeconds: a new pod that does not tolerate the
// `node.kubernetes.io/not-ready` and `unreachable` NoExecute taints gets
// tolerations for them lasting 300 s, so the node lifecycle controller
// evicts it five minutes after its node fails, not at once.
import type { corev1 } from '../../api/types.js';
import type { AdmissionPlugin } from './types.js';

export const notReadyTaint = 'node.kubernetes.io/not-ready';
export const unreachableTaint = 'node.kubernetes.io/unreachable';
export const defaultTolerationSeconds = 300;

function tolerates(tolerations: readonly corev1.Toleration[], key: string): boolean {
  return tolerations.some((t) => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect));
}

export const defaultTolerationSecondsPlugin: AdmissionPlugin = {
  name: 'DefaultTolerationSeconds',
  async admit(_ctx, a) {
    if (a.gr !== 'pods' || a.subresource !== '' || a.operation !== 'CREATE') return;
    const spec = ((a.object as corev1.Pod).spec ??= { containers: [] });
    const tolerations = [...(spec.tolerations ?? [])];
    for (const key of [notReadyTaint, unreachableTaint]) {
      if (!tolerates(tolerations, key)) tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: defaultTolerationSeconds });
    }
    spec.tolerations = tolerations;
  },
};
