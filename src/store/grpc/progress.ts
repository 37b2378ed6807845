// Progress notifications of one watch stream (ETCD-FACTS §5.7, §2).
//
// A progress response with revision R promises "you have every event up to
// R". That holds when the watches concerned are synced and their pumps idle
// (waiting on the store, nothing queued for them) at the moment R is read:
// the store publishes each commit to its watchers synchronously, so a commit
// at or below R would have woken a pump. Such a moment may not come at once;
// then we look again shortly (etcd and kine do the same).
// - progress_request → exactly one response with watch_id -1 for the whole
//   stream, sent only then (npm etcd3 throws on an id it does not know);
// - progress_notify watches → a response with their own id every interval,
//   skipped when an event went out since the last tick.
import type { Backend } from '../backend.js';
import type { WatchState } from './watch.js';
import { progressResponse } from './watch-responses.js';
import type { WireWatchResponse } from './wire.js';

export interface ProgressHost {
  readonly watches: ReadonlyMap<bigint, WatchState>;
  /** Highest header revision of any event response the stream has written. */
  readonly lastEventRevision: number;
  readonly backend: Pick<Backend, 'status'>;
  /** Nothing is waiting to be written for `state` (or for any watch, without it). */
  caughtUp(state?: WatchState): boolean;
  write(res: WireWatchResponse): void;
  fail(err: unknown): void;
}

/** How soon a requested progress response is tried again when the stream was not caught up. */
const retryMs = 100;

export class Progress {
  private wanted = false;
  private checking = false;
  private ticker: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly host: ProgressHost,
    private readonly intervalMs: number,
  ) {}

  /** A progress_request arrived; repeated requests before the answer get one answer. */
  request(): void {
    this.wanted = true;
    this.idle();
  }

  /** Something may have caught up: answer a pending request if it can be answered now. */
  idle(): void {
    if (!this.wanted || this.checking || this.stopped) return;
    if (!this.host.caughtUp()) return this.scheduleRetry();
    this.checking = true;
    this.host.backend.status().then(
      ({ revision }) => {
        this.checking = false;
        if (!this.wanted || this.stopped) return;
        // An event newer than R went out meanwhile: R would move the client backwards.
        if (!this.host.caughtUp() || this.host.lastEventRevision > revision) return this.scheduleRetry();
        this.wanted = false;
        this.host.write(progressResponse(-1, revision));
      },
      (err: unknown) => {
        this.checking = false;
        this.host.fail(err);
      },
    );
  }

  /** Starts the periodic notifications (once the first progress_notify watch exists). */
  startTicking(): void {
    if (this.ticker || this.stopped) return;
    this.ticker = setInterval(() => this.tick(), this.intervalMs);
    this.ticker.unref();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.ticker);
    clearTimeout(this.retry);
  }

  private scheduleRetry(): void {
    if (this.retry || this.stopped) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.idle();
    }, retryMs);
    this.retry.unref();
  }

  private tick(): void {
    const due: WatchState[] = [];
    for (const s of this.host.watches.values()) {
      if (!s.progressNotify) continue;
      const quiet = !s.sentSinceTick;
      s.sentSinceTick = false;
      if (quiet && this.host.caughtUp(s)) due.push(s);
    }
    if (due.length === 0) return;
    this.host.backend.status().then(
      ({ revision }) => {
        for (const s of due) {
          // Still the same watch, and nothing was sent for it while R was read.
          if (this.stopped || this.host.watches.get(s.id) !== s || s.sentSinceTick || !this.host.caughtUp(s)) continue;
          this.host.write(progressResponse(s.id, revision));
        }
      },
      (err: unknown) => this.host.fail(err),
    );
  }
}
