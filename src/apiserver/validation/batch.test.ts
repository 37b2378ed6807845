import t from 'tap';
import { jobSelectorAndLabels } from '../../api/defaults/index.js';
import type { KubeObject } from '../../api/types.js';
import { cronScheduleError } from './cron.js';
import { createErrors, defaulted, messages, updateErrors } from './objects.fixture.js';
import { validateCreate } from './index.js';

const meta = (name: string) => ({ name, namespace: 'default', uid: 'uid-1', creationTimestamp: '2025-01-01T00:00:00Z' });
const podSpec = (restartPolicy?: string) => ({ ...(restartPolicy ? { restartPolicy } : {}), containers: [{ name: 'c', image: 'busybox' }] });

/** A Job as the server creates it: defaulted, then given its generated selector. */
function job(spec: Record<string, unknown>, name = 'pi'): KubeObject {
  const obj = defaulted('jobs.batch', { metadata: meta(name), spec });
  jobSelectorAndLabels(obj, 'uid-1');
  return obj;
}

t.test('job rules', async (t) => {
  t.same(messages(validateCreate('jobs.batch', true, job({ template: { spec: podSpec('Never') } }))), []);
  t.same(messages(validateCreate('jobs.batch', true, job({ template: { spec: podSpec() } }))), ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']);
  t.same(messages(validateCreate('jobs.batch', true, job({ template: { spec: podSpec('Sometimes') } }))), [
    'spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    'spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "OnFailure", "Never"',
  ]);
  t.same(messages(validateCreate('jobs.batch', true, job({ parallelism: -1, backoffLimit: -2, template: { spec: podSpec('Never') } }))), [
    'spec.parallelism: Invalid value: -1: must be greater than or equal to 0',
    'spec.backoffLimit: Invalid value: -2: must be greater than or equal to 0',
  ]);
  t.same(messages(validateCreate('jobs.batch', true, job({ completionMode: 'Indexed', parallelism: 2, template: { spec: podSpec('Never') } }))), [
    'spec.completions: Required value: when completion mode is Indexed',
  ]);
  t.same(messages(validateCreate('jobs.batch', true, job({ selector: { matchLabels: { app: 'x' } }, template: { spec: podSpec('Never') } }))), [
    'spec.selector: Invalid value: {"matchLabels":{"app":"x","batch.kubernetes.io/controller-uid":"uid-1"}}: `selector` not auto-generated',
    'spec.template.metadata.labels: Invalid value: map[string]string{"batch.kubernetes.io/controller-uid":"uid-1", "batch.kubernetes.io/job-name":"pi", "controller-uid":"uid-1", "job-name":"pi"}: `selector` does not match template `labels`',
  ]);
  const manual = job({ manualSelector: true, selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } }, spec: podSpec('OnFailure') } });
  t.same(messages(validateCreate('jobs.batch', true, manual)), []);
  t.same(createErrors('jobs.batch', true, { metadata: meta('pi'), spec: { template: { spec: podSpec('Never') } } }), ['spec.selector: Required value'], 'without the generated selector');
});

t.test('job updates', async (t) => {
  const old = job({ template: { spec: podSpec('Never') } });
  const next = structuredClone(old);
  (next.spec as Record<string, unknown>).parallelism = 3;
  t.same(updateErrors('jobs.batch', true, next, old), []);
  const changed = structuredClone(old);
  ((changed.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0] as { image: string }).image = 'busybox:2';
  const errs = updateErrors('jobs.batch', true, changed, old);
  t.equal(errs.length, 1);
  t.match(errs[0], /^spec\.template: Invalid value: .*: field is immutable$/);
  const completions = structuredClone(old);
  (completions.spec as Record<string, unknown>).completions = 5;
  t.same(updateErrors('jobs.batch', true, completions, old), ['spec.completions: Invalid value: 5: field is immutable']);
});

t.test('cronjob rules', async (t) => {
  const cj = (spec: Record<string, unknown>, name = 'tick'): KubeObject => ({ metadata: meta(name), spec: { jobTemplate: { spec: { template: { spec: podSpec('OnFailure') } } }, ...spec } });
  t.same(createErrors('cronjobs.batch', true, cj({ schedule: '@hourly' })), []);
  t.same(createErrors('cronjobs.batch', true, cj({})), ['spec.schedule: Required value']);
  t.same(createErrors('cronjobs.batch', true, cj({ schedule: '* * *' })), ['spec.schedule: Invalid value: "* * *": expected exactly 5 fields, found 3: [* * *]']);
  t.same(createErrors('cronjobs.batch', true, cj({ schedule: 'TZ=UTC 0 * * * *' })), ['spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead']);
  t.same(createErrors('cronjobs.batch', true, cj({ schedule: '0 0 * * *', timeZone: 'Mars/Base' })), ['spec.timeZone: Invalid value: "Mars/Base": unknown time zone Mars/Base']);
  t.same(createErrors('cronjobs.batch', true, cj({ schedule: '0 0 * * *', timeZone: 'Europe/Berlin', concurrencyPolicy: 'Sometimes' })), [
    'spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"',
  ]);
  t.same(createErrors('cronjobs.batch', true, cj({ schedule: '0 0 * * *' }, 'a'.repeat(53))), [`metadata.name: Invalid value: "${'a'.repeat(53)}": must be no more than 52 characters`]);
  t.same(createErrors('cronjobs.batch', true, { metadata: meta('tick'), spec: { schedule: '0 0 * * *', jobTemplate: { spec: { template: { spec: podSpec() } } } } }), [
    'spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
  ]);
});

t.test('cron schedules', async (t) => {
  const cases: [string, string | undefined][] = [
    ['*/5 * * * *', undefined],
    ['0 9-17 * * mon-fri', undefined],
    ['0 0 1,15 * *', undefined],
    ['0 0 ? JAN SUN', undefined],
    ['@every 1h30m', undefined],
    ['@daily', undefined],
    ['@often', 'unrecognized descriptor: @often'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['* * * * * *', 'expected exactly 5 fields, found 6: [* * * * * *]'],
  ];
  for (const [schedule, want] of cases) t.equal(cronScheduleError(schedule), want, schedule);
});
