import t from 'tap';
import { fieldErrorMessage } from '../../machinery/index.js';
import { admitCrd } from './admission.js';
import type { CustomResourceDefinition } from './types.js';
import { validateCrd } from './validate-crd.js';

type Spec = CustomResourceDefinition['spec'];
const schema = { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { a: { type: 'string' } } } } } };
const valid = (): CustomResourceDefinition => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList', shortNames: ['wd'], categories: ['all'] },
    versions: [{ name: 'v1', served: true, storage: true, schema }],
  },
});
const withSpec = (change: (s: Spec) => void, name?: string): CustomResourceDefinition => {
  const crd = valid();
  change(crd.spec);
  if (name !== undefined) crd.metadata.name = name;
  return crd;
};
const messages = (crd: CustomResourceDefinition): string[] => validateCrd(crd).map(fieldErrorMessage);

t.test('CRD validation, rule by rule', async (t) => {
  const cases: [string, CustomResourceDefinition, string[]?][] = [
    ['valid', valid(), []],
    ['name must be plural.group', withSpec(() => undefined, 'gadgets.example.com'), ['metadata.name: Invalid value: "gadgets.example.com": must be spec.names.plural+"."+spec.group']],
    ['group needs a dot', withSpec((s) => (s.group = 'example'), 'widgets.example'), ['spec.group: Invalid value: "example": should be a domain with at least one dot']],
    ['plural is required', withSpec((s) => (s.names.plural = ''), '.example.com'), ['spec.names.plural: Required value']],
    ['plural is a DNS label', withSpec((s) => (s.names.plural = 'Widgets'), 'Widgets.example.com')],
    ['kind is required', withSpec((s) => (s.names.kind = '')), ['spec.names.kind: Required value']],
    ['listKind differs from kind', withSpec((s) => (s.names.listKind = 'Widget')), ['spec.names.listKind: Invalid value: "Widget": kind and listKind may not be the same']],
    ['short names are DNS labels', withSpec((s) => (s.names.shortNames = ['w_d']))],
    ['categories are DNS labels', withSpec((s) => (s.names.categories = ['All Things']))],
    ['scope is Namespaced or Cluster', withSpec((s) => (s.scope = 'Global')), ['spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"']],
    ['one storage version', withSpec((s) => s.versions.push({ name: 'v2', served: true, storage: true, schema })), ['spec.versions: Invalid value: ']],
    ['no storage version', withSpec((s) => (s.versions[0]!.storage = false)), ['spec.versions: Invalid value: ']],
    ['at least one version', withSpec((s) => (s.versions = [])), ['spec.versions: Invalid value: ']],
    ['version names are unique', withSpec((s) => s.versions.push({ name: 'v1', served: true, storage: false, schema })), ['spec.versions[1].name: Duplicate value: "v1"']],
    ['a schema is required', withSpec((s) => delete s.versions[0]!.schema), ['spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required']],
    ['only the None conversion', withSpec((s) => (s.conversion = { strategy: 'Webhook' })), ['spec.conversion.strategy: Unsupported value: "Webhook": supported values: "None"']],
    [
      'scale paths',
      withSpec((s) => (s.versions[0]!.subresources = { scale: { specReplicasPath: '.replicas', statusReplicasPath: '.status.replicas' } })),
      ['spec.versions[0].subresources.scale.specReplicasPath: Invalid value: ".replicas": should be a json path under .spec'],
    ],
    [
      'printer columns',
      withSpec((s) => (s.versions[0]!.additionalPrinterColumns = [{ name: 'X', type: 'object', jsonPath: '.spec.a' }, { name: 'Y', type: 'string', jsonPath: 'spec[' }])),
      ['spec.versions[0].additionalPrinterColumns[0].type: Unsupported value: "object"', 'spec.versions[0].additionalPrinterColumns[1].jsonPath: Invalid value: "spec["'],
    ],
  ];
  for (const [name, crd, want] of cases) {
    const got = messages(crd);
    if (want === undefined) t.ok(got.length > 0, `${name}: ${got.join('; ')}`);
    else {
      t.equal(got.length, want.length, `${name}: ${got.join('; ')}`);
      want.forEach((w, i) => t.ok(got[i]?.startsWith(w), `${name}: ${got[i] ?? ''}`));
    }
  }
});

t.test('structural schema rules', async (t) => {
  const at = 'spec.versions[0].schema.openAPIV3Schema';
  const cases: [string, Record<string, unknown>, string[]][] = [
    ['root must be an object', { type: 'string' }, [`${at}.type: Invalid value: "string": must be object at the root`]],
    ['root type required', { properties: {} }, [`${at}.type: Required value: must not be empty at the root`]],
    ['property types required', { type: 'object', properties: { spec: {} } }, [`${at}.properties[spec].type: Required value: must not be empty for specified object fields`]],
    ['preserve-unknown-fields needs no type', { type: 'object', properties: { spec: { 'x-kubernetes-preserve-unknown-fields': true } } }, []],
    ['int-or-string has no type', { type: 'object', properties: { p: { type: 'string', 'x-kubernetes-int-or-string': true } } }, [`${at}.properties[p].type: Invalid value: "string": must be empty to be structural`]],
    ['arrays name their items', { type: 'object', properties: { l: { type: 'array' } } }, [`${at}.properties[l].items: Required value: must be specified`]],
    ['no $ref', { type: 'object', properties: { r: { type: 'object', $ref: '#/x' } } }, [`${at}.properties[r].$ref: Forbidden: $ref is not supported`]],
    [
      'properties and additionalProperties exclude each other',
      { type: 'object', properties: { m: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'string' } } } },
      [`${at}.properties[m].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`],
    ],
    [
      'metadata may only restrict name and generateName',
      { type: 'object', properties: { metadata: { type: 'object', properties: { labels: { type: 'object' } } } } },
      [`${at}.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified`],
    ],
    ['anyOf branches need no types', { type: 'object', properties: { v: { type: 'string', anyOf: [{ pattern: '^a' }, { pattern: '^b' }] } } }, []],
  ];
  for (const [name, openAPIV3Schema, want] of cases) {
    const crd = withSpec((s) => (s.versions[0]!.schema = { openAPIV3Schema: openAPIV3Schema as never }));
    t.same(messages(crd), want, name);
  }
});

t.test('admission fills the defaults, starts the status and throws a 422 naming every violation', async (t) => {
  const crd = valid();
  delete crd.spec.names.singular;
  delete crd.spec.names.listKind;
  admitCrd(crd);
  t.equal(crd.spec.names.singular, 'widget');
  t.equal(crd.spec.names.listKind, 'WidgetList');
  t.same(crd.spec.conversion, { strategy: 'None' });
  t.same(crd.status, { conditions: [], acceptedNames: { plural: '', kind: '' }, storedVersions: ['v1'] });
  const bad = withSpec((s) => {
    s.scope = 'Global';
    s.versions[0]!.schema = { openAPIV3Schema: { type: 'object', properties: { a: { type: 'string', pattern: '(' } } } };
  });
  t.throws(() => admitCrd(bad), { code: 422, message: /^CustomResourceDefinition.apiextensions.k8s.io "widgets.example.com" is invalid: spec.scope: Unsupported value/ });
  const uncompilable = withSpec((s) => (s.versions[0]!.schema = { openAPIV3Schema: { type: 'object', properties: { a: { type: 'string', pattern: '(' } } } }));
  t.throws(() => admitCrd(uncompilable), { code: 422, message: /spec.versions\[0\].schema.openAPIV3Schema: Invalid value/ });
});
