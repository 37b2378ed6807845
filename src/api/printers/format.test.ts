import t from 'tap';
import { containerCells, formatLabelSelector, formatLabels, kindName, listWithMore, optionalBool, selectorString } from './format.js';

t.test('formatLabels sorts k=v pairs and prints <none> when empty', async (t) => {
  t.equal(formatLabels({ tier: 'web', app: 'shop' }), 'app=shop,tier=web');
  t.equal(formatLabels({}), '<none>');
  t.equal(formatLabels(undefined), '<none>');
  t.equal(formatLabels('garbage'), '<none>');
});

t.test('label selectors print as upstream selector strings', async (t) => {
  const cases: [unknown, string][] = [
    [{ matchLabels: { app: 'web' } }, 'app=web'],
    [{ matchLabels: { tier: 'a', app: 'web' } }, 'app=web,tier=a'],
    [{ matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev'] }] }, 'env in (dev,prod)'],
    [{ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['test'] }] }, 'env notin (test)'],
    [{ matchExpressions: [{ key: 'gpu', operator: 'Exists' }] }, 'gpu'],
    [{ matchExpressions: [{ key: 'legacy', operator: 'DoesNotExist' }] }, '!legacy'],
    [{ matchLabels: { z: '1' }, matchExpressions: [{ key: 'a', operator: 'Exists' }] }, 'a,z=1'],
    [{}, '<none>'],
    [undefined, '<none>'],
    [{ matchExpressions: [{ key: 'a', operator: 'Bogus', values: ['x'] }] }, '<error>'],
    [{ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, '<error>'],
    [{ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, '<error>'],
  ];
  for (const [sel, want] of cases) t.equal(formatLabelSelector(sel), want, JSON.stringify(sel));
  t.equal(selectorString(undefined), '', 'no selector is the empty string');
  t.equal(selectorString({ matchExpressions: [{ key: 'a', operator: 'Bogus' }] }), undefined);
});

t.test('container cells join names and images in order', async (t) => {
  t.same(containerCells([{ name: 'app', image: 'nginx:1' }, { name: 'log', image: 'busybox' }]), ['app,log', 'nginx:1,busybox']);
  t.same(containerCells([]), ['', '']);
  t.same(containerCells(undefined), ['', '']);
});

t.test('listWithMore shows three then counts the rest', async (t) => {
  t.equal(listWithMore([]), '<unset>');
  t.equal(listWithMore(['a']), 'a');
  t.equal(listWithMore(['a', 'b', 'c']), 'a,b,c');
  t.equal(listWithMore(['a', 'b', 'c', 'd', 'e']), 'a,b,c + 2 more...');
});

t.test('small formats', async (t) => {
  t.equal(optionalBool(true), 'True');
  t.equal(optionalBool(false), 'False');
  t.equal(optionalBool(undefined), '<unset>');
  t.equal(kindName('StatefulSet', 'apps', 'web'), 'statefulset.apps/web');
  t.equal(kindName('Pod', '', 'x'), 'pod/x');
  t.equal(kindName('', '', 'x'), 'x');
});
