// Shared plumbing for the Transport conformance suite: a transport per
// scenario, unique names, an ApiError matcher and a watch reader with
// timeouts.
import type { Test } from 'tap';
import type { corev1 } from '../../api/types.js';
import { ApiError, findApiError } from '../../machinery/index.js';
import { Client } from '../client.js';
import type { ClientWatch, Transport, WatchEvent } from '../transport.js';

export interface OpenedTransport {
  transport: Transport;
  /** Compacts the server's store at its current revision (older watches get 410). */
  compact(): Promise<void>;
  /** Called after the suite closed the transport. */
  cleanup(): Promise<void>;
}

export type OpenTransport = () => Promise<OpenedTransport>;

export interface Ctx {
  t: Test;
  transport: Transport;
  client: Client;
  compact(): Promise<void>;
  /** Unique per scenario: use it in names and as the `suite` label. */
  id: string;
  ns: string;
}

let counter = 0;

export function scenario(t: Test, name: string, open: OpenTransport, fn: (ctx: Ctx) => Promise<void>): void {
  t.test(name, async (t) => {
    const opened = await open();
    const id = `c${process.pid.toString(36)}${Date.now().toString(36)}${(counter++).toString(36)}`;
    try {
      await fn({ t, transport: opened.transport, client: new Client(opened.transport), compact: opened.compact, id, ns: 'default' });
    } finally {
      await opened.transport.close();
      await opened.cleanup();
    }
  });
}

export function configMap(ctx: Ctx, name: string, data: Record<string, string> = {}, labels: Record<string, string> = {}): corev1.ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${ctx.id}-${name}`, namespace: ctx.ns, labels: { suite: ctx.id, ...labels } }, data };
}

/** Asserts that `promise` rejects with an ApiError of this reason and code; returns it. */
export async function expectApiError(t: Test, promise: Promise<unknown>, reason: string, code: number): Promise<ApiError | undefined> {
  try {
    await promise;
  } catch (err) {
    const apiErr = findApiError(err);
    t.ok(err instanceof ApiError, `an ApiError (got ${err instanceof Error ? err.name : typeof err})`);
    t.equal(apiErr?.reason, reason, 'reason');
    t.equal(apiErr?.code, code, 'code');
    return apiErr;
  }
  t.fail(`expected ${reason} (${code}), the call succeeded`);
  return undefined;
}

export type Read<T> = WatchEvent<T> | 'end' | 'timeout';

/** Reads a watch with timeouts; one iterator, so nothing is lost between reads. */
export class WatchReader<T> {
  private readonly it: AsyncIterator<WatchEvent<T>>;
  private pending: Promise<IteratorResult<WatchEvent<T>>> | undefined;

  constructor(readonly watch: ClientWatch<T>) {
    this.it = watch[Symbol.asyncIterator]();
  }

  async next(timeoutMs = 3000): Promise<Read<T>> {
    this.pending ??= this.it.next();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    try {
      const result = await Promise.race([this.pending, timeout]);
      if (result === 'timeout') return 'timeout';
      this.pending = undefined;
      return result.done ? 'end' : result.value;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Up to `n` events (fewer if the watch ends or stalls). */
  async take(n: number, timeoutMs = 3000): Promise<WatchEvent<T>[]> {
    const out: WatchEvent<T>[] = [];
    while (out.length < n) {
      const r = await this.next(timeoutMs);
      if (typeof r === 'string') break;
      out.push(r);
    }
    return out;
  }
}

/** `TYPE name` for compact assertions. */
export function evStr(ev: WatchEvent<{ metadata?: { name?: string } }>): string {
  return `${ev.type} ${ev.object.metadata?.name ?? '?'}`;
}
