// Fixture for durability.test.ts, run as a child process:
//   node --import tsx durability-writer.fixture.ts <db path> <first index> [concurrency]
// Puts /durable/<i> for i = first, first+1, ... through the SQLite backend
// until killed, printing "<i> <revision>" after each put is acknowledged.
// With concurrency > 1 that many puts are in flight at once (so they are
// group-committed); they are still issued in index order.
// Values run from 100 B to ~5 KiB (so some rows overflow a page); the test
// recomputes them with the same formula. Without arguments (as when a test
// runner picks the file up) it does nothing.
import { openSqliteBackend } from './index.js';

const [path, first, concurrency = '1'] = process.argv.slice(2);
if (path !== undefined && first !== undefined) {
  const backend = openSqliteBackend(path);
  let next = Number(first);
  const writer = async (): Promise<never> => {
    for (;;) {
      const i = next++;
      const value = Buffer.alloc(100 + (i % 50) * 100, `value-${i};`);
      const { revision } = await backend.put({ key: Buffer.from(`/durable/${i}`), value });
      process.stdout.write(`${i} ${revision}\n`);
    }
  };
  await Promise.all(Array.from({ length: Number(concurrency) }, writer));
}
