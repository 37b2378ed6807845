// etcdserverpb.Watch: one WatchStream per bidi call, many watches per stream.
//
// Contract with clients (ETCD-FACTS §5.5-5.7):
// - requests are handled one at a time, in order, so each create gets its
//   `created` response before the next create is looked at, and before any
//   event of that watch;
// - ids are per stream, from 0, skipping ids in use; a client-chosen id is
//   honoured, a taken one refused as etcd does;
// - a compacted start gets `created`, then a cancel with compact_revision;
// - a cancel is answered once the watch's last response has been written;
//   an unknown id gets no answer (etcd 3.4);
// - progress: see progress.ts.
// Backpressure: when the transport buffer is full, no watch of the stream
// pulls another batch from the store until 'drain'; the store ends a watch
// that falls too far behind ('slow'), which the client hears as a cancel
// with a reason.
import type { Logger } from '../../log/logger.js';
import type { Backend } from '../backend.js';
import { isStoreError, StoreError } from '../errors.js';
import { setImmediate } from 'node:timers/promises';
import type { Watch, WatchBatch, WatchRequest } from '../types.js';
import { int64, watchStart } from './int64.js';
import { Progress, type ProgressHost } from './progress.js';
import { serverStopped, type OpenStreams } from './streams.js';
import type { StreamCall } from './rpc-call.js';
import type { RpcHandler } from './rpc-server.js';
import { streaming, toRpcError } from './status.js';
import {
  canceledResponse,
  compactedResponse,
  createdResponse,
  duplicateIdResponse,
  eventResponses,
} from './watch-responses.js';
import type { WireWatchCreateRequest, WireWatchRequest, WireWatchResponse } from './wire.js';

export interface WatchServiceOptions {
  /** Interval of progress notifications to watches that asked for them. */
  progressNotifyIntervalMs: number;
}

type WatchCall = StreamCall<WireWatchRequest, WireWatchResponse>;

export function watchService(backend: Backend, log: Logger, streams: OpenStreams, opts: WatchServiceOptions): Record<string, RpcHandler> {
  return { Watch: streaming<WireWatchRequest, WireWatchResponse>((call) => new WatchStream(call, backend, log, streams, opts).start()) };
}

export interface WatchState {
  readonly id: bigint;
  readonly watch: Watch;
  readonly progressNotify: boolean;
  /** True while the pump waits on the store: every batch handed out so far has been written. */
  idle: boolean;
  /** An event response went out since the last periodic progress tick. */
  sentSinceTick: boolean;
}

class WatchStream implements ProgressHost {
  readonly watches = new Map<bigint, WatchState>();
  /** Highest header revision of any event response written so far. */
  lastEventRevision = 0;
  private nextId = 0n;
  private requests = Promise.resolve();
  private closed = false;
  private drain: { promise: Promise<void>; resolve: () => void } | undefined;
  private readonly progress: Progress;
  private unregister: () => void = () => {};

  constructor(
    private readonly call: WatchCall,
    readonly backend: Backend,
    private readonly log: Logger,
    private readonly streams: OpenStreams,
    opts: WatchServiceOptions,
  ) {
    this.progress = new Progress(this, opts.progressNotifyIntervalMs);
  }

  start(): void {
    this.unregister = this.streams.add(() => {
      this.stop(false);
      this.call.fail(serverStopped);
    });
    this.call.onRequest((req) => {
      this.requests = this.requests.then(() => this.handle(req)).catch((err: unknown) => this.fail(err));
    });
    // Half-close by the client: every watch ends and so does the stream.
    this.call.onHalfClose(() => void this.requests.then(() => this.stop(true)));
    this.call.onCancel(() => this.stop(false));
  }

  /** Whether nothing is waiting to be written: every watch idle and synced, the transport not full. */
  caughtUp(state?: WatchState): boolean {
    if (this.closed || this.drain) return false;
    const all = state ? [state] : this.watches.values();
    for (const s of all) if (!s.idle || !s.watch.synced) return false;
    return true;
  }

  write(res: WireWatchResponse): void {
    if (this.closed) return;
    if (!this.call.write(res) && !this.drain) {
      let resolve: () => void = () => {};
      const promise = new Promise<void>((r) => (resolve = r));
      this.drain = { promise, resolve };
      this.call.onceDrained(() => this.releaseDrain());
    }
  }

  fail(err: unknown): void {
    if (this.closed) return;
    const failure = toRpcError(err, this.log, 'Watch');
    this.stop(false);
    this.call.fail(failure);
  }

