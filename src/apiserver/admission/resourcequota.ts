// ResourceQuota (the last plugin, as upstream): charges a new object (or
// an update's increase) against every quota in its namespace that tracks
// it. A quota is enforced once the quota controller has copied its hard
// limits into status.hard; a write that would take status.used past
// status.hard is refused, and an accepted one is charged to status.used
// with a compare-and-swap on the quota before the object is written (the
// controller later recounts, so a charge for a write that then fails is
// corrected). The quotas come from the server's quota cache when it has
// one, so a write in a namespace without quotas costs no store read; a
// refusal or a lost compare-and-swap re-reads the quotas from the store and
// tries again, so a stale cache never admits past a limit nor refuses
// within one.
import type { corev1 } from '../../api/types.js';
import { conflict, forbidden, formatQuantity, objectUsage, pickAmounts, quotaResourceOf, quotaTracks, readAmounts, subtractAmounts, addAmounts, compareQuantities, quantitySign, zeroQuantity, type ResourceAmounts } from '../../machinery/index.js';
import type { ResourceContext } from '../rest/context.js';
import { objectKey } from '../storage/keys.js';
import type { Current } from '../storage/store.js';
import { keyspaces, listStored } from './lookup.js';
import { missingComputeResources } from './quota-constraints.js';
import type { AdmissionPlugin, Attributes } from './types.js';

const maxAttempts = 8;

/** Resources whose updates can use more quota; other kinds are charged only when created. */
const chargedOnUpdate = new Set(['services', 'persistentvolumeclaims']);

/** `a=1,b=2`, sorted by name (upstream's prettyPrint). */
function pretty(amounts: ResourceAmounts): string {
  return [...amounts.keys()]
    .sort()
    .map((k) => `${k}=${formatQuantity(amounts.get(k) ?? zeroQuantity)}`)
    .join(',');
}

/** What the write adds: the new object's usage less the old one's, increases only. */
function requested(ctx: ResourceContext, a: Attributes): ResourceAmounts {
  const now = ctx.now();
  const usage = objectUsage(a.gr, a.object, now);
  const delta = a.oldObject ? subtractAmounts(usage, objectUsage(a.gr, a.oldObject, now)) : usage;
  for (const [name, q] of delta) if (quantitySign(q) <= 0) delta.delete(name);
  return delta;
}

interface Charge {
  quota: Current;
  used: ResourceAmounts;
}

/** Checks one quota; returns its new usage, or undefined when the write does not touch it. */
function charge(a: Attributes, quota: Current, delta: ResourceAmounts): Charge | undefined {
  const q = quota.obj as corev1.ResourceQuota;
  const name = q.metadata?.name ?? '';
  if (!quotaTracks(q, a.gr, a.object)) return undefined;
  const hard = readAmounts(q.status?.hard as Record<string, unknown> | undefined);
  const matched = [...hard.keys()].filter((k) => quotaResourceOf(k) === a.gr || delta.has(k));
  if (matched.length === 0) return undefined;
  if (a.gr === 'pods' && a.operation === 'CREATE') {
    const missing = missingComputeResources(a.object as corev1.Pod, matched);
    if (missing !== undefined) throw forbidden(a.gr, a.name, `failed quota: ${name}: ${missing}`);
  }
  const used = readAmounts(q.status?.used as Record<string, unknown> | undefined);
  const unknown = matched.filter((k) => !used.has(k));
  if (unknown.length > 0) throw forbidden(a.gr, a.name, `status unknown for quota: ${name}, resources: ${unknown.sort().join(',')}`);
  const increase = pickAmounts(delta, matched);
  if (increase.size === 0) return undefined;
  const next = addAmounts(used, increase);
  const exceeded = matched.filter((k) => increase.has(k) && compareQuantities(next.get(k) ?? zeroQuantity, hard.get(k) ?? zeroQuantity) > 0);
  if (exceeded.length > 0) {
    throw forbidden(
      a.gr,
      a.name,
      `exceeded quota: ${name}, requested: ${pretty(pickAmounts(increase, exceeded))}, used: ${pretty(pickAmounts(used, exceeded))}, limited: ${pretty(pickAmounts(hard, exceeded))}`,
    );
  }
  return { quota, used: next };
}

/** Writes the charge; false when the quota changed meanwhile. */
async function record(ctx: ResourceContext, c: Charge): Promise<boolean> {
  const q = structuredClone(c.quota.obj) as corev1.ResourceQuota & Current['obj'];
  const used: Record<string, string> = { ...(q.status?.used ?? {}) };
  for (const [k, v] of c.used) used[k] = formatQuantity(v);
  q.status = { ...q.status, used };
  const out = await ctx.store.update(objectKey(keyspaces.resourceQuotas, q.metadata.namespace ?? '', q.metadata.name ?? ''), q, c.quota.modRevision);
  return out.ok;
}

async function validate(ctx: ResourceContext, a: Attributes): Promise<void> {
  if (a.subresource !== '' || a.namespace === '') return;
  if (a.operation === 'UPDATE' && !chargedOnUpdate.has(a.gr)) return;
  let delta: ResourceAmounts | undefined;
  const done = new Set<string>();
  let fresh = ctx.quotas === undefined;
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const listed = fresh || !ctx.quotas ? await listStored(ctx.store, keyspaces.resourceQuotas, a.namespace) : await ctx.quotas.inNamespace(a.namespace);
    const quotas = listed.filter((q) => !done.has(q.obj.metadata.name ?? ''));
    if (quotas.length === 0) return;
    const wanted = (delta ??= requested(ctx, a));
    let charges: Charge[];
    try {
      charges = quotas.map((q) => charge(a, q, wanted)).filter((c): c is Charge => c !== undefined);
    } catch (err) {
      if (fresh) throw err;
      fresh = true;
      continue;
    }
    if (a.dryRun || charges.length === 0) return;
    let raced = false;
    for (const c of charges) {
      if (await record(ctx, c)) done.add(c.quota.obj.metadata.name ?? '');
      else raced = true;
    }
    if (!raced) return;
    fresh = true;
  }
  throw conflict('resourcequotas', a.namespace);
}

export const resourceQuotaPlugin: AdmissionPlugin = { name: 'ResourceQuota', validate };
