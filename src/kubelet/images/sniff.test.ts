import t from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { sniffHead, TarScanner } from './sniff.js';

const work = mkdtempSync(join(tmpdir(), 'tsk8s-sniff-'));
t.teardown(() => rmSync(work, { recursive: true, force: true }));

/** A tar of `files` (path → content), in the given tar format, entries in the order given. */
function tarOf(files: Record<string, string>, format: 'gnu' | 'pax' | 'ustar' = 'gnu'): Buffer {
  const dir = mkdtempSync(join(work, 'src-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return execFileSync('tar', [`--format=${format}`, '-C', dir, '-cf', '-', ...Object.keys(files)]);
}

const scan = (tar: Buffer, chunk = tar.length) => {
  const s = new TarScanner();
  for (let i = 0; i < tar.length; i += chunk) s.write(tar.subarray(i, i + chunk));
  return s.result();
};

const digest = `sha256:${'0'.repeat(64)}`;
const ociIndex = (annotations: Record<string, string>[]) =>
  JSON.stringify({ schemaVersion: 2, manifests: annotations.map((a) => ({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest, size: 1, annotations: a })) });

t.test('sniffHead tells compression by magic bytes, whatever the file is called', async (t) => {
  const tar = tarOf({ 'a.txt': 'a' });
  t.same(sniffHead(tar.subarray(0, 512)), { kind: 'tar', compression: 'none' });
  t.same(sniffHead(gzipSync(tar).subarray(0, 512)), { kind: 'tar', compression: 'gzip' });
  t.same(sniffHead(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0])), { kind: 'tar', compression: 'zstd' });
  t.same(sniffHead(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 1])), { kind: 'unsupported', what: 'xz-compressed' });
  t.same(sniffHead(Buffer.from('BZh91AY')), { kind: 'unsupported', what: 'bzip2-compressed' });
  t.same(sniffHead(Buffer.from([0x04, 0x22, 0x4d, 0x18])), { kind: 'unsupported', what: 'lz4-compressed' });
  t.same(sniffHead(Buffer.from('hello\n')), { kind: 'unsupported', what: 'not a tar archive' });
  t.same(sniffHead(Buffer.alloc(512)), { kind: 'unsupported', what: 'not a tar archive' }, 'zeros are not a tar');
  // A v7 tar header has no ustar magic: the checksum decides.
  const v7 = Buffer.from(tar.subarray(0, 512));
  v7.fill(0, 257, 512);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : (v7[i] ?? 0);
  v7.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  t.same(sniffHead(v7), { kind: 'tar', compression: 'none' });
});

t.test('an OCI archive: names from io.containerd.image.name, else a full ref.name', async (t) => {
  const tar = tarOf({
    'oci-layout': '{"imageLayoutVersion":"1.0.0"}',
    [`blobs/sha256/${'0'.repeat(64)}`]: 'x'.repeat(3000),
    'index.json': ociIndex([
      { 'io.containerd.image.name': 'localhost/tsk8s/pause:3.10', 'org.opencontainers.image.ref.name': '3.10' },
      { 'org.opencontainers.image.ref.name': 'registry.example.com/app:1' },
      { 'org.opencontainers.image.ref.name': 'busybox:1' },
      { 'org.opencontainers.image.ref.name': 'latest' },
      {},
    ]),
  });
  const want = { format: 'oci', names: ['localhost/tsk8s/pause:3.10', 'registry.example.com/app:1', 'docker.io/library/busybox:1'], unnamed: 2 };
  t.same(scan(tar), want);
  t.same(scan(tar, 1), want, 'fed one byte at a time');
  t.same(scan(tar, 509), want, 'fed in chunks across headers');
});

t.test('a docker save archive: RepoTags, normalised', async (t) => {
  const tar = tarOf({
    'abc/layer.tar': 'layer',
    'abc.json': '{}',
    'manifest.json': JSON.stringify([{ Config: 'abc.json', RepoTags: ['busybox:1.35', 'example.com/x/y:2', 'Bad:x'], Layers: ['abc/layer.tar'] }]),
    repositories: '{}',
  });
  t.same(scan(tar, 100), { format: 'docker', names: ['docker.io/library/busybox:1.35', 'example.com/x/y:2'], unnamed: 0 });
});

t.test('entries named ./index.json count, nested ones do not', async (t) => {
  const dir = mkdtempSync(join(work, 'dot-'));
  writeFileSync(join(dir, 'index.json'), ociIndex([{ 'io.containerd.image.name': 'a.io/b:1' }]));
  t.same(scan(execFileSync('tar', ['-C', dir, '-cf', '-', '.'])), { format: 'oci', names: ['a.io/b:1'], unnamed: 0 });
  t.same(scan(tarOf({ 'sub/index.json': ociIndex([{ 'io.containerd.image.name': 'a.io/b:1' }]) })), { format: 'unknown', names: [], unnamed: 0 });
});

t.test('long names (GNU and pax headers) do not throw the scanner off', async (t) => {
  const long = `${'d'.repeat(120)}/${'f'.repeat(120)}`;
  for (const format of ['gnu', 'pax'] as const) {
    const tar = tarOf({ [long]: 'x'.repeat(700), 'index.json': ociIndex([{ 'io.containerd.image.name': 'a.io/long:1' }]) }, format);
    t.same(scan(tar, 33), { format: 'oci', names: ['a.io/long:1'], unnamed: 0 }, format);
  }
});

t.test('a tar without image metadata is unknown; garbage stops the scan quietly', async (t) => {
  t.same(scan(tarOf({ 'hello.txt': 'hi' })), { format: 'unknown', names: [], unnamed: 0 });
  const s = new TarScanner();
  s.write(Buffer.from('x'.repeat(2000)));
  s.write(tarOf({ 'index.json': '{}' }));
  t.same(s.result(), { format: 'unknown', names: [], unnamed: 0 });
});
