// VolumeBinding: a pod's PersistentVolumeClaims must be usable on the node.
// Bound claims: their volume's node affinity must match. Claims of a
// WaitForFirstConsumer class: an available volume must fit on the node, or
// the class must provision. Unbound claims of an Immediate class wait for
// the volume controller. PreBind then commits the choice as upstream does:
// a static volume gets the claimRef, a claim to provision gets the
// `volume.kubernetes.io/selected-node` annotation, and the binding waits
// until every claim is Bound.
import type { corev1, storagev1 } from '../../api/types.js';
import type { CycleContext, FilterPlugin, PreBindPlugin, PreFilterPlugin } from '../framework/interfaces.js';
import type { NodeInfo } from '../framework/nodeinfo.js';
import { resourceFromList } from '../framework/resources.js';
import { errorStatus, skip, success, unresolvable, type Status } from '../framework/status.js';
import { nodeSelectorMatches } from './nodeselector.js';

export const volumeBindingName = 'VolumeBinding';
export const errReasonBindConflict = "node(s) didn't find available persistent volumes to bind";
export const errReasonNodeConflict = 'node(s) had volume node affinity conflict';
export const errReasonPVNotExist = 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)';
export const errUnboundImmediate = 'pod has unbound immediate PersistentVolumeClaims';
export const selectedNodeAnnotation = 'volume.kubernetes.io/selected-node';
const noProvisioner = 'kubernetes.io/no-provisioner';

/** Read access to the volume objects (informer caches) and the writes PreBind needs. */
export interface VolumeAccess {
  claim(namespace: string, name: string): corev1.PersistentVolumeClaim | undefined;
  volume(name: string): corev1.PersistentVolume | undefined;
  volumes(): readonly corev1.PersistentVolume[];
  storageClass(name: string): storagev1.StorageClass | undefined;
  /** Sets spec.claimRef on a volume (static binding). */
  bindVolume(pv: corev1.PersistentVolume, claim: corev1.PersistentVolumeClaim): Promise<void>;
  /** Annotates a claim with the selected node (dynamic provisioning). */
  selectNode(claim: corev1.PersistentVolumeClaim, node: string): Promise<void>;
  /** Resolves when every claim is Bound; rejects after the timeout. */
  waitBound(claims: readonly corev1.PersistentVolumeClaim[]): Promise<void>;
}

/** The claim names a pod uses: persistentVolumeClaim volumes and generic ephemeral volumes (`<pod>-<volume>`). */
export function podClaimNames(pod: corev1.Pod): string[] {
  const names: string[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    if (v.persistentVolumeClaim) names.push(v.persistentVolumeClaim.claimName);
    else if (v.ephemeral) names.push(`${pod.metadata?.name ?? ''}-${v.name}`);
  }
  return names;
}

interface ClaimState {
  bound: corev1.PersistentVolumeClaim[];
  delayed: corev1.PersistentVolumeClaim[];
}

function bytes(quantity: string | undefined): number {
  return resourceFromList({ storage: quantity ?? '0' }).scalar['storage'] ?? 0;
}

function volumeFitsNode(pv: corev1.PersistentVolume, node: corev1.Node): boolean {
  const required = pv.spec?.nodeAffinity?.required;
  return !required || nodeSelectorMatches(required, node);
}

/** An available volume the claim could bind to on this node (smallest that fits). */
export function findVolume(claim: corev1.PersistentVolumeClaim, volumes: readonly corev1.PersistentVolume[], node: corev1.Node, taken: ReadonlySet<string>): corev1.PersistentVolume | undefined {
  const want = bytes(claim.spec?.resources?.requests?.['storage']);
  const cls = claim.spec?.storageClassName ?? '';
  const modes = claim.spec?.accessModes ?? [];
  let best: corev1.PersistentVolume | undefined;
  let bestSize = Infinity;
  for (const pv of volumes) {
    const name = pv.metadata?.name ?? '';
    if (taken.has(name) || pv.spec?.claimRef || pv.status?.phase !== 'Available') continue;
    if ((pv.spec?.storageClassName ?? '') !== cls) continue;
    if (!modes.every((m) => pv.spec?.accessModes?.includes(m))) continue;
    const size = bytes(pv.spec?.capacity?.['storage']);
    if (size < want || size >= bestSize || !volumeFitsNode(pv, node)) continue;
    best = pv;
    bestSize = size;
  }
  return best;
}

