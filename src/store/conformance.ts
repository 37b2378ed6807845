// The shared Backend conformance suite: etcd v3 semantics (ETCD-FACTS §5)
// asserted with exact values. Every Backend runs it from its own test file:
//
//   import t from 'tap';
//   import { backendConformance } from '../conformance.js';
//   backendConformance(t, 'sqlite', async (opts) => {
//     const dir = mkdtempSync(...);
//     const open = () => new MvccStore(openSqliteDriver(join(dir, 'db')), opts);
//     return { backend: open(), reopen: async () => open(), cleanup: async () => rmSync(dir, { recursive: true }) };
//   });
//
// Each scenario opens a fresh backend with `opts` (a manual lease clock and
// small queue/page/batch sizes, see ConformanceOptions), closes it, then
// calls cleanup. Scenarios needing a restart use `reopen` when given.
import type { Test } from 'tap';
import { compactionSuite } from './conformance/compaction.js';
import type { OpenBackend } from './conformance/harness.js';
import { kvSuite } from './conformance/kv.js';
import { leaseSuite } from './conformance/lease.js';
import { rangeSuite } from './conformance/range.js';
import { txnSuite } from './conformance/txn.js';
import { watchSuite } from './conformance/watch.js';

export type { ConformanceOptions, OpenBackend, OpenedBackend } from './conformance/harness.js';

/** Registers the suite as subtest `name` of `t`; resolves when it has run. */
export async function backendConformance(t: Test, name: string, open: OpenBackend): Promise<void> {
  await t.test(name, async (t) => {
    t.test('kv', async (t) => kvSuite(t, open));
    t.test('range', async (t) => rangeSuite(t, open));
    t.test('txn', async (t) => txnSuite(t, open));
    t.test('watch', async (t) => watchSuite(t, open));
    t.test('lease', async (t) => leaseSuite(t, open));
    t.test('compaction', async (t) => compactionSuite(t, open));
  });
}
