import t from 'tap';
import type { corev1 } from '../../api/types.js';
import { parseImageRef } from '../images/index.js';
import { credentialsFor } from './credentials.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const dockerconfig = (auths: Record<string, object>): corev1.Secret => ({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64(JSON.stringify({ auths })) } });

const secrets = [
  dockerconfig({
    'https://index.docker.io/v1/': { auth: b64('hub:hubpw') },
    'registry.example.com': { username: 'reg', password: 'regpw' },
    'registry.example.com/team': { username: 'team', password: 'teampw' },
    '*.corp.example': { username: 'wild', password: 'wildpw' },
  }),
  { type: 'kubernetes.io/dockercfg', data: { '.dockercfg': b64(JSON.stringify({ 'old.example': { auth: b64('old:oldpw') } })) } },
  { type: 'Opaque', data: { '.dockerconfigjson': b64('{}') } },
];

t.test('credentials match the image registry and path, most specific first', async (t) => {
  const users = (image: string): string[] => credentialsFor(parseImageRef(image), secrets).map((a) => `${a.username}:${a.password}`);
  t.same(users('busybox'), ['hub:hubpw'], 'docker hub, written as an index URL');
  t.same(users('docker.io/library/busybox:1'), ['hub:hubpw']);
  t.same(users('registry.example.com/team/app:1'), ['team:teampw', 'reg:regpw']);
  t.same(users('registry.example.com/other/app:1'), ['reg:regpw']);
  t.same(users('registry.example.com/teamwork/app:1'), ['reg:regpw'], 'a path prefix matches whole components');
  t.same(users('a.corp.example/x:1'), ['wild:wildpw']);
  t.same(users('a.b.corp.example/x:1'), [], 'a glob matches one label');
  t.same(users('old.example/x:1'), ['old:oldpw'], 'legacy dockercfg');
  t.same(users('quay.io/x:1'), []);
  t.equal(credentialsFor(parseImageRef('registry.example.com/app:1'), secrets)[0]?.serverAddress, 'https://registry.example.com');
  t.equal(credentialsFor(parseImageRef('busybox'), secrets)[0]?.serverAddress, 'https://registry-1.docker.io', 'the host Docker Hub pulls go to');
  t.equal(credentialsFor(parseImageRef('a.corp.example/x:1'), secrets)[0]?.serverAddress, 'https://a.corp.example', 'the image host, not the glob');
});
