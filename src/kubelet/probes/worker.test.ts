// Probe worker timing on a hand-moved clock: period, initial delay,
// thresholds, startup gating and the hold after a liveness failure.
import t from 'tap';
import type { corev1 } from '../../api/types.js';
import { ManualClock } from '../clock.fixture.js';
import type { ProbeResult } from './handler.js';
import { initialResult, ProbeWorker, type ProbeKind } from './worker.js';

interface Rig {
  clock: ManualClock;
  worker: ProbeWorker;
  /** Times (ms since start) the probe ran. */
  ran: number[];
  changes: ProbeResult[];
  failures: string[];
  answers: ProbeResult[];
  started: { value: boolean };
  step(ms: number): Promise<void>;
}

function rig(kind: ProbeKind, probe: corev1.Probe, answers: ProbeResult[] = []): Rig {
  const clock = new ManualClock();
  const t0 = clock.now();
  const r: Rig = {
    clock,
    ran: [],
    changes: [],
    failures: [],
    answers,
    started: { value: true },
    worker: undefined as unknown as ProbeWorker,
    async step(ms) {
      for (let i = 0; i < ms; i += 1000) {
        clock.advance(1000);
        await r.worker.inflight;
      }
    },
  };
  r.worker = new ProbeWorker({
    kind,
    probe,
    clock,
    startedAtMs: t0,
    started: () => r.started.value,
    run: async () => {
      r.ran.push(clock.now() - t0);
      const result = r.answers.shift() ?? 'success';
      return { result, output: result === 'failure' ? 'nope' : '' };
    },
    onFailure: (output) => r.failures.push(output),
    onResult: (result) => r.changes.push(result),
  });
  return r;
}

t.test('initial results: live, not ready, startup unknown', async (t) => {
  t.equal(initialResult('liveness'), 'success');
  t.equal(initialResult('readiness'), 'failure');
  t.equal(initialResult('startup'), 'unknown');
});

t.test('probes run at start and then every periodSeconds', async (t) => {
  const r = rig('readiness', { exec: { command: ['x'] }, periodSeconds: 5 });
  r.worker.start();
  await r.worker.inflight;
  t.same(r.changes, ['success'], 'one success is enough for readiness by default');
  await r.step(12_000);
  t.same(r.ran, [0, 5000, 10_000]);
  r.worker.stop();
  await r.step(10_000);
  t.equal(r.ran.length, 3, 'a stopped worker probes no more');
  t.equal(r.clock.timers, 0);
});

t.test('nothing is probed before initialDelaySeconds', async (t) => {
  const r = rig('readiness', { exec: { command: ['x'] }, periodSeconds: 2, initialDelaySeconds: 5 });
  r.worker.start();
  await r.step(5000);
  t.same(r.ran, [], 'ticks at 0, 2 and 4 s are skipped');
  await r.step(1000);
  t.same(r.ran, [6000]);
  t.equal(r.worker.result, 'success');
});

t.test('failureThreshold failures in a row flip a liveness result; it then holds', async (t) => {
  const r = rig('liveness', { exec: { command: ['x'] }, periodSeconds: 1, failureThreshold: 3 }, ['failure', 'failure', 'success', 'failure', 'failure', 'failure', 'success']);
  r.worker.start();
  await r.worker.inflight;
  await r.step(2000);
  t.equal(r.worker.result, 'success', 'two failures then a success reset the count');
  await r.step(3000);
  t.equal(r.worker.result, 'failure');
  t.same(r.changes, ['failure']);
  t.equal(r.failures.length, 5, 'every failed probe is reported');
  await r.step(3000);
  t.equal(r.ran.length, 6, 'a failed liveness probe holds until the container is replaced');
  t.equal(r.worker.result, 'failure');
});

t.test('successThreshold successes in a row make a readiness probe succeed; failures undo it', async (t) => {
  const r = rig('readiness', { exec: { command: ['x'] }, periodSeconds: 1, successThreshold: 2, failureThreshold: 1 }, ['success', 'failure', 'success', 'success', 'failure']);
  r.worker.start();
  await r.worker.inflight;
  await r.step(2000);
  t.equal(r.worker.result, 'failure');
  await r.step(1000);
  t.equal(r.worker.result, 'success');
  await r.step(1000);
  t.equal(r.worker.result, 'failure', 'failureThreshold 1: one failure is enough');
  t.same(r.changes, ['success', 'failure']);
});

t.test('liveness and readiness wait for the startup probe; startup stops after success', async (t) => {
  const live = rig('liveness', { exec: { command: ['x'] }, periodSeconds: 1 });
  live.started.value = false;
  live.worker.start();
  await live.step(3000);
  t.same(live.ran, [], 'not started: nothing probed');
  live.started.value = true;
  await live.step(1000);
  t.same(live.ran, [4000]);

  const startup = rig('startup', { exec: { command: ['x'] }, periodSeconds: 1, failureThreshold: 2 }, ['failure', 'success']);
  startup.worker.start();
  await startup.worker.inflight;
  t.equal(startup.worker.result, 'unknown', 'one failure below the threshold');
  await startup.step(1000);
  t.equal(startup.worker.result, 'success');
  await startup.step(5000);
  t.equal(startup.ran.length, 2, 'a startup probe that succeeded runs no more');
});

t.test('a startup probe past failureThreshold fails and holds', async (t) => {
  const r = rig('startup', { exec: { command: ['x'] }, periodSeconds: 1, failureThreshold: 2 }, ['failure', 'failure', 'success']);
  r.worker.start();
  await r.worker.inflight;
  await r.step(3000);
  t.equal(r.worker.result, 'failure');
  t.equal(r.ran.length, 2);
});

t.test('a probe error counts as neither success nor failure', async (t) => {
  const r = rig('readiness', { exec: { command: ['x'] }, periodSeconds: 1 }, ['unknown', 'unknown']);
  r.worker.start();
  await r.worker.inflight;
  await r.step(1000);
  t.equal(r.worker.result, 'failure', 'still the initial result');
  t.same(r.changes, []);
  await r.step(1000);
  t.equal(r.worker.result, 'success');
});
