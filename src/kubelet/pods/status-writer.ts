// Writes pod status through the pods/status subresource, and only when it
// changed: the new status is compared with the one the pod carries and the
// last one written. The write is a JSON patch that first tests the pod's
// uid (a pod recreated under the same name is never written to) and then
// sets each field the kubelet owns, leaving other status fields alone.
import type { corev1 } from '../../api/types.js';
import type { Client } from '../../client/index.js';
import { isInvalid, isNotFound } from '../../machinery/index.js';
import { canonical } from '../canonical.js';

export class StatusWriter {
  /** Per uid: the status last written, and the resourceVersion of the pod it was computed from. */
  private readonly written = new Map<string, { status: string; from: string | undefined }>();

  constructor(private readonly client: Client) {}

  /** Patches the pod's status when it differs; returns the updated pod, or undefined when nothing was written. */
  async write(pod: corev1.Pod, status: corev1.PodStatus): Promise<corev1.Pod | undefined> {
    const uid = pod.metadata?.uid ?? '';
    const next = canonical(status);
    if (next === canonical(pod.status ?? {})) return undefined;
    const last = this.written.get(uid);
    // The cache has not caught up with our own write yet.
    if (last?.status === next && last.from === pod.metadata?.resourceVersion) return undefined;
    const ops: unknown[] = [{ op: 'test', path: '/metadata/uid', value: uid }];
    if (pod.status === undefined) ops.push({ op: 'add', path: '/status', value: {} });
    for (const [key, value] of Object.entries(status)) if (value !== undefined) ops.push({ op: 'add', path: `/status/${key}`, value });
    try {
      const updated = await this.client.pods.patch(pod.metadata?.name ?? '', ops, { namespace: pod.metadata?.namespace, subresource: 'status', type: 'json' });
      this.written.set(uid, { status: next, from: pod.metadata?.resourceVersion });
      return updated;
    } catch (err) {
      // Gone, or replaced by a pod of the same name (the uid test failed).
      if (isNotFound(err) || isInvalid(err)) return undefined;
      throw err;
    }
  }

  forget(uid: string): void {
    this.written.delete(uid);
  }
}
