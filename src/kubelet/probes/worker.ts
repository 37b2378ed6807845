// One probe of one container, run every periodSeconds from the container's
// start until it stops (upstream's probe worker): nothing before
// initialDelaySeconds, liveness and readiness wait for the startup probe,
// and a result counts only after successThreshold / failureThreshold equal
// results in a row. A failed liveness or startup probe holds its result
// until the container is replaced (results are per container id).
import type { Clock, Timer } from '../clock.js';
import type { corev1 } from '../../api/types.js';
import type { HandlerOutcome, ProbeResult } from './handler.js';

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

export interface ProbeWorkerOptions {
  kind: ProbeKind;
  probe: corev1.Probe;
  clock: Clock;
  /** When the container started (ms since the epoch). */
  startedAtMs: number;
  /** Whether the container's startup probe (if any) has succeeded. */
  started(): boolean;
  run(timeoutSeconds: number): Promise<HandlerOutcome>;
  /**
   * A probe ran and failed (whatever the thresholds say), or could not run
   * (`errored`: the result is thrown away); upstream records an Unhealthy
   * event each time.
   */
  onFailure(output: string, errored: boolean): void;
  /** The counted result changed. */
  onResult(result: ProbeResult): void;
}

/** Upstream's initial results: live until proven otherwise, not ready, startup unknown. */
export function initialResult(kind: ProbeKind): ProbeResult {
  return kind === 'liveness' ? 'success' : kind === 'readiness' ? 'failure' : 'unknown';
}

export class ProbeWorker {
  result: ProbeResult;
  private last: ProbeResult = 'unknown';
  private run = 0;
  private onHold = false;
  private timer: Timer | undefined;
  private stopped = false;
  /** The probe in flight, if any (tests wait for it). */
  inflight: Promise<void> | undefined;

  constructor(private readonly opts: ProbeWorkerOptions) {
    this.result = initialResult(opts.kind);
  }

  private get periodMs(): number {
    return Math.max(1, this.opts.probe.periodSeconds ?? 10) * 1000;
  }

  start(): void {
    this.tick();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  private tick(): void {
    if (this.stopped) return;
    this.timer = this.opts.clock.setTimer(() => this.tick(), this.periodMs);
    // A probe still running when the next period comes is not started twice.
    if (this.inflight) return;
    this.inflight = this.probeOnce().finally(() => (this.inflight = undefined));
  }

  private async probeOnce(): Promise<void> {
    const { kind, probe, clock } = this.opts;
    if (this.onHold) return;
    // The startup probe stops once it succeeded; the others wait for it.
    if (kind === 'startup' ? this.result === 'success' : !this.opts.started()) return;
    if (clock.now() < this.opts.startedAtMs + (probe.initialDelaySeconds ?? 0) * 1000) return;
    const outcome = await this.opts.run(Math.max(1, probe.timeoutSeconds ?? 1));
    if (this.stopped) return;
    // An error of the prober itself (not the container's answer) counts as neither.
    if (outcome.result === 'unknown') {
      this.opts.onFailure(outcome.output, true);
      return;
    }
    if (outcome.result === 'failure') this.opts.onFailure(outcome.output, false);
    if (outcome.result === this.last) this.run++;
    else {
      this.last = outcome.result;
      this.run = 1;
    }
    const success = kind === 'readiness' ? Math.max(1, probe.successThreshold ?? 1) : 1;
    const failure = Math.max(1, probe.failureThreshold ?? 3);
    if (outcome.result === 'failure' && this.run < failure) return;
    if (outcome.result === 'success' && this.run < success) return;
    if (outcome.result !== this.result) {
      this.result = outcome.result;
      this.opts.onResult(outcome.result);
    }
    if (outcome.result === 'failure' && kind !== 'readiness') {
      this.onHold = true;
      this.run = 0;
    }
  }
}
