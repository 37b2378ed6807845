import t from 'tap';
import { ObjectCache, objectKey } from './cache.js';
import type { ObjectLike } from './resource.js';

const obj = (name: string, namespace?: string, labels: Record<string, string> = {}): ObjectLike => ({ metadata: { name, namespace, labels } });

t.test('keys are namespace/name, or name for cluster-scoped objects', async (t) => {
  t.equal(objectKey(obj('a', 'ns')), 'ns/a');
  t.equal(objectKey(obj('n1')), 'n1');
});

t.test('the namespace index follows sets and deletes', async (t) => {
  const c = new ObjectCache<ObjectLike>();
  c.set(obj('a', 'x'));
  c.set(obj('b', 'x'));
  c.set(obj('c', 'y'));
  t.same(c.byIndex('namespace', 'x').map(objectKey), ['x/a', 'x/b']);
  t.same(c.indexValues('namespace').sort(), ['x', 'y']);
  t.equal(c.delete('x/a')?.metadata?.name, 'a');
  t.equal(c.delete('x/a'), undefined, 'a second delete finds nothing');
  c.delete('y/c');
  t.same(c.indexValues('namespace'), ['x'], 'empty index values disappear');
  t.equal(c.size, 1);
});

t.test('a replaced object is re-filed under its new values', async (t) => {
  const c = new ObjectCache<ObjectLike>({ tier: (o) => [o.metadata?.labels?.['tier'] ?? ''] });
  const first = obj('a', 'x', { tier: 'web' });
  c.set(first);
  t.equal(c.set(obj('a', 'x', { tier: 'db' })), first, 'set returns what it replaced');
  t.same(c.byIndex('tier', 'web'), []);
  t.same(c.byIndex('tier', 'db').map(objectKey), ['x/a']);
  t.throws(() => c.byIndex('namespace', 'x'), /no index named "namespace"/, 'only the indexes asked for exist');
});

t.test('an index added later files what is already held; several values per object', async (t) => {
  const c = new ObjectCache<ObjectLike>();
  c.set(obj('a', 'x', { r: '1' }));
  c.set(obj('b', 'x', { r: '2' }));
  c.addIndexer('roles', (o) => Object.values(o.metadata?.labels ?? {}).concat('any'));
  t.same(c.byIndex('roles', 'any').map(objectKey), ['x/a', 'x/b']);
  t.same(c.byIndex('roles', '2').map(objectKey), ['x/b']);
});
