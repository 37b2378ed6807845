// One worker per pod uid: syncs of a pod never overlap, a sync asked for
// while one runs happens once right after it, and each pod is synced again
// when its last sync says (a back-off ends), after a failure (10 s), and
// at least every resync period. A conditional request (a relist reporting
// runtime changes) is dropped when, by the time it would run, the last
// sync already accounted for what it reports.
import type { Logger } from '../../log/logger.js';
import type { Clock, Timer } from '../clock.js';
import { messageOf } from '../errors.js';
import type { SyncResult } from './sync.js';

interface Worker {
  dirty: boolean;
  /** Some request since the last sync began was not conditional. */
  firm: boolean;
  /** A run is under way (it may end without waiting, when its only request was needless). */
  active: boolean;
  running: Promise<void> | undefined;
  timer: Timer | undefined;
}

export interface PodWorkersOptions {
  clock: Clock;
  logger: Logger;
  resyncMs: number;
  retryMs: number;
  sync(uid: string): Promise<SyncResult>;
  /** Whether the conditional requests pending for the pod need no sync; without it they all do. */
  needless?(uid: string): boolean;
}

export class PodWorkers {
  private readonly workers = new Map<string, Worker>();
  private stopped = false;

  constructor(private readonly opts: PodWorkersOptions) {}

  /** Asks for a sync of the pod (starting its worker if it has none); a conditional request may be dropped (see needless). */
  enqueue(uid: string, conditional = false): void {
    if (this.stopped) return;
    let w = this.workers.get(uid);
    if (!w) {
      w = { dirty: false, firm: false, active: false, running: undefined, timer: undefined };
      this.workers.set(uid, w);
    }
    w.dirty = true;
    if (!conditional) w.firm = true;
    if (!w.active) w.running = this.run(uid, w);
  }

  has(uid: string): boolean {
    return this.workers.has(uid);
  }

  uids(): string[] {
    return [...this.workers.keys()];
  }

  /** Resolves once no worker is syncing (for tests and shutdown). */
  async idle(): Promise<void> {
    for (;;) {
      const running = [...this.workers.values()].flatMap((w) => (w.active && w.running ? [w.running] : []));
      if (running.length === 0) return;
      await Promise.all(running);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const w of this.workers.values()) w.timer?.cancel();
    await this.idle();
  }

  private async run(uid: string, w: Worker): Promise<void> {
    w.active = true;
    try {
      while (w.dirty && !this.stopped) {
        const needless = !w.firm && this.opts.needless?.(uid) === true;
        w.dirty = false;
        w.firm = false;
        // The timer the last sync set stays.
        if (needless) continue;
        let delay = this.opts.resyncMs;
        try {
          const result = await this.opts.sync(uid);
          if (result.done) {
            w.timer?.cancel();
            if (!w.dirty) this.workers.delete(uid);
            continue;
          }
          if (result.retryAfterMs !== undefined) delay = Math.min(delay, Math.max(0, result.retryAfterMs));
        } catch (err) {
          this.opts.logger.warn('pod sync failed', { uid, err: messageOf(err), retryMs: this.opts.retryMs });
          delay = this.opts.retryMs;
        }
        this.schedule(uid, w, delay);
      }
    } finally {
      w.active = false;
    }
  }

  private schedule(uid: string, w: Worker, delayMs: number): void {
    w.timer?.cancel();
    if (this.stopped) return;
    w.timer = this.opts.clock.setTimer(() => {
      w.timer = undefined;
      if (this.workers.get(uid) === w) this.enqueue(uid);
    }, delayMs);
  }
}
