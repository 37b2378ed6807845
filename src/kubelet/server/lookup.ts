// How the kubelet server finds what a request names. The kubelet core owns
// the answer (it knows its pods); `criLookup` answers from the runtime's
// own records alone (the labels the kubelet puts on every sandbox and
// container), which is enough for a kubelet that has just restarted too.
import type { RuntimeService } from '../cri/runtime.js';
import type { Container } from '../cri/types.js';
import { containerNameLabel, podNameLabel, podNamespaceLabel } from '../pods/labels.js';

export interface ContainerTarget {
  /** The container's current (latest) instance. */
  containerId: string;
  logPath: string;
  /** The log of the instance before it, when there is one (`previous=true`). */
  previousLogPath?: string;
}

export interface ContainerLookup {
  /** The named container of the pod; undefined when the runtime has none. */
  findContainer(namespace: string, pod: string, container: string): Promise<ContainerTarget | undefined>;
  /** The id of the pod's ready sandbox (port-forward); undefined when there is none. */
  findSandbox(namespace: string, pod: string): Promise<string | undefined>;
}

/** Newest first: by attempt, then by creation time. */
function newestFirst(a: Container, b: Container): number {
  const attempts = (b.metadata.attempt ?? 0) - (a.metadata.attempt ?? 0);
  if (attempts !== 0) return attempts;
  return a.createdAt === b.createdAt ? 0 : a.createdAt < b.createdAt ? 1 : -1;
}

export function criLookup(runtime: RuntimeService): ContainerLookup {
  return {
    async findContainer(namespace, pod, container) {
      const found = await runtime.listContainers({ labelSelector: { [podNamespaceLabel]: namespace, [podNameLabel]: pod, [containerNameLabel]: container } });
      const sandboxes = await runtime.listPodSandbox({ labelSelector: { [podNamespaceLabel]: namespace, [podNameLabel]: pod } });
      // Containers of the newest sandbox only: a pod recreated under the same name starts over.
      const newest = sandboxes.sort((a, b) => (a.createdAt === b.createdAt ? 0 : a.createdAt < b.createdAt ? 1 : -1))[0];
      const own = found.filter((c) => newest === undefined || c.podSandboxId === newest.id).sort(newestFirst);
      const [current, previous] = own;
      if (!current) return undefined;
      const status = await runtime.containerStatus(current.id);
      const target: ContainerTarget = { containerId: current.id, logPath: status.logPath };
      if (previous) {
        const before = await runtime.containerStatus(previous.id);
        if (before.logPath) target.previousLogPath = before.logPath;
      }
      return target;
    },
    async findSandbox(namespace, pod) {
      const sandboxes = await runtime.listPodSandbox({ state: 'SANDBOX_READY', labelSelector: { [podNamespaceLabel]: namespace, [podNameLabel]: pod } });
      return sandboxes.sort((a, b) => (a.createdAt === b.createdAt ? 0 : a.createdAt < b.createdAt ? 1 : -1))[0]?.id;
    },
  };
}
