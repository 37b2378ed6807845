// A Clock for tests: time moves only when advance() is called, firing due
// timers in order (a timer set by a firing timer fires in the same advance
// when it is due by then).
import type { Clock, Timer } from './clock.js';

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
}

export class ManualClock implements Clock {
  private ms: number;
  private seq = 0;
  private pending: Pending[] = [];

  constructor(startMs = 1_700_000_000_000) {
    this.ms = startMs;
  }

  now(): number {
    return this.ms;
  }

  setTimer(fn: () => void, delayMs: number): Timer {
    const entry: Pending = { at: this.ms + Math.max(0, delayMs), seq: this.seq++, fn };
    this.pending.push(entry);
    return { cancel: () => void (this.pending = this.pending.filter((p) => p !== entry)) };
  }

  /** Timers still to fire. */
  get timers(): number {
    return this.pending.length;
  }

  advance(ms: number): void {
    const target = this.ms + ms;
    for (;;) {
      const due = this.pending.filter((p) => p.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.pending = this.pending.filter((p) => p !== due);
      this.ms = Math.max(this.ms, due.at);
      due.fn();
    }
    this.ms = target;
  }
}
