import t from 'tap';
import { observeSignals, type FsStats, type MachineReader } from './signals.js';

/** A machine of files and filesystems given by the test. */
function fakeMachine(files: Record<string, string>, filesystems: Record<string, FsStats>): MachineReader {
  return { readFile: (path) => files[path], statfs: (path) => filesystems[path] };
}

const proc = {
  '/proc/meminfo': 'MemTotal:        8000000 kB\nMemFree:          100000 kB\nMemAvailable:    2000000 kB\nBuffers:           10 kB\n',
  '/proc/sys/kernel/pid_max': '4194304\n',
  '/proc/sys/kernel/threads-max': '62000\n',
  '/proc/loadavg': '0.50 0.40 0.30 3/412 12345\n',
};
const rootFs: FsStats = { blocks: 1000, bavail: 250, bsize: 4096, files: 500, ffree: 100 };
const imageFs: FsStats = { blocks: 2000, bavail: 1000, bsize: 1024, files: 0, ffree: 0 };

t.test('every signal read from the machine', async (t) => {
  const obs = observeSignals(fakeMachine(proc, { '/data/agent': rootFs, '/data/images': imageFs }), { memoryBytes: 8_192_000_000, rootDir: '/data/agent', imageFs: '/data/images' });
  t.same(obs, {
    'memory.available': { available: 2_048_000_000, capacity: 8_192_000_000 },
    'nodefs.available': { available: 250 * 4096, capacity: 1000 * 4096 },
    'nodefs.inodesFree': { available: 100, capacity: 500 },
    'imagefs.available': { available: 1000 * 1024, capacity: 2000 * 1024 },
    'pid.available': { available: 62000 - 412, capacity: 62000 },
  }, 'pids: the lower of pid_max and threads-max less every task; no inode signal where the filesystem has no inode count');
});

t.test('what cannot be read is not observed', async (t) => {
  t.same(observeSignals(fakeMachine({}, {}), { memoryBytes: 1, rootDir: '/x', imageFs: undefined }), {});
  const noImageFs = observeSignals(fakeMachine(proc, { '/data/agent': rootFs, '/data/images': imageFs }), { memoryBytes: 1, rootDir: '/data/agent', imageFs: undefined });
  t.same(Object.keys(noImageFs).sort(), ['memory.available', 'nodefs.available', 'nodefs.inodesFree', 'pid.available']);
  const garbled = observeSignals(fakeMachine({ '/proc/meminfo': 'MemAvailable: lots\n', '/proc/sys/kernel/pid_max': 'x', '/proc/loadavg': '1 2 3 4/5 6' }, {}), { memoryBytes: 1, rootDir: '/x', imageFs: undefined });
  t.same(garbled, {}, 'no pid limit readable: no pid signal');
});

t.test('the host itself is readable', async (t) => {
  const { hostReader } = await import('./signals.js');
  const obs = observeSignals(hostReader, { memoryBytes: 1024 ** 4, rootDir: '/', imageFs: '/' });
  for (const signal of ['memory.available', 'nodefs.available', 'imagefs.available', 'pid.available'] as const) {
    t.ok((obs[signal]?.capacity ?? 0) > 0, `${signal} has a capacity`);
  }
});