function allowedTopologyFits(sc: storagev1.StorageClass, node: corev1.Node): boolean {
  const terms = sc.allowedTopologies ?? [];
  if (terms.length === 0) return true;
  const labels = node.metadata?.labels ?? {};
  return terms.some((t) => (t.matchLabelExpressions ?? []).every((e) => e.values.includes(labels[e.key] ?? '\u0000')));
}

const stateKey = 'VolumeBinding/claims';

export function volumeBinding(access: VolumeAccess): PreFilterPlugin & FilterPlugin & PreBindPlugin {
  /** Per node: what PreBind should do (volume to bind per claim, or provisioning). */
  const decide = (claims: ClaimState, node: corev1.Node): { status: Status; static: [corev1.PersistentVolumeClaim, corev1.PersistentVolume][]; provision: corev1.PersistentVolumeClaim[] } => {
    const staticBindings: [corev1.PersistentVolumeClaim, corev1.PersistentVolume][] = [];
    const provision: corev1.PersistentVolumeClaim[] = [];
    for (const claim of claims.bound) {
      const pv = access.volume(claim.spec?.volumeName ?? '');
      if (!pv) return { status: unresolvable(errReasonPVNotExist), static: [], provision: [] };
      if (!volumeFitsNode(pv, node)) return { status: unresolvable(errReasonNodeConflict), static: [], provision: [] };
    }
    const taken = new Set<string>();
    for (const claim of claims.delayed) {
      const pv = findVolume(claim, access.volumes(), node, taken);
      if (pv) {
        taken.add(pv.metadata?.name ?? '');
        staticBindings.push([claim, pv]);
        continue;
      }
      const sc = access.storageClass(claim.spec?.storageClassName ?? '');
      if (!sc || sc.provisioner === noProvisioner || !allowedTopologyFits(sc, node)) return { status: unresolvable(errReasonBindConflict), static: [], provision: [] };
      provision.push(claim);
    }
    return { status: success, static: staticBindings, provision };
  };

  return {
    name: volumeBindingName,
    preFilter(ctx: CycleContext): Status {
      const names = podClaimNames(ctx.pod);
      if (names.length === 0) return skip;
      const ns = ctx.pod.metadata?.namespace ?? '';
      const state: ClaimState = { bound: [], delayed: [] };
      for (const name of names) {
        const claim = access.claim(ns, name);
        if (!claim) return unresolvable(`persistentvolumeclaim "${name}" not found`);
        if (claim.metadata?.deletionTimestamp) return unresolvable(`persistentvolumeclaim "${name}" is being deleted`);
        if (claim.spec?.volumeName) {
          state.bound.push(claim);
          continue;
        }
        const sc = access.storageClass(claim.spec?.storageClassName ?? '');
        if (sc?.volumeBindingMode === 'WaitForFirstConsumer') state.delayed.push(claim);
        else return unresolvable(errUnboundImmediate);
      }
      ctx.state.set(stateKey, state);
      return success;
    },
    filter(ctx: CycleContext, node: NodeInfo): Status {
      const claims = ctx.state.get(stateKey) as ClaimState | undefined;
      if (!claims || !node.node) return success;
      return decide(claims, node.node).status;
    },
    async preBind(pod: corev1.Pod, node: corev1.Node): Promise<Status> {
      const ns = pod.metadata?.namespace ?? '';
      const claims = podClaimNames(pod).map((n) => access.claim(ns, n));
      if (claims.length === 0) return skip;
      if (claims.some((c) => c === undefined)) return errorStatus('a PersistentVolumeClaim of the pod disappeared');
      const all = claims as corev1.PersistentVolumeClaim[];
      const state: ClaimState = { bound: all.filter((c) => c.spec?.volumeName), delayed: all.filter((c) => !c.spec?.volumeName) };
      const plan = decide(state, node);
      if (plan.status.code !== 'Success') return plan.status;
      try {
        for (const [claim, pv] of plan.static) await access.bindVolume(pv, claim);
        for (const claim of plan.provision) await access.selectNode(claim, node.metadata?.name ?? '');
        await access.waitBound(state.delayed);
      } catch (err) {
        return errorStatus(err instanceof Error ? err.message : String(err));
      }
      return success;
    },
  };
}
