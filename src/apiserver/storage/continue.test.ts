import t from 'tap';
import { decodeContinue, encodeContinue } from './continue.js';

t.test('a token round-trips', async (t) => {
  const token = encodeContinue({ revision: 42, start: 'ns/name\u0000' });
  t.same(decodeContinue(token), { revision: 42, start: 'ns/name\u0000' });
});

t.test('malformed tokens are 400s', async (t) => {
  for (const bad of ['%%%', Buffer.from('{"v":"x","rv":1,"start":""}').toString('base64url'), Buffer.from('{"v":"meta.k8s.io/v1","rv":-1,"start":""}').toString('base64url'), Buffer.from('{"v":"meta.k8s.io/v1","rv":3,"start":"../x"}').toString('base64url')]) {
    let caught: unknown;
    try {
      decodeContinue(bad);
    } catch (err) {
      caught = err;
    }
    t.match(caught, { status: { code: 400, reason: 'BadRequest' } }, bad);
  }
});
