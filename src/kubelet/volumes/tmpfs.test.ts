// Mount points read from mountinfo (the tmpfs of memory-backed emptyDirs).
import t from 'tap';
import { mountPointsUnder } from './tmpfs.js';

const mountinfo = [
  '22 1 8:1 / / rw - ext4 /dev/sda1 rw',
  '90 22 0:50 / /d/pods/u1/volumes/kubernetes.io~empty-dir/mem rw - tmpfs tmpfs rw,size=65536k',
  '91 22 0:51 / /d/pods/u1/volumes/kubernetes.io~empty-dir/with\\040space rw - tmpfs tmpfs rw',
  '92 22 0:52 / /d/pods/u10/volumes/x rw - tmpfs tmpfs rw',
  '93 90 0:53 / /d/pods/u1/volumes/kubernetes.io~empty-dir/mem/inner rw - tmpfs tmpfs rw',
].join('\n');

t.test('mount points under a directory, deepest first, octal escapes decoded', async (t) => {
  t.same(mountPointsUnder('/d/pods/u1/volumes', mountinfo), [
    '/d/pods/u1/volumes/kubernetes.io~empty-dir/with space',
    '/d/pods/u1/volumes/kubernetes.io~empty-dir/mem/inner',
    '/d/pods/u1/volumes/kubernetes.io~empty-dir/mem',
  ]);
  t.same(mountPointsUnder('/d/pods/u1/volumes/kubernetes.io~empty-dir/mem', mountinfo), ['/d/pods/u1/volumes/kubernetes.io~empty-dir/mem/inner', '/d/pods/u1/volumes/kubernetes.io~empty-dir/mem']);
  t.same(mountPointsUnder('/d/pods/u2', mountinfo), []);
});
