// The kubelet's time source: every timer (lease renewal, status updates,
// relist, back-off expiry, resyncs) goes through one Clock so tests can move
// time by hand (clock.fixture.ts) and assert the exact back-off steps.

import type { Clock } from '../machinery/clock.js';

export { systemClock, type Clock, type Timer } from '../machinery/clock.js';

/** Resolves after `ms` on `clock`, or early (without error) when `signal` aborts. */
export function sleepOn(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const done = (): void => {
      timer.cancel();
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = clock.setTimer(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** RFC 3339 with second precision, as metav1.Time is written. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** RFC 3339 with microseconds, as metav1.MicroTime is written. */
export function rfc3339Micro(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** A nanosecond CRI timestamp as metav1.Time; undefined for 0 (not set). */
export function fromUnixNanos(ns: bigint): string | undefined {
  return ns > 0n ? rfc3339(Number(ns / 1_000_000n)) : undefined;
}

/** A duration as Go prints a time.Duration truncated to milliseconds: 523ms, 1.2s, 2m3.5s. */
export function goDuration(ms: number): string {
  const whole = Math.max(0, Math.trunc(ms));
  if (whole === 0) return '0s';
  if (whole < 1000) return `${whole}ms`;
  const trimmed = (n: number): string => n.toFixed(3).replace(/\.?0+$/, '');
  const hours = Math.floor(whole / 3_600_000);
  const minutes = Math.floor((whole % 3_600_000) / 60_000);
  const seconds = (whole % 60_000) / 1000;
  return `${hours > 0 ? `${hours}h` : ''}${hours > 0 || minutes > 0 ? `${minutes}m` : ''}${trimmed(seconds)}s`;
}
