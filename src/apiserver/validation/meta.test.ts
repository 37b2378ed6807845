import t from 'tap';
import type { KubeObject } from '../../api/types.js';
import { createErrors, messages, updateErrors } from './objects.fixture.js';
import { Check } from './input.js';
import { validateObjectMeta } from './meta.js';
import { nameIsDNSSubdomain } from '../../machinery/index.js';

const subdomainMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const labelMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const dns1035Msg =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const nameMsg =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const valueMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

function meta(metadata: unknown, namespaced = true): string[] {
  const c = new Check();
  validateObjectMeta(c, metadata, namespaced, nameIsDNSSubdomain);
  return messages(c.errors);
}

t.test('object metadata rules on create', async (t) => {
  const cases: [string, unknown, boolean, string[]][] = [
    ['valid', { name: 'web', namespace: 'default', labels: { app: 'web', 'example.com/tier': '' } }, true, []],
    ['name missing', { namespace: 'default' }, true, ['metadata.name: Required value: name or generateName is required']],
    ['bad name', { name: 'Bad_Name', namespace: 'default' }, true, [`metadata.name: Invalid value: "Bad_Name": ${subdomainMsg}`]],
    ['bad generateName', { name: 'ok', generateName: 'Web-', namespace: 'default' }, true, [`metadata.generateName: Invalid value: "Web-": ${subdomainMsg}`]],
    ['namespace missing', { name: 'a' }, true, ['metadata.namespace: Required value']],
    ['bad namespace', { name: 'a', namespace: 'a.b' }, true, ['metadata.namespace: Invalid value: "a.b": must not contain dots']],
    ['namespace on cluster-scoped', { name: 'a', namespace: 'default' }, false, ['metadata.namespace: Forbidden: not allowed on this type']],
    ['negative generation', { name: 'a', namespace: 'd', generation: -1 }, true, ['metadata.generation: Invalid value: -1: must be greater than or equal to 0']],
    ['bad label key', { name: 'a', namespace: 'd', labels: { 'bad key': 'x' } }, true, [`metadata.labels: Invalid value: "bad key": ${nameMsg}`]],
    ['bad label value', { name: 'a', namespace: 'd', labels: { k: '-x' } }, true, [`metadata.labels: Invalid value: "-x": ${valueMsg}`]],
    ['label value of wrong type', { name: 'a', namespace: 'd', labels: { k: 1 } }, true, ['metadata.labels[k]: Invalid value: 1: must be of type string']],
    ['bad annotation key', { name: 'a', namespace: 'd', annotations: { '/x': 'y' } }, true, ['metadata.annotations: Invalid value: "/x": prefix part must be non-empty']],
    ['annotations too large', { name: 'a', namespace: 'd', annotations: { big: 'x'.repeat(262142) } }, true, ['metadata.annotations: Too long: may not be more than 262144 bytes']],
    [
      'owner reference fields',
      { name: 'a', namespace: 'd', ownerReferences: [{ apiVersion: '', kind: '', name: '', uid: '' }] },
      true,
      [
        'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
        'metadata.ownerReferences.kind: Invalid value: "": kind must not be empty',
        'metadata.ownerReferences.name: Invalid value: "": name must not be empty',
        'metadata.ownerReferences.uid: Invalid value: "": uid must not be empty',
      ],
    ],
    [
      'two controllers',
      {
        name: 'a',
        namespace: 'd',
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'r1', uid: '1', controller: true },
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'r2', uid: '2', controller: true },
        ],
      },
      true,
      [
        'metadata.ownerReferences: Invalid value: [{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"r1","uid":"1","controller":true},{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"r2","uid":"2","controller":true}]: Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/r1 and ReplicaSet/r2',
      ],
    ],
    ['unqualified finalizer', { name: 'a', namespace: 'd', finalizers: ['kubernetes', 'example.com/x', 'mine'] }, true, ['metadata.finalizers[2]: Invalid value: "mine": name is neither a standard finalizer name nor is it fully qualified']],
    [
      'orphan and foreground',
      { name: 'a', namespace: 'd', finalizers: ['orphan', 'foregroundDeletion'] },
      true,
      ['metadata.finalizers: Invalid value: []string{"orphan", "foregroundDeletion"}: finalizer orphan and foregroundDeletion cannot be both set'],
    ],
    ['metadata not an object', 5, true, ['metadata: Invalid value: 5: must be of type object']],
  ];
  for (const [label, metadata, namespaced, want] of cases) t.same(meta(metadata, namespaced), want, label);
});

t.test('name rules per kind', async (t) => {
  t.same(createErrors('namespaces', false, { metadata: { name: 'a.b' } }), ['metadata.name: Invalid value: "a.b": must not contain dots']);
  t.same(createErrors('namespaces', false, { metadata: { name: 'Team' } }), [`metadata.name: Invalid value: "Team": ${labelMsg}`]);
  t.same(createErrors('services', true, { metadata: { name: '1web', namespace: 'd' }, spec: { ports: [{ port: 80 }] } }), [`metadata.name: Invalid value: "1web": ${dns1035Msg}`]);
  t.same(createErrors('roles.rbac.authorization.k8s.io', true, { metadata: { name: 'system:Reader', namespace: 'd' } }), []);
  t.same(createErrors('roles.rbac.authorization.k8s.io', true, { metadata: { name: 'a/b', namespace: 'd' } }), ["metadata.name: Invalid value: \"a/b\": may not contain '/'"]);
  t.same(createErrors('configmaps', true, { metadata: { name: 'a.b-c', namespace: 'd' } }), []);
});

t.test('metadata rules on update', async (t) => {
  const old: KubeObject = { metadata: { name: 'a', namespace: 'd', uid: 'u1', creationTimestamp: '2025-01-01T00:00:00Z', generation: 3 } };
  const changed: KubeObject = { metadata: { name: 'b', namespace: 'd', uid: 'u2', creationTimestamp: '2025-01-02T00:00:00Z', generation: 2 } };
  t.same(updateErrors('configmaps', true, changed, old), [
    'metadata.generation: Invalid value: 2: must not be decremented',
    'metadata.name: Invalid value: "b": field is immutable',
    'metadata.uid: Invalid value: "u2": field is immutable',
    'metadata.creationTimestamp: Invalid value: "2025-01-02T00:00:00Z": field is immutable',
  ]);
  const deleting: KubeObject = { metadata: { ...old.metadata, deletionTimestamp: '2025-01-03T00:00:00Z', finalizers: ['example.com/a'] } };
  const added: KubeObject = { metadata: { ...deleting.metadata, finalizers: ['example.com/a', 'example.com/c', 'example.com/b'] } };
  t.same(updateErrors('configmaps', true, added, deleting), [
    'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/b", "example.com/c"}',
  ]);
  const generated: KubeObject = { metadata: { ...old.metadata, generateName: 'other-' } };
  t.same(updateErrors('configmaps', true, generated, { metadata: { ...old.metadata, generateName: 'a-' } }), [], 'generateName changes are ignored');
});
