import t from 'tap';
import { createErrors, updateErrors, validObjects } from './objects.fixture.js';
import { validateCreate, validateUpdate, validators } from './index.js';

t.test('valid objects of every kind produce no errors on create and on a no-op update', async (t) => {
  for (const [gr, namespaced, obj] of validObjects) {
    t.same(createErrors(gr, namespaced, obj), [], `create ${gr} ${obj.metadata?.name ?? ''}`);
    t.same(updateErrors(gr, namespaced, obj, obj), [], `update ${gr} ${obj.metadata?.name ?? ''}`);
  }
});

t.test('kinds without specific rules get the metadata rules', async (t) => {
  t.same(createErrors('serviceaccounts', true, { metadata: { name: 'Bad_Name', namespace: 'default' } }), [
    `metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
  ]);
  t.same(createErrors('limitranges', true, { metadata: { namespace: 'default' } }), ['metadata.name: Required value: name or generateName is required']);
});

t.test('garbage never throws and always yields errors for wrong types', async (t) => {
  const garbage: unknown[] = [null, 0, -1, 1.5, 'x', '', true, [], [null], [1, 'a', {}], { a: 1 }, { '': null }];
  const grs = [...Object.keys(validators), 'serviceaccounts', 'limitranges'];
  const fields = ['spec', 'metadata', 'data', 'binaryData', 'stringData', 'rules', 'subjects', 'roleRef', 'subsets', 'endpoints', 'ports', 'involvedObject', 'regarding', 'template', 'value', 'provisioner', 'parameters', 'type', 'immutable', 'addressType', 'status'];
  let runs = 0;
  for (const gr of grs) {
    for (const g of garbage) {
      for (const field of fields) {
        const obj = { metadata: { name: 'x', namespace: 'default' }, [field]: g };
        for (const fn of [() => validateCreate(gr, true, obj), () => validateUpdate(gr, true, obj, obj), () => validateUpdate(gr, false, obj, { metadata: g } as never)]) {
          try {
            fn();
            runs++;
          } catch (err) {
            t.fail(`${gr} ${field}=${JSON.stringify(g)} threw ${String(err)}`);
          }
        }
      }
      // Nested garbage in a pod spec reaches the container, volume and probe validators.
      const nested = {
        metadata: { name: 'x', namespace: 'default', labels: g, annotations: g, ownerReferences: g, finalizers: g },
        spec: {
          containers: [g, { name: g, image: g, ports: [g, { containerPort: g, protocol: g }], env: [g, { name: g, valueFrom: g }], resources: { limits: g, requests: { cpu: g } }, livenessProbe: g, volumeMounts: [g] }],
          volumes: [g, { name: 'v', configMap: g }],
          selector: g,
          template: { metadata: g, spec: g },
          jobTemplate: g,
          ports: [g],
          tolerations: [g],
          rules: [g],
        },
      };
      try {
        validateCreate(gr, true, nested as never);
        validateUpdate(gr, true, nested as never, nested as never);
        runs++;
      } catch (err) {
        t.fail(`${gr} nested ${JSON.stringify(g)} threw ${String(err)}`);
      }
    }
  }
  t.ok(runs > 1000, `${runs} runs`);
});

t.test('wrong JSON types are reported as invalid values', async (t) => {
  t.same(createErrors('configmaps', true, { metadata: { name: 'c', namespace: 'd' }, data: { a: 1 } }), ['data[a]: Invalid value: 1: must be of type string']);
  t.same(createErrors('deployments.apps', true, { metadata: { name: 'd', namespace: 'd' }, spec: { replicas: 'three', selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } }), [
    'spec.replicas: Invalid value: "three": must be of type integer',
  ]);
  t.same(createErrors('pods', true, { metadata: { name: 'p', namespace: 'd' }, spec: { containers: 'nginx' } }), [
    'spec.containers: Invalid value: "nginx": must be of type array',
  ]);
});
