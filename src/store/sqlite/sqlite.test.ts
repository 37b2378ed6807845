import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backendConformance } from '../conformance.js';
import { openSqliteBackend } from './index.js';

// The SQLite backend runs the whole shared suite; reopen opens the same
// database file again, as a restart of tsk8s would.
void backendConformance(t, 'sqlite backend', async (opts) => {
  const dir = mkdtempSync(join(tmpdir(), 'tsk8s-sqlite-conformance-'));
  const path = join(dir, 'state.db');
  return {
    backend: openSqliteBackend(path, opts),
    reopen: async () => openSqliteBackend(path, opts),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});
