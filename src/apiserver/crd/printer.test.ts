import t from 'tap';
import { evaluate, parseJsonPath } from './jsonpath.js';
import { columnPrinter } from './printer.js';
import { compareVersions } from './version-order.js';

const obj = {
  metadata: { name: 'a', creationTimestamp: '2026-01-01T00:00:00Z', labels: { 'app.kubernetes.io/name': 'web' } },
  spec: { replicas: 3, tags: ['x', 'y'], flag: false },
  status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'Synced', status: 'False' }] },
};

t.test('the JSONPath subset', async (t) => {
  const cases: [string, unknown[] | undefined][] = [
    ['.spec.replicas', [3]],
    ['{.spec.replicas}', [3]],
    ['.spec.tags[1]', ['y']],
    ['.spec.tags[-1]', ['y']],
    ['.spec.tags[*]', ['x', 'y']],
    ['.spec.flag', [false]],
    ['.spec.missing', []],
    [".metadata.labels['app.kubernetes.io/name']", ['web']],
    ['.status.conditions[?(@.type=="Ready")].status', ['True']],
    ['.status.conditions[?(@.status==False)].type', ['Synced']],
    ['spec[', undefined],
    ['', undefined],
  ];
  for (const [path, want] of cases) {
    const steps = parseJsonPath(path);
    if (want === undefined) t.equal(steps, undefined, path);
    else t.same(steps && evaluate(steps, obj), want, path);
  }
});

t.test('printer columns: Name first, values by JSONPath, dates as ages, null when nothing is selected', async (t) => {
  const printer = columnPrinter([
    { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas', priority: 1 },
    { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
    { name: 'Tags', type: 'string', jsonPath: '.spec.tags[*]' },
    { name: 'Missing', type: 'string', jsonPath: '.spec.nothing' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ]);
  t.same(printer.columns.map((c) => [c.name, c.type, c.priority]), [['Name', 'string', 0], ['Replicas', 'integer', 1], ['Ready', 'string', 0], ['Tags', 'string', 0], ['Missing', 'string', 0], ['Age', 'date', 0]]);
  t.same(printer.cells(obj, new Date('2026-01-01T00:05:00Z')), ['a', 3, 'True', 'x y', null, '5m']);
});

t.test('without printer columns a kind shows Name and Age', async (t) => {
  const printer = columnPrinter(undefined);
  t.same(printer.columns.map((c) => c.name), ['Name', 'Age']);
  t.same(printer.cells(obj, new Date('2026-01-01T02:00:00Z')), ['a', '120m']);
});

t.test('versions sort in kube-aware order, preferred first', async (t) => {
  t.same(['v1beta1', 'foo', 'v1', 'v2alpha1', 'v2', 'v1alpha1', 'v1beta2', 'bar'].sort(compareVersions), ['v2', 'v1', 'v1beta2', 'v1beta1', 'v2alpha1', 'v1alpha1', 'bar', 'foo']);
});