  private async handle(req: WireWatchRequest): Promise<void> {
    if (this.closed) return;
    if (req.create_request) await this.create(req.create_request);
    else if (req.cancel_request) this.cancel(int64(req.cancel_request.watch_id));
    else if (req.progress_request) this.progress.request();
  }

  private async create(req: WireWatchCreateRequest): Promise<void> {
    const requested = int64(req.watch_id);
    const { revision: current } = await this.backend.status();
    if (this.closed) return;
    if (requested !== 0n && this.watches.has(requested)) {
      this.write(duplicateIdResponse(current));
      return;
    }
    const id = requested !== 0n ? requested : this.allocateId();
    const start = watchStart(req.start_revision);
    const wanted: WatchRequest = {
      key: req.key,
      rangeEnd: req.range_end.length > 0 ? req.range_end : undefined,
      // "From now" is pinned to the revision the created header reports, so a
      // client resuming from header.revision + 1 misses nothing.
      startRevision: start === 0 ? current + 1 : start,
      prevKv: req.prev_kv,
      noPut: req.filters.includes('NOPUT'),
      noDelete: req.filters.includes('NODELETE'),
    };
    let watch: Watch;
    try {
      watch = this.backend.watch(wanted);
    } catch (err) {
      if (!isStoreError(err, 'compacted')) throw err;
      this.write(createdResponse(id, current));
      this.write(compactedResponse(id, err.compactRevision ?? 0, err.message));
      return;
    }
    const state: WatchState = { id, watch, progressNotify: req.progress_notify, idle: false, sentSinceTick: false };
    this.watches.set(id, state);
    this.write(createdResponse(id, current));
    if (state.progressNotify) this.progress.startTicking();
    void this.pump(state);
  }

  private allocateId(): bigint {
    while (this.watches.has(this.nextId)) this.nextId++;
    return this.nextId++;
  }

  /** The pump sees the end of iteration and writes the reply once the watch's last batch is out. */
  private cancel(id: bigint): void {
    this.watches.get(id)?.watch.cancel();
  }

  /** Moves batches from the store to the client, one watch; ends with that watch's final reply. */
  private async pump(state: WatchState): Promise<void> {
    const batches = state.watch[Symbol.asyncIterator]();
    try {
      for (;;) {
        while (this.drain) await this.drain.promise;
        if (this.closed) return;
        state.idle = true;
        this.progress.idle();
        const next = await batches.next();
        state.idle = false;
        if (next.done) break;
        // Revisions committed in the same turn of the event loop (a burst of
        // writes read from one socket) leave as one response, the way etcd's
        // catch-up responses carry many revisions: the same events in the
        // same order, in far fewer messages.
        await setImmediate();
        const batch = merged([next.value, ...state.watch.takeQueued()]);
        for (const res of eventResponses(state.id, batch)) this.write(res);
        state.sentSinceTick = true;
        this.lastEventRevision = Math.max(this.lastEventRevision, batch.revision);
      }
      await this.finish(state);
    } catch (err) {
      this.fail(err);
    }
  }

  private async finish(state: WatchState): Promise<void> {
    this.watches.delete(state.id);
    const ended = state.watch.ended ?? { reason: 'canceled' };
    if (this.closed) return;
    if (ended.reason === 'closed') throw new StoreError('closed');
    if (ended.reason === 'compacted') {
      this.write(compactedResponse(state.id, ended.compactRevision, new StoreError('compacted').message));
      return;
    }
    const { revision } = await this.backend.status();
    this.write(canceledResponse(state.id, revision, ended.reason === 'slow' ? ended.message : undefined));
    if (ended.reason === 'slow') this.log.warn('watch canceled: client too slow', { watch: state.id, reason: ended.message });
    this.progress.idle();
  }

  /** Ends every watch; `end` also closes the call with OK (not when the client is gone already). */
  private stop(end: boolean): void {
    if (this.closed) return;
    this.closed = true;
    this.unregister();
    this.progress.stop();
    for (const s of this.watches.values()) s.watch.cancel();
    this.watches.clear();
    this.releaseDrain();
    if (end) this.call.end();
  }

  private releaseDrain(): void {
    const drain = this.drain;
    this.drain = undefined;
    drain?.resolve();
  }
}

function merged(batches: WatchBatch[]): WatchBatch {
  if (batches.length === 1) return batches[0]!;
  return { revision: batches.at(-1)!.revision, events: batches.flatMap((b) => b.events) };
}
