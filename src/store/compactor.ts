import type { Backend } from './backend.js';
import { isStoreError } from './errors.js';
import type { Logger } from '../log/logger.js';

export interface CompactorOptions {
  intervalMs: number;
  /** Never compact the most recent `minRetain` revisions. */
  minRetain: number;
  logger: Logger;
}

/**
 * Compacts the store periodically to `current - minRetain`, so history stays
 * bounded when no apiserver asks for compaction. Stops with the signal.
 */
export function startCompactor(backend: Backend, opts: CompactorOptions, signal: AbortSignal): void {
  let running = false;
  const tick = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      const { revision, compactRevision } = await backend.status();
      const target = revision - opts.minRetain;
      if (target > compactRevision) {
        const started = Date.now();
        await backend.compact(target);
        opts.logger.info('compacted', { revision: target, ms: Date.now() - started });
      }
    } catch (err) {
      // Another compaction got there first: nothing to do until the next tick.
      if (!isStoreError(err, 'compacted') && !signal.aborted) {
        opts.logger.warn('compaction failed', { error: err instanceof Error ? err.message : String(err) });
      }
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), opts.intervalMs);
  timer.unref();
  signal.addEventListener('abort', () => clearInterval(timer), { once: true });
}
