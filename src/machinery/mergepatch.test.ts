import t from 'tap';
import { applyMergePatch } from './mergepatch.js';

// The examples of RFC 7386 appendix A.
const cases: [unknown, unknown, unknown][] = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [['a', 'b'], ['c', 'd'], ['c', 'd']],
  [{ a: 'b' }, ['c'], ['c']],
  [{ a: 'foo' }, null, null],
  [{ a: 'foo' }, 'bar', 'bar'],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
];

t.test('applies the RFC 7386 examples', async (t) => {
  for (const [target, patch, want] of cases) t.same(applyMergePatch(target, patch), want, JSON.stringify([target, patch]));
});

t.test('leaves its arguments unchanged', async (t) => {
  const target = { a: { b: 1 } };
  const patch = { a: { c: 2 } };
  applyMergePatch(target, patch);
  t.same(target, { a: { b: 1 } });
  t.same(patch, { a: { c: 2 } });
});
