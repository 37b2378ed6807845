import t from 'tap';
import { pressureConditions, PressureHistory, signalsUnderPressure } from './pressure.js';
import type { Observations } from './signals.js';
import { defaultEvictionHard } from './thresholds.js';

const gi = 1024 ** 3;
const mi = 1024 ** 2;
const healthy: Observations = {
  'memory.available': { available: 2 * gi, capacity: 8 * gi },
  'nodefs.available': { available: 50 * gi, capacity: 100 * gi },
  'nodefs.inodesFree': { available: 5_000_000, capacity: 6_000_000 },
  'imagefs.available': { available: 50 * gi, capacity: 100 * gi },
  'imagefs.inodesFree': { available: 5_000_000, capacity: 6_000_000 },
  'pid.available': { available: 4_000_000, capacity: 4_194_304 },
};
const view = (obs: Observations, thresholds = defaultEvictionHard) => pressureConditions(obs, thresholds).map((c) => `${c.type}=${c.status} ${c.reason}: ${c.message}`);

t.test('a healthy machine: no pressure, upstream reasons and messages', async (t) => {
  t.same(view(healthy), [
    'MemoryPressure=False KubeletHasSufficientMemory: kubelet has sufficient memory available',
    'DiskPressure=False KubeletHasNoDiskPressure: kubelet has no disk pressure',
    'PIDPressure=False KubeletHasSufficientPID: kubelet has sufficient PID available',
  ]);
});

t.test('each signal below its default threshold raises its condition', async (t) => {
  const under = (signal: keyof Observations, available: number) => ({ ...healthy, [signal]: { ...healthy[signal], available } });
  t.same(signalsUnderPressure(under('memory.available', 100 * mi - 1), defaultEvictionHard), ['memory.available']);
  t.same(signalsUnderPressure(under('memory.available', 100 * mi), defaultEvictionHard), [], 'at the threshold is not below it');
  t.same(signalsUnderPressure(under('nodefs.available', 10 * gi - 1), defaultEvictionHard), ['nodefs.available'], '10% of nodefs');
  t.same(signalsUnderPressure(under('nodefs.inodesFree', 299_999), defaultEvictionHard), ['nodefs.inodesFree'], '5% of the inodes');
  t.same(signalsUnderPressure(under('imagefs.available', 15 * gi - 1), defaultEvictionHard), ['imagefs.available'], '15% of imagefs');
  t.same(signalsUnderPressure(under('pid.available', 999), defaultEvictionHard), ['pid.available']);
  t.match(view(under('memory.available', 10 * mi))[0], 'MemoryPressure=True KubeletHasInsufficientMemory: kubelet has insufficient memory available');
  t.match(view(under('imagefs.available', gi))[1], 'DiskPressure=True KubeletHasDiskPressure: kubelet has disk pressure');
  t.match(view(under('nodefs.inodesFree', 10))[1], 'DiskPressure=True');
  t.match(view(under('pid.available', 10))[2], 'PIDPressure=True KubeletHasInsufficientPID: kubelet has insufficient PID available');
});

t.test('a signal without a threshold, or not observed, is never pressure', async (t) => {
  const starving: Observations = { 'memory.available': { available: 0, capacity: 8 * gi }, 'pid.available': { available: 0, capacity: 100 } };
  t.same(signalsUnderPressure(starving, { 'nodefs.available': { percentage: 0.1 } }), []);
  t.same(signalsUnderPressure({}, defaultEvictionHard), []);
  t.same(signalsUnderPressure(starving, { 'memory.available': { percentage: 0.01 } }), ['memory.available'], 'a percentage of the capacity');
});

t.test('a recovered signal keeps its condition True for the transition period', async (t) => {
  const low = { 'memory.available': { available: 50 * mi, capacity: 8192 * mi } };
  const fine = { 'memory.available': { available: 4096 * mi, capacity: 8192 * mi } };
  const history = new PressureHistory(60_000);
  t.same(history.observe(low, defaultEvictionHard, 0), ['memory.available']);
  const held = history.observe(fine, defaultEvictionHard, 59_999);
  t.same(held, ['memory.available'], 'within the period');
  t.match(pressureConditions(fine, defaultEvictionHard, held)[0], { type: 'MemoryPressure', status: 'True' });
  t.same(history.observe(fine, defaultEvictionHard, 60_000), [], 'the period is over');
  t.same(new PressureHistory().observe(fine, defaultEvictionHard, 0), [], 'never crossed: nothing held');
});
