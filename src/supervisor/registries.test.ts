import t from 'tap';
import { parse } from 'yaml';
import { isSupervisorError } from './errors.js';
import { registriesFromDocument } from './registries.js';

const fromYaml = (text: string, warn?: (m: string) => void) => registriesFromDocument(parse(text), '/etc/tsk8s/registries.yaml', warn);

t.test('an empty file means no registries', async (t) => {
  t.same(fromYaml(''), { mirrors: {}, configs: {} });
  t.same(fromYaml('# nothing\n'), { mirrors: {}, configs: {} });
});

t.test('reads mirrors with endpoints and rewrites, and configs with auth and tls', async (t) => {
  const reg = fromYaml(`
mirrors:
  docker.io:
    endpoint:
      - "https://mirror.example.com:5000"
      - http://127.0.0.1:5000
    rewrite:
      "^rancher/(.*)": "mirrors/rancher/$1"
  "*":
    endpoint: ["https://all.example.com"]
configs:
  "mirror.example.com:5000":
    auth:
      username: me
      password: 12345
    tls:
      ca_file: /etc/ssl/mirror-ca.pem
      cert_file: /etc/ssl/client.pem
      key_file: /etc/ssl/client-key.pem
  token.example.com:
    auth:
      identity_token: abc
  insecure.example.com:
    tls:
      insecure_skip_verify: true
`);
  t.same(reg.mirrors['docker.io'], {
    endpoints: ['https://mirror.example.com:5000', 'http://127.0.0.1:5000'],
    rewrites: { '^rancher/(.*)': 'mirrors/rancher/$1' },
  });
  t.same(reg.mirrors['*'], { endpoints: ['https://all.example.com'], rewrites: {} });
  t.same(reg.configs['mirror.example.com:5000'], {
    auth: { username: 'me', password: '12345' },
    tls: { caFile: '/etc/ssl/mirror-ca.pem', certFile: '/etc/ssl/client.pem', keyFile: '/etc/ssl/client-key.pem', insecureSkipVerify: false },
  });
  t.same(reg.configs['token.example.com'], { auth: { identityToken: 'abc' } });
  t.same(reg.configs['insecure.example.com'], { tls: { insecureSkipVerify: true } });
});

t.test('identitytoken is accepted in the containerd spelling too', async (t) => {
  t.same(fromYaml('configs: {r.example: {auth: {identitytoken: x}}}').configs['r.example'], { auth: { identityToken: 'x' } });
});

t.test('unknown keys are reported, not fatal', async (t) => {
  const warnings: string[] = [];
  const reg = fromYaml('mirror:\n  docker.io: {endpoint: [x.example]}\nmirrors:\n  docker.io: {endpoints: [y.example]}\n', (m) => warnings.push(m));
  t.same(reg.mirrors['docker.io'], { endpoints: [], rewrites: {} });
  t.same(warnings, [
    '/etc/tsk8s/registries.yaml: ignoring unknown key mirror',
    '/etc/tsk8s/registries.yaml: ignoring unknown key mirrors.docker.io.endpoints',
  ]);
});

t.test('a wrong shape names the key', async (t) => {
  const cases: [string, RegExp][] = [
    ['- a\n- b\n', /the document must be a mapping/],
    ['mirrors: [docker.io]\n', /mirrors must be a mapping/],
    ['mirrors: {docker.io: {endpoint: https://x.example}}\n', /mirrors\.docker\.io\.endpoint must be a list of URLs/],
    ['mirrors: {docker.io: {endpoint: ["ftp://x.example"]}}\n', /has an endpoint that is not a URL: ftp:\/\/x\.example/],
    ['mirrors: {"not a host": {endpoint: []}}\n', /mirrors\.not a host is not a registry name/],
    ['mirrors: {docker.io: {rewrite: {"(": "x"}}}\n', /has a pattern that is not a regular expression: \(/],
    ['configs: {r.example: {tls: {insecure_skip_verify: "yes"}}}\n', /configs\.r\.example\.tls\.insecure_skip_verify must be true or false/],
    ['configs: {r.example: {tls: {cert_file: /c.pem}}}\n', /needs both cert_file and key_file/],
    ['configs: {r.example: {auth: {username: [a]}}}\n', /configs\.r\.example\.auth must map auth fields to strings/],
  ];
  for (const [text, message] of cases) {
    let err: unknown;
    try {
      fromYaml(text);
    } catch (e) {
      err = e;
    }
    t.ok(isSupervisorError(err, 'registries-invalid'), text);
    t.match(err, { message, path: '/etc/tsk8s/registries.yaml' }, text);
  }
});

t.test('errors never carry a password', async (t) => {
  let message = '';
  try {
    fromYaml('configs: {r.example: {auth: {password: s3cret}, tls: {cert_file: /c}}}\n');
  } catch (err) {
    message = err instanceof Error ? err.message : String(err);
  }
  t.match(message, /needs both cert_file and key_file/);
  t.notMatch(message, /s3cret/);
});
