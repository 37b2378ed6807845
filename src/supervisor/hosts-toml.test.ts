import t from 'tap';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { hostsTomlHeader, normalizeEndpoint, renderHostsFiles, writeHostsFiles } from './hosts-toml.js';
import { registriesFromDocument } from './registries.js';

const render = (yaml: string, opts: { disableDefaultEndpoint?: boolean } = {}, warn?: (m: string) => void) =>
  renderHostsFiles(registriesFromDocument(parse(yaml), 'registries.yaml'), opts, warn);

const body = (text: string | undefined): string => (text ?? '').split('\n').slice(1).join('\n');

t.test('endpoints are normalised as containerd reads them', async (t) => {
  t.match(normalizeEndpoint('mirror.example.com'), { url: 'https://mirror.example.com/v2', overridePath: false, http: false });
  t.match(normalizeEndpoint('127.0.0.1:5000'), { url: 'http://127.0.0.1:5000/v2', http: true }, 'loopback on a port means http');
  t.match(normalizeEndpoint('localhost:443'), { url: 'https://localhost/v2' });
  t.match(normalizeEndpoint('https://m.example/v2/'), { url: 'https://m.example/v2', overridePath: false });
  t.match(normalizeEndpoint('https://m.example/prefix/v2x'), { url: 'https://m.example/prefix/v2x', overridePath: true });
  t.match(normalizeEndpoint('docker.io'), { url: 'https://registry-1.docker.io/v2', configHost: 'docker.io' });
});

t.test('a docker.io mirror: hosts in order, upstream as the server, TLS by endpoint host', async (t) => {
  const files = render(`
mirrors:
  docker.io:
    endpoint: ["https://mirror.example.com:5000", "http://127.0.0.1:5000", "https://mirror.example.com:5000"]
configs:
  mirror.example.com:5000:
    tls: {ca_file: /ca.pem, cert_file: /c.pem, key_file: /k.pem, insecure_skip_verify: true}
  127.0.0.1:5000:
    tls: {ca_file: /never.pem}
`);
  t.same([...files.keys()], ['docker.io', 'mirror.example.com:5000', '127.0.0.1:5000'], 'hosts with TLS settings get files of their own');
  const text = files.get('docker.io');
  t.equal(text?.split('\n')[0], hostsTomlHeader);
  t.equal(
    body(text),
    [
      'server = "https://registry-1.docker.io/v2"',
      '',
      '[host."https://mirror.example.com:5000/v2"]',
      '  capabilities = ["pull", "resolve"]',
      '  ca = ["/ca.pem"]',
      '  client = [["/c.pem", "/k.pem"]]',
      '  skip_verify = true',
      '',
      '[host."http://127.0.0.1:5000/v2"]',
      '  capabilities = ["pull", "resolve"]',
      '',
    ].join('\n'),
    'duplicates dropped; a plain-http endpoint gets no TLS',
  );
});

t.test('with the default endpoint disabled the last mirror is also the server', async (t) => {
  const files = render('mirrors:\n  docker.io:\n    endpoint: ["http://127.0.0.1:5000"]\n', { disableDefaultEndpoint: true });
  t.equal(
    body(files.get('docker.io')),
    ['server = "http://127.0.0.1:5000/v2"', '', '[host."http://127.0.0.1:5000/v2"]', '  capabilities = ["pull", "resolve"]', ''].join('\n'),
    'a [host] table stays: containerd 1.6 ignores a hosts.toml without one',
  );
  const two = render('mirrors:\n  r.example:\n    endpoint: ["https://a.example", "https://b.example/v2"]\n', { disableDefaultEndpoint: true });
  t.equal(
    body(two.get('r.example')),
    ['server = "https://b.example/v2"', '', '[host."https://a.example/v2"]', '  capabilities = ["pull", "resolve"]', ''].join('\n'),
  );
});

t.test('the "*" mirror is _default, with no server unless the default endpoint is disabled', async (t) => {
  t.equal(
    body(render('mirrors:\n  "*":\n    endpoint: ["https://all.example/cache"]\n').get('_default')),
    ['', '[host."https://all.example/cache"]', '  capabilities = ["pull", "resolve"]', '  override_path = true', ''].join('\n'),
  );
  t.match(render('mirrors:\n  "*":\n    endpoint: ["127.0.0.1:5000"]\n', { disableDefaultEndpoint: true }).get('_default'), /^server = "http:\/\/127\.0\.0\.1:5000\/v2"$/m);
});

t.test('a registry with TLS settings but no mirror gets them for its own endpoint', async (t) => {
  const files = render('configs:\n  private.example:8443:\n    tls: {ca_file: /p.pem}\n    auth: {username: u, password: p}\n  auth-only.example:\n    auth: {username: u, password: p}\n');
  t.same([...files.keys()], ['private.example:8443'], 'auth alone needs no hosts.toml');
  t.equal(
    body(files.get('private.example:8443')),
    [
      'server = "https://private.example:8443/v2"',
      'ca = ["/p.pem"]',
      '',
      '[host."https://private.example:8443/v2"]',
      '  capabilities = ["pull", "resolve"]',
      '  ca = ["/p.pem"]',
      '',
    ].join('\n'),
  );
  t.notMatch(files.get('private.example:8443'), /password|username/);
});

t.test('what containerd 1.6 cannot do is reported', async (t) => {
  const warnings: string[] = [];
  const files = render('mirrors:\n  docker.io:\n    endpoint: ["https://m.example"]\n    rewrite: {"^a/(.*)": "b/$1"}\n  none.example:\n    endpoint: []\n', { disableDefaultEndpoint: true }, (m) => warnings.push(m));
  t.notMatch(files.get('docker.io'), /rewrite/);
  t.notOk(files.has('none.example'));
  t.match(warnings, [/rewrites for docker\.io are not applied/, /mirror none\.example has no endpoints/]);
});

t.test('writing replaces generated dirs and leaves hand-made ones alone', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tsk8s-certs-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeHostsFiles(dir, render('mirrors:\n  old.example:\n    endpoint: ["https://o.example"]\n'));
  mkdirSync(join(dir, 'mine.example'));
  writeFileSync(join(dir, 'mine.example', 'hosts.toml'), 'server = "https://mine.example"\n');
  mkdirSync(join(dir, 'docker.io'));
  writeFileSync(join(dir, 'docker.io', 'hosts.toml'), '# hand-made, but about to be generated\n');
  writeHostsFiles(dir, render('mirrors:\n  docker.io:\n    endpoint: ["https://m.example"]\n'));
  t.same(readdirSync(dir).sort(), ['docker.io', 'mine.example']);
  t.notOk(existsSync(join(dir, 'old.example')), 'the stale generated dir is gone');
  t.match(readFileSync(join(dir, 'docker.io', 'hosts.toml'), 'utf8'), /\[host\."https:\/\/m\.example\/v2"\]/);
  t.equal(readFileSync(join(dir, 'mine.example', 'hosts.toml'), 'utf8'), 'server = "https://mine.example"\n');
});
