// One worker per pod uid: syncs of a pod never overlap, a sync asked for
// while one runs happens once right after it, and each pod is synced again
// when its last sync says (a back-off ends), after a failure (10 s), and
// at least every resync period.
import type { Logger } from '../../log/logger.js';
import type { Clock, Timer } from '../clock.js';
import { messageOf } from '../errors.js';
import type { SyncResult } from './sync.js';

interface Worker {
  dirty: boolean;
  running: Promise<void> | undefined;
  timer: Timer | undefined;
}

export interface PodWorkersOptions {
  clock: Clock;
  logger: Logger;
  resyncMs: number;
  retryMs: number;
  sync(uid: string): Promise<SyncResult>;
}

export class PodWorkers {
  private readonly workers = new Map<string, Worker>();
  private stopped = false;

  constructor(private readonly opts: PodWorkersOptions) {}

  /** Asks for a sync of the pod (starting its worker if it has none). */
  enqueue(uid: string): void {
    if (this.stopped) return;
    let w = this.workers.get(uid);
    if (!w) {
      w = { dirty: false, running: undefined, timer: undefined };
      this.workers.set(uid, w);
    }
    w.dirty = true;
    if (!w.running) w.running = this.run(uid, w);
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
      const running = [...this.workers.values()].map((w) => w.running).filter((p): p is Promise<void> => p !== undefined);
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
    try {
      while (w.dirty && !this.stopped) {
        w.dirty = false;
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
      w.running = undefined;
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
