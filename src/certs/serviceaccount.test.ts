import t from 'tap';
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../log/logger.js';
import { ensurePki, type PkiOptions } from './pki.js';
import { ensureServiceAccountKey, serviceAccountKeyFileNames, type ServiceAccountKeyPair } from './serviceaccount.js';
import { defaultServiceAccountIssuer, ServiceAccountTokenSigner, type TokenToIssue } from './serviceaccount-jwt.js';

const options: PkiOptions = { nodeName: 'node-1', nodeIps: ['192.168.50.10'], serviceIp: '10.43.0.1', clusterDomain: 'cluster.local' };

function tmp(t: { teardown(fn: () => void): void }): string {
  const root = mkdtempSync(join(tmpdir(), 'tsk8s-sa-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  return join(root, 'tls');
}

const ecPair = (): ServiceAccountKeyPair => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
};

const base: TokenToIssue = {
  namespace: 'default',
  serviceAccount: { name: 'builder', uid: 'sa-uid' },
  audiences: [defaultServiceAccountIssuer],
  expirationSeconds: 3600,
};

const decode = (part: string | undefined): Record<string, unknown> => JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

t.test('the key pair is created once, 0600/0644, and reused by later ensurePki calls', async (t) => {
  const dir = tmp(t);
  const first = await ensurePki(dir, options);
  t.equal(statSync(first.serviceAccount.keyPath).mode & 0o777, 0o600);
  t.equal(statSync(first.serviceAccount.publicKeyPath).mode & 0o777, 0o644);
  t.equal(first.serviceAccount.keyPath, join(dir, 'service.key'));
  t.equal(first.serviceAccount.publicKeyPath, join(dir, 'service.pub'));
  t.equal(createPublicKey(first.serviceAccount.publicKeyPem).asymmetricKeyType, 'rsa');
  const second = await ensurePki(dir, options);
  t.equal(second.serviceAccount.keyPem, first.serviceAccount.keyPem, 'same private key');
  t.equal(second.serviceAccount.publicKeyPem, first.serviceAccount.publicKeyPem);
  t.same(second.written, [], 'the key is not reported as a certificate written');
  const issued = ServiceAccountTokenSigner.fromPem(first.serviceAccount).issue(base);
  t.ok(ServiceAccountTokenSigner.fromPem(second.serviceAccount).verify(issued.token), 'a token survives a restart');
});

t.test('a lost public key is rewritten from the private key; a lost private key stops the start', async (t) => {
  const dir = tmp(t);
  const first = await ensureServiceAccountKey(dir, silentLogger);
  unlinkSync(first.publicKeyPath);
  t.equal((await ensureServiceAccountKey(dir, silentLogger)).publicKeyPem, first.publicKeyPem);
  writeFileSync(first.publicKeyPath, ecPair().publicKeyPem);
  await ensureServiceAccountKey(dir, silentLogger);
  t.equal(readFileSync(first.publicKeyPath, 'utf8'), first.publicKeyPem, 'a foreign public key is replaced');
  unlinkSync(first.keyPath);
  await t.rejects(ensureServiceAccountKey(dir, silentLogger), { code: 'service-key-missing', path: first.keyPath });
  writeFileSync(first.keyPath, 'garbage');
  await t.rejects(ensureServiceAccountKey(dir, silentLogger), { code: 'file-corrupt', path: join(dir, serviceAccountKeyFileNames.key) });
});

t.test('issue: upstream claims, RS256, kid is the hash of the public key', async (t) => {
  const pair = await ensureServiceAccountKey(tmp(t), silentLogger);
  const signer = ServiceAccountTokenSigner.fromPem(pair);
  const now = new Date('2025-01-01T00:00:00.500Z');
  const { token, claims } = signer.issue({ ...base, pod: { name: 'web-1', uid: 'pod-uid' }, node: { name: 'node-1', uid: 'node-uid' }, now });
  const [h, p] = token.split('.');
  const spki = createPublicKey(pair.publicKeyPem).export({ type: 'spki', format: 'der' });
  t.same(decode(h), { alg: 'RS256', kid: createHash('sha256').update(spki).digest('base64url') });
  t.equal(signer.keyId.length, 43);
  const payload = decode(p);
  t.same(payload, claims);
  t.match(payload, {
    iss: 'https://kubernetes.default.svc.cluster.local',
    sub: 'system:serviceaccount:default:builder',
    aud: ['https://kubernetes.default.svc.cluster.local'],
    iat: 1735689600,
    nbf: 1735689600,
    exp: 1735693200,
    'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'builder', uid: 'sa-uid' }, pod: { name: 'web-1', uid: 'pod-uid' }, node: { name: 'node-1', uid: 'node-uid' } },
  });
  t.match(payload.jti, /^[0-9a-f-]{36}$/);
  t.not(signer.issue(base).claims.jti, claims.jti, 'every token has its own jti');
  t.notOk('secret' in (payload['kubernetes.io'] as object));
});

t.test('verify: round trip, expiry with leeway, not yet valid', async (t) => {
  const signer = ServiceAccountTokenSigner.fromPem(ecPair());
  t.equal(signer.algorithm, 'ES256');
  const now = new Date('2025-01-01T00:00:00Z');
  const { token } = signer.issue({ ...base, secret: { name: 's', uid: 'secret-uid' }, now });
  const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);
  const ok = signer.verify(token, { now: at(10) });
  t.same(ok.audiences, [defaultServiceAccountIssuer]);
  t.same(ok.claims['kubernetes.io'].secret, { name: 's', uid: 'secret-uid' });
  t.ok(signer.verify(token, { now: at(3600 + 59) }), 'a minute of leeway past exp');
  t.throws(() => signer.verify(token, { now: at(3600 + 61) }), { code: 'token-expired', message: 'service account token has expired' });
  t.throws(() => signer.verify(token, { now: at(-120) }), { code: 'token-not-yet-valid' });
  t.ok(signer.verify(token, { now: at(-30) }), 'a little clock skew is fine');
});

