import t from 'tap';
import { generateName, generateNameAlphabet, maxGeneratedNameLength } from './names.js';
import { isDNS1123Label } from './validation.js';

t.test('the alphabet and lengths are upstream', async (t) => {
  t.equal(generateNameAlphabet, 'bcdfghjklmnpqrstvwxz2456789');
  t.equal(maxGeneratedNameLength, 58);
});

t.test('the suffix is five characters drawn from the alphabet', async (t) => {
  const picks = [0, 1, 2, 25, 26];
  t.equal(generateName('web-', (n) => {
    t.equal(n, 27);
    return picks.shift() ?? 0;
  }), 'web-bcd89');
  for (let i = 0; i < 200; i++) {
    const name = generateName('web-');
    t.match(name, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  }
});

t.test('a long base is cut to 58 characters so the name fits 63', async (t) => {
  const base = `${'a'.repeat(70)}-`;
  const name = generateName(base, () => 0);
  t.equal(name, `${'a'.repeat(58)}bbbbb`);
  t.equal(name.length, 63);
  t.same(isDNS1123Label(name), []);
  t.equal(generateName('a'.repeat(58), () => 1), `${'a'.repeat(58)}ccccc`, 'exactly 58 is kept whole');
  t.equal(generateName('', () => 3), 'fffff');
});

t.test('names differ between calls', async (t) => {
  const names = new Set(Array.from({ length: 100 }, () => generateName('x-')));
  t.ok(names.size > 95);
});
