// pods/eviction (kubectl drain): deletes a pod unless the one
// PodDisruptionBudget covering it forbids another disruption, which is a
// 429 the client retries. An allowed eviction takes one disruption from
// the budget's status and records the pod in status.disruptedPods (so the
// disruption controller does not count it healthy while it goes away)
// before the pod is deleted; both are compare-and-swap writes, retried on
// conflict. Pods that are pending, finished or already being deleted, and
// unready pods the budget's unhealthyPodEvictionPolicy lets go, are
// deleted without touching the budget.
import type { corev1, policyv1, StoredObject } from '../../api/types.js';
import {
  badRequest,
  CauseType,
  conflict,
  forbidden,
  internalError,
  labelSelectorFromObject,
  setDisruptionAllowed,
  successStatus,
  tooManyRequests,
  type ApiError,
} from '../../machinery/index.js';
import { keyspaces, listStored } from '../admission/lookup.js';
import { objectKey } from '../storage/keys.js';
import type { Current } from '../storage/store.js';
import { decodeObjectBody } from './body.js';
import type { ResourceContext } from './context.js';
import { deleteOne, type DeleteOptions } from './delete.js';
import { mustGet } from './get.js';
import { rfc3339 } from './meta.js';
import { writeOptions } from './options.js';
import { objectResponse, type ApiRequest, type ApiResponse } from './types.js';

/** More evictions than this not yet seen through by the controller refuse new ones. */
export const maxDisruptedPods = 2000;
const maxAttempts = 16;
const refusal = "Cannot evict pod as it would violate the pod's disruption budget.";

type Budget = policyv1.PodDisruptionBudget & StoredObject;

function budgetError(message: string): ApiError {
  return tooManyRequests(refusal, 0, [{ reason: CauseType.DisruptionBudget, message }]);
}

function isReady(pod: corev1.Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Pods whose eviction cannot disrupt anything: not running yet, finished, or already going. */
function ignoresBudgets(pod: corev1.Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || pod.metadata?.deletionTimestamp !== undefined;
}

async function budgetsFor(ctx: ResourceContext, pod: corev1.Pod): Promise<Current[]> {
  const all = await listStored(ctx.store, keyspaces.podDisruptionBudgets, pod.metadata?.namespace ?? '');
  return all.filter((b) => {
    const selector = (b.obj as Budget).spec?.selector;
    try {
      const matcher = labelSelectorFromObject(selector);
      return matcher.requirements.length > 0 && matcher.matches(pod.metadata?.labels ?? {});
    } catch {
      return false;
    }
  });
}

/** Takes one disruption from the budget (upstream's checkAndDecrement); false when it changed meanwhile. */
async function takeDisruption(ctx: ResourceContext, current: Current, podName: string, dryRun: boolean): Promise<boolean> {
  const pdb = structuredClone(current.obj) as Budget;
  const name = pdb.metadata.name ?? '';
  const status: policyv1.PodDisruptionBudgetStatus = pdb.status ?? { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 };
  if ((status.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0)) throw budgetError(`The disruption budget ${name} is still being processed by the server.`);
  if (status.disruptionsAllowed < 0) throw forbidden('poddisruptionbudget.policy', name, 'pdb disruptions allowed is negative');
  if (Object.keys(status.disruptedPods ?? {}).length > maxDisruptedPods) {
    throw forbidden('poddisruptionbudget.policy', name, 'DisruptedPods map too big - too many evictions not confirmed by PDB controller');
  }
  if (status.disruptionsAllowed === 0) {
    throw budgetError(`The disruption budget ${name} needs ${status.desiredHealthy} healthy pods and has ${status.currentHealthy} currently`);
  }
  status.disruptionsAllowed--;
  const now = rfc3339(ctx.now());
  if (status.disruptionsAllowed === 0) setDisruptionAllowed(status, now);
  if (dryRun) return true;
  status.disruptedPods = { ...status.disruptedPods, [podName]: now };
  pdb.status = status;
  const out = await ctx.store.update(objectKey(keyspaces.podDisruptionBudgets, pdb.metadata.namespace ?? '', name), pdb, current.modRevision);
  return out.ok;
}

/** Checks the budgets covering the pod and takes a disruption where one is needed. */
async function admitEviction(ctx: ResourceContext, pod: corev1.Pod, dryRun: boolean): Promise<void> {
  if (ignoresBudgets(pod)) return;
  const podName = pod.metadata?.name ?? '';
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const budgets = await budgetsFor(ctx, pod);
    if (budgets.length === 0) return;
    if (budgets.length > 1) throw internalError(new Error('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.'));
    const current = budgets[0] as Current;
    const pdb = current.obj as Budget;
    if (!isReady(pod)) {
      if (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow') return;
      const s = pdb.status;
      if (s && s.currentHealthy >= s.desiredHealthy && s.desiredHealthy > 0) return;
    }
    if (await takeDisruption(ctx, current, podName, dryRun)) return;
  }
  throw conflict('poddisruptionbudgets.policy', pod.metadata?.name ?? '');
}

function evictionDeleteOptions(body: Record<string, unknown>, dryRun: boolean): DeleteOptions {
  const raw = (body.deleteOptions ?? {}) as { gracePeriodSeconds?: unknown; preconditions?: DeleteOptions['preconditions']; propagationPolicy?: unknown; dryRun?: unknown };
  const opts: DeleteOptions = { dryRun: dryRun || (Array.isArray(raw.dryRun) && raw.dryRun.includes('All')) };
  if (raw.gracePeriodSeconds !== undefined && raw.gracePeriodSeconds !== null) {
    if (typeof raw.gracePeriodSeconds !== 'number' || !Number.isInteger(raw.gracePeriodSeconds)) throw badRequest('gracePeriodSeconds must be an integer');
    opts.gracePeriodSeconds = Math.max(0, raw.gracePeriodSeconds);
  }
  if (raw.preconditions) opts.preconditions = raw.preconditions;
  if (raw.propagationPolicy === 'Orphan' || raw.propagationPolicy === 'Background' || raw.propagationPolicy === 'Foreground') opts.propagationPolicy = raw.propagationPolicy;
  return opts;
}

export async function evict(ctx: ResourceContext, req: ApiRequest, namespace: string, name: string): Promise<ApiResponse> {
  const body = decodeObjectBody(req);
  const bodyName = (body.metadata as { name?: unknown } | undefined)?.name;
  if (typeof bodyName === 'string' && bodyName !== '' && bodyName !== name) throw badRequest('name in URL does not match name in Eviction object');
  const opts = evictionDeleteOptions(body, writeOptions(req.query).dryRun);
  const pod = (await mustGet(ctx, namespace, name)).obj as corev1.Pod;
  await admitEviction(ctx, pod, opts.dryRun);
  await deleteOne(ctx, namespace, name, opts);
  return objectResponse(201, successStatus());
}
