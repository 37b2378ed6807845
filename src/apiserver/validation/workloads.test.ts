import t from 'tap';
import type { KubeObject } from '../../api/types.js';
import { createErrors, podTemplate, updateErrors } from './objects.fixture.js';

const obj = (spec: unknown, name = 'web'): KubeObject => ({ metadata: { name, namespace: 'default', uid: 'u', creationTimestamp: '2025-01-01T00:00:00Z' }, spec });
const selector = { matchLabels: { app: 'web' } };

t.test('deployment rules', async (t) => {
  const cases: [string, unknown, string[]][] = [
    ['selector required', { template: podTemplate() }, ['spec.selector: Required value']],
    ['selector must match', { selector: { matchLabels: { app: 'other' } }, template: podTemplate() }, ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`']],
    ['empty selector', { selector: {}, template: podTemplate() }, ['spec.selector: Invalid value: {}: empty selector is invalid for deployment']],
    ['negative replicas', { replicas: -1, selector, template: podTemplate() }, ['spec.replicas: Invalid value: -1: must be greater than or equal to 0']],
    ['restartPolicy', { selector, template: { ...podTemplate(), spec: { ...podTemplate().spec, restartPolicy: 'Never' } } }, ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"']],
    ['bad strategy', { selector, template: podTemplate(), strategy: { type: 'BlueGreen' } }, ['spec.strategy.type: Unsupported value: "BlueGreen": supported values: "Recreate", "RollingUpdate"']],
    ['recreate with rollingUpdate', { selector, template: podTemplate(), strategy: { type: 'Recreate', rollingUpdate: {} } }, ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"]],
    [
      'both zero',
      { selector, template: podTemplate(), strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } } },
      ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0'],
    ],
    [
      'bad percent',
      { selector, template: podTemplate(), strategy: { rollingUpdate: { maxSurge: '25' } } },
      ["spec.strategy.rollingUpdate.maxSurge: Invalid value: \"25\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"],
    ],
    ['over 100%', { selector, template: podTemplate(), strategy: { rollingUpdate: { maxUnavailable: '150%' } } }, ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%']],
    ['progress deadline', { selector, template: podTemplate(), minReadySeconds: 700 }, ['spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds']],
    ['template containers', { selector, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [] } } }, ['spec.template.spec.containers: Required value']],
    ['template label', { selector, template: { metadata: { labels: { app: 'web', 'x y': 'z' } }, spec: podTemplate().spec } }, [
      "spec.template.labels: Invalid value: \"x y\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    ]],
    ['matchExpressions', { selector: { matchExpressions: [{ key: 'app', operator: 'In' }, { key: 'b', operator: 'Like', values: ['x'] }] }, template: podTemplate() }, [
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      'spec.selector.matchExpressions[1].operator: Invalid value: "Like": not a valid selector operator',
    ]],
  ];
  for (const [label, spec, want] of cases) t.same(createErrors('deployments.apps', true, obj(spec)), want, label);
});

t.test('deployment and replicaset selectors are immutable', async (t) => {
  const old = obj({ selector, template: podTemplate() });
  const next = obj({ selector: { matchLabels: { app: 'web', v: '2' } }, template: podTemplate({ app: 'web', v: '2' }) });
  t.same(updateErrors('deployments.apps', true, next, old), ['spec.selector: Invalid value: {"matchLabels":{"app":"web","v":"2"}}: field is immutable']);
  t.same(updateErrors('replicasets.apps', true, next, old), ['spec.selector: Invalid value: {"matchLabels":{"app":"web","v":"2"}}: field is immutable']);
  t.same(updateErrors('deployments.apps', true, obj({ selector, template: podTemplate(), replicas: 5 }), old), []);
  t.same(createErrors('replicasets.apps', true, obj({ selector: {}, template: podTemplate() })), ['spec.selector: Invalid value: {}: empty selector is invalid for deployment']);
});

t.test('statefulset rules', async (t) => {
  const base = { selector, serviceName: 'web', template: podTemplate() };
  t.same(createErrors('statefulsets.apps', true, obj({ ...base, podManagementPolicy: 'Random' })), ['spec.podManagementPolicy: Invalid value: "Random": must be \'OrderedReady\' or \'Parallel\'']);
  t.same(createErrors('statefulsets.apps', true, obj({ ...base, selector: {} })), ['spec.selector: Invalid value: {}: empty selector is invalid for statefulset']);
  t.same(createErrors('statefulsets.apps', true, obj({ ...base, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Keep' } })), [
    'spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete"',
  ]);
  const old = obj(base);
  t.same(updateErrors('statefulsets.apps', true, obj({ ...base, replicas: 3, minReadySeconds: 5 }), old), []);
  t.same(updateErrors('statefulsets.apps', true, obj({ ...base, serviceName: 'other' }), old), [
    "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
  ]);
});

t.test('daemonset rules', async (t) => {
  const base = { selector, template: podTemplate() };
  t.same(createErrors('daemonsets.apps', true, obj({ ...base, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } } })), [
    'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero',
  ]);
  t.same(createErrors('daemonsets.apps', true, obj({ ...base, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } })), [
    'spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0',
  ]);
  t.same(createErrors('daemonsets.apps', true, obj({ ...base, template: { ...podTemplate(), spec: { ...podTemplate().spec, activeDeadlineSeconds: 5 } } })), [
    'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported',
  ]);
  t.same(updateErrors('daemonsets.apps', true, obj({ selector: { matchLabels: { app: 'x' } }, template: podTemplate({ app: 'x' }) }), obj(base)), [
    'spec.selector: Invalid value: {"matchLabels":{"app":"x"}}: field is immutable',
  ]);
});

t.test('replication controllers and pod templates', async (t) => {
  t.same(createErrors('replicationcontrollers', true, obj({ selector: { app: 'other' }, template: podTemplate() })), [
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
  ]);
  t.same(createErrors('replicationcontrollers', true, obj({})), ['spec.selector: Required value', 'spec.template: Required value']);
  t.same(createErrors('podtemplates', true, { metadata: { name: 't', namespace: 'default' }, template: { spec: { containers: [{ name: 'c' }] } } }), ['template.spec.containers[0].image: Required value']);
  t.same(createErrors('controllerrevisions.apps', true, { metadata: { name: 'r', namespace: 'default' }, revision: 1 }), ['data: Required value: data is mandatory']);
});
