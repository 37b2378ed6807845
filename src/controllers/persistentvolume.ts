// The PersistentVolume binder (upstream's persistentvolume-binder-controller,
// the parts a single-distribution cluster needs). Claims: an unbound claim
// binds to its pre-bound or best matching volume; with none, a claim of a
// class asks the class's provisioner for one (annotation plus an
// ExternalProvisioning event), a claim of a WaitForFirstConsumer class
// waits for the scheduler to choose a node, a claim without class waits
// for an administrator. A bound claim whose volume is gone is Lost.
// Volumes: unclaimed ones are Available, claimed ones Bound; when their
// claim is deleted they are Released, and then Retain keeps them, Delete
// deletes dynamically provisioned ones (the provisioner's finalizer holds
// the object until its storage is cleaned up; see localpath.ts) and fails
// others, as no in-tree deleter exists here.
//
// One queue holds both kinds of key: claims are `namespace/name`, volumes
// (cluster-scoped, their names never contain `/`) are `name`.
import type { corev1, storagev1 } from '../api/types.js';
import { runWorkers, WorkQueue, type Client, type EventRecorder, type ResourceClient } from '../client/index.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { isNotFound } from '../machinery/index.js';
import type { Controller, Lister } from './controller.js';
import { bindClaim, claimStatus, volumePhase, type BindWrites } from './persistentvolume-bind.js';
import { claimClass, findMatchingVolume, isVolumeBoundToClaim, volumeMismatch } from './persistentvolume-match.js';

type Claim = corev1.PersistentVolumeClaim;
type Volume = corev1.PersistentVolume;
type StorageClass = storagev1.StorageClass;

