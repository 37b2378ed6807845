import t from 'tap';
import { formatQuantity } from './quantity.js';
import { parseQuantity } from './quantityparse.js';
import { addAmounts, addQuantities, maxQuantity, pickAmounts, subtractAmounts, subtractQuantities } from './quantitymath.js';

const q = parseQuantity;

t.test('sums and differences are exact and keep the first format', async (t) => {
  const cases: [string, string, string, string][] = [
    ['500m', '1', '1500m', '-500m'],
    ['1Gi', '512Mi', '1536Mi', '512Mi'],
    ['0', '250m', '250m', '-250m'],
    ['2', '0', '2', '2'],
    ['100M', '1k', '100001k', '99999k'],
  ];
  for (const [a, b, sum, diff] of cases) {
    t.equal(formatQuantity(addQuantities(q(a), q(b))), sum, `${a} + ${b}`);
    t.equal(formatQuantity(subtractQuantities(q(a), q(b))), diff, `${a} - ${b}`);
  }
});

t.test('max, and lists added, subtracted and picked by name', async (t) => {
  t.equal(formatQuantity(maxQuantity(q('900m'), q('1'))), '1');
  const a = new Map([['cpu', q('1')], ['pods', q('2')]]);
  const b = new Map([['cpu', q('250m')], ['memory', q('1Gi')]]);
  const sum = addAmounts(a, b);
  t.same([...sum].map(([k, v]) => `${k}=${formatQuantity(v)}`), ['cpu=1250m', 'pods=2', 'memory=1Gi']);
  const diff = subtractAmounts(a, b);
  t.same([...diff].map(([k, v]) => `${k}=${formatQuantity(v)}`), ['cpu=750m', 'pods=2']);
  t.same([...pickAmounts(sum, ['memory', 'nothing']).keys()], ['memory']);
});
