// Time as components see it: wall-clock milliseconds and one-shot timers
// that never keep the process alive. Components take a Clock so tests can
// move time by hand with ManualClock.

export interface Timer {
  cancel(): void;
}

export interface Clock {
  /** Wall-clock time in ms since the epoch. */
  now(): number;
  /** Calls fn once, about delayMs from now. The timer never keeps the process alive. */
  setTimer(fn: () => void, delayMs: number): Timer;
}

/** setTimeout overflows above 2^31-1 ms (~24.8 days) and would fire at once. */
const maxTimeoutMs = 2 ** 31 - 1;

/**
 * The real clock. A delay beyond setTimeout's range fires early; callers
 * re-check their deadlines when a timer fires, so that is harmless.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(fn, delayMs) {
    const handle = setTimeout(fn, Math.min(Math.max(0, delayMs), maxTimeoutMs));
    handle.unref();
    return { cancel: () => clearTimeout(handle) };
  },
};

interface ManualTimer {
  at: number;
  seq: number;
  fn: () => void;
}

/**
 * A clock that only moves when told to. `advance` fires due timers in
 * deadline order, each with `now()` at its deadline, synchronously.
 */
export class ManualClock implements Clock {
  private time: number;
  private seq = 0;
  private timers: ManualTimer[] = [];

  constructor(start = 1_800_000_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimer(fn: () => void, delayMs: number): Timer {
    const timer: ManualTimer = { at: this.time + Math.max(0, delayMs), seq: this.seq++, fn };
    this.timers.push(timer);
    return { cancel: () => this.remove(timer) };
  }

  /** Pending timers: lets tests check that a component armed (or cleared) its timer. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      const next = this.earliestDue(target);
      if (!next) break;
      this.remove(next);
      this.time = Math.max(this.time, next.at);
      next.fn();
    }
    this.time = Math.max(this.time, target);
  }

  private earliestDue(limit: number): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    for (const t of this.timers) {
      if (t.at > limit) continue;
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }

  private remove(timer: ManualTimer): void {
    const i = this.timers.indexOf(timer);
    if (i >= 0) this.timers.splice(i, 1);
  }
}
