// The node's half of local-path volumes' reclaim. The provisioner gives a
// volume with reclaim policy Delete the finalizer `tsk8s.io/local-path-cleanup`;
// the binder deletes the volume once its claim is gone. This kubelet acts on
// a volume that is being deleted, carries that finalizer, and whose required
// node affinity selects this node: it removes the volume's directory — only
// when the directory lies inside this node's storage dir, and only when the
// reclaim policy (still) says Delete — and then removes the finalizer, which
// lets the API server delete the object. While a pod of this node still uses
// the volume's claim (a claim deleted under a running pod: no
// StorageObjectInUseProtection here) the clean-up waits and looks again. A
// directory outside the storage dir is left alone and the volume stays
// Terminating, logged, for an administrator.
import { rmSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { corev1 } from '../../api/types.js';
import { runWorkers, WorkQueue, type Client, type InformerHandlers, type ResourceClient } from '../../client/index.js';
import type { Logger } from '../../log/logger.js';

type Volume = corev1.PersistentVolume;

export const localPathCleanupFinalizer = 'tsk8s.io/local-path-cleanup';
export const persistentVolumesRef = { group: '', version: 'v1', resource: 'persistentvolumes', namespaced: false } as const;

export interface LocalPathCleanupOptions {
  client: Client;
  /** The PersistentVolumes (an informer). */
  volumes: { get(name: string): Volume | undefined; addEventHandler(h: InformerHandlers<Volume>): () => void };
  /** This node as the API has it (its labels decide the affinity); undefined when not registered. */
  node(): Promise<corev1.Node | undefined>;
  /** `<data-dir>/storage`: the only place this kubelet removes volume directories from. */
  storageDir: string;
  /** Whether a pod of this node that has not finished mounts the claim. */
  claimInUse(namespace: string, name: string): boolean;
  /** How long to wait before looking again at a volume still in use. Default 2 s. */
  inUseRetryMs?: number;
  logger: Logger;
  queue?: WorkQueue;
}

/** One node selector requirement against labels (Gt and Lt compare integers), as upstream. */
function requirementHolds(r: corev1.NodeSelectorRequirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = labels[r.key] ?? '';
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return has && values.includes(value);
    case 'NotIn':
      return !has || !values.includes(value);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      const [a, b] = [Number.parseInt(value, 10), Number.parseInt(values[0] ?? '', 10)];
      if (!has || values.length !== 1 || Number.isNaN(a) || Number.isNaN(b)) return false;
      return r.operator === 'Gt' ? a > b : a < b;
    }
    default:
      return false;
  }
}

/** Whether the volume's required node affinity selects `node` (terms ORed, a term's parts ANDed). */
export function affinityMatchesNode(pv: Volume, node: corev1.Node): boolean {
  const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms ?? [];
  const labels = node.metadata?.labels ?? {};
  const fields = { 'metadata.name': node.metadata?.name ?? '' };
  return terms.some((t) => {
    const exprs = t.matchExpressions ?? [];
    const byField = t.matchFields ?? [];
    if (exprs.length === 0 && byField.length === 0) return false;
    return exprs.every((r) => requirementHolds(r, labels)) && byField.every((r) => r.key === 'metadata.name' && requirementHolds(r, fields));
  });
}

/** Whether a pod that has not finished mounts the claim (directly, or as its generic ephemeral volume `<pod>-<volume>`). */
export function podUsesClaim(pod: corev1.Pod, claim: string): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  return (pod.spec?.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === claim || (v.ephemeral && `${pod.metadata?.name ?? ''}-${v.name}` === claim));
}

/** True when `path` names something strictly inside `dir`. */
export function isInside(dir: string, path: string): boolean {
  const rel = relative(resolve(dir), resolve(path));
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

export class LocalPathCleaner {
  readonly queue: WorkQueue;
  private readonly api: ResourceClient<Volume>;

  constructor(private readonly opts: LocalPathCleanupOptions) {
    this.queue = opts.queue ?? new WorkQueue({ name: 'local-path-cleanup' });
    this.api = opts.client.resource<Volume>(persistentVolumesRef);
    const consider = (pv: Volume): void => {
      if (pv.metadata?.deletionTimestamp && pv.metadata.finalizers?.includes(localPathCleanupFinalizer)) this.queue.add(pv.metadata.name ?? '');
    };
    opts.volumes.addEventHandler({ onAdd: consider, onUpdate: (_old, pv) => consider(pv) });
  }

  run(signal: AbortSignal): Promise<void> {
    return runWorkers(this.queue, (name) => this.sync(name), signal, { workers: 1, logger: this.opts.logger });
  }

  async sync(name: string): Promise<void> {
    const pv = this.opts.volumes.get(name);
    const finalizers = pv?.metadata?.finalizers ?? [];
    if (!pv?.metadata?.deletionTimestamp || !finalizers.includes(localPathCleanupFinalizer)) return;
    const node = await this.opts.node();
    if (!node || !affinityMatchesNode(pv, node)) return;
    const ref = pv.spec?.claimRef;
    if (ref?.name && this.opts.claimInUse(ref.namespace ?? '', ref.name)) {
      this.opts.logger.info('volume still in use by a pod; clean-up waits', { volume: name, claim: `${ref.namespace ?? ''}/${ref.name}` });
      this.queue.addAfter(name, this.opts.inUseRetryMs ?? 2000);
      return;
    }
    const path = pv.spec?.hostPath?.path ?? pv.spec?.local?.path ?? '';
    if (!isInside(this.opts.storageDir, path)) {
      this.opts.logger.warn('volume directory is outside the storage dir; not removed', { volume: name, path, storageDir: this.opts.storageDir });
      return;
    }
    if (pv.spec?.persistentVolumeReclaimPolicy === 'Delete') {
      rmSync(path, { recursive: true, force: true });
      this.opts.logger.info('volume directory removed', { volume: name, path });
    }
    const rest = finalizers.filter((f) => f !== localPathCleanupFinalizer);
    await this.api.patch(name, { metadata: { finalizers: rest, resourceVersion: pv.metadata.resourceVersion } });
  }
}
