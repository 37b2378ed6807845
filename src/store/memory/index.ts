// The in-memory backend: MvccStore over MemoryDriver. The reference for the
// conformance suite and a fast store for tests; nothing survives the process.
import { MvccStore, type MvccOptions } from '../mvcc/store.js';
import { MemoryDriver } from './driver.js';

export { MemoryDriver } from './driver.js';

export interface MemoryBackendOptions extends MvccOptions {
  /** Storage to use; pass `oldDriver.reopen()` to simulate a restart over the same data. */
  driver?: MemoryDriver;
}

export function openMemoryBackend(opts: MemoryBackendOptions = {}): MvccStore {
  const { driver = new MemoryDriver(), ...mvcc } = opts;
  return new MvccStore(driver, mvcc);
}
