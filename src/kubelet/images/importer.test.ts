// The importer against a fake ctr (fake-ctr.fixture.ts): what is imported
// at start, what a restart skips, archives added while running. The real
// ctr and containerd are in test/integration/images/import.test.ts.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { createLogger } from '../../log/logger.js';
import { fakeArchive, writeFakeCtr } from './fake-ctr.fixture.js';
import { findProgram, type ImportResult } from './import.js';
import { startImageImporter, type ImageImporterOptions } from './importer.js';

const work = mkdtempSync(join(tmpdir(), 'tsk8s-importer-'));
t.teardown(() => rmSync(work, { recursive: true, force: true }));

const ctr = writeFakeCtr(work);
const fakeCtr = ctr.path;
const imports = (): number => ctr.imports();
const archive = (...names: string[]): Buffer => fakeArchive(work, ...names);

const bundledDir = join(work, 'bundled');
const imagesDir = join(work, 'agent', 'images');
mkdirSync(bundledDir);
mkdirSync(imagesDir, { recursive: true });
writeFileSync(join(bundledDir, 'pause.tar'), archive('localhost/tsk8s/pause:3.10'));
writeFileSync(join(bundledDir, 'images.json'), '{}');
writeFileSync(join(imagesDir, 'app.tar.gz'), gzipSync(archive('docker.io/library/app:1', 'docker.io/library/app:latest')));
writeFileSync(join(imagesDir, 'broken.tar'), 'not an archive\n');
writeFileSync(join(imagesDir, 'notes.txt'), 'ignored\n');
writeFileSync(join(imagesDir, '.partial.tar'), 'ignored: hidden\n');
const zstd = findProgram('zstd');
if (zstd) execFileSync(zstd, ['-q', '-o', join(imagesDir, 'tool.tar.zst')], { input: archive('registry.example.com/tool:2') });

const lines: string[] = [];
const logger = createLogger('images', { level: 'debug', sink: { write: (l) => lines.push(l) } });
const options = (extra: Partial<ImageImporterOptions> = {}): ImageImporterOptions => ({
  ctrPath: fakeCtr,
  address: join(work, 'containerd.sock'),
  dirs: [imagesDir],
  bundledDir,
  logger,
  settleMs: 100,
  rescanMs: 60_000,
  ...extra,
});

async function runOnce(extra: Partial<ImageImporterOptions> = {}) {
  const ac = new AbortController();
  const importer = startImageImporter(options(extra), ac.signal);
  const summary = await importer.ready;
  ac.abort();
  await importer.stopped;
  return { summary, pinned: [...importer.pinned()].sort() };
}

const allNames = ['docker.io/library/app:1', 'docker.io/library/app:latest', 'localhost/tsk8s/pause:3.10', ...(zstd ? ['registry.example.com/tool:2'] : [])].sort();
const archives = zstd ? 3 : 2;

t.test('imports the bundled archives and those in the image dirs at start; a broken one fails alone', async (t) => {
  lines.length = 0;
  const { summary, pinned } = await runOnce();
  t.match(summary, { imported: archives, present: 0, failed: 1 });
  t.same(pinned, allNames);
  t.equal(summary.results[0]?.file, join(bundledDir, 'pause.tar'), 'the bundled images first');
  t.match(
    summary.results.find((r) => r.file.endsWith('broken.tar')),
    { outcome: 'failed', error: { code: 'not-an-archive' } },
  );
  t.match(
    summary.results.find((r) => r.file.endsWith('app.tar.gz')),
    { outcome: 'imported', compression: 'gzip', format: 'oci', names: ['docker.io/library/app:1', 'docker.io/library/app:latest'] },
  );
  t.equal(imports(), archives);
  t.match(lines.join(''), /info  images: imported images images=docker.io\/library\/app:1,docker.io\/library\/app:latest file=app.tar.gz size=\d+B format=oci compression=gzip ms=\d+\n/);
  t.match(lines.join(''), /error images: image import failed file=broken.tar .*code=not-an-archive/);
  t.ok(existsSync(join(imagesDir, '.tsk8s-imported.json')), 'state written beside the archives');
});

t.test('a restart skips archives whose images containerd holds', async (t) => {
  const before = imports();
  const { summary, pinned } = await runOnce();
  t.match(summary, { imported: 0, present: archives, failed: 1 });
  t.same(pinned, allNames, 'skipped archives are pinned too');
  t.equal(imports(), before, 'nothing imported again');
});

t.test('an archive whose images are gone from containerd is imported again', async (t) => {
  rmSync(join(work, 'store'));
  const { summary } = await runOnce();
  t.match(summary, { imported: archives, present: 0 });
});

t.test('a copy or a touched archive is recognised by its content', async (t) => {
  copyFileSync(join(bundledDir, 'pause.tar'), join(imagesDir, 'pause-copy.tar'));
  const before = imports();
  const { summary } = await runOnce();
  t.match(summary.results.find((r) => r.file.endsWith('pause-copy.tar')), { outcome: 'present', names: ['localhost/tsk8s/pause:3.10'] });
  t.equal(imports(), before);
  rmSync(join(imagesDir, 'pause-copy.tar'));

  const later = new Date(Date.now() + 60_000);
  utimesSync(join(imagesDir, 'app.tar.gz'), later, later);
  const again = await runOnce();
  t.match(again.summary.results.find((r) => r.file.endsWith('app.tar.gz')), { outcome: 'present' });
  t.equal(imports(), before);
});

t.test('an archive added while running is imported once it has stopped growing', async (t) => {
  const results: ImportResult[] = [];
  const ac = new AbortController();
  const importer = startImageImporter(options({ onResult: (r) => results.push(r) }), ac.signal);
  t.teardown(() => ac.abort());
  await importer.ready;
  results.length = 0;
  const before = imports();

  const data = archive('docker.io/library/late:1');
  const file = join(imagesDir, 'late.tar');
  writeFileSync(file, data.subarray(0, 1024));
  await sleep(40);
  appendFileSync(file, data.subarray(1024));
  for (let i = 0; i < 100 && results.length === 0; i++) await sleep(20);
  t.equal(results.length, 1);
  t.match(results[0], { file, outcome: 'imported', names: ['docker.io/library/late:1'] }, 'imported whole, once');
  t.equal(imports(), before + 1);
  t.ok(importer.pinned().has('docker.io/library/late:1'));

  writeFileSync(join(imagesDir, 'late.tar.tmp'), 'not picked up');
  await sleep(300);
  t.equal(results.length, 1, 'no second import, nothing for other names');

  ac.abort();
  await importer.stopped;
  writeFileSync(join(imagesDir, 'after.tar'), archive('docker.io/library/after:1'));
  await sleep(300);
  t.equal(imports(), before + 1, 'nothing is imported after the stop');
});
