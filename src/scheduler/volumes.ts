// VolumeBinding's access to claims, volumes and classes: informer caches for
// reads, the client for its two writes, and a wait for claims to be Bound.
import type { corev1, storagev1 } from '../api/types.js';
import { keyOf, type Client, type ResourceClient, type SharedInformerFactory } from '../client/index.js';
import type { SchedulingQueue } from './framework/queue.js';
import { selectedNodeAnnotation, type VolumeAccess } from './plugins/volumebinding.js';

export const volumeRefs = {
  claims: { group: '', version: 'v1', resource: 'persistentvolumeclaims', namespaced: true },
  volumes: { group: '', version: 'v1', resource: 'persistentvolumes', namespaced: false },
  classes: { group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses', namespaced: false },
} as const;

export interface VolumeInformers {
  readonly access: VolumeAccess;
  readonly synced: Promise<void>;
  /** Removes the event handlers. */
  close(): void;
}

/** How long PreBind waits for claims to be Bound (upstream's bindTimeoutSeconds default). */
export const defaultBindTimeoutMs = 600_000;

export function volumeInformers(
  client: Client,
  informers: SharedInformerFactory,
  queue: SchedulingQueue,
  signal: AbortSignal,
  bindTimeoutMs = defaultBindTimeoutMs,
): VolumeInformers {
  const claims = informers.informerFor<corev1.PersistentVolumeClaim>(volumeRefs.claims);
  const volumes = informers.informerFor<corev1.PersistentVolume>(volumeRefs.volumes);
  const classes = informers.informerFor<storagev1.StorageClass>(volumeRefs.classes);
  const claimClient: ResourceClient<corev1.PersistentVolumeClaim> = client.resource(volumeRefs.claims);
  const volumeClient: ResourceClient<corev1.PersistentVolume> = client.resource(volumeRefs.volumes);
  const move = { onAdd: () => queue.moveOnEvent('VolumeChange'), onUpdate: () => queue.moveOnEvent('VolumeChange') };
  const removers = [claims.addEventHandler(move), volumes.addEventHandler(move), classes.addEventHandler(move)];

  const isBound = (c: corev1.PersistentVolumeClaim): boolean => {
    const now = claims.get(c.metadata?.name ?? '', c.metadata?.namespace);
    return now?.status?.phase === 'Bound' && !!now.spec?.volumeName;
  };

  const access: VolumeAccess = {
    claim: (namespace, name) => claims.get(name, namespace),
    volume: (name) => volumes.get(name),
    volumes: () => volumes.list(),
    storageClass: (name) => classes.get(name),
    async bindVolume(pv, claim) {
      const claimRef = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: claim.metadata?.namespace, name: claim.metadata?.name, uid: claim.metadata?.uid };
      await volumeClient.patch(pv.metadata?.name ?? '', {
        metadata: { annotations: { 'pv.kubernetes.io/bound-by-controller': 'yes' }, resourceVersion: pv.metadata?.resourceVersion },
        spec: { claimRef },
      });
    },
    async selectNode(claim, node) {
      if (claim.metadata?.annotations?.[selectedNodeAnnotation] === node) return;
      await claimClient.patch(claim.metadata?.name ?? '', { metadata: { annotations: { [selectedNodeAnnotation]: node } } }, { namespace: claim.metadata?.namespace });
    },
    async waitBound(pending) {
      const deadline = Date.now() + bindTimeoutMs;
      while (!pending.every(isBound)) {
        if (signal?.aborted) throw new Error('stopped while waiting for volumes to bind');
        if (Date.now() > deadline) {
          const left = pending.filter((c) => !isBound(c)).map((c) => keyOf(c.metadata?.name ?? '', c.metadata?.namespace));
          throw new Error(`binding volumes: timed out waiting for the condition (claims ${left.join(', ')})`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
  return {
    access,
    synced: Promise.all([claims.synced, volumes.synced, classes.synced]).then(() => undefined),
    close: () => removers.forEach((r) => r()),
  };
}
