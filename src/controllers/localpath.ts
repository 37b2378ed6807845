// The local-path provisioner (k3s's `rancher.io/local-path`): a claim of a
// class with this provisioner, once the scheduler has chosen its node
// (`volume.kubernetes.io/selected-node`), gets a hostPath PersistentVolume
// `pvc-<claim uid>` at `<storage dir>/pvc-<uid>_<namespace>_<claim>` on that
// node (DirectoryOrCreate: the node's kubelet makes the directory when a pod
// mounts it), pre-bound to the claim, sized as requested, with the class's
// reclaim policy and a node affinity to the node's hostname label. The
// binder completes the binding.
//
// Clean-up protocol: a volume with reclaim policy Delete carries the
// finalizer `tsk8s.io/local-path-cleanup`. When its claim goes, the binder
// deletes the volume; the kubelet of the node the volume's affinity names
// sees it terminating with the finalizer, removes the directory (only under
// its own storage dir) and then removes the finalizer, which lets the API
// server delete the object.
import { join } from 'node:path';
import type { corev1, storagev1 } from '../api/types.js';
import { runWorkers, WorkQueue, type Client, type EventRecorder, type ResourceClient } from '../client/index.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { isAlreadyExists } from '../machinery/index.js';
import type { Controller, Lister } from './controller.js';
import { annProvisionedBy, annSelectedNode, persistentVolumesRef } from './persistentvolume.js';
import { claimClass } from './persistentvolume-match.js';

type Claim = corev1.PersistentVolumeClaim;
type Volume = corev1.PersistentVolume;
type StorageClass = storagev1.StorageClass;

export const localPathProvisioner = 'rancher.io/local-path';
export const localPathCleanupFinalizer = 'tsk8s.io/local-path-cleanup';
const hostnameLabel = 'kubernetes.io/hostname';
const supportedModes = ['ReadWriteOnce', 'ReadWriteOncePod'];

export interface LocalPathProvisionerOptions {
  client: Client;
  claims: Lister<Claim>;
  volumes: Lister<Volume>;
  classes: Lister<StorageClass>;
  nodes: Lister<corev1.Node>;
  /** `<data-dir>/storage`; a class's `nodePath` parameter overrides it. */
  storageDir?: string;
  recorder: Pick<EventRecorder, 'event'>;
  logger?: Logger;
  queue?: WorkQueue;
}

/** The directory of a claim's volume (k3s's naming). */
export function volumeDirName(claim: Claim): string {
  return `pvc-${claim.metadata?.uid ?? ''}_${claim.metadata?.namespace ?? ''}_${claim.metadata?.name ?? ''}`;
}

/** The PersistentVolume provisioned for `claim` on `node` (its hostname label value in `hostname`). */
export function localPathVolume(claim: Claim, sc: StorageClass, dir: string, node: string, hostname: string): Volume {
  const reclaim = sc.reclaimPolicy ?? 'Delete';
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name: `pvc-${claim.metadata?.uid ?? ''}`,
      annotations: { [annProvisionedBy]: localPathProvisioner, 'local.path.provisioner/selected-node': node },
      ...(reclaim === 'Delete' ? { finalizers: [localPathCleanupFinalizer] } : {}),
    },
    spec: {
      capacity: { storage: claim.spec?.resources?.requests?.['storage'] ?? '0' },
      accessModes: [...(claim.spec?.accessModes ?? [])],
      persistentVolumeReclaimPolicy: reclaim,
      storageClassName: sc.metadata?.name ?? '',
      volumeMode: claim.spec?.volumeMode ?? 'Filesystem',
      ...(sc.mountOptions ? { mountOptions: [...sc.mountOptions] } : {}),
      claimRef: {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        namespace: claim.metadata?.namespace ?? '',
        name: claim.metadata?.name ?? '',
        uid: claim.metadata?.uid ?? '',
        resourceVersion: claim.metadata?.resourceVersion ?? '',
      },
      hostPath: { path: join(dir, volumeDirName(claim)), type: 'DirectoryOrCreate' },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: hostnameLabel, operator: 'In', values: [hostname] }] }] } },
    },
  };
}

export class LocalPathProvisioner implements Controller {
  readonly name = 'local-path-provisioner';
  readonly queue: WorkQueue;
  private readonly log: Logger;
  private readonly volumeApi: ResourceClient<Volume>;

  constructor(private readonly opts: LocalPathProvisionerOptions) {
    this.queue = opts.queue ?? new WorkQueue({ name: this.name });
    this.log = opts.logger ?? silentLogger;
    this.volumeApi = opts.client.resource<Volume>(persistentVolumesRef);
    const onClaim = (c: Claim): void => this.queue.add(`${c.metadata?.namespace ?? ''}/${c.metadata?.name ?? ''}`);
    opts.claims.addEventHandler({ onAdd: onClaim, onUpdate: (_old, c) => onClaim(c) });
  }

  run(workers: number, signal: AbortSignal): Promise<void> {
    return runWorkers(this.queue, (key) => this.sync(key), signal, { workers, logger: this.log });
  }

  async sync(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    const claim = this.opts.claims.get(name, namespace);
    if (!claim || claim.spec?.volumeName || claim.metadata?.deletionTimestamp) return;
    const sc = this.opts.classes.get(claimClass(claim));
    if (!sc || sc.provisioner !== localPathProvisioner) return;
    if (this.opts.volumes.get(`pvc-${claim.metadata?.uid ?? ''}`)) return;
    const fail = (message: string): void => this.opts.recorder.event(claim, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${sc.metadata?.name ?? ''}": ${message}`);
    const node = claim.metadata?.annotations?.[annSelectedNode];
    if (!node) {
      if (sc.volumeBindingMode !== 'WaitForFirstConsumer') fail('configuration error, no node was specified');
      return;
    }
    if (claim.spec?.selector) return fail('claim.Spec.Selector is not supported');
    const modes = claim.spec?.accessModes ?? [];
    if (modes.some((m) => !supportedModes.includes(m))) return fail('Only support ReadWriteOnce access mode');
    const dir = sc.parameters?.['nodePath'] ?? this.opts.storageDir;
    if (!dir) return fail('no storage directory is configured');
    this.opts.recorder.event(claim, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${key}"`);
    const hostname = this.opts.nodes.get(node)?.metadata?.labels?.[hostnameLabel] ?? node;
    const pv = localPathVolume(claim, sc, dir, node, hostname);
    try {
      await this.volumeApi.create(pv);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      return;
    }
    this.log.info('volume provisioned', { claim: key, volume: pv.metadata?.name, node, path: pv.spec?.hostPath?.path });
    this.opts.recorder.event(claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${pv.metadata?.name ?? ''}`);
  }
}
