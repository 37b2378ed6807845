// One process owns a database file. The lock is an exclusive SQLite lock on
// a small file beside it (`<path>.lock`), held by a connection of its own
// for as long as the store is open: the kernel drops it when the process
// dies, and SQLite refuses it to a second connection of the same process
// too. The database itself is opened in normal locking mode so that the
// checkpointer's connection (checkpointer.ts) can share it.
import Database from 'better-sqlite3';

/** Takes the lock, waiting up to `busyTimeoutMs`; throws SQLite's SQLITE_BUSY while another owner holds it. Close the result to release it. */
export function takeOwnerLock(path: string, busyTimeoutMs: number): Database.Database {
  const lock = new Database(`${path}.lock`, { timeout: busyTimeoutMs });
  try {
    // Exclusive locking mode keeps the lock of the first write until the
    // connection closes; the in-memory journal leaves no file behind.
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.pragma('journal_mode = MEMORY');
    lock.exec('BEGIN EXCLUSIVE; COMMIT');
    return lock;
  } catch (err) {
    lock.close();
    throw err;
  }
}
