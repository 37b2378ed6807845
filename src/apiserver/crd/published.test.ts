import t from 'tap';
import { scanUnknownFields } from '../openapi/unknown-fields.js';
import { indexDefinitions } from '../openapi/definitions.js';
import { schemaRefPrefix } from '../openapi/schema.js';
import { definitionName, publishedDefinitions, scanDefinitions } from './published.js';
import type { JSONSchemaProps } from './types.js';

const names = { group: 'stable.example.com', version: 'v1', kind: 'CronTab', listKind: 'CronTabList' };
const objectMeta = { type: 'object' as const, properties: { name: { type: 'string' as const }, labels: { type: 'object' as const, additionalProperties: { type: 'string' as const } } } };
const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        keep: { type: 'string' },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        mixed: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { known: { type: 'object', properties: { a: { type: 'string' } } } } },
        map: { type: 'object', additionalProperties: { type: 'object', properties: { v: { type: 'string' } } } },
        empty: { type: 'object' },
        list: { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' } } } },
        port: { 'x-kubernetes-int-or-string': true },
        child: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', properties: { x: { type: 'string' } } } } },
      },
    },
  },
};

t.test('definition names reverse the group', async (t) => {
  t.equal(definitionName('stable.example.com', 'v1', 'CronTab'), 'com.example.stable.v1.CronTab');
});

t.test('pruning keeps declared and preserved fields and drops the rest', async (t) => {
  const defs = { 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': objectMeta, ...scanDefinitions(names, schema) };
  const root = { $ref: schemaRefPrefix + definitionName('stable.example.com', 'v1', 'CronTab') };
  const obj = {
    apiVersion: 'stable.example.com/v1',
    kind: 'CronTab',
    metadata: { name: 'a', bogus: 1 },
    spec: {
      keep: 'x',
      drop: 1,
      free: { any: { thing: [1] } },
      mixed: { other: 1, known: { a: 'y', b: 'z' } },
      map: { k: { v: 'w', u: 1 } },
      empty: { gone: true },
      list: [{ id: 1, extra: 2 }],
      port: 8080,
      child: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', junk: 1 }, spec: { x: 'y', z: 1 }, other: 1 },
    },
    status: { not: 'declared' },
  };
  const scan = scanUnknownFields(defs, root, obj, true);
  t.same(scan.unknown, [
    'metadata.bogus',
    'spec.drop',
    'spec.mixed.known.b',
    'spec.map.k.u',
    'spec.empty.gone',
    'spec.list[0].extra',
    'spec.child.metadata.junk',
    'spec.child.spec.z',
    'spec.child.other',
    'status',
  ]);
  t.same(scan.value, {
    apiVersion: 'stable.example.com/v1',
    kind: 'CronTab',
    metadata: { name: 'a' },
    spec: {
      keep: 'x',
      free: { any: { thing: [1] } },
      mixed: { other: 1, known: { a: 'y' } },
      map: { k: { v: 'w' } },
      empty: {},
      list: [{ id: 1 }],
      port: 8080,
      child: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { x: 'y' } },
    },
  });
  t.same(indexDefinitions('test', defs).nameOf({ group: 'stable.example.com', version: 'v1', kind: 'CronTab' }), 'com.example.stable.v1.CronTab');
});

t.test('a schema that preserves unknown fields at the root keeps everything', async (t) => {
  const defs = scanDefinitions(names, { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
  const root = { $ref: schemaRefPrefix + 'com.example.stable.v1.CronTab' };
  t.same(scanUnknownFields(defs, root, { spec: { a: 1 }, other: 2 }, true).unknown, []);
});

t.test('the published kind has type meta, ObjectMeta and its group-version-kind; the list refers to it', async (t) => {
  const published = publishedDefinitions(names, schema);
  const kind = published['com.example.stable.v1.CronTab'];
  t.same(kind?.['x-kubernetes-group-version-kind'], [names].map(({ group, version, kind }) => ({ group, version, kind })));
  t.same(Object.keys(kind?.properties ?? {}), ['apiVersion', 'kind', 'metadata', 'spec']);
  t.same(kind?.properties?.metadata?.allOf, [{ $ref: `${schemaRefPrefix}io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta` }]);
  t.equal((kind?.properties?.spec?.properties?.free as Record<string, unknown>)['x-kubernetes-preserve-unknown-fields'], true, 'extensions are published');
  const list = published['com.example.stable.v1.CronTabList'];
  t.same(list?.properties?.items?.items, { $ref: `${schemaRefPrefix}com.example.stable.v1.CronTab` });
  t.same(list?.['x-kubernetes-group-version-kind'], [{ group: 'stable.example.com', version: 'v1', kind: 'CronTabList' }]);
});
