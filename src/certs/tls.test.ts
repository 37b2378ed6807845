import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { isCertsError } from './errors.js';
import { ensurePki, type Pki, type PkiOptions } from './pki.js';
import { createClientCertVerifier } from './verify.js';

// Node's TLS stack (OpenSSL) is the judge here: the serving certificate must
// pass hostname verification, the admin certificate client verification,
// and the verifier must turn the peer certificate into a user.

const options: PkiOptions = { nodeName: 'node-1', nodeIps: ['192.168.50.10'], serviceIp: '10.43.0.1', clusterDomain: 'cluster.local' };

async function makePki(t: { teardown(fn: () => void): void }): Promise<Pki> {
  const root = mkdtempSync(join(tmpdir(), 'tsk8s-tls-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  return ensurePki(join(root, 'tls'), options);
}

/**
 * A TLS server that authenticates each connection with the verifier and
 * answers with the identity as JSON, or `rejected <code>`.
 */
async function startServer(
  t: { teardown(fn: () => void): void },
  pki: Pki,
  rejectUnauthorized: boolean,
): Promise<{ port: number; connections: () => number }> {
  const verifier = createClientCertVerifier(pki.clientCa.ca.certPem);
  let connections = 0;
  const server = tls.createServer(
    { key: pki.serving.keyPem, cert: pki.serving.certPem, ca: pki.clientCa.ca.certPem, requestCert: true, rejectUnauthorized },
    (socket) => {
      connections++;
      verifier.verify(socket.getPeerCertificate(true)).then(
        (identity) => socket.end(JSON.stringify(identity)),
        (err: unknown) => socket.end(`rejected ${isCertsError(err) ? err.code : String(err)}`),
      );
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => void server.close());
  return { port: (server.address() as AddressInfo).port, connections: () => connections };
}

/** Connects, verifying the server (hostname checks on), and returns everything the server said. */
function exchange(port: number, opts: tls.ConnectionOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: true, ...opts });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

t.test('TLS: the serving cert verifies for localhost and 127.0.0.1; the admin cert authenticates as system:admin', async (t) => {
  const pki = await makePki(t);
  const { port } = await startServer(t, pki, true);
  const client = { ca: pki.serverCa.ca.certPem, cert: pki.admin.certPem, key: pki.admin.keyPem };

  const byName = await exchange(port, { ...client, servername: 'localhost', checkServerIdentity: tls.checkServerIdentity });
  t.same(JSON.parse(byName), { user: 'system:admin', groups: ['system:masters'] }, 'via servername localhost');
  const byIp = await exchange(port, { ...client, checkServerIdentity: tls.checkServerIdentity });
  t.same(JSON.parse(byIp), { user: 'system:admin', groups: ['system:masters'] }, 'via IP 127.0.0.1');
  const byService = await exchange(port, { ...client, servername: 'kubernetes.default.svc' });
  t.same(JSON.parse(byService).user, 'system:admin', 'via kubernetes.default.svc');

  const apiserver = await exchange(port, { ca: pki.serverCa.ca.certPem, cert: pki.apiserverClient.certPem, key: pki.apiserverClient.keyPem, servername: 'localhost' });
  t.same(JSON.parse(apiserver), { user: 'system:kube-apiserver', groups: ['system:masters'] });

  await t.rejects(exchange(port, { ...client, servername: 'not-in-the-cert.example.com' }), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' }, 'hostname verification is really on');
});

t.test('TLS: a client certificate from another CA is refused by the TLS layer and by the verifier', async (t) => {
  const pki = await makePki(t);
  const stranger = await makePki(t);
  const strict = await startServer(t, pki, true);
  const lenient = await startServer(t, pki, false);
  const foreign = { ca: pki.serverCa.ca.certPem, cert: stranger.admin.certPem, key: stranger.admin.keyPem, servername: 'localhost' };

  // With TLS 1.3 the client learns of the refusal after its side of the
  // handshake: as an alert or an empty stream. The server never sees a connection.
  const answer = await exchange(strict.port, foreign).catch((err: NodeJS.ErrnoException) => err.code ?? err.message);
  t.notMatch(answer, /system:admin/, `the TLS layer refuses it (${answer || 'closed without an answer'})`);
  t.equal(strict.connections(), 0, 'no secure connection was established');

  t.equal(await exchange(lenient.port, foreign), 'rejected client-cert-rejected', 'the verifier refuses it when TLS lets it through');
  t.equal(await exchange(lenient.port, { ca: pki.serverCa.ca.certPem, servername: 'localhost' }), 'rejected client-cert-missing', 'no certificate at all');
  const serverCertAsClient = { ca: pki.serverCa.ca.certPem, cert: pki.serving.certPem, key: pki.serving.keyPem, servername: 'localhost' };
  t.equal(await exchange(lenient.port, serverCertAsClient), 'rejected client-cert-rejected', 'a serving certificate is no client certificate');
});

t.test('TLS: a client that trusts another CA refuses the server', async (t) => {
  const pki = await makePki(t);
  const stranger = await makePki(t);
  const { port } = await startServer(t, pki, false);
  await t.rejects(exchange(port, { ca: stranger.serverCa.ca.certPem, servername: 'localhost' }), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
});
