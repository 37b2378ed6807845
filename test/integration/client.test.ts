import t from 'tap';
import { transportConformance } from '../../src/client/conformance.js';
import { ClientError, HttpTransport, isClientError } from '../../src/client/index.js';
import { startTestApiServer } from '../helpers/apiserver.js';

// Both transports pass the same suite against one real API server.
const api = await startTestApiServer();
t.teardown(() => api.close());

await transportConformance(t, 'in-process transport', async () => ({ transport: api.inProcess(), compact: api.compact, cleanup: async () => {} }));
await transportConformance(t, 'http transport', async () => ({ transport: api.http(), compact: api.compact, cleanup: async () => {} }));

t.test('http: an unreachable server is a ClientError naming the URL', async (t) => {
  const transport = new HttpTransport({ server: 'https://127.0.0.1:1', caPem: api.pki.serverCa.ca.certPem });
  try {
    await transport.request({ method: 'GET', path: '/version' });
    t.fail('expected a failure');
  } catch (err) {
    t.ok(isClientError(err, 'connection-failed'), `a connection-failed ClientError (got ${String(err)})`);
    t.match((err as Error).message, 'https://127.0.0.1:1/version');
    t.match((err as Error).message, /ECONNREFUSED/);
  } finally {
    await transport.close();
  }
});

t.test('http: a server certificate from another CA is refused', async (t) => {
  const transport = new HttpTransport({ server: api.url, caPem: api.pki.clientCa.ca.certPem });
  await t.rejects(transport.request({ method: 'GET', path: '/version' }), { name: 'ClientError', code: 'connection-failed' });
  await transport.close();
});

t.test('http: without a client certificate the request is anonymous and refused', async (t) => {
  const transport = new HttpTransport({ server: api.url, caPem: api.pki.serverCa.ca.certPem });
  await t.rejects(transport.request({ method: 'GET', path: '/api/v1/namespaces' }), { name: 'ApiError', message: /Unauthorized/ });
  t.match((await transport.request({ method: 'GET', path: '/version' })).body, { major: '1' }, 'anonymous may read /version');
  await transport.close();
});

t.test('http: a bad server address fails early', async (t) => {
  t.throws(() => new HttpTransport({ server: 'ftp://x' }), { name: 'ClientError', code: 'bad-config' });
  t.throws(() => new HttpTransport({ server: 'not a url' }), ClientError);
});
