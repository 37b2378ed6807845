// Copies the WAL back into the database file on a thread of its own. A
// checkpoint in the writer's connection stalled the event loop for several
// milliseconds every ~1,000 pages written (the copy, and two fsyncs); a
// checkpoint on another connection runs beside the writer (SQLite's WAL
// lets one checkpointer and one writer work at once). The writer keeps an
// automatic checkpoint at a much larger WAL size (see schema.ts) for a
// write load so steady that this thread never catches up with it.
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface CheckpointWorkerData {
  path: string;
  intervalMs: number;
  /** Two Int32 slots shared with the thread: `lifecycle` and `mutex`. */
  control: SharedArrayBuffer;
}

/** The thread's connection: starting → open → closed, or starting → closed when stopped before it opened. */
export const lifecycle = { slot: 0, starting: 0, open: 1, closed: 2 } as const;
/** Held by whoever checkpoints: SQLite answers a second checkpointer "busy" rather than waiting. */
export const mutex = { slot: 1, free: 0, held: 1 } as const;

/** Between checkpoints: each copies what the WAL gained since the last. */
const intervalMs = 100;
/** Longest wait of the writer for the thread (a checkpoint in progress, or closing). */
const waitMs = 5000;

// Beside this module, built (.js) or run from source (.ts).
const workerUrl = new URL(`./checkpoint-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

export class Checkpointer {
  private readonly control = new Int32Array(new SharedArrayBuffer(8));
  private readonly worker: Worker;

  /** `onFailure` hears of a thread that failed: the writer then checkpoints alone, as SQLite does by default. */
  constructor(path: string, onFailure: (err: Error) => void) {
    const data: CheckpointWorkerData = { path, intervalMs, control: this.control.buffer as SharedArrayBuffer };
    this.worker = new Worker(workerUrl, { workerData: data });
    // It never keeps the process alive.
    this.worker.unref();
    this.worker.on('error', onFailure);
    // A thread that died holds neither a connection nor the mutex.
    this.worker.on('exit', () => {
      Atomics.store(this.control, lifecycle.slot, lifecycle.closed);
      Atomics.store(this.control, mutex.slot, mutex.free);
    });
  }

  /** Runs `fn` (a checkpoint of the writer's own) while the thread does not checkpoint. */
  exclusive<T>(fn: () => T): T {
    const deadline = performance.now() + waitMs;
    while (Atomics.compareExchange(this.control, mutex.slot, mutex.free, mutex.held) !== mutex.free) {
      const left = deadline - performance.now();
      if (left <= 0) return fn(); // SQLite then answers busy, as without the mutex
      Atomics.wait(this.control, mutex.slot, mutex.held, left);
    }
    try {
      return fn();
    } finally {
      Atomics.store(this.control, mutex.slot, mutex.free);
    }
  }

  /** Returns once the thread's connection is closed (or it never opened one). */
  stop(): void {
    if (Atomics.compareExchange(this.control, lifecycle.slot, lifecycle.starting, lifecycle.closed) === lifecycle.open) {
      this.worker.postMessage('close');
      Atomics.wait(this.control, lifecycle.slot, lifecycle.open, waitMs);
    }
    void this.worker.terminate();
  }
}
