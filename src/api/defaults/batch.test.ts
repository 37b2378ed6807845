import t from 'tap';
import type { KubeObject } from '../object.js';
import { defaulters, jobSelectorAndLabels } from './index.js';

t.test('job defaults', async (t) => {
  const job: KubeObject = { metadata: { name: 'pi' }, spec: { template: { metadata: { labels: { app: 'pi' } }, spec: { restartPolicy: 'Never', containers: [] } } } };
  defaulters['jobs.batch']!(job);
  t.same(job.metadata?.labels, { app: 'pi' });
  t.match(job.spec, {
    completions: 1,
    parallelism: 1,
    backoffLimit: 6,
    completionMode: 'NonIndexed',
    suspend: false,
    podReplacementPolicy: 'TerminatingOrFailed',
    manualSelector: false,
    template: { spec: { restartPolicy: 'Never', dnsPolicy: 'ClusterFirst' } },
  });
});

t.test('job defaults leave completions unset when parallelism is given', async (t) => {
  const job: KubeObject = { spec: { parallelism: 3, backoffLimitPerIndex: 1, podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] } } };
  defaulters['jobs.batch']!(job);
  const spec = job.spec as Record<string, unknown>;
  t.equal(spec.completions, undefined);
  t.equal(spec.parallelism, 3);
  t.equal(spec.backoffLimit, 2147483647);
  t.equal(spec.podReplacementPolicy, 'Failed');
  t.same(spec.podFailurePolicy, { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }] });
});

t.test('cronjob defaults', async (t) => {
  const cj: KubeObject = { spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { containers: [] } } } } } };
  defaulters['cronjobs.batch']!(cj);
  t.match(cj.spec, {
    concurrencyPolicy: 'Allow',
    suspend: false,
    successfulJobsHistoryLimit: 3,
    failedJobsHistoryLimit: 1,
    jobTemplate: { spec: { template: { spec: { restartPolicy: 'Always' } } } },
  });
  t.equal((cj.spec as { jobTemplate: { spec: Record<string, unknown> } }).jobTemplate.spec.backoffLimit, undefined, 'job defaults are not applied to templates');
});

t.test('jobSelectorAndLabels generates the selector and pod labels', async (t) => {
  const job: KubeObject = { metadata: { name: 'pi' }, spec: { template: { metadata: { labels: { app: 'pi', 'job-name': 'custom' } } } } };
  jobSelectorAndLabels(job, 'uid-1');
  t.same(job.spec, {
    template: {
      metadata: {
        labels: {
          app: 'pi',
          'job-name': 'custom',
          'batch.kubernetes.io/job-name': 'pi',
          'controller-uid': 'uid-1',
          'batch.kubernetes.io/controller-uid': 'uid-1',
        },
      },
    },
    selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'uid-1' } },
  });
  const manual: KubeObject = { metadata: { name: 'm' }, spec: { manualSelector: true, selector: { matchLabels: { a: 'b' } } } };
  jobSelectorAndLabels(manual, 'uid-2');
  t.same(manual.spec, { manualSelector: true, selector: { matchLabels: { a: 'b' } } });
  const garbage: KubeObject = { spec: 7 };
  jobSelectorAndLabels(garbage, 'u');
  t.same(garbage, { spec: 7 });
});