t.test('verify: audiences must meet', async (t) => {
  const signer = ServiceAccountTokenSigner.fromPem(ecPair());
  const { token } = signer.issue({ ...base, audiences: ['vault', 'api'] });
  t.same(signer.verify(token, { audiences: ['api', 'other'] }).audiences, ['api']);
  t.throws(
    () => signer.verify(token),
    { code: 'token-audience', message: 'token audiences ["vault" "api"] is invalid for the target audiences ["https://kubernetes.default.svc.cluster.local"]' },
  );
});

t.test('verify: tampering, another key, another issuer and garbage are rejected', async (t) => {
  const pair = ecPair();
  const signer = ServiceAccountTokenSigner.fromPem(pair);
  const { token } = signer.issue(base);
  const [h, p, s] = token.split('.') as [string, string, string];
  const forged = { ...decode(p), sub: 'system:serviceaccount:kube-system:admin' };
  const tampered = `${h}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${s}`;
  t.throws(() => signer.verify(tampered), { code: 'token-signature' });
  const flipped = `${h}.${p}.${s.startsWith('A') ? 'B' : 'A'}${s.slice(1)}`;
  t.throws(() => signer.verify(flipped), { code: 'token-signature' });
  const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.`;
  t.throws(() => signer.verify(none), { code: 'token-malformed' });
  const noneSigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.${s}`;
  t.throws(() => signer.verify(noneSigned), { code: 'token-signature' }, 'the algorithm is the key\'s, not the token\'s');
  const other = ServiceAccountTokenSigner.fromPem(ecPair()).issue(base).token;
  t.throws(() => signer.verify(other), { code: 'token-signature' });
  const foreign = ServiceAccountTokenSigner.fromPem(pair, { issuer: 'https://elsewhere' }).issue(base).token;
  t.throws(() => signer.verify(foreign), { code: 'token-issuer' });
  for (const garbage of ['', 'abc', 'a.b.c', `${h}.!!!.${s}`]) {
    t.throws(() => signer.verify(garbage), { name: 'CertsError' }, `garbage ${JSON.stringify(garbage)}`);
  }
  const message = (() => {
    try {
      signer.verify(tampered);
      return '';
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  })();
  t.ok(message !== '' && !message.includes(s) && !message.includes(p), 'messages never echo the token');
});

t.test('fromPem refuses a public key of another pair and unsupported keys', async (t) => {
  const a = ecPair();
  const b = ecPair();
  t.throws(() => ServiceAccountTokenSigner.fromPem({ keyPem: a.keyPem, publicKeyPem: b.publicKeyPem }), { code: 'key-mismatch' });
  const ed = generateKeyPairSync('ed25519');
  const edPair = { keyPem: ed.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKeyPem: ed.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
  t.throws(() => ServiceAccountTokenSigner.fromPem(edPair), { code: 'unsupported-key' });
});
