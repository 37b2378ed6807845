// Shared plumbing for the Backend conformance suite: opening a backend per
// scenario, compact string forms of kvs and events (so assertions compare
// exact values with readable diffs), and a watch reader with timeouts.
import type { Test } from 'tap';
import type { Backend } from '../backend.js';
import { ManualClock } from '../mvcc/clock.js';
import type { Event, KeyValue, Watch, WatchBatch } from '../types.js';

/**
 * Options the suite asks a backend to be opened with. MvccStore-based
 * backends pass them straight into MvccOptions; they are small so that paging,
 * batching and slow-watcher paths run in every test.
 */
export interface ConformanceOptions {
  /** Lease time source; the suite moves it by hand. */
  clock: ManualClock;
  watchQueueLimit: number;
  watchPageSize: number;
  compactBatchSize: number;
}

export interface OpenedBackend {
  backend: Backend;
  /**
   * Opens a new Backend over the same storage, with the same options, as a
   * restart would. The suite closes the previous backend first. Omit it when
   * the backend cannot persist (persistence scenarios are then skipped).
   */
  reopen?: () => Promise<Backend>;
  /** Releases storage (temp files). Called after the suite closed every backend it got. */
  cleanup: () => Promise<void>;
}

export type OpenBackend = (opts: ConformanceOptions) => Promise<OpenedBackend>;

export interface Ctx {
  t: Test;
  /** The backend under test; replaced by reopen(). */
  b: Backend;
  clock: ManualClock;
  opts: ConformanceOptions;
  canReopen: boolean;
  reopen(): Promise<Backend>;
}

/** Runs fn as a subtest on a freshly opened backend, closing and cleaning up afterwards. */
export function scenario(t: Test, name: string, open: OpenBackend, fn: (ctx: Ctx) => Promise<void>): void {
  t.test(name, async (t) => {
    const opts: ConformanceOptions = {
      clock: new ManualClock(),
      watchQueueLimit: 20,
      watchPageSize: 4,
      compactBatchSize: 3,
    };
    const opened = await open(opts);
    await opened.backend.ready;
    const backends: Backend[] = [opened.backend];
    const ctx: Ctx = {
      t,
      b: opened.backend,
      clock: opts.clock,
      opts,
      canReopen: opened.reopen !== undefined,
      async reopen() {
        if (!opened.reopen) throw new Error('backend cannot reopen');
        await ctx.b.close();
        ctx.b = await opened.reopen();
        backends.push(ctx.b);
        await ctx.b.ready;
        return ctx.b;
      },
    };
    try {
      await fn(ctx);
    } finally {
      for (const b of backends) await b.close();
      await opened.cleanup();
    }
  });
}

/** A key or value from a latin1 string, so "\x00" and "\xff" mean single bytes. */
export function k(s: string): Buffer {
  return Buffer.from(s, 'latin1');
}

/** "key=value c<create> m<mod> v<version>[ l<lease>]" */
export function kvStr(kv: KeyValue): string {
  const lease = kv.lease === 0n ? '' : ` l${kv.lease}`;
  return `${kv.key.toString('latin1')}=${kv.value.toString('latin1')} c${kv.createRevision} m${kv.modRevision} v${kv.version}${lease}`;
}

export function keysOf(kvs: readonly KeyValue[]): string[] {
  return kvs.map((kv) => kv.key.toString('latin1'));
}

/** "PUT key=value c m v[ prev=value@mod]" or "DELETE key m<mod>[ prev=value@mod]" */
export function evStr(e: Event): string {
  const prev = e.prevKv ? ` prev=${e.prevKv.value.toString('latin1')}@${e.prevKv.modRevision}` : '';
  if (e.type === 'DELETE') return `DELETE ${e.kv.key.toString('latin1')} m${e.kv.modRevision}${prev}`;
  return `PUT ${kvStr(e.kv)}${prev}`;
}

export function batchEvents(batches: readonly WatchBatch[]): string[] {
  return batches.flatMap((b) => b.events.map(evStr));
}

export async function putKey(b: Backend, key: string, value: string, lease?: bigint): Promise<number> {
  return (await b.put(lease === undefined ? { key: k(key), value: k(value) } : { key: k(key), value: k(value), lease })).revision;
}

/** Lets pending microtasks and immediates run (watch deliveries, compaction batches). */
export function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export type ReadResult = WatchBatch | 'end' | 'timeout';

/** Reads one watch with timeouts; keeps a single iterator so no batch is lost between reads. */
export class WatchReader {
  private readonly it: AsyncIterator<WatchBatch>;
  private pending: Promise<IteratorResult<WatchBatch>> | undefined;

  constructor(readonly watch: Watch) {
    this.it = watch[Symbol.asyncIterator]();
  }

  async next(timeoutMs = 2000): Promise<ReadResult> {
    this.pending ??= this.it.next();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const result = await Promise.race([this.pending, timeout]);
    clearTimeout(timer);
    if (result === 'timeout') return 'timeout';
    this.pending = undefined;
    return result.done ? 'end' : result.value;
  }

  /** Batches until one reaches `revision` (or the watch ends or stalls). */
  async until(revision: number, timeoutMs = 2000): Promise<WatchBatch[]> {
    const out: WatchBatch[] = [];
    for (;;) {
      const r = await this.next(timeoutMs);
      if (typeof r === 'string') return out;
      out.push(r);
      if (r.revision >= revision) return out;
    }
  }

  /** True when nothing arrives within `ms` (the pending read stays armed for later). */
  async quiet(ms = 50): Promise<boolean> {
    this.pending ??= this.it.next();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
    const result = await Promise.race([this.pending, timeout]);
    clearTimeout(timer);
    return result === 'timeout';
  }
}
