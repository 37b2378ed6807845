// importImage against a fake ctr (fake-ctr.fixture.ts): decompression,
// what a failure says, the log line.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createLogger } from '../../log/logger.js';
import { fakeArchive, writeFakeCtr } from './fake-ctr.fixture.js';
import { findProgram, formatBytes, importImage, importImages, isArchiveName, type ImportOptions } from './import.js';

const work = mkdtempSync(join(tmpdir(), 'tsk8s-import-'));
t.teardown(() => rmSync(work, { recursive: true, force: true }));
const ctr = writeFakeCtr(work);
const lines: string[] = [];
const opts: ImportOptions = { ctrPath: ctr.path, address: join(work, 'sock'), logger: createLogger('images', { sink: { write: (l) => lines.push(l) } }) };
const put = (name: string, data: Buffer | string): string => {
  const file = join(work, name);
  writeFileSync(file, data);
  return file;
};
const zstd = findProgram('zstd');

t.test('imports plain, gzip and zstd archives through ctr import -, logging one line each', async (t) => {
  lines.length = 0;
  const files = [put('a.tar', fakeArchive(work, 'a.io/a:1')), put('b.tar.gz', gzipSync(fakeArchive(work, 'a.io/b:1', 'a.io/b:2')))];
  if (zstd) files.push(put('c.tar.zst', execFileSync(zstd, ['-q', '-c'], { input: fakeArchive(work, 'a.io/c:1') })));
  const results = await importImages(files, opts);
  t.match(results, [
    { outcome: 'imported', names: ['a.io/a:1'], compression: 'none', format: 'oci' },
    { outcome: 'imported', names: ['a.io/b:1', 'a.io/b:2'], compression: 'gzip' },
    ...(zstd ? [{ outcome: 'imported', names: ['a.io/c:1'], compression: 'zstd' }] : []),
  ]);
  t.same(ctr.store(), ['a.io/a:1', 'a.io/b:1', 'a.io/b:2', ...(zstd ? ['a.io/c:1'] : [])]);
  t.ok(ctr.calls().every((c) => c === `--address ${opts.address} --namespace k8s.io images import -`), 'the archive goes in on stdin, into k8s.io');
  t.match(lines[0], /^\S+ info  images: imported images images=a\.io\/a:1 file=a\.tar size=\d+KiB format=oci ms=\d+\n$/);
  t.match(lines[1], /images=a\.io\/b:1,a\.io\/b:2 file=b\.tar\.gz size=\d+B format=oci compression=gzip ms=\d+\n$/);
});

t.test('each failure says what is wrong, and the next archive is still imported', async (t) => {
  lines.length = 0;
  const gz = gzipSync(fakeArchive(work, 'a.io/x:1'));
  const files = [
    put('text.tar', 'hello\n'),
    put('x.tar.xz', Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0, 0])),
    put('cut.tar.gz', gz.subarray(0, gz.length - 20)),
    put('plain.tar', execFileSync('tar', ['-C', work, '-cf', '-', 'text.tar'])),
    put('nameless.tar', fakeArchive(work)),
    join(work, 'missing.tar'),
    put('good.tar', fakeArchive(work, 'a.io/good:1')),
  ];
  const results = await importImages(files, opts);
  t.match(results, [
    { outcome: 'failed', error: { code: 'not-an-archive', message: /text\.tar is not a tar archive$/ } },
    { outcome: 'failed', error: { code: 'not-an-archive', message: /x\.tar\.xz is xz-compressed$/ } },
    { outcome: 'failed', compression: 'gzip', error: { code: 'import-failed', message: /cut\.tar\.gz: gzip: unexpected end of file$/ } },
    { outcome: 'failed', error: { code: 'not-an-archive', message: /plain\.tar is a tar archive but not an image archive/ } },
    { outcome: 'failed', format: 'oci', error: { code: 'unnamed-images', suggestion: /name the image/ } },
    { outcome: 'failed', error: { code: 'import-failed', message: /ENOENT/ } },
    { outcome: 'imported', names: ['a.io/good:1'] },
  ]);
  t.match(lines.join(''), /error images: image import failed file=cut\.tar\.gz size=\d+B ms=\d+ code=import-failed error="cannot import .*gzip: unexpected end of file"/);
  t.match(lines.join(''), /error images: image import failed file=text\.tar .*suggestion="give a docker-archive or OCI archive/);

  const noCtr = await importImage(files[6] as string, { ...opts, ctrPath: join(work, 'no-such-ctr') });
  t.match(noCtr, { outcome: 'failed', error: { code: 'import-failed', message: /spawn .*no-such-ctr ENOENT/ } });
});

t.test('a .tar.zst without a zstd program (or zstd in Node.js) fails saying so', { skip: !zstd && 'no zstd here to make an archive' }, async (t) => {
  const file = put('d.tar.zst', execFileSync(zstd as string, ['-q', '-c'], { input: fakeArchive(work, 'a.io/d:1') }));
  const result = await importImage(file, { ...opts, programDirs: [] });
  if (result.outcome === 'imported') t.pass('this Node.js decompresses zstd itself');
  else t.match(result, { outcome: 'failed', compression: 'zstd', error: { code: 'zstd-unavailable', message: /no zstd program on PATH/, suggestion: /zstd package/ } });
});

t.test('an aborted import is cancelled; importImages stops there', async (t) => {
  const ac = new AbortController();
  ac.abort();
  const file = put('e.tar', fakeArchive(work, 'a.io/e:1'));
  t.match(await importImage(file, { ...opts, signal: ac.signal }), { outcome: 'failed', error: { message: /import cancelled$/ } });
  t.same(await importImages([file], { ...opts, signal: ac.signal }), []);
});

t.test('archive names, program lookup, sizes', async (t) => {
  t.same(
    ['a.tar', 'a.tar.gz', 'a.tgz', 'a.tar.zst', 'a.tzst', 'a.tar.zstd', '.a.tar', 'a.tar.tmp', 'a.zip', 'images.json'].map(isArchiveName),
    [true, true, true, true, true, true, false, false, false, false],
  );
  t.equal(findProgram('ctr', [join(work, 'nope'), work]), ctr.path);
  t.equal(findProgram('ctr', []), undefined);
  t.same([0, 1023, 2048, 1.5 * 1048576, 3 * 1073741824].map(formatBytes), ['0B', '1023B', '2KiB', '1.5MiB', '3.00GiB']);
});
