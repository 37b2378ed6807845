// The disruption controller: keeps each PodDisruptionBudget's status —
// expectedPods, desiredHealthy (minAvailable, or expected less
// maxUnavailable; percentages of the owning controllers' scale, rounded
// up), currentHealthy (ready pods not being deleted nor just evicted),
// disruptionsAllowed, observedGeneration and the DisruptionAllowed
// condition. Pods the eviction API recorded in status.disruptedPods stay
// out of the healthy count until they are deleted or two minutes pass.
// A budget that cannot be computed allows no disruption (SyncFailed).
import type { corev1, policyv1 } from '../api/types.js';
import { keyOf, objectKey, runWorkers, WorkQueue, type Client, type EventRecorder, type ResourceClient, type ResourceRef } from '../client/index.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { disruptionReasons, isNotFound, labelSelectorFromObject, setDisruptionAllowed, type LabelMatcher } from '../machinery/index.js';
import type { Controller, Lister } from './controller.js';
import { expectedScale } from './disruption-scale.js';
import { sameJSON } from './endpoints.js';
import { isPodReady } from './pods.js';

type Pod = corev1.Pod;
type Budget = policyv1.PodDisruptionBudget;
type BudgetStatus = policyv1.PodDisruptionBudgetStatus;

export const podDisruptionBudgetsRef = { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets', namespaced: true } as const satisfies ResourceRef;

/** How long an evicted pod may take to go before the budget counts it again. */
export const deletionTimeoutMs = 2 * 60 * 1000;

export interface DisruptionControllerOptions {
  client: Client;
  budgets: Lister<Budget>;
  pods: Lister<Pod>;
  recorder: Pick<EventRecorder, 'event'>;
  logger?: Logger;
  queue?: WorkQueue;
  now?: () => Date;
}

function selectorOf(budget: Budget): LabelMatcher | undefined {
  try {
    return labelSelectorFromObject(budget.spec?.selector);
  } catch {
    return undefined;
  }
}

/** `50%` of `total`, rounded up; an integer as it is. */
export function scaledValue(value: number | string, total: number): number {
  if (typeof value === 'number') return value;
  return Math.ceil((Number.parseInt(value, 10) * total) / 100);
}

function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class DisruptionController implements Controller {
  readonly name = 'disruption';
  readonly queue: WorkQueue;
  private readonly log: Logger;
  private readonly now: () => Date;
  private readonly client: ResourceClient<Budget>;

  constructor(private readonly opts: DisruptionControllerOptions) {
    this.queue = opts.queue ?? new WorkQueue({ name: this.name });
    this.log = opts.logger ?? silentLogger;
    this.now = opts.now ?? (() => new Date());
    this.client = opts.client.resource<Budget>(podDisruptionBudgetsRef);
    opts.budgets.addEventHandler({
      onAdd: (b) => this.queue.add(objectKey(b)),
      onUpdate: (_old, b) => this.queue.add(objectKey(b)),
    });
    opts.pods.addEventHandler({
      onAdd: (pod) => this.enqueueFor(pod),
      onUpdate: (old, pod) => {
        this.enqueueFor(old);
        this.enqueueFor(pod);
      },
      onDelete: (pod) => this.enqueueFor(pod),
    });
  }

  run(workers: number, signal: AbortSignal): Promise<void> {
    return runWorkers(this.queue, (key) => this.sync(key), signal, { workers, logger: this.log });
  }

  /** The budgets in the pod's namespace whose selector matches it. */
  budgetsFor(pod: Pod): Budget[] {
    return this.opts.budgets.list(pod.metadata?.namespace ?? '').filter((b) => selectorOf(b)?.matches(pod.metadata?.labels ?? {}) === true);
  }

  private enqueueFor(pod: Pod): void {
    for (const b of this.budgetsFor(pod)) this.queue.add(objectKey(b));
  }

  async sync(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    const cached = this.opts.budgets.get(name, namespace);
    if (!cached || cached.metadata?.deletionTimestamp) return;
    const budget = structuredClone(cached);
    let status: BudgetStatus;
    let recheck: number | undefined;
    try {
      ({ status, recheck } = await this.compute(budget));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.opts.recorder.event(budget, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${message}`);
      status = { ...this.baseStatus(budget), disruptionsAllowed: 0 };
      setDisruptionAllowed(status, rfc3339(this.now()), { reason: disruptionReasons.syncFailed, message });
      await this.write(budget, status);
      throw err;
    }
    await this.write(budget, status);
    if (recheck !== undefined) this.queue.addAfter(key, Math.max(0, recheck - this.now().getTime()) + 1);
  }

  private baseStatus(budget: Budget): BudgetStatus {
    const old = budget.status;
    return {
      currentHealthy: old?.currentHealthy ?? 0,
      desiredHealthy: old?.desiredHealthy ?? 0,
      expectedPods: old?.expectedPods ?? 0,
      disruptionsAllowed: old?.disruptionsAllowed ?? 0,
      observedGeneration: budget.metadata?.generation ?? 0,
      ...(old?.disruptedPods ? { disruptedPods: old.disruptedPods } : {}),
      ...(old?.conditions ? { conditions: old.conditions } : {}),
    };
  }

  private async compute(budget: Budget): Promise<{ status: BudgetStatus; recheck: number | undefined }> {
    const namespace = budget.metadata?.namespace ?? '';
    const selector = selectorOf(budget);
    const pods = selector ? this.opts.pods.list(namespace).filter((p) => selector.matches(p.metadata?.labels ?? {})) : [];
    const spec = budget.spec ?? {};
    let expected = 0;
    let desired = 0;
    if (spec.maxUnavailable !== undefined || typeof spec.minAvailable === 'string') {
      const scale = await expectedScale(this.opts.client, namespace, pods);
      expected = scale.expected;
      if (scale.unmanaged.length > 0) {
        this.opts.recorder.event(
          budget,
          'Warning',
          'UnmanagedPods',
          `Pods selected by this PodDisruptionBudget (selector: ${JSON.stringify(spec.selector ?? {})}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.`,
        );
      }
      desired = spec.maxUnavailable !== undefined ? Math.max(0, expected - scaledValue(spec.maxUnavailable, expected)) : scaledValue(spec.minAvailable ?? 0, expected);
    } else if (typeof spec.minAvailable === 'number') {
      desired = spec.minAvailable;
      expected = pods.length;
    }
    const now = this.now().getTime();
    const disrupted: Record<string, string> = {};
    let recheck: number | undefined;
    for (const pod of pods) {
      const podName = pod.metadata?.name ?? '';
      const at = budget.status?.disruptedPods?.[podName];
      if (pod.metadata?.deletionTimestamp || at === undefined) continue;
      const deadline = Date.parse(at) + deletionTimeoutMs;
      if (deadline < now) {
        this.opts.recorder.event(pod, 'Warning', 'NotDeleted', 'Pod was expected by PDB ' + keyOf(budget.metadata?.name ?? '', namespace) + ' to be deleted but it was not');
        continue;
      }
      disrupted[podName] = at;
      recheck = recheck === undefined ? deadline : Math.min(recheck, deadline);
    }
    const healthy = pods.filter((p) => !p.metadata?.deletionTimestamp && disrupted[p.metadata?.name ?? ''] === undefined && isPodReady(p)).length;
    const allowed = expected <= 0 ? 0 : Math.max(0, healthy - desired);
    const status: BudgetStatus = {
      ...this.baseStatus(budget),
      currentHealthy: healthy,
      desiredHealthy: desired,
      expectedPods: expected,
      disruptionsAllowed: allowed,
    };
    if (Object.keys(disrupted).length > 0) status.disruptedPods = disrupted;
    else delete status.disruptedPods;
    setDisruptionAllowed(status, rfc3339(this.now()));
    return { status, recheck };
  }

  private async write(budget: Budget, status: BudgetStatus): Promise<void> {
    if (sameJSON(status, budget.status ?? {})) return;
    try {
      await this.client.updateStatus({ ...budget, apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', status });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
