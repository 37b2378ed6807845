import t from 'tap';
import { parseRoute } from './routes.js';

t.test('the kubelet API paths', async (t) => {
  t.same(parseRoute('/containerLogs/ns/p/c'), { kind: 'containerLogs', namespace: 'ns', pod: 'p', container: 'c' });
  t.same(parseRoute('/exec/ns/p/c'), { kind: 'exec', namespace: 'ns', pod: 'p', container: 'c' });
  t.same(parseRoute('/attach/ns/p/uid-1/c'), { kind: 'attach', namespace: 'ns', pod: 'p', container: 'c' }, 'with the pod uid');
  t.same(parseRoute('/portForward/ns/p'), { kind: 'portForward', namespace: 'ns', pod: 'p' });
  t.same(parseRoute('/portForward/ns/p/uid-1'), { kind: 'portForward', namespace: 'ns', pod: 'p' });
  t.equal(parseRoute('/containerLogs/ns/p'), undefined);
  t.equal(parseRoute('/containerLogs/ns/p/uid/c'), undefined);
  t.equal(parseRoute('/pods'), undefined);
  t.equal(parseRoute('/run/ns/p/c'), undefined);
});
