// A pod's status from what the runtime holds, as upstream's kubelet
// generates it: container and init container statuses (state, last state,
// restart count, image, ids, ready, started), the phase, the conditions
// with upstream's reasons and messages, IPs, start time and QoS class.
// Pure: the caller reads the runtime and keeps the reasons of the last
// failed starts (CrashLoopBackOff, ErrImagePull, ...).
import type { corev1 } from '../../api/types.js';
import { fromUnixNanos, rfc3339 } from '../clock.js';
import type { ContainerRecord, PodRuntimeState } from './runtime-state.js';
import { qosClass } from './resources.js';

export interface WaitingReason {
  reason: string;
  message: string;
}

export interface StatusInput {
  pod: corev1.Pod;
  state: PodRuntimeState;
  /** Why a container is waiting (the last start attempt's failure), by container name. */
  reasons: ReadonlyMap<string, WaitingReason>;
  /** Prefix of container ids: the runtime's name ("containerd"). */
  runtimeName: string;
  hostIPs: string[];
  now: number;
  /** The pod is done for good (deleted and killed, or finished): nothing restarts. */
  terminal: boolean;
  /** Probe results of running containers; default `withoutProbes`. */
  probes?: ProbeResults;
}

/**
 * The probe manager's seam: whether a running container has started
 * (startup probe) and is ready (readiness probe). The pod worker is asked
 * to sync a pod when a result changes.
 */
export interface ProbeResults {
  started(pod: corev1.Pod, container: corev1.Container, record: ContainerRecord): boolean;
  ready(pod: corev1.Pod, container: corev1.Container, record: ContainerRecord): boolean;
}

/** Until probes run: a running container has started unless it has a startup probe, and is ready unless it has a readiness probe. */
export const withoutProbes: ProbeResults = {
  started: (_pod, c) => !c.startupProbe,
  ready: (_pod, c) => !c.readinessProbe && !c.startupProbe,
};

/** Condition types the kubelet owns; others (readiness gates, DisruptionTarget) are kept as they are. */
const kubeletConditions = new Set(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);

/** Whether the restart policy restarts a container that exited with `exitCode`. */
export function shouldRestart(pod: corev1.Pod, record: ContainerRecord | undefined): boolean {
  if (!record) return true;
  if (record.state === 'CONTAINER_RUNNING') return false;
  if (record.state !== 'CONTAINER_EXITED') return true;
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (policy === 'Never') return false;
  if (policy === 'OnFailure') return record.exitCode !== 0;
  return true;
}

function terminated(r: ContainerRecord, runtimeName: string): corev1.ContainerStateTerminated {
  const t: corev1.ContainerStateTerminated = { exitCode: r.exitCode, containerID: `${runtimeName}://${r.id}` };
  if (r.reason) t.reason = r.reason;
  if (r.message) t.message = r.message;
  const started = fromUnixNanos(r.startedAt);
  const finished = fromUnixNanos(r.finishedAt);
  if (started) t.startedAt = started;
  if (finished) t.finishedAt = finished;
  return t;
}

function containerStatuses(input: StatusInput, containers: corev1.Container[], hasInit: boolean): corev1.ContainerStatus[] {
  const { pod, state, runtimeName } = input;
  return containers.map((c) => {
    const records = state.containers.filter((r) => r.name === c.name);
    const [latest, prev] = records;
    const status: corev1.ContainerStatus = {
      name: c.name,
      image: c.image ?? '',
      imageID: '',
      ready: false,
      restartCount: 0,
      started: false,
      state: { waiting: { reason: hasInit ? 'PodInitializing' : 'ContainerCreating' } },
      lastState: {},
    };
    if (latest) {
      status.restartCount = latest.restartCount;
      status.image = latest.image || (c.image ?? '');
      status.imageID = latest.imageRef;
      status.containerID = `${runtimeName}://${latest.id}`;
      if (latest.state === 'CONTAINER_RUNNING') {
        status.state = { running: { startedAt: fromUnixNanos(latest.startedAt) ?? rfc3339(input.now) } };
        const probes = input.probes ?? withoutProbes;
        status.started = probes.started(pod, c, latest);
        status.ready = status.started && probes.ready(pod, c, latest);
      } else if (latest.state === 'CONTAINER_EXITED') {
        status.state = { terminated: terminated(latest, runtimeName) };
      } else {
        status.state = { waiting: { reason: 'ContainerCreating' } };
      }
      if (prev && prev.state === 'CONTAINER_EXITED') status.lastState = { terminated: terminated(prev, runtimeName) };
    }
    const waiting = input.reasons.get(c.name);
    if (waiting && !input.terminal && latest?.state !== 'CONTAINER_RUNNING' && shouldRestart(pod, latest)) {
      if (status.state?.terminated) status.lastState = { terminated: status.state.terminated };
      status.state = { waiting: waiting.message ? { reason: waiting.reason, message: waiting.message } : { reason: waiting.reason } };
    }
    return status;
  });
}

