// The checkpointer's thread (see checkpointer.ts): its own connection to the
// database, a PASSIVE checkpoint on every tick (a no-op when the WAL holds
// nothing new) unless the writer holds the checkpoint mutex, closed on
// request. Shared state: see CheckpointWorkerData.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { lifecycle, mutex, type CheckpointWorkerData } from './checkpointer.js';

// Loaded as a module of its own (e.g. by a test runner), it does nothing.
const data = isMainThread ? undefined : (workerData as CheckpointWorkerData);
const control = new Int32Array(data?.control ?? new SharedArrayBuffer(8));

function closed(): void {
  Atomics.store(control, lifecycle.slot, lifecycle.closed);
  Atomics.notify(control, lifecycle.slot);
}

function open(path: string): Database.Database | undefined {
  try {
    return new Database(path, { fileMustExist: true });
  } catch {
    closed();
    return undefined;
  }
}

function checkpoint(db: Database.Database): void {
  if (Atomics.compareExchange(control, mutex.slot, mutex.free, mutex.held) !== mutex.free) return;
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // The writer's own automatic checkpoint still bounds the WAL, and a
    // failing disk shows in its writes, where it is reported.
  } finally {
    Atomics.store(control, mutex.slot, mutex.free);
    Atomics.notify(control, mutex.slot);
  }
}

const db =
  data !== undefined && Atomics.compareExchange(control, lifecycle.slot, lifecycle.starting, lifecycle.open) === lifecycle.starting
    ? open(data.path)
    : undefined;
if (db !== undefined && data !== undefined) {
  const timer = setInterval(() => checkpoint(db), data.intervalMs);
  parentPort?.once('message', () => {
    clearInterval(timer);
    db.close();
    closed();
    parentPort?.close();
  });
}
