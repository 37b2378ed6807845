// Conformance over every registered printer: well-formed columns, and one
// cell per column for a full, an empty and a malformed object, without
// throwing.
import t from 'tap';
import type { KubeObject } from '../types.js';
import { now } from './builders.fixture.js';
import { defaultPrinter, printers } from './index.js';

const malformed: KubeObject[] = [
  {},
  { metadata: { name: 'm' } },
  { metadata: { name: 'm', labels: 'x' as never }, spec: 'x', status: 7 },
  {
    metadata: { name: 'm', ownerReferences: 'x' as never },
    spec: { containers: 3, template: [], selector: 'x', ports: {}, rules: null, metrics: 'x', subjects: {} },
    status: { conditions: {}, containerStatuses: 'x', addresses: 4, loadBalancer: { ingress: 'x' } },
    subsets: 'x',
    endpoints: [null, 1, 'x'],
    involvedObject: 'x',
    series: 5,
  },
];

t.test('every printer declares upstream-shaped columns', async (t) => {
  for (const [key, printer] of Object.entries({ ...printers, default: defaultPrinter })) {
    t.ok(printer.columns.length >= 2, `${key} has columns`);
    t.equal(printer.columns.filter((c) => c.format === 'name').length, 1, `${key} has one name column`);
    for (const c of printer.columns) {
      t.ok(['string', 'integer', 'number', 'boolean', 'date'].includes(c.type), `${key} ${c.name} type`);
      t.ok(c.description.length > 0, `${key} ${c.name} description`);
      t.ok(c.priority === 0 || c.priority === 1, `${key} ${c.name} priority`);
    }
  }
});

t.test('every printer gives one cell per column and never throws', async (t) => {
  for (const [key, printer] of Object.entries(printers)) {
    for (const obj of malformed) {
      let cells: unknown[] = [];
      t.doesNotThrow(() => {
        cells = printer.cells(obj, now);
      }, `${key} on ${JSON.stringify(obj).slice(0, 40)}`);
      t.equal(cells.length, printer.columns.length, `${key} cell count`);
    }
  }
});

t.test('keys are group-resources of served kinds', async (t) => {
  for (const key of Object.keys(printers)) t.match(key, /^[a-z]+(\.[a-z0-9.-]+)?$/, key);
  t.ok(printers['pods'] && printers['deployments.apps'] && printers['horizontalpodautoscalers.autoscaling']);
  t.notOk(printers['roles.rbac.authorization.k8s.io'], 'roles have no printer upstream');
});

t.test('the default printer shows Name and Age', async (t) => {
  t.same(defaultPrinter.columns.map((c) => [c.name, c.type, c.format]), [['Name', 'string', 'name'], ['Age', 'date', '']]);
  t.same(defaultPrinter.cells({ metadata: { name: 'r', creationTimestamp: '2025-06-01T11:55:00Z' } }, now), ['r', '5m']);
  t.same(defaultPrinter.cells({}, now), ['', '<unknown>']);
});
