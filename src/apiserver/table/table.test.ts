import t from 'tap';
import { printers } from '../../api/printers/index.js';
import type { Printer } from '../../api/registry/types.js';
import type { KubeObject } from '../../api/types.js';
import { toTable } from './table.js';

const now = new Date('2025-06-01T12:00:00Z');

function pod(name: string, rv: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', resourceVersion: rv, creationTimestamp: '2025-06-01T11:55:00Z', labels: { app: 'web' } },
    spec: { containers: [{ name: 'app', image: 'nginx' }], nodeName: 'node-a' },
    status: { phase: 'Running', podIPs: [{ ip: '10.42.0.5' }], containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: {} } }] },
  };
}

const podPrinter = printers['pods'];

t.test('a list as a Table with PartialObjectMetadata rows (the default)', async (t) => {
  const table = toTable(podPrinter, [pod('a', '10'), pod('b', '11')], {
    includeObject: 'Metadata',
    now,
    listMeta: { resourceVersion: '1000', continue: 'next', remainingItemCount: 3 },
  });
  t.equal(table.kind, 'Table');
  t.equal(table.apiVersion, 'meta.k8s.io/v1');
  t.same(table.metadata, { resourceVersion: '1000', continue: 'next', remainingItemCount: 3 });
  t.equal(table.columnDefinitions, podPrinter?.columns);
  t.equal(table.rows.length, 2);
  t.same(table.rows[0]?.cells, ['a', '1/1', 'Running', '0', '5m', '10.42.0.5', 'node-a', '<none>', '<none>']);
  t.same(table.rows[0]?.object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: pod('a', '10').metadata });
  t.same(Object.keys(table), ['kind', 'apiVersion', 'metadata', 'columnDefinitions', 'rows'], 'upstream field order');
});

t.test('includeObject decides what each row carries', async (t) => {
  const obj = pod('a', '10');
  const object = toTable(podPrinter, [obj], { includeObject: 'Object', now });
  t.equal(object.rows[0]?.object, obj, 'the full object');
  const none = toTable(podPrinter, [obj], { includeObject: 'None', now });
  t.notOk('object' in (none.rows[0] ?? {}), 'no object at all');
  const beta = toTable(podPrinter, [obj], { includeObject: 'Metadata', now, version: 'v1beta1' });
  t.equal(beta.apiVersion, 'meta.k8s.io/v1beta1');
  t.equal((beta.rows[0]?.object as KubeObject).apiVersion, 'meta.k8s.io/v1beta1');
});

t.test('watch events: one row, headers only on the first', async (t) => {
  const first = toTable(podPrinter, [pod('a', '12')], { includeObject: 'Metadata', now });
  t.ok(first.columnDefinitions);
  t.same(first.metadata, { resourceVersion: '12' }, "a one-object table reports the object's resourceVersion");
  const later = toTable(podPrinter, [pod('a', '13')], { includeObject: 'Metadata', now, noHeaders: true });
  t.notOk('columnDefinitions' in later);
  t.equal(later.rows.length, 1);
});

t.test('an empty list has rows [] and its list metadata', async (t) => {
  const table = toTable(podPrinter, [], { includeObject: 'Metadata', now, listMeta: { resourceVersion: '7' } });
  t.same(table.rows, []);
  t.same(table.metadata, { resourceVersion: '7' });
  t.same(toTable(podPrinter, [], { includeObject: 'None', now }).metadata, {});
});

t.test('kinds without a printer get Name and Age', async (t) => {
  const role: KubeObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'reader', creationTimestamp: '2025-05-30T12:00:00Z' } };
  const table = toTable(undefined, [role], { includeObject: 'Metadata', now });
  t.same(table.columnDefinitions?.map((c) => [c.name, c.type, c.format]), [['Name', 'string', 'name'], ['Age', 'date', '']]);
  t.same(table.rows[0]?.cells, ['reader', '2d']);
});

t.test('a throwing or miscounting printer still yields one cell per column', async (t) => {
  const columns = [
    { name: 'Name', type: 'string', format: 'name', description: 'n', priority: 0 },
    { name: 'X', type: 'string', format: '', description: 'x', priority: 0 },
  ] as const;
  const throwing: Printer = {
    columns,
    cells: () => {
      throw new Error('boom');
    },
  };
  t.same(toTable(throwing, [pod('a', '1')], { includeObject: 'None', now }).rows[0]?.cells, ['a', '<error>']);
  const short: Printer = { columns, cells: () => ['a'] };
  t.same(toTable(short, [pod('a', '1')], { includeObject: 'None', now }).rows[0]?.cells, ['a', '']);
  const long: Printer = { columns, cells: () => ['a', 'b', 'c'] };
  t.same(toTable(long, [pod('a', '1')], { includeObject: 'None', now }).rows[0]?.cells, ['a', 'b']);
});
