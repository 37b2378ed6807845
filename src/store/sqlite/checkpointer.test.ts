import t from 'tap';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Change } from '../mvcc/driver.js';
import { openSqliteDriver, type SqliteDriver } from './index.js';
import { writerCheckpointPages } from './schema.js';

function tempDb(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsk8s-checkpointer-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'state.db');
}

const size = (path: string): number => (existsSync(path) ? statSync(path).size : 0);

/** `n` single-key writes of 1 KiB each: ~2-3 WAL pages per write, far below the writer's own checkpoint size. */
function write(d: SqliteDriver, n: number): void {
  const value = Buffer.alloc(1024, 'x');
  for (let i = 0; i < n; i++) {
    d.write(() => {
      const revision = d.currentRevision() + 1;
      const change: Change = { deleted: false, kv: { key: Buffer.from(`/k/${i}`), value, createRevision: revision, modRevision: revision, version: 1, lease: 0n } };
      d.append(revision, [change]);
    });
  }
}

t.test("the writer's WAL reaches the database file through the checkpointer's thread", async (t) => {
  const path = tempDb(t);
  const d = openSqliteDriver(path);
  t.teardown(() => d.close());
  const before = size(path);
  write(d, 1000);
  t.ok(size(`${path}-wal`) > 1_000_000, 'the writes are in the WAL');
  // The writer checkpoints only once the WAL holds writerCheckpointPages
  // frames; a smaller file proves it never did (the thread may already have).
  t.ok(size(`${path}-wal`) < writerCheckpointPages * 4096, 'the WAL never reached the size at which the writer checkpoints itself');
  const deadline = Date.now() + 10_000;
  while (size(path) < before + 1_000_000 && Date.now() < deadline) await sleep(20);
  t.ok(size(path) >= before + 1_000_000, `the database file grew from ${before} to ${size(path)} bytes with no call of the writer`);
  t.equal(d.count(Buffer.from('/k/'), Buffer.from('/k0'), d.currentRevision()), 1000, 'every write reads back');
});

t.test('close() leaves no connection behind: the last one out removes the WAL', async (t) => {
  const path = tempDb(t);
  const d = openSqliteDriver(path);
  write(d, 200);
  await sleep(250); // the thread has opened its connection and checkpointed
  d.close();
  t.notOk(existsSync(`${path}-wal`), 'no -wal file');
  t.notOk(existsSync(`${path}-shm`), 'no -shm file');
  const again = openSqliteDriver(path, { busyTimeoutMs: 50 });
  t.equal(again.currentRevision(), 201, 'reopens with every write');
  again.close();
});

t.test('a driver closed at once, before its thread opened a connection, closes cleanly', async (t) => {
  const path = tempDb(t);
  for (let i = 0; i < 5; i++) openSqliteDriver(path).close();
  await sleep(200); // a thread that started late must not open the file now
  t.notOk(existsSync(`${path}-wal`), 'no -wal file: no connection is open');
  const d = openSqliteDriver(path, { busyTimeoutMs: 50 });
  t.equal(d.currentRevision(), 1);
  d.close();
});
