import t from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertificateAuthority } from './authority.js';
import { caHash, checkCaPin, ensureToken, formatToken, generateToken, parseToken, tokenMatches } from './token.js';

function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsk8s-token-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

t.test('caHash is sha256sum of the CA file', async (t) => {
  const dir = tempDir(t);
  const { ca } = await CertificateAuthority.generate('hash-ca');
  const file = join(dir, 'server-ca.crt');
  writeFileSync(file, ca.certPem);
  const expected = execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0];
  t.equal(caHash(ca.certPem), expected);
  t.equal(caHash(readFileSync(file)), expected, 'bytes or text alike');
});

t.test('generate, format and parse round trip', async (t) => {
  const token = generateToken('ca pem');
  t.match(token.password, /^[0-9a-f]{32}$/);
  const text = formatToken(token);
  t.equal(text, `K10${caHash('ca pem')}::server:${token.password}`);
  t.same(parseToken(text), token);
  t.same(parseToken(`  ${text}\n`), token, 'surrounding whitespace ignored');
  t.not(generateToken('ca pem').password, token.password, 'random passwords');
  t.same(parseToken(`K10${'AB'.repeat(32)}::node:p:w`), { caHash: 'ab'.repeat(32), username: 'node', password: 'p:w' }, 'password keeps later colons');
  t.same(parseToken(`K10${'ab'.repeat(32)}::secret`), { caHash: 'ab'.repeat(32), username: 'server', password: 'secret' });
  t.same(parseToken('just-a-password'), { caHash: undefined, username: 'server', password: 'just-a-password' }, 'bare password');
});

t.test('malformed tokens are refused without echoing them', async (t) => {
  for (const bad of ['', '   ', `K10abc::server:s3cr3t-value`, `K10${'a'.repeat(64)}::server:`, `K10${'a'.repeat(64)}:::s3cr3t-value`, 'has space s3cr3t-value']) {
    const err = t.throws(() => parseToken(bad), { code: 'bad-token' }, JSON.stringify(bad));
    t.notMatch(String((err as Error | undefined)?.message), /s3cr3t/, 'no secret in the message');
  }
});

t.test('CA pinning accepts the CA the token names and rejects another', async (t) => {
  const { ca } = await CertificateAuthority.generate('real-ca');
  const { ca: impostor } = await CertificateAuthority.generate('real-ca');
  const token = parseToken(formatToken(generateToken(ca.certPem)));
  t.equal(checkCaPin(token, ca.certPem), true);
  t.throws(() => checkCaPin(token, impostor.certPem), {
    code: 'ca-pin-mismatch',
    message: `the server's CA certificate has SHA-256 ${caHash(impostor.certPem)} but the join token expects ${caHash(ca.certPem)}: check that --server points at the right cluster and that --token is its current token`,
  });
  t.throws(() => checkCaPin(token, `${ca.certPem}\n`), { code: 'ca-pin-mismatch' }, 'the hash covers the exact bytes');
  t.equal(checkCaPin(parseToken('bare'), impostor.certPem), false, 'a bare password pins nothing');
});

t.test('tokenMatches compares user and password', async (t) => {
  const token = generateToken('x');
  t.ok(tokenMatches(token, 'server', token.password));
  t.notOk(tokenMatches(token, 'node', token.password));
  t.notOk(tokenMatches(token, 'server', `${token.password}x`));
});

t.test('ensureToken generates once, persists 0600, and reuses', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'server', 'token');
  const { ca } = await CertificateAuthority.generate('ca');
  const first = ensureToken(path, ca.certPem);
  t.equal(readFileSync(path, 'utf8'), `${formatToken(first)}\n`);
  t.equal(statSync(path).mode & 0o777, 0o600);
  const mtime = statSync(path).mtimeMs;
  t.same(ensureToken(path, ca.certPem), first, 'same token on the next start');
  t.equal(statSync(path).mtimeMs, mtime, 'not rewritten');

  const { ca: newCa } = await CertificateAuthority.generate('ca');
  const moved = ensureToken(path, newCa.certPem);
  t.same(moved, { ...first, caHash: caHash(newCa.certPem) }, 'the hash follows a new CA; the password stays');

  writeFileSync(path, 'K10zz::\n');
  t.throws(() => ensureToken(path, ca.certPem), { code: 'bad-token', path, message: new RegExp(`^${path}: the join token is not valid`) });
});

t.test('ensureToken takes --token: a bare password, or a full token of this CA only', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'token');
  const { ca } = await CertificateAuthority.generate('ca');
  const { ca: other } = await CertificateAuthority.generate('ca');
  t.same(ensureToken(path, ca.certPem, { token: 'my-password' }), { caHash: caHash(ca.certPem), username: 'server', password: 'my-password' });
  t.equal(readFileSync(path, 'utf8').trim(), `K10${caHash(ca.certPem)}::server:my-password`);
  const full = formatToken(generateToken(ca.certPem));
  t.equal(formatToken(ensureToken(path, ca.certPem, { token: full })), full);
  t.throws(() => ensureToken(path, ca.certPem, { token: formatToken(generateToken(other.certPem)) }), { code: 'ca-pin-mismatch', message: /^--token was made for a CA/ });
});
