import t from 'tap';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../log/logger.js';
import { isCertsError } from './errors.js';
import { ensurePki, pkiFileNames, type PkiOptions } from './pki.js';

const options: PkiOptions = {
  nodeName: 'node-1',
  nodeIps: ['192.168.50.10', 'fd00:50::10'],
  serviceIp: '10.43.0.1',
  clusterDomain: 'cluster.local',
};

const allNames = Object.values(pkiFileNames);
const allFiles = allNames.flatMap((n) => [`${n}.crt`, `${n}.key`]);

function tlsDir(t: { teardown(fn: () => void): void }): string {
  const root = mkdtempSync(join(tmpdir(), 'tsk8s-pki-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  return join(root, 'server', 'tls');
}

/** Contents and inode change time of every file, to prove what was (not) rewritten. */
function snapshot(dir: string): Map<string, { text: string; ino: number; mtimeMs: number }> {
  return new Map(
    allFiles.map((f) => {
      const st = statSync(join(dir, f));
      return [f, { text: readFileSync(join(dir, f), 'utf8'), ino: st.ino, mtimeMs: st.mtimeMs }];
    }),
  );
}

const sanList = (pem: string) => new X509Certificate(pem).subjectAltName?.split(', ') ?? [];

t.test('first start creates both CAs and every leaf, keys 0600 and certificates 0644', async (t) => {
  const dir = tlsDir(t);
  const pki = await ensurePki(dir, options);
  t.same(pki.written, allNames);
  for (const f of allFiles) {
    const mode = statSync(join(dir, f)).mode & 0o777;
    t.equal(mode, f.endsWith('.key') ? 0o600 : 0o644, `${f} mode ${mode.toString(8)}`);
  }
  t.equal(statSync(dir).mode & 0o777, 0o700, 'tls dir is owner-only');

  const serverCa = new X509Certificate(pki.serverCa.ca.certPem);
  t.match(serverCa.subject, /^CN=tsk8s-server-ca@\d{10}$/);
  t.ok(serverCa.ca, 'server CA is a CA');
  t.equal(serverCa.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1', 'ECDSA P-256');
  const years = (Date.parse(serverCa.validTo) - Date.parse(serverCa.validFrom)) / (365.25 * 86400_000);
  t.ok(years > 9.9 && years < 10.1, `CA valid ~10 years (${years.toFixed(2)})`);
  t.match(new X509Certificate(pki.clientCa.ca.certPem).subject, /^CN=tsk8s-client-ca@\d{10}$/);
  t.not(pki.serverCa.ca.certPem, pki.clientCa.ca.certPem, 'two distinct CAs');

  const serving = new X509Certificate(pki.serving.certPem);
  t.ok(serving.checkIssued(serverCa), 'serving cert issued by the server CA');
  t.notOk(serving.ca);
  const days = (Date.parse(serving.validTo) - Date.parse(serving.validFrom)) / 86400_000;
  t.ok(days > 364 && days < 367, `leaf valid ~1 year (${days.toFixed(2)} days)`);

  const clientCa = new X509Certificate(pki.clientCa.ca.certPem);
  const admin = new X509Certificate(pki.admin.certPem);
  t.ok(admin.checkIssued(clientCa), 'admin cert issued by the client CA');
  t.equal(admin.subject, 'O=system:masters\nCN=system:admin');
  const apiserverClient = new X509Certificate(pki.apiserverClient.certPem);
  t.ok(apiserverClient.checkIssued(clientCa));
  t.equal(apiserverClient.subject, 'O=system:masters\nCN=system:kube-apiserver');
  t.equal(readFileSync(pki.serverCa.certPath, 'utf8'), pki.serverCa.ca.certPem, 'certPem is the file, byte for byte');
});

t.test('serving certificate SANs: IPs as IP entries, names as DNS entries', async (t) => {
  const dir = tlsDir(t);
  const pki = await ensurePki(dir, { ...options, tlsSans: ['api.example.com', '203.0.113.7', '[2001:db8::7]', 'My-LB.Example.com'] });
  const sans = sanList(pki.serving.certPem);
  for (const dns of [
    'localhost',
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    'kubernetes.default.svc.cluster.local',
    'node-1',
    'api.example.com',
    'my-lb.example.com',
  ]) {
    t.ok(sans.includes(`DNS:${dns}`), `DNS:${dns}`);
  }
  for (const ip of ['127.0.0.1', '0:0:0:0:0:0:0:1', '10.43.0.1', '192.168.50.10', 'FD00:50:0:0:0:0:0:10', '203.0.113.7', '2001:DB8:0:0:0:0:0:7']) {
    t.ok(sans.includes(`IP Address:${ip}`), `IP Address:${ip}`);
  }
  t.notOk(sans.some((s) => s.startsWith('DNS:') && /^DNS:[\d.:]+$/.test(s)), 'no IP written as a DNS name');
  t.equal(sans.length, 15, 'no duplicates');
});

t.test('second start loads the same CAs and rewrites nothing', async (t) => {
  const dir = tlsDir(t);
  const first = await ensurePki(dir, options);
  const before = snapshot(dir);
  const second = await ensurePki(dir, { ...options, nodeIps: [...options.nodeIps].reverse() });
  t.same(second.written, [], 'nothing written (SAN order does not matter)');
  t.same(snapshot(dir), before, 'every file identical, same inode and mtime');
  const [a, b] = [await first.serverCa.ca.describe(), await second.serverCa.ca.describe()];
  t.equal(b.serialNumber, a.serialNumber, 'same CA serial');
  t.equal(b.fingerprint, a.fingerprint, 'same CA fingerprint');
  t.equal(second.admin.keyPem, first.admin.keyPem);
});

t.test('a new --tls-san or node IP re-issues only the serving certificate', async (t) => {
  const dir = tlsDir(t);
  await ensurePki(dir, options);
  const before = snapshot(dir);
  const lines: string[] = [];
  const logger = createLogger('certs', { sink: { write: (l) => void lines.push(l) } });

  const withSan = await ensurePki(dir, { ...options, tlsSans: ['lb.example.com'], logger });
  t.same(withSan.written, [pkiFileNames.serving]);
  t.ok(sanList(withSan.serving.certPem).includes('DNS:lb.example.com'));
  t.match(lines.join(''), /issued certificate name=serving-kube-apiserver reason=sans-changed/);
  const after = snapshot(dir);
  for (const f of allFiles) {
    const changed = after.get(f)?.text !== before.get(f)?.text;
    t.equal(changed, f.startsWith(pkiFileNames.serving), `${f} ${changed ? 'rewritten' : 'kept'}`);
  }
  t.ok(new X509Certificate(withSan.serving.certPem).checkIssued(new X509Certificate(withSan.serverCa.ca.certPem)), 'still the same CA');

  const newIp = await ensurePki(dir, { ...options, tlsSans: ['lb.example.com'], nodeIps: ['192.168.50.11'] });
  t.same(newIp.written, [pkiFileNames.serving], 'a changed node IP re-issues too');
  t.ok(sanList(newIp.serving.certPem).includes('IP Address:192.168.50.11'));
  t.notOk(sanList(newIp.serving.certPem).includes('IP Address:192.168.50.10'), 'a removed name is dropped');
});

t.test('leaves expiring within 90 days are renewed; the CA is kept', async (t) => {
  const dir = tlsDir(t);
  const first = await ensurePki(dir, options);
  const later = new Date(Date.now() + 300 * 86400_000);
  const renewed = await ensurePki(dir, { ...options, now: () => later });
  t.same(renewed.written, [pkiFileNames.serving, pkiFileNames.admin, pkiFileNames.apiserverClient]);
  t.equal(renewed.serverCa.ca.certPem, first.serverCa.ca.certPem);
  t.ok(Date.parse(new X509Certificate(renewed.admin.certPem).validTo) > later.getTime() + 360 * 86400_000);
});

t.test('leaves are re-issued when missing or when their key does not match', async (t) => {
  const dir = tlsDir(t);
  const first = await ensurePki(dir, options);
  unlinkSync(join(dir, 'client-admin.crt'));
  writeFileSync(join(dir, 'serving-kube-apiserver.key'), first.apiserverClient.keyPem, { mode: 0o600 });
  const second = await ensurePki(dir, options);
  t.same([...second.written].sort(), [pkiFileNames.admin, pkiFileNames.serving].sort());
});

t.test('leaves signed by a replaced CA are re-issued', async (t) => {
  const dir = tlsDir(t);
  await ensurePki(dir, options);
  for (const f of ['client-ca.crt', 'client-ca.key']) unlinkSync(join(dir, f));
  const second = await ensurePki(dir, options);
  t.same(second.written, [pkiFileNames.clientCa, pkiFileNames.admin, pkiFileNames.apiserverClient]);
});

t.test('a damaged or unreadable file stops the start with an error naming it', async (t) => {
  const dir = tlsDir(t);
  await ensurePki(dir, options);
  const serverCaCrt = join(dir, 'server-ca.crt');
  const good = readFileSync(serverCaCrt, 'utf8');

  writeFileSync(serverCaCrt, 'garbage\n');
  await t.rejects(ensurePki(dir, options), { code: 'file-corrupt', path: serverCaCrt, message: new RegExp(`^${serverCaCrt}: no PEM certificate found: restore it`) });
  writeFileSync(serverCaCrt, good.split('\n').filter((_, i) => i !== 2).join('\n'));
  await t.rejects(ensurePki(dir, options), { code: 'file-corrupt', path: serverCaCrt, message: /not a valid X\.509 certificate/ }, 'truncated DER');
  writeFileSync(serverCaCrt, good);

  const adminKey = join(dir, 'client-admin.key');
  const keyText = readFileSync(adminKey, 'utf8');
  writeFileSync(adminKey, '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
  const err = await ensurePki(dir, options).catch((e: unknown) => e);
  t.ok(isCertsError(err, 'file-corrupt'), 'leaf key damage is reported, not papered over');
  t.match(String((err as Error).message), `${adminKey}: not an unencrypted PEM private key`);
  writeFileSync(adminKey, keyText);

  // A directory where the key should be is unreadable for root too.
  const clientCaKey = join(dir, 'client-ca.key');
  const clientKeyText = readFileSync(clientCaKey, 'utf8');
  unlinkSync(clientCaKey);
  mkdirSync(clientCaKey);
  await t.rejects(ensurePki(dir, options), { code: 'file-unreadable', path: clientCaKey, message: /^cannot read .*client-ca\.key \(EISDIR\): check its owner and permissions/ });
  rmSync(clientCaKey, { recursive: true });
  writeFileSync(clientCaKey, clientKeyText, { mode: 0o600 });
  t.same((await ensurePki(dir, options)).written, [], 'restored files load again');
});

t.test('half a CA or a CA key that does not match is an error, never a new CA', async (t) => {
  const dir = tlsDir(t);
  const pki = await ensurePki(dir, options);
  const key = join(dir, 'server-ca.key');
  const keyText = readFileSync(key, 'utf8');
  unlinkSync(key);
  await t.rejects(ensurePki(dir, options), { code: 'ca-incomplete', path: key, message: /server-ca\.crt exists but .*server-ca\.key does not: restore/ });
  t.notOk(existsSync(key), 'no key invented');

  writeFileSync(key, readFileSync(join(dir, 'client-ca.key'), 'utf8'), { mode: 0o600 });
  await t.rejects(ensurePki(dir, options), { code: 'key-mismatch', path: key, message: /server-ca\.key is not the private key of .*server-ca\.crt/ });
  writeFileSync(key, keyText, { mode: 0o600 });

  writeFileSync(join(dir, 'server-ca.crt'), pki.serving.certPem);
  writeFileSync(key, pki.serving.keyPem);
  await t.rejects(ensurePki(dir, options), { code: 'not-a-ca' });
});

t.test('a key file readable by others is made owner-only', async (t) => {
  const dir = tlsDir(t);
  await ensurePki(dir, options);
  chmodSync(join(dir, 'client-admin.key'), 0o644);
  await ensurePki(dir, options);
  t.equal(statSync(join(dir, 'client-admin.key')).mode & 0o777, 0o600);
});

const openssl = '/usr/bin/openssl';
t.test('a CA the user put in place before the first start is used (RSA, OpenSSL-written keys)', { skip: !existsSync(openssl) && 'openssl not installed' }, async (t) => {
  const dir = tlsDir(t);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const run = (...args: string[]) => execFileSync(openssl, args, { stdio: 'pipe' });
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=corp-root', '-days', '30',
    '-keyout', join(dir, 'server-ca.key'), '-out', join(dir, 'server-ca.crt'),
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  run('ecparam', '-genkey', '-name', 'prime256v1', '-noout', '-out', join(dir, 'client-ca.key'));
  t.match(readFileSync(join(dir, 'client-ca.key'), 'utf8'), /BEGIN EC PRIVATE KEY/, 'SEC1 key');
  run('req', '-x509', '-new', '-key', join(dir, 'client-ca.key'), '-subj', '/CN=corp-clients', '-days', '365',
    '-out', join(dir, 'client-ca.crt'), '-addext', 'basicConstraints=critical,CA:TRUE');
  const userCa = readFileSync(join(dir, 'server-ca.crt'), 'utf8');

  const pki = await ensurePki(dir, options);
  t.same(pki.written, [pkiFileNames.serving, pkiFileNames.admin, pkiFileNames.apiserverClient], 'CAs kept');
  t.equal(pki.serverCa.ca.certPem, userCa);
  const serving = new X509Certificate(pki.serving.certPem);
  t.ok(serving.checkIssued(new X509Certificate(userCa)));
  t.ok(serving.verify(new X509Certificate(userCa).publicKey), 'RSA signature verifies');
  t.ok(Date.parse(serving.validTo) <= Date.parse(new X509Certificate(userCa).validTo), 'leaf does not outlive its CA');
  run('verify', '-CAfile', join(dir, 'server-ca.crt'), '-purpose', 'sslserver', join(dir, 'serving-kube-apiserver.crt'));
  run('verify', '-CAfile', join(dir, 'client-ca.crt'), '-purpose', 'sslclient', join(dir, 'client-admin.crt'));
  t.same((await ensurePki(dir, options)).written, [], 'a leaf capped at its CA expiry is not renewed on every start');
});
