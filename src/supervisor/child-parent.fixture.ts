// Fixture for child.test.ts, run as a child process:
//   node --import tsx child-parent.fixture.ts <log file> die|survive
// Supervises `sleep 600` (with or without the parent-death signal), prints the
// sleeper's pid once it runs, and waits to be killed. Without arguments (as
// when a test runner picks the file up) it does nothing.
import { silentLogger } from '../log/logger.js';
import { defaultBackoff, superviseChild } from './child.js';

const [logFile, mode] = process.argv.slice(2);
if (logFile !== undefined && (mode === 'die' || mode === 'survive')) {
  const child = superviseChild(
    {
      name: 'sleeper',
      file: '/bin/sleep',
      args: ['600'],
      env: { PATH: '/usr/bin:/bin' },
      logFile,
      probe: async (_signal, pid) => pid,
      readyTimeoutMs: 5000,
      stopTimeoutMs: 1000,
      backoff: defaultBackoff,
      dieWithParent: mode === 'die',
      logger: silentLogger,
    },
    new AbortController().signal,
  );
  process.stdout.write(`${await child.ready}\n`);
  setInterval(() => {}, 60_000);
}
