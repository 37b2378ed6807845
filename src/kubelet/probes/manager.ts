// The probe manager: one worker per probe of each running app container,
// keyed by container id, so a restarted container starts over with fresh
// results. The pod sync tells it what runs (track) and asks it whether a
// container has started, is ready, or failed its liveness or startup
// probe; a changed result asks for a sync of the pod.
import type { corev1 } from '../../api/types.js';
import type { Logger } from '../../log/logger.js';
import type { Clock } from '../clock.js';
import type { RuntimeService } from '../cri/runtime.js';
import type { EventRecorder } from '../events.js';
import type { PodProbes, ProbeFailure } from '../pods/context.js';
import { podDescription } from '../pods/context.js';
import { latestByName, type ContainerRecord, type PodRuntimeState } from '../pods/runtime-state.js';
import { runHandler } from './handler.js';
import { ProbeWorker, type ProbeKind } from './worker.js';

export interface ProbeManagerOptions {
  runtime: RuntimeService;
  clock: Clock;
  events: EventRecorder;
  logger: Logger;
  /** The node's IPs: the address of host-network pods. */
  hostIPs: string[];
  /** A result changed: sync the pod. */
  onChange(uid: string): void;
}

const kinds: readonly ProbeKind[] = ['startup', 'liveness', 'readiness'];
const eventWord: Record<ProbeKind, string> = { liveness: 'Liveness', readiness: 'Readiness', startup: 'Startup' };

function probeOf(c: corev1.Container, kind: ProbeKind): corev1.Probe | undefined {
  return kind === 'liveness' ? c.livenessProbe : kind === 'readiness' ? c.readinessProbe : c.startupProbe;
}

type Workers = Partial<Record<ProbeKind, ProbeWorker>>;

export class ProbeManager implements PodProbes {
  /** Per pod uid, per container id. */
  private readonly pods = new Map<string, Map<string, Workers>>();

  constructor(private readonly opts: ProbeManagerOptions) {}

  started(_pod: corev1.Pod, c: corev1.Container, record: ContainerRecord): boolean {
    if (!c.startupProbe) return true;
    return this.worker(record, 'startup')?.result === 'success';
  }

  ready(pod: corev1.Pod, c: corev1.Container, record: ContainerRecord): boolean {
    if (!this.started(pod, c, record)) return false;
    if (!c.readinessProbe) return true;
    return this.worker(record, 'readiness')?.result === 'success';
  }

  failed(_pod: corev1.Pod, c: corev1.Container, record: ContainerRecord): ProbeFailure | undefined {
    for (const kind of ['liveness', 'startup'] as const) {
      if (this.worker(record, kind)?.result !== 'failure') continue;
      return { kind, graceSeconds: probeOf(c, kind)?.terminationGracePeriodSeconds ?? undefined };
    }
    return undefined;
  }

  track(pod: corev1.Pod, state: PodRuntimeState): void {
    const uid = pod.metadata?.uid ?? '';
    const latest = latestByName(state.containers);
    const running = new Map<string, { c: corev1.Container; record: ContainerRecord }>();
    for (const c of pod.spec?.containers ?? []) {
      const record = latest.get(c.name);
      if (record?.state === 'CONTAINER_RUNNING' && kinds.some((k) => probeOf(c, k))) running.set(record.id, { c, record });
    }
    let byId = this.pods.get(uid);
    for (const [id, workers] of byId ?? []) {
      if (running.has(id)) continue;
      for (const w of Object.values(workers)) w.stop();
      byId?.delete(id);
    }
    if (running.size === 0) {
      this.pods.delete(uid);
      return;
    }
    if (!byId) this.pods.set(uid, (byId = new Map()));
    const podIP = pod.spec?.hostNetwork ? this.opts.hostIPs[0] : (state.sandboxes[0]?.ips[0] ?? pod.status?.podIP);
    for (const [id, { c, record }] of running) {
      if (byId.has(id)) continue;
      const workers: Workers = {};
      byId.set(id, workers);
      for (const kind of kinds) {
        const probe = probeOf(c, kind);
        if (probe) workers[kind] = this.makeWorker(pod, c, record, podIP, kind, probe);
      }
      for (const w of Object.values(workers)) w.start();
    }
  }

  forget(uid: string): void {
    for (const workers of this.pods.get(uid)?.values() ?? []) for (const w of Object.values(workers)) w.stop();
    this.pods.delete(uid);
  }

  /** Stops every worker (the kubelet stops). */
  stop(): void {
    for (const uid of [...this.pods.keys()]) this.forget(uid);
  }

  /** Resolves once no probe is in flight (for tests). */
  async idle(): Promise<void> {
    const inflight = [...this.pods.values()].flatMap((m) => [...m.values()]).flatMap((w) => Object.values(w).map((x) => x.inflight));
    await Promise.all(inflight);
  }

  private worker(record: ContainerRecord, kind: ProbeKind): ProbeWorker | undefined {
    for (const byId of this.pods.values()) {
      const w = byId.get(record.id);
      if (w) return w[kind];
    }
    return undefined;
  }

  private makeWorker(pod: corev1.Pod, c: corev1.Container, record: ContainerRecord, podIP: string | undefined, kind: ProbeKind, probe: corev1.Probe): ProbeWorker {
    const { runtime, clock, events, logger } = this.opts;
    const uid = pod.metadata?.uid ?? '';
    const target = { container: c, containerId: record.id, podIP };
    const startedAtMs = record.startedAt > 0n ? Number(record.startedAt / 1_000_000n) : clock.now();
    return new ProbeWorker({
      kind,
      probe,
      clock,
      startedAtMs,
      started: () => this.started(pod, c, record),
      run: (timeoutSeconds) => runHandler(runtime, probe, target, timeoutSeconds),
      onFailure: (output, errored) => {
        events.pod(pod, 'Warning', 'Unhealthy', `${eventWord[kind]} probe ${errored ? 'errored' : 'failed'}: ${output}`, { name: c.name });
        if (logger.enabled('debug')) logger.debug('probe failed', { pod: podDescription(pod), container: c.name, probe: kind, output });
      },
      onResult: (result) => {
        logger.info('probe result changed', { pod: podDescription(pod), container: c.name, probe: kind, result });
        this.opts.onChange(uid);
      },
    });
  }
}