export const persistentVolumesRef = { group: '', version: 'v1', resource: 'persistentvolumes', namespaced: false } as const;
export const persistentVolumeClaimsRef = { group: '', version: 'v1', resource: 'persistentvolumeclaims', namespaced: true } as const;
export const storageClassesRef = { group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses', namespaced: false } as const;

export const annBindCompleted = 'pv.kubernetes.io/bind-completed';
export const annBoundByController = 'pv.kubernetes.io/bound-by-controller';
export const annProvisionedBy = 'pv.kubernetes.io/provisioned-by';
export const annStorageProvisioner = 'volume.kubernetes.io/storage-provisioner';
export const annBetaStorageProvisioner = 'volume.beta.kubernetes.io/storage-provisioner';
export const annSelectedNode = 'volume.kubernetes.io/selected-node';

export interface PersistentVolumeControllerOptions {
  client: Client;
  claims: Lister<Claim>;
  volumes: Lister<Volume>;
  classes: Lister<StorageClass>;
  recorder: Pick<EventRecorder, 'event'>;
  logger?: Logger;
  queue?: WorkQueue;
}

export class PersistentVolumeController implements Controller {
  readonly name = 'persistentvolume-binder';
  readonly queue: WorkQueue;
  private readonly log: Logger;
  private readonly claimApi: ResourceClient<Claim>;
  private readonly volumeApi: ResourceClient<Volume>;
  private readonly writes: BindWrites;

  constructor(private readonly opts: PersistentVolumeControllerOptions) {
    this.queue = opts.queue ?? new WorkQueue({ name: this.name });
    this.log = opts.logger ?? silentLogger;
    this.claimApi = opts.client.resource<Claim>(persistentVolumeClaimsRef);
    this.volumeApi = opts.client.resource<Volume>(persistentVolumesRef);
    this.writes = { claims: this.claimApi, volumes: this.volumeApi };
    const claimKey = (c: Claim): string => `${c.metadata?.namespace ?? ''}/${c.metadata?.name ?? ''}`;
    const onClaim = (c: Claim): void => this.queue.add(claimKey(c));
    opts.claims.addEventHandler({
      onAdd: onClaim,
      onUpdate: (_old, c) => onClaim(c),
      // The claim's volumes learn at once that they are released.
      onDelete: (c) => {
        if (c.spec?.volumeName) this.queue.add(c.spec.volumeName);
        for (const pv of opts.volumes.list()) if (isVolumeBoundToClaim(pv, c)) this.queue.add(pv.metadata?.name ?? '');
      },
    });
    const onVolume = (pv: Volume): void => {
      this.queue.add(pv.metadata?.name ?? '');
      const ref = pv.spec?.claimRef;
      if (ref?.name) this.queue.add(`${ref.namespace ?? ''}/${ref.name}`);
    };
    opts.volumes.addEventHandler({ onAdd: onVolume, onUpdate: (_old, pv) => onVolume(pv), onDelete: onVolume });
  }

  run(workers: number, signal: AbortSignal): Promise<void> {
    return runWorkers(this.queue, (key) => this.sync(key), signal, { workers, logger: this.log });
  }

  async sync(key: string): Promise<void> {
    const slash = key.indexOf('/');
    if (slash < 0) {
      const pv = this.opts.volumes.get(key);
      if (pv) await this.syncVolume(pv);
      return;
    }
    const claim = this.opts.claims.get(key.slice(slash + 1), key.slice(0, slash));
    if (!claim) return;
    if (claim.metadata?.annotations?.[annBindCompleted]) await this.syncBoundClaim(claim);
    else await this.syncUnboundClaim(claim);
  }

  private event(obj: Claim | Volume, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.opts.recorder.event(obj, type, reason, message);
  }

  private async pending(claim: Claim): Promise<void> {
    await claimStatus(this.claimApi, claim, 'Pending');
  }

  private async syncUnboundClaim(claim: Claim): Promise<void> {
    const wanted = claim.spec?.volumeName;
    if (wanted) {
      const pv = this.opts.volumes.get(wanted);
      if (!pv) {
        this.log.debug('claim waits for its requested volume', { claim: claim.metadata?.name, volume: wanted });
        return this.pending(claim);
      }
      if (!pv.spec?.claimRef) {
        const mismatch = volumeMismatch(claim, pv);
        if (mismatch) {
          this.event(claim, 'Warning', 'VolumeMismatch', `Cannot bind to requested volume "${wanted}": ${mismatch}`);
          return this.pending(claim);
        }
        return bindClaim(this.writes, claim, pv);
      }
      if (isVolumeBoundToClaim(pv, claim)) return bindClaim(this.writes, claim, pv);
      if (claim.metadata?.annotations?.[annBoundByController]) throw new Error(`invalid binding of claim ${claim.metadata?.name ?? ''} to volume ${wanted}`);
      this.event(claim, 'Warning', 'FailedBinding', `volume "${wanted}" already bound to a different claim.`);
      return this.pending(claim);
    }
    const className = claimClass(claim);
    const sc = className ? this.opts.classes.get(className) : undefined;
    const delayBinding = sc?.volumeBindingMode === 'WaitForFirstConsumer';
    const pv = findMatchingVolume(claim, this.opts.volumes.list(), delayBinding);
    if (pv) return bindClaim(this.writes, claim, pv);
    if (delayBinding && !claim.metadata?.annotations?.[annSelectedNode]) {
      this.event(claim, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
      return this.pending(claim);
    }
    if (!className) {
      this.event(claim, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
      return this.pending(claim);
    }
    if (!sc) {
      this.event(claim, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${className}" not found`);
      return this.pending(claim);
    }
    await this.askProvisioner(claim, sc.provisioner);
  }

  /** Names the provisioner on the claim (which it watches for) and says so in an event. */
  private async askProvisioner(claim: Claim, provisioner: string): Promise<void> {
    const annotations = claim.metadata?.annotations ?? {};
    let current = claim;
    if (annotations[annStorageProvisioner] !== provisioner || annotations[annBetaStorageProvisioner] !== provisioner) {
      const next = structuredClone(claim);
      next.metadata = { ...next.metadata, annotations: { ...annotations, [annStorageProvisioner]: provisioner, [annBetaStorageProvisioner]: provisioner } };
      current = await this.claimApi.update(next);
    }
    this.event(
      claim,
      'Normal',
      'ExternalProvisioning',
      `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
    );
    await this.pending(current);
  }

  private async syncBoundClaim(claim: Claim): Promise<void> {
    const name = claim.spec?.volumeName;
    if (!name) {
      this.event(claim, 'Warning', 'ClaimLost', 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!');
      return void (await claimStatus(this.claimApi, claim, 'Lost'));
    }
    const pv = this.opts.volumes.get(name);
    if (!pv) {
      this.event(claim, 'Warning', 'ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
      return void (await claimStatus(this.claimApi, claim, 'Lost'));
    }
    if (!pv.spec?.claimRef || isVolumeBoundToClaim(pv, claim)) return bindClaim(this.writes, claim, pv);
    this.event(claim, 'Warning', 'ClaimMisbound', 'Two claims are bound to the same volume, this one is bound incorrectly');
    await claimStatus(this.claimApi, claim, 'Lost');
  }

  private async syncVolume(pv: Volume): Promise<void> {
    const ref = pv.spec?.claimRef;
    if (!ref?.name || !ref.uid) return void (await volumePhase(this.volumeApi, pv, 'Available'));
    let claim = this.opts.claims.get(ref.name, ref.namespace);
    // A claim missing from the cache may only be new: ask the API before releasing its volume.
    if (!claim) claim = await this.claimApi.get(ref.name, ref.namespace).catch((err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err)));
    if (claim && claim.metadata?.uid !== ref.uid) claim = undefined;
    if (!claim) return this.reclaim(pv);
    const bound = claim.spec?.volumeName;
    if (!bound) {
      // The claim sync completes the binding.
      this.queue.add(`${ref.namespace ?? ''}/${ref.name}`);
      return;
    }
    if (bound === pv.metadata?.name) return void (await volumePhase(this.volumeApi, pv, 'Bound'));
    // The claim went to another volume: undo what this controller set, keep what a user set.
    const next = structuredClone(pv);
    const annotations = { ...next.metadata?.annotations };
    if (annotations[annBoundByController]) {
      delete annotations[annBoundByController];
      delete next.spec?.claimRef;
    } else if (next.spec?.claimRef) delete next.spec.claimRef.uid;
    next.metadata = { ...next.metadata, annotations };
    await volumePhase(this.volumeApi, await this.volumeApi.update(next), 'Available');
  }

  private async reclaim(pv: Volume): Promise<void> {
    let current = pv;
    const phase = pv.status?.phase;
    if (phase !== 'Released' && phase !== 'Failed') current = await volumePhase(this.volumeApi, pv, 'Released');
    if (phase === 'Failed') return;
    const name = pv.metadata?.name ?? '';
    switch (pv.spec?.persistentVolumeReclaimPolicy ?? 'Retain') {
      case 'Retain':
        return;
      case 'Delete':
        if (pv.metadata?.deletionTimestamp) return;
        if (!pv.metadata?.annotations?.[annProvisionedBy]) {
          this.event(pv, 'Warning', 'VolumeFailedDelete', `error getting deleter volume plugin for volume "${name}": no deletable volume plugin matched`);
          await volumePhase(this.volumeApi, current, 'Failed');
          return;
        }
        try {
          await this.volumeApi.delete(name, { preconditions: { uid: pv.metadata.uid ?? '' } });
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
        this.log.info('released volume deleted', { volume: name });
        return;
      default:
        this.event(pv, 'Warning', 'VolumeFailedRecycle', 'No recycler plugin found for the volume!');
        await volumePhase(this.volumeApi, current, 'Failed');
    }
  }
}
