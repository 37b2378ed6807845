import t from 'tap';
import { makePod } from '../testing.fixture.js';
import { podRequestPair, podRequests } from './resources.js';

const cases = [
  { name: 'containers are summed', pod: makePod().req({ cpu: '250m', memory: '64Mi' }).req({ cpu: '250m' }), want: { milliCPU: 500, memory: 64 * 2 ** 20 } },
  { name: 'init containers: the largest wins over the sum', pod: makePod().req({ cpu: '100m' }).initReq({ cpu: '1' }).initReq({ cpu: '500m' }), want: { milliCPU: 1000, memory: 0 } },
  {
    name: 'sidecars run beside later init containers and the app',
    pod: makePod().req({ cpu: '100m' }).initReq({ cpu: '200m' }, 'Always').initReq({ cpu: '1' }),
    want: { milliCPU: 1200, memory: 0 },
  },
  { name: 'overhead is added', pod: makePod().req({ cpu: '1' }).overhead({ cpu: '100m', memory: '10Mi' }), want: { milliCPU: 1100, memory: 10 * 2 ** 20 } },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    t.match(podRequests(c.pod.obj), c.want);
  });
}

t.test('non-zero defaults count 100m and 200Mi for containers without requests', async (t) => {
  t.match(podRequests(makePod().image('x').req({ cpu: '1' }).obj, { nonZero: true }), { milliCPU: 1100, memory: 400 * 2 ** 20 });
});

t.test('podRequestPair gives both forms of podRequests', async (t) => {
  for (const c of [...cases, { name: 'no requests', pod: makePod().image('x').initReq({ cpu: '2' }, 'Always') }]) {
    t.same(podRequestPair(c.pod.obj), { requests: podRequests(c.pod.obj), nonZeroRequests: podRequests(c.pod.obj, { nonZero: true }) }, c.name);
  }
});
