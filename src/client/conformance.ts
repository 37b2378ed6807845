// The shared Transport conformance suite: every transport runs it against a
// real API server, from its own test file:
//
//   import t from 'tap';
//   import { transportConformance } from '../../src/client/conformance.js';
//   await transportConformance(t, 'http', async () => ({
//     transport: new HttpTransport({ server, caPem, certPem, keyPem }),
//     compact: async () => { await backend.compact((await backend.status()).revision); },
//     cleanup: async () => {},
//   }));
//
// Scenarios work on configmaps in `default`, each under names and labels of
// its own, so transports may share one server. Each scenario opens a
// transport, closes it afterwards, then calls cleanup.
import type { Test } from 'tap';
import { crudSuite } from './conformance/crud.js';
import type { OpenTransport } from './conformance/harness.js';
import { listSuite } from './conformance/list.js';
import { watchSuite } from './conformance/watch.js';

export type { OpenedTransport, OpenTransport } from './conformance/harness.js';

/** Registers the suite as subtest `name` of `t`; resolves when it has run. */
export async function transportConformance(t: Test, name: string, open: OpenTransport): Promise<void> {
  await t.test(name, async (t) => {
    t.test('crud', async (t) => crudSuite(t, open));
    t.test('list', async (t) => listSuite(t, open));
    t.test('watch', async (t) => watchSuite(t, open));
  });
}
