import t from 'tap';
import { isImagesError } from './errors.js';
import { normalizeImageRef, parseImageRef, tryNormalizeImageRef } from './reference.js';

const digest = `sha256:${'ab'.repeat(32)}`;

t.test('normalises as Docker and containerd do', async (t) => {
  const cases: [string, string][] = [
    ['busybox', 'docker.io/library/busybox:latest'],
    ['busybox:1.35', 'docker.io/library/busybox:1.35'],
    ['library/busybox', 'docker.io/library/busybox:latest'],
    ['team/app:v2', 'docker.io/team/app:v2'],
    ['docker.io/busybox', 'docker.io/library/busybox:latest'],
    ['index.docker.io/busybox:1', 'docker.io/library/busybox:1'],
    ['docker.io/library/busybox:1', 'docker.io/library/busybox:1'],
    ['localhost/tsk8s/pause:3.10', 'localhost/tsk8s/pause:3.10'],
    ['localhost/app', 'localhost/app:latest'],
    ['localhost:5000/app', 'localhost:5000/app:latest'],
    ['registry.example.com/a/b/c:1.0', 'registry.example.com/a/b/c:1.0'],
    ['127.0.0.1:5000/app:x', '127.0.0.1:5000/app:x'],
    ['[::1]:5000/app', '[::1]:5000/app:latest'],
    ['registry.k8s.io/pause:3.10', 'registry.k8s.io/pause:3.10'],
    [`busybox@${digest}`, `docker.io/library/busybox@${digest}`],
    [`busybox:1.35@${digest}`, `docker.io/library/busybox@${digest}`],
    ['a__b/c-d.e_f:T_a-g.1', 'docker.io/a__b/c-d.e_f:T_a-g.1'],
    [digest, digest],
  ];
  for (const [ref, want] of cases) t.equal(normalizeImageRef(ref), want, ref);
});

t.test('a normalised reference normalises to itself', async (t) => {
  for (const ref of ['busybox', 'team/app:v2', `busybox@${digest}`, 'localhost:5000/app']) {
    const once = normalizeImageRef(ref);
    t.equal(normalizeImageRef(once), once, ref);
  }
});

t.test('rejects what does not parse, with upstream reasons', async (t) => {
  const cases: [string, RegExp][] = [
    ['', /invalid reference format/],
    ['Busybox', /repository name must be lowercase/],
    ['docker.io/Library/busybox', /repository name must be lowercase/],
    ['busybox:', /invalid reference format/],
    ['busybox:-x', /invalid reference format/],
    ['busybox@sha256:xyz', /invalid reference format/],
    [' busybox', /invalid reference format/],
    ['a//b', /invalid reference format/],
    ['http://registry/app', /invalid reference format/],
    ['ab'.repeat(32), /cannot specify 64-byte hexadecimal strings/],
    [`r.io/${'a'.repeat(260)}`, /must not be more than 255 characters/],
  ];
  for (const [ref, message] of cases) {
    const err = (() => {
      try {
        normalizeImageRef(ref);
      } catch (e) {
        return e;
      }
    })();
    t.ok(isImagesError(err, 'invalid-reference'), JSON.stringify(ref));
    t.match(err, { message }, JSON.stringify(ref));
    t.equal(tryNormalizeImageRef(ref), undefined);
  }
});

t.test('parse keeps tag and digest apart', async (t) => {
  t.same(parseImageRef('busybox'), { domain: 'docker.io', path: 'library/busybox' });
  t.same(parseImageRef(`r.io:443/x/y:1@${digest}`), { domain: 'r.io:443', path: 'x/y', tag: '1', digest });
});