/** Upstream's getPhase (regular init containers; sidecars are not supported yet). */
export function podPhase(pod: corev1.Pod, init: corev1.ContainerStatus[], app: corev1.ContainerStatus[], terminal: boolean): string {
  let pendingInit = 0;
  let failedInit = 0;
  for (const s of init) {
    if (s.state?.running) pendingInit++;
    else if (s.state?.terminated) {
      if (s.state.terminated.exitCode !== 0) failedInit++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) {
        if (s.lastState.terminated.exitCode !== 0) failedInit++;
      } else pendingInit++;
    } else pendingInit++;
  }
  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const s of app) {
    if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) stopped++;
      else waiting++;
    } else unknown++;
  }
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (failedInit > 0 && policy === 'Never') return 'Failed';
  if (pendingInit > 0 || waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (terminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

type Condition = Pick<corev1.PodCondition, 'type' | 'status' | 'reason' | 'message'>;

function goList(names: string[]): string {
  return `[${names.join(' ')}]`;
}

export function initializedCondition(pod: corev1.Pod, init: corev1.ContainerStatus[], app: corev1.ContainerStatus[], phase: string): Condition {
  const incomplete: string[] = [];
  for (const c of pod.spec?.initContainers ?? []) {
    const s = init.find((x) => x.name === c.name);
    if (!s?.state?.terminated || s.state.terminated.exitCode !== 0) incomplete.push(c.name);
  }
  if (phase === 'Succeeded') return { type: 'Initialized', status: 'True', reason: 'PodCompleted' };
  // A regular container that has started means initialisation finished before.
  if (app.some((s) => s.state?.running || s.state?.terminated)) return { type: 'Initialized', status: 'True' };
  if (incomplete.length > 0) return { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: `containers with incomplete status: ${goList(incomplete)}` };
  return { type: 'Initialized', status: 'True' };
}

export function containersReadyCondition(pod: corev1.Pod, app: corev1.ContainerStatus[], phase: string): Condition {
  if (phase === 'Succeeded') return { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' };
  if (phase === 'Failed') return { type: 'ContainersReady', status: 'False', reason: 'PodFailed' };
  const unready = (pod.spec?.containers ?? []).filter((c) => !app.find((s) => s.name === c.name)?.ready).map((c) => c.name);
  if (unready.length > 0) return { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: ${goList(unready)}` };
  return { type: 'ContainersReady', status: 'True' };
}

export function readyCondition(pod: corev1.Pod, containersReady: Condition, old: corev1.PodCondition[]): Condition {
  if (containersReady.status !== 'True') return { ...containersReady, type: 'Ready' };
  const unready = (pod.spec?.readinessGates ?? []).map((g) => g.conditionType).filter((t) => old.find((c) => c.type === t)?.status !== 'True');
  if (unready.length > 0) {
    const missing = unready.filter((t) => !old.some((c) => c.type === t));
    const message =
      missing.length > 0 ? `corresponding condition of pod readiness gate "${missing[0]}" does not exist.` : `the status of pod readiness gate "${unready[0]}" is not "True", but False`;
    return { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message };
  }
  return { type: 'Ready', status: 'True' };
}

function stamp(c: Condition, old: corev1.PodCondition[], now: number): corev1.PodCondition {
  const prev = old.find((o) => o.type === c.type);
  const out: corev1.PodCondition = { type: c.type, status: c.status, lastTransitionTime: prev?.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : rfc3339(now) };
  if (c.reason) out.reason = c.reason;
  if (c.message) out.message = c.message;
  return out;
}

export function podStatus(input: StatusInput): corev1.PodStatus {
  const { pod, state, now } = input;
  const old = pod.status ?? {};
  const oldConditions = old.conditions ?? [];
  const initSpecs = pod.spec?.initContainers ?? [];
  const hasInit = initSpecs.length > 0;
  const init = containerStatuses(input, initSpecs, hasInit);
  const app = containerStatuses(input, pod.spec?.containers ?? [], hasInit);
  let phase = podPhase(pod, init, app, input.terminal);
  // Pods never leave a terminal phase.
  if (old.phase === 'Succeeded' || old.phase === 'Failed') phase = old.phase;
  const sandbox = state.sandboxes[0];
  const hostNetwork = pod.spec?.hostNetwork === true;
  const sandboxReady = sandbox?.state === 'SANDBOX_READY';
  const containersReady = containersReadyCondition(pod, app, phase);
  const wanted: Condition[] = [
    { type: 'PodReadyToStartContainers', status: sandboxReady ? 'True' : 'False' },
    initializedCondition(pod, init, app, phase),
    readyCondition(pod, containersReady, oldConditions),
    containersReady,
    { type: 'PodScheduled', status: 'True' },
  ];
  const conditions = wanted.map((c) => stamp(c, oldConditions, now));
  const scheduled = oldConditions.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'True') conditions[conditions.length - 1] = scheduled;
  for (const c of oldConditions) if (!kubeletConditions.has(c.type)) conditions.push(c);

  let podIPs = hostNetwork ? input.hostIPs : sandboxReady ? (sandbox?.ips ?? []) : [];
  if (podIPs.length === 0) podIPs = (old.podIPs ?? []).map((p) => p.ip).filter((ip): ip is string => typeof ip === 'string');
  const status: corev1.PodStatus = {
    phase,
    conditions,
    hostIP: input.hostIPs[0],
    hostIPs: input.hostIPs.map((ip) => ({ ip })),
    startTime: old.startTime ?? rfc3339(now),
    containerStatuses: app,
    qosClass: old.qosClass ?? qosClass(pod),
  };
  if (podIPs.length > 0) {
    status.podIP = podIPs[0];
    status.podIPs = podIPs.map((ip) => ({ ip }));
  }
  if (hasInit) status.initContainerStatuses = init;
  if (old.reason) status.reason = old.reason;
  if (old.message) status.message = old.message;
  if (old.nominatedNodeName) status.nominatedNodeName = old.nominatedNodeName;
  return status;
}
