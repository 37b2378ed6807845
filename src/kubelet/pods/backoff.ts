// Per-key exponential back-off with upstream's semantics (no jitter): the
// first failure waits `initial`, each further one doubles up to `max`, and
// an entry not touched for twice `max` starts over. Used for container
// restarts (CrashLoopBackOff: 10 s doubling to 5 min, measured from the
// container's exit) and image pulls (ImagePullBackOff).
import type { Clock } from '../clock.js';

interface Entry {
  backoffMs: number;
  lastUpdate: number;
}

export class Backoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    readonly initialMs = 10_000,
    readonly maxMs = 300_000,
  ) {}

  private expired(eventTime: number, entry: Entry): boolean {
    return eventTime - entry.lastUpdate > 2 * this.maxMs;
  }

  /** The current delay of `key` (0 when it has none). */
  get(key: string): number {
    return this.entries.get(key)?.backoffMs ?? 0;
  }

  /** Records a failure at `eventTime`: starts or doubles the delay. */
  next(key: string, eventTime: number): void {
    const entry = this.entries.get(key);
    if (!entry || this.expired(eventTime, entry)) {
      this.entries.set(key, { backoffMs: this.initialMs, lastUpdate: this.clock.now() });
      return;
    }
    entry.backoffMs = Math.min(entry.backoffMs * 2, this.maxMs);
    entry.lastUpdate = this.clock.now();
  }

  /** Whether less than the delay has passed since `eventTime` (a container's exit). */
  inBackoffSince(key: string, eventTime: number): boolean {
    const entry = this.entries.get(key);
    if (!entry || this.expired(eventTime, entry)) return false;
    return this.clock.now() - eventTime < entry.backoffMs;
  }

  /** Whether `eventTime` is less than the delay after the last recorded failure (pull retries). */
  inBackoffSinceUpdate(key: string, eventTime: number): boolean {
    const entry = this.entries.get(key);
    if (!entry || this.expired(eventTime, entry)) return false;
    return eventTime - entry.lastUpdate < entry.backoffMs;
  }

  /** Milliseconds until `inBackoffSince(key, eventTime)` turns false (0 if it is false). */
  remainingSince(key: string, eventTime: number): number {
    const entry = this.entries.get(key);
    if (!entry || !this.inBackoffSince(key, eventTime)) return 0;
    return entry.backoffMs - (this.clock.now() - eventTime);
  }

  /** Milliseconds until a retry is allowed after the last recorded failure. */
  remainingSinceUpdate(key: string): number {
    const entry = this.entries.get(key);
    if (!entry) return 0;
    return Math.max(0, entry.lastUpdate + entry.backoffMs - this.clock.now());
  }

  /** Forgets keys with a prefix (a pod's, once it is gone). */
  forget(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  /** Drops entries that have expired. */
  gc(): void {
    const now = this.clock.now();
    for (const [key, entry] of this.entries) if (now - entry.lastUpdate > 2 * this.maxMs) this.entries.delete(key);
  }
}
