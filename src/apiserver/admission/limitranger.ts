// LimitRanger: the namespace's LimitRanges default a new pod's container
// requests and limits (recording what was set in the
// `kubernetes.io/limit-ranger` annotation), and refuse pods and claims
// outside their min, max and maxLimitRequestRatio. Pod updates are left
// alone: containers' resources cannot change after creation.
import type { corev1, StoredObject } from '../../api/types.js';
import { forbidden, podAmounts, readAmounts, type ResourceAmounts } from '../../machinery/index.js';
import type { ResourceContext } from '../rest/context.js';
import { limitViolations } from './limits.js';
import { keyspaces, listStored } from './lookup.js';
import type { AdmissionPlugin, Attributes } from './types.js';

export const limitRangerAnnotation = 'kubernetes.io/limit-ranger';

async function limitItems(ctx: ResourceContext, namespace: string): Promise<corev1.LimitRangeItem[]> {
  const ranges = await listStored(ctx.store, keyspaces.limitRanges, namespace);
  return ranges.flatMap((r) => (r.obj as corev1.LimitRange).spec?.limits ?? []);
}

type Resources = Record<string, string>;

/** Sets the defaults a container lacks; returns upstream's note of what was set, if anything. */
function mergeDefaults(c: corev1.Container, limits: Resources, requests: Resources, prefix: string): string[] {
  const res = (c.resources ??= {});
  const setLimits: string[] = [];
  const setRequests: string[] = [];
  for (const [name, value] of Object.entries(limits)) {
    const current = (res.limits ??= {}) as Resources;
    if (!(name in current)) {
      current[name] = value;
      setLimits.push(name);
    }
  }
  for (const [name, value] of Object.entries(requests)) {
    const current = (res.requests ??= {}) as Resources;
    if (!(name in current)) {
      current[name] = value;
      setRequests.push(name);
    }
  }
  if (res.limits && Object.keys(res.limits).length === 0) delete res.limits;
  if (res.requests && Object.keys(res.requests).length === 0) delete res.requests;
  const notes: string[] = [];
  if (setRequests.length > 0) notes.push(`${setRequests.sort().join(', ')} request for ${prefix} ${c.name}`);
  if (setLimits.length > 0) notes.push(`${setLimits.sort().join(', ')} limit for ${prefix} ${c.name}`);
  return notes;
}

async function admitPod(ctx: ResourceContext, a: Attributes): Promise<void> {
  const items = (await limitItems(ctx, a.namespace)).filter((i) => i.type === 'Container');
  if (items.length === 0) return;
  const limits: Resources = {};
  const requests: Resources = {};
  for (const item of items) {
    Object.assign(limits, item.default ?? {});
    Object.assign(requests, item.defaultRequest ?? {});
  }
  const pod = a.object as corev1.Pod & StoredObject;
  const notes: string[] = [];
  for (const c of pod.spec?.containers ?? []) notes.push(...mergeDefaults(c, limits, requests, 'container'));
  for (const c of pod.spec?.initContainers ?? []) notes.push(...mergeDefaults(c, limits, requests, 'init container'));
  if (notes.length === 0) return;
  pod.metadata.annotations = { ...pod.metadata.annotations, [limitRangerAnnotation]: `LimitRanger plugin set: ${notes.join('; ')}` };
}

const amounts = (list: unknown): ResourceAmounts => readAmounts(list as Record<string, unknown> | undefined);

function podViolations(items: corev1.LimitRangeItem[], pod: corev1.Pod): string[] {
  const errors: string[] = [];
  for (const item of items) {
    if (item.type === 'Container') {
      for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
        errors.push(...limitViolations('Container', item, amounts(c.resources?.requests), amounts(c.resources?.limits)));
      }
    } else if (item.type === 'Pod') {
      errors.push(...limitViolations('Pod', item, podAmounts(pod, 'requests'), podAmounts(pod, 'limits')));
    }
  }
  return errors;
}

function claimViolations(items: corev1.LimitRangeItem[], pvc: corev1.PersistentVolumeClaim): string[] {
  return items
    .filter((i) => i.type === 'PersistentVolumeClaim')
    .flatMap((i) => limitViolations('PersistentVolumeClaim', i, amounts(pvc.spec?.resources?.requests), new Map(), ['min', 'maxRequest']));
}

/** Upstream's aggregate of several errors: one bare, several as `[a, b]`. */
function aggregate(errors: readonly string[]): string {
  return errors.length === 1 ? errors[0] ?? '' : `[${errors.join(', ')}]`;
}

async function validate(ctx: ResourceContext, a: Attributes): Promise<void> {
  let errors: string[] = [];
  if (a.gr === 'pods' && a.operation === 'CREATE') {
    errors = podViolations(await limitItems(ctx, a.namespace), a.object as corev1.Pod);
  } else if (a.gr === 'persistentvolumeclaims') {
    errors = claimViolations(await limitItems(ctx, a.namespace), a.object as corev1.PersistentVolumeClaim);
  }
  if (errors.length > 0) throw forbidden(a.gr, a.name, aggregate(errors));
}

export const limitRangerPlugin: AdmissionPlugin = {
  name: 'LimitRanger',
  async admit(ctx, a) {
    if (a.gr === 'pods' && a.subresource === '' && a.operation === 'CREATE') await admitPod(ctx, a);
  },
  async validate(ctx, a) {
    if (a.subresource === '') await validate(ctx, a);
  },
};
