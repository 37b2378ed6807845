import t from 'tap';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { renderKubeconfig, writeKubeconfig } from './kubeconfig.js';
import { ensurePki } from './pki.js';
import { createClientCertVerifier } from './verify.js';

const run = promisify(execFile);
const kubectl = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => existsSync(p));
const caPem = '-----BEGIN CERTIFICATE-----\nQ0E=\n-----END CERTIFICATE-----\n';
const certPem = '-----BEGIN CERTIFICATE-----\nQ0VSVA==\n-----END CERTIFICATE-----\n';
const keyPem = '-----BEGIN PRIVATE KEY-----\nS0VZ\n-----END PRIVATE KEY-----\n';
const b64 = (s: string) => Buffer.from(s).toString('base64');

function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsk8s-kubeconfig-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

t.test('renders kubectl Config YAML with base64 data and current-context default', async (t) => {
  const text = renderKubeconfig({ server: 'https://127.0.0.1:6443', caPem, certPem, keyPem });
  t.same(parse(text), {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'default', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': b64(caPem) } }],
    contexts: [{ name: 'default', context: { cluster: 'default', user: 'default' } }],
    'current-context': 'default',
    preferences: {},
    users: [{ name: 'default', user: { 'client-certificate-data': b64(certPem), 'client-key-data': b64(keyPem) } }],
  });
  t.match(text, /^    server: https:\/\/127\.0\.0\.1:6443$/m, 'plain scalars where they are safe');
});

t.test('names and servers YAML would misread are quoted', async (t) => {
  for (const name of ['true', 'no', '123', 'my: cluster', '#x', "it's", 'a"b', 'ünïcode', 'end:', '- dash', '']) {
    const text = renderKubeconfig({ server: 'https://[::1]:6443', caPem, certPem, keyPem, name });
    const doc = parse(text) as { 'current-context': unknown; clusters: [{ name: unknown; cluster: { server: unknown } }] };
    t.equal(doc['current-context'], name, JSON.stringify(name));
    t.equal(doc.clusters[0].name, name);
    t.equal(doc.clusters[0].cluster.server, 'https://[::1]:6443');
  }
});

t.test('writeKubeconfig writes atomically with the mode asked for, creating the directory', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'etc', 'tsk8s', 'tsk8s.yaml');
  writeKubeconfig(path, 'first\n');
  t.equal(readFileSync(path, 'utf8'), 'first\n');
  t.equal(statSync(path).mode & 0o777, 0o600, 'default 0600');
  t.equal(statSync(join(dir, 'etc', 'tsk8s')).mode & 0o777, 0o755);
  writeKubeconfig(path, 'second\n', 0o644);
  t.equal(readFileSync(path, 'utf8'), 'second\n');
  t.equal(statSync(path).mode & 0o777, 0o644, 'mode applied whatever the umask');
  t.same(readdirSync(join(dir, 'etc', 'tsk8s')), ['tsk8s.yaml'], 'no temporary file left');

  writeFileSync(join(dir, 'blocker'), '');
  t.throws(() => writeKubeconfig(join(dir, 'blocker', 'k.yaml'), 'x'), { code: 'file-unwritable', message: /^cannot write .*blocker\/k\.yaml \(E[A-Z]+\)/ });
});

t.test('kubectl reads the file and authenticates with it over TLS', { skip: kubectl === undefined && 'kubectl not installed' }, async (t) => {
  const dir = tempDir(t);
  const pki = await ensurePki(join(dir, 'tls'), { nodeName: 'node-1', nodeIps: [], serviceIp: '10.43.0.1', clusterDomain: 'cluster.local' });
  const verifier = createClientCertVerifier(pki.clientCa.ca.certPem);
  // Just enough of an apiserver: the version (kubectl's dispatcher asks for it) and who the caller is.
  const server = https.createServer(
    { key: pki.serving.keyPem, cert: pki.serving.certPem, ca: pki.clientCa.ca.certPem, requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      verifier.verify((req.socket as TLSSocket).getPeerCertificate(true)).then(
        (who) => {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify(req.url?.startsWith('/version') ? { major: '1', minor: '32', gitVersion: 'v1.32.0' } : who));
        },
        () => {
          res.statusCode = 401;
          res.end('{}');
        },
      );
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => void server.close());
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const path = join(dir, 'kubeconfig.yaml');
  writeKubeconfig(path, renderKubeconfig({ server: url, caPem: pki.serverCa.ca.certPem, certPem: pki.admin.certPem, keyPem: pki.admin.keyPem }));

  const view = await run(kubectl ?? 'kubectl', ['config', 'view', '--kubeconfig', path, '-o', 'jsonpath={.clusters[0].cluster.server}'], { timeout: 20_000 });
  t.equal(view.stdout, url, 'kubectl config view reads the server');
  const context = await run(kubectl ?? 'kubectl', ['config', 'current-context', '--kubeconfig', path], { timeout: 20_000 });
  t.equal(context.stdout.trim(), 'default');

  const who = await run(kubectl ?? 'kubectl', ['get', '--raw', '/whoami', '--kubeconfig', path], { timeout: 30_000 });
  t.same(JSON.parse(who.stdout), { user: 'system:admin', groups: ['system:masters'] }, 'kubectl verified the server and presented the admin certificate');
});
