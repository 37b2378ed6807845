// What a sync must do to bring the runtime to the pod's spec, decided from
// the spec and the runtime's state alone (upstream's computePodActions):
// create a sandbox (a new attempt when the old one died), kill containers
// whose spec changed, run init containers one at a time in order, then
// start or restart app containers as the restart policy says. Pure.
import type { corev1 } from '../../api/types.js';
import type { PodProbes } from './context.js';
import { containerHash } from './hash.js';
import { latestByName, type ContainerRecord, type PodRuntimeState, type SandboxRecord } from './runtime-state.js';
import { shouldRestart } from './status.js';

export interface StartAction {
  container: corev1.Container;
  init: boolean;
  /** The newest earlier container of this name (its exit drives the back-off). */
  previous: ContainerRecord | undefined;
  /** Restart count of the new container; undefined = count the logs on disk (first start). */
  restartCount: number | undefined;
}

export interface KillAction {
  record: ContainerRecord;
  /** Message of the Killing event. */
  message: string;
  /** Overrides the pod's grace period (a failed probe's terminationGracePeriodSeconds). */
  graceSeconds?: number | undefined;
}

export interface PodActions {
  createSandbox: boolean;
  /** Attempt number of the sandbox to create. */
  sandboxAttempt: number;
  /** Stop every container and sandbox first (the sandbox died or changed, or the pod is done). */
  killPod: boolean;
  kill: KillAction[];
  /** Containers to start, in order; at most one init container. */
  start: StartAction[];
  /** Exited containers beyond the newest two of a name, and old sandboxes nothing needs. */
  removeContainers: ContainerRecord[];
  removeSandboxes: SandboxRecord[];
}

function startOf(container: corev1.Container, init: boolean, latest: ContainerRecord | undefined): StartAction {
  return { container, init, previous: latest, restartCount: latest ? latest.restartCount + 1 : undefined };
}

function sandboxChanged(pod: corev1.Pod, state: PodRuntimeState): boolean {
  const sandbox = state.sandboxes[0];
  if (!sandbox || sandbox.state !== 'SANDBOX_READY') return true;
  if (state.sandboxes.filter((s) => s.state === 'SANDBOX_READY').length > 1) return true;
  return sandbox.hostNetwork !== (pod.spec?.hostNetwork === true);
}

/** Upstream's findNextInitContainerToRun: done, the next one to run, or the last one that failed. */
export function nextInit(pod: corev1.Pod, state: PodRuntimeState): { done: boolean; next?: corev1.Container; failed?: corev1.Container } {
  const inits = pod.spec?.initContainers ?? [];
  const latest = latestByName(state.containers);
  if (inits.length === 0) return { done: true };
  if ((pod.spec?.containers ?? []).some((c) => latest.get(c.name)?.state === 'CONTAINER_RUNNING')) return { done: true };
  for (let i = inits.length - 1; i >= 0; i--) {
    const r = latest.get(inits[i]!.name);
    if (r && ((r.state === 'CONTAINER_EXITED' && r.exitCode !== 0) || r.state === 'CONTAINER_UNKNOWN')) return { done: false, failed: inits[i]! };
  }
  for (let i = inits.length - 1; i >= 0; i--) {
    const r = latest.get(inits[i]!.name);
    if (!r) continue;
    if (r.state === 'CONTAINER_RUNNING') return { done: false };
    if (r.state === 'CONTAINER_EXITED') return i === inits.length - 1 ? { done: true } : { done: false, next: inits[i + 1]! };
    // Created but never started: run it again.
    return { done: false, next: inits[i]! };
  }
  return { done: false, next: inits[0]! };
}

function housekeeping(state: PodRuntimeState): Pick<PodActions, 'removeContainers' | 'removeSandboxes'> {
  const seen = new Map<string, number>();
  const removeContainers: ContainerRecord[] = [];
  const kept = new Set<string>();
  for (const c of state.containers) {
    const n = seen.get(c.name) ?? 0;
    seen.set(c.name, n + 1);
    if (n >= 2 && c.state !== 'CONTAINER_RUNNING') removeContainers.push(c);
    else kept.add(c.sandboxId);
  }
  const removeSandboxes = state.sandboxes.slice(1).filter((s) => s.state !== 'SANDBOX_READY' && !kept.has(s.id));
  return { removeContainers, removeSandboxes };
}

export function computePodActions(pod: corev1.Pod, state: PodRuntimeState, probes?: Pick<PodProbes, 'failed'>): PodActions {
  const latest = latestByName(state.containers);
  const policy = pod.spec?.restartPolicy ?? 'Always';
  const actions: PodActions = { createSandbox: false, sandboxAttempt: 0, killPod: false, kill: [], start: [], ...housekeeping(state) };
  const containers = pod.spec?.containers ?? [];

  if (sandboxChanged(pod, state)) {
    const sandbox = state.sandboxes[0];
    actions.sandboxAttempt = sandbox ? sandbox.attempt + 1 : 0;
    actions.killPod = state.containers.some((c) => c.state === 'CONTAINER_RUNNING') || state.sandboxes.some((s) => s.state === 'SANDBOX_READY');
    // A pod that never restarts does not get a new sandbox once its containers ran.
    if (policy === 'Never' && sandbox && state.containers.length > 0) return actions;
    const toStart = containers.filter((c) => !(policy === 'OnFailure' && latest.get(c.name)?.state === 'CONTAINER_EXITED' && latest.get(c.name)?.exitCode === 0));
    if (toStart.length === 0) return actions;
    actions.createSandbox = true;
    const first = pod.spec?.initContainers?.[0];
    if (first) actions.start = [startOf(first, true, latest.get(first.name))];
    else actions.start = toStart.map((c) => startOf(c, false, latest.get(c.name)));
    return actions;
  }

  const init = nextInit(pod, state);
  if (!init.done) {
    if (init.failed) {
      if (policy === 'Never') actions.killPod = true;
      else actions.start = [startOf(init.failed, true, latest.get(init.failed.name))];
    } else if (init.next) {
      actions.start = [startOf(init.next, true, latest.get(init.next.name))];
    }
    return actions;
  }

  let keep = 0;
  for (const c of containers) {
    const r = latest.get(c.name);
    if (!r || r.state !== 'CONTAINER_RUNNING') {
      if (shouldRestart(pod, r)) actions.start.push(startOf(c, false, r));
      continue;
    }
    if (r.hash !== '' && r.hash !== containerHash(c)) {
      actions.kill.push({ record: r, message: `Container ${c.name} definition changed, will be restarted` });
      actions.start.push(startOf(c, false, r));
      continue;
    }
    const failed = probes?.failed(pod, c, r);
    if (failed) {
      const restart = policy !== 'Never';
      actions.kill.push({ record: r, message: `Container ${c.name} failed ${failed.kind} probe${restart ? ', will be restarted' : ''}`, graceSeconds: failed.graceSeconds });
      if (restart) actions.start.push(startOf(c, false, r));
      continue;
    }
    keep++;
  }
  if (keep === 0 && actions.start.length === 0) actions.killPod = state.sandboxes.some((s) => s.state === 'SANDBOX_READY');
  return actions;
}
