import t from 'tap';
import { backendConformance } from '../conformance.js';
import { MemoryDriver, openMemoryBackend } from './index.js';

// The memory backend is the reference: it runs the whole suite, including
// the restart scenarios (reopen shares the driver's data, as a restart would
// share the database file).
void backendConformance(t, 'memory backend', async (opts) => {
  const driver = new MemoryDriver();
  let current = driver;
  return {
    backend: openMemoryBackend({ ...opts, driver }),
    reopen: async () => {
      current = current.reopen();
      return openMemoryBackend({ ...opts, driver: current });
    },
    cleanup: async () => {},
  };
});
