// Fixture for durability.test.ts, run as a child process:
//   node --import tsx durability-writer.fixture.ts <db path> <first index>
// Puts /durable/<i> for i = first, first+1, ... through the SQLite backend
// until killed, printing "<i> <revision>" after each put is acknowledged.
// Values run from 100 B to ~5 KiB (so some rows overflow a page); the test
// recomputes them with the same formula. Without arguments (as when a test
// runner picks the file up) it does nothing.
import { openSqliteBackend } from './index.js';

const [path, first] = process.argv.slice(2);
if (path !== undefined && first !== undefined) {
  const backend = openSqliteBackend(path);
  for (let i = Number(first); ; i++) {
    const value = Buffer.alloc(100 + (i % 50) * 100, `value-${i};`);
    const { revision } = await backend.put({ key: Buffer.from(`/durable/${i}`), value });
    process.stdout.write(`${i} ${revision}\n`);
  }
}
