// The ClientWatch both transports return: the request starts at once (so a
// watch opened before a write sees it), iteration races every read against
// close() so a pending next() settles as soon as the watch is closed, and
// errors caused by closing are swallowed rather than thrown at the reader.
import type { ClientWatch, RawWatchEvent } from './transport.js';

const closedMark = Symbol('closed');

/**
 * Starts a producer. `start(signal)` is called immediately and resolves to
 * the event source; `signal` aborts on close(), which must make the source
 * release its request. An aborted `outer` signal closes the watch.
 */
export function closableWatch(start: (signal: AbortSignal) => Promise<AsyncIterator<RawWatchEvent>>, outer?: AbortSignal): ClientWatch {
  return new ClosableWatch(start, outer);
}

class ClosableWatch implements ClientWatch {
  private readonly controller = new AbortController();
  private readonly closed: Promise<typeof closedMark>;
  private readonly source: Promise<AsyncIterator<RawWatchEvent>>;
  private iterated = false;
  private readonly onOuterAbort = (): void => this.close();

  constructor(
    start: (signal: AbortSignal) => Promise<AsyncIterator<RawWatchEvent>>,
    private readonly outer: AbortSignal | undefined,
  ) {
    const signal = this.controller.signal;
    this.closed = new Promise((resolve) => signal.addEventListener('abort', () => resolve(closedMark), { once: true }));
    if (outer?.aborted) this.controller.abort();
    else outer?.addEventListener('abort', this.onOuterAbort, { once: true });
    this.source = start(signal);
    // A failure to start is reported by the first next(); a watch closed
    // before it is read must not leave an unhandled rejection behind.
    this.source.catch(() => undefined);
  }

  close(): void {
    if (this.controller.signal.aborted) return;
    this.outer?.removeEventListener('abort', this.onOuterAbort);
    this.controller.abort();
    // Release the source even if close() won the race against its start.
    void this.source.then(
      (it) => it.return?.().catch(() => undefined),
      () => undefined,
    );
  }

  [Symbol.asyncIterator](): AsyncIterator<RawWatchEvent> {
    if (this.iterated) throw new Error('a watch can be iterated only once');
    this.iterated = true;
    return this.events();
  }

  private async *events(): AsyncGenerator<RawWatchEvent> {
    try {
      const it = await Promise.race([this.source, this.closed]);
      if (it === closedMark) return;
      for (;;) {
        const pending = it.next();
        pending.catch(() => undefined);
        const next = await Promise.race([pending, this.closed]);
        if (next === closedMark || next.done === true) return;
        yield next.value;
      }
    } catch (err) {
      if (this.controller.signal.aborted) return;
      throw err;
    } finally {
      this.close();
    }
  }
}
