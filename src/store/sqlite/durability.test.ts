import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqliteBackend } from './index.js';

// kill -9 durability: a child writes through the backend and prints each
// acknowledged revision; we SIGKILL it mid-stream, reopen the database and
// check that every acknowledged write is there and revisions continue.

const fixture = fileURLToPath(new URL('./durability-writer.fixture.ts', import.meta.url));
const tsx = import.meta.resolve('tsx');
const valueOf = (i: number): Buffer => Buffer.alloc(100 + (i % 50) * 100, `value-${i};`);

/** Runs the writer from index `first` until `acks` writes are acknowledged, then kills it with SIGKILL. */
function writeUntilKilled(path: string, first: number, acks: number, concurrency: number): Promise<Map<number, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsx, fixture, path, String(first), String(concurrency)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked = new Map<number, number>();
    let partial = '';
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const [i, revision] = line.split(' ').map(Number);
        if (i !== undefined && revision !== undefined) acked.set(i, revision);
      }
      if (!killed && acked.size >= acks) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`writer exited (code ${code}, signal ${signal}) before it was killed: ${stderr}`));
    });
  });
}

for (const concurrency of [1, 16]) {
  t.test(`every acknowledged write survives kill -9, and revisions continue after the last (${concurrency} in flight)`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'tsk8s-sqlite-kill-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'state.db');
    let first = 0;
    for (let round = 1; round <= 3; round++) {
      const acked = await writeUntilKilled(path, first, 400, concurrency);
      const lastAck = Math.max(...acked.values());
      t.ok(acked.size >= 400, `round ${round}: ${acked.size} writes acknowledged before the kill, last at revision ${lastAck}`);

      const backend = openSqliteBackend(path);
      const { revision } = await backend.status();
      t.ok(revision >= lastAck, `round ${round}: reopened at revision ${revision} >= last acknowledged ${lastAck}`);
      let lost = 0;
      for (const [i, rev] of acked) {
        const { kvs } = await backend.range({ key: Buffer.from(`/durable/${i}`) });
        if (kvs[0]?.modRevision !== rev || !kvs[0].value.equals(valueOf(i))) lost++;
      }
      t.equal(lost, 0, `round ${round}: no acknowledged write is missing or different`);
      // Writes may have committed after the last line we read; all are whole and in sequence.
      const all = await backend.range({ key: Buffer.from('/durable/'), rangeEnd: Buffer.from('/durable0') });
      t.equal(all.count, revision - 1, `round ${round}: one key per revision, no gaps`);
      // Index i was written at revision i + 2, so the next index is revision - 1.
      const next = revision - 1;
      t.ok(next > Math.max(...acked.keys()), `round ${round}: the store holds every index up to ${next - 1}`);
      const put = await backend.put({ key: Buffer.from(`/durable/${next}`), value: valueOf(next) });
      t.equal(put.revision, revision + 1, `round ${round}: the next write gets revision ${revision + 1}`);
      first = next + 1;
      await backend.close();
    }
  });
}
