import t from 'tap';
import { defaultPullPolicy, imageTag } from './image.js';

t.test('the tag an image reference selects', async (t) => {
  const cases: [string, string][] = [
    ['nginx', 'latest'],
    ['nginx:latest', 'latest'],
    ['nginx:1.27', '1.27'],
    ['library/nginx', 'latest'],
    ['registry.example.com:5000/team/app', 'latest'],
    ['registry.example.com:5000/team/app:v2', 'v2'],
    ['localhost:5000/app', 'latest'],
    [`nginx@sha256:${'a'.repeat(64)}`, ''],
    [`nginx:latest@sha256:${'a'.repeat(64)}`, 'latest'],
    [`nginx:1.2@sha256:${'a'.repeat(64)}`, '1.2'],
    ['', ''],
    ['Nginx', ''],
    ['nginx:', ''],
    [' nginx', ''],
  ];
  for (const [image, tag] of cases) t.equal(imageTag(image), tag, JSON.stringify(image));
});

t.test('pull policy: Always for latest, IfNotPresent otherwise', async (t) => {
  t.equal(defaultPullPolicy('busybox'), 'Always');
  t.equal(defaultPullPolicy('busybox:latest'), 'Always');
  t.equal(defaultPullPolicy('busybox:1.36'), 'IfNotPresent');
  t.equal(defaultPullPolicy(`busybox@sha256:${'0'.repeat(64)}`), 'IfNotPresent');
  t.equal(defaultPullPolicy(42), 'IfNotPresent');
  t.equal(defaultPullPolicy(undefined), 'IfNotPresent');
});
