#!/usr/bin/env node
// Builds the images tsk8s bundles, offline and reproducibly, into
// runtime/images/ at the repository root:
//
//   localhost/tsk8s/pause:3.10    /pause, a static C program (images/pause.c):
//                                 the pod sandbox image
//   localhost/tsk8s/busybox:1.35  busybox from Debian's busybox-static with a
//                                 link per applet, `sh` by default, plus
//                                 /bin/http-get (images/http-get.c) and a
//                                 /bin/wget with timeouts (images/wget-timeout.c)
//
// Debian builds busybox without FEATURE_WGET_TIMEOUT, yet its wget still
// declares -T as a numeric option whose value getopt32 stores through a NULL
// pointer: `wget -T N` dies of SIGSEGV (it is not NSS: names resolve fine).
// The busybox in the image has that option declared as a plain string option
// instead (the '+' that makes it numeric removed from the option string, the
// rest moved down a byte), so -T is accepted and, inside busybox sh (which
// runs its applets itself), ignored; /bin/wget executed by path honours -T
// and --timeout. The build checks that -T no longer crashes.
//
// Each image is one OCI archive (`<name>.tar`: oci-layout, index.json, blobs)
// that `ctr images import` names through the io.containerd.image.name
// annotation; runtime/images/images.json lists them with their sha256.
//
// Inputs are Debian packages only: busybox-static (apt-get download + dpkg -x,
// not installed), gcc and libc6-dev (to compile the C programs with -static),
// GNU tar. Same inputs, same bytes: sorted tar entries owned by 0:0 with
// mtime 0, fixed file modes, no timestamps in image configs. The inputs are
// recorded in images.json; when they and the files are unchanged nothing is
// rebuilt. --force rebuilds regardless.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sources = join(root, 'scripts', 'images');
const out = join(root, 'runtime', 'images');
const indexFile = join(out, 'images.json');
const force = process.argv.includes('--force');

const images = {
  pause: { name: 'localhost/tsk8s/pause:3.10', file: 'pause.tar' },
  busybox: { name: 'localhost/tsk8s/busybox:1.35', file: 'busybox.tar' },
};
const programs = ['pause', 'http-get', 'wget-timeout'];
const path = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const arch = { x64: 'amd64', arm64: 'arm64' }[process.arch] ?? process.arch;

const say = (msg) => console.log(`build-images: ${msg}`);
const fail = (msg) => {
  console.error(`build-images: ${msg}`);
  process.exit(1);
};
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
const sha256 = (data) => createHash('sha256').update(data).digest('hex');

/** The installed version of a Debian package, or '' when it is not installed. */
function installed(pkg) {
  try {
    return run('dpkg-query', ['-W', '-f=${Version}', pkg]).trim();
  } catch {
    return '';
  }
}

/** apt's candidate version of a package, or '' when apt has no lists for it. */
function candidate(pkg) {
  try {
    const policy = run('apt-cache', ['policy', pkg]);
    const v = /Candidate:\s*(\S+)/.exec(policy)?.[1] ?? '';
    return v === '(none)' ? '' : v;
  } catch {
    return '';
  }
}

/** Everything the output depends on; a change in any of it means a rebuild. */
function currentInputs() {
  const script = readFileSync(fileURLToPath(import.meta.url));
  const code = programs.map((p) => readFileSync(join(sources, `${p}.c`)));
  return {
    sources: sha256(Buffer.concat([script, ...code])),
    'busybox-static': candidate('busybox-static'),
    gcc: run('gcc', ['-dumpfullversion']).trim(),
    'libc6-dev': installed('libc6-dev'),
    tar: run('tar', ['--version']).split('\n')[0],
    zlib: process.versions.zlib,
  };
}

function readIndex() {
  try {
    return JSON.parse(readFileSync(indexFile, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Why runtime/images must be rebuilt, or undefined when it is up to date. */
function staleness(index, inputs) {
  if (!index) return 'no images.json';
  for (const [key, value] of Object.entries(inputs)) {
    // apt without lists knows no candidate: keep what was built.
    if (key === 'busybox-static' && value === '') continue;
    const short = (v) => (typeof v === 'string' && /^[0-9a-f]{64}$/.test(v) ? v.slice(0, 12) : v);
    if (index.inputs?.[key] !== value) return `${key} changed (${short(index.inputs?.[key]) ?? 'none'} → ${short(value)})`;
  }
  for (const { name, file } of Object.values(images)) {
    const entry = index.images?.find((i) => i.name === name);
    if (!entry || entry.file !== file) return `${name} is not listed`;
    const target = join(out, file);
    if (!existsSync(target)) return `${file} is missing`;
    if (statSync(target).size !== entry.size || sha256(readFileSync(target)) !== entry.sha256) return `${file} does not match its sha256`;
  }
  return undefined;
}

/** Downloads busybox-static (the candidate version) into `work` and returns the extracted binary and its version. */
function fetchBusybox(work, version) {
  if (!version) fail("apt knows no busybox-static: run 'apt-get update' as root first");
  const debs = join(work, 'debs');
  mkdirSync(debs);
  const asRoot = process.getuid?.() === 0 ? ['-o', 'APT::Sandbox::User=root'] : [];
  try {
    run('apt-get', ['-qq', ...asRoot, 'download', `busybox-static=${version}`], { cwd: debs });
  } catch (err) {
    fail(`apt-get download busybox-static=${version} failed: ${String(err.stderr || err.message).trim()}`);
  }
  const deb = readdirSync(debs).find((f) => f.endsWith('.deb'));
  if (!deb) fail('apt-get download produced no .deb');
  const x = join(work, 'busybox-static');
  run('dpkg', ['-x', join(debs, deb), x]);
  return join(x, 'bin', 'busybox');
}

/**
 * Makes busybox wget's -T a string option ("T:+" → "T:" in its getopt32
 * option string, the rest of the string moved down one byte): the value then
 * goes to a pointer getopt32 checks for NULL. Returns the patched binary.
 */
function patchWgetTimeout(busybox) {
  const data = Buffer.from(readFileSync(busybox));
  const marker = Buffer.from('U:T:+t:', 'latin1');
  const at = data.indexOf(marker);
  if (at >= 0 && data.indexOf(marker, at + 1) >= 0) fail('busybox has the wget option string twice: not patching');
  if (at >= 0) {
    const plus = at + 4;
    // The literal is "<options>\0<complementary options>\0": move both down over the '+'.
    const end = data.indexOf(0, data.indexOf(0, plus) + 1);
    data.copy(data, plus, plus + 1, end + 1);
  }
  return data;
}

/** True when `wget -T 1` in this busybox dies of a signal (it then ends in usage: no URL). */
function wgetTimeoutCrashes(busybox) {
  try {
    execFileSync(busybox, ['wget', '-T', '1'], { stdio: 'ignore' });
    return false;
  } catch (err) {
    return err.signal !== null && err.signal !== undefined;
  }
}

/** Compiles scripts/images/<name>.c into a static, stripped binary. */
function compile(name, outFile) {
  try {
    // Built from the sources dir with a relative name, so no path of this machine ends up in the binary.
    run('gcc', ['-static', '-Os', '-s', '-Wall', '-Wextra', '-Werror', '-Wl,--no-warnings', '-Wl,--build-id=sha1', '-o', outFile, `${name}.c`], { cwd: sources });
  } catch (err) {
    fail(`gcc ${name}.c failed:\n${String(err.stderr || err.message).trim()}`);
  }
}

function dir(p, mode = 0o755) {
  mkdirSync(p, { recursive: true });
  chmodSync(p, mode);
}

function file(p, data, mode = 0o644) {
  writeFileSync(p, data);
  chmodSync(p, mode);
}

function pauseRootfs(rootfs, bin) {
  dir(rootfs);
  file(join(rootfs, 'pause'), readFileSync(join(bin, 'pause')), 0o755);
}

function busyboxRootfs(rootfs, busybox, bin) {
  dir(rootfs);
  for (const d of ['bin', 'dev', 'etc', 'home', 'proc', 'root', 'sys', 'usr/bin', 'var/run', 'var/www']) dir(join(rootfs, d), d === 'root' ? 0o700 : 0o755);
  dir(join(rootfs, 'tmp'), 0o1777);
  file(join(rootfs, 'bin', 'busybox'), patchWgetTimeout(busybox), 0o755);
  if (wgetTimeoutCrashes(join(rootfs, 'bin', 'busybox'))) fail('busybox wget -T still crashes after the patch');
  const own = new Set(['busybox', 'http-get', 'wget']);
  const applets = run(busybox, ['--list']).split('\n').filter((a) => a && !a.includes('/') && !own.has(a));
  for (const applet of applets.sort()) symlinkSync('busybox', join(rootfs, 'bin', applet));
  // Scripts that start with #!/usr/bin/env sh.
  symlinkSync('../../bin/busybox', join(rootfs, 'usr', 'bin', 'env'));
  file(join(rootfs, 'bin', 'wget'), readFileSync(join(bin, 'wget-timeout')), 0o755);
  file(join(rootfs, 'bin', 'http-get'), readFileSync(join(bin, 'http-get')), 0o755);
  file(join(rootfs, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n');
  file(join(rootfs, 'etc', 'group'), 'root:x:0:\nnogroup:x:65534:\n');
  // glibc's default would also be files then dns; written down so nobody has to know that.
  file(join(rootfs, 'etc', 'nsswitch.conf'), 'passwd: files\ngroup: files\nhosts: files dns\n');
}

const tarFlags = ['--sort=name', '--format=gnu', '--numeric-owner', '--owner=0', '--group=0', '--mtime=@0'];

/** A reproducible gzipped layer of `rootfs`: its blob and its diff id (the digest of the uncompressed tar). */
function layerOf(rootfs) {
  const tar = execFileSync('tar', [...tarFlags, '-C', rootfs, '-cf', '-', '.'], { maxBuffer: 512 * 1024 * 1024 });
  return { blob: gzipSync(tar, { level: 9 }), diffId: `sha256:${sha256(tar)}` };
}

/** Writes one image as an OCI archive at `target`; returns its manifest and config digests. */
function writeImage(work, { name, file: fileName }, rootfs, config) {
  const layout = join(work, `${fileName}.layout`);
  const blobs = join(layout, 'blobs', 'sha256');
  dir(join(layout, 'blobs'));
  dir(blobs);
  const put = (data, mediaType) => {
    const digest = sha256(data);
    file(join(blobs, digest), data);
    return { mediaType, digest: `sha256:${digest}`, size: Buffer.byteLength(data) };
  };
  const layer = layerOf(rootfs);
  const layerDesc = put(layer.blob, 'application/vnd.oci.image.layer.v1.tar+gzip');
  const configDesc = put(
    JSON.stringify({
      architecture: arch,
      os: 'linux',
      config: { Env: [`PATH=${path}`], WorkingDir: '/', ...config },
      rootfs: { type: 'layers', diff_ids: [layer.diffId] },
      history: [{ created_by: `tsk8s scripts/build-images.mjs: ${name}` }],
    }),
    'application/vnd.oci.image.config.v1+json',
  );
  const manifestDesc = put(
    JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: configDesc, layers: [layerDesc] }),
    'application/vnd.oci.image.manifest.v1+json',
  );
  const index = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      {
        ...manifestDesc,
        platform: { architecture: arch, os: 'linux' },
        // containerd names the image by the first; other OCI tools read the second.
        annotations: { 'io.containerd.image.name': name, 'org.opencontainers.image.ref.name': name },
      },
    ],
  };
  file(join(layout, 'index.json'), JSON.stringify(index));
  file(join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const target = join(work, fileName);
  execFileSync('tar', [...tarFlags, '-C', layout, '-cf', target, 'oci-layout', 'index.json', 'blobs']);
  return { manifest: manifestDesc.digest, id: configDesc.digest, target };
}

const started = Date.now();
const inputs = currentInputs();
const stale = force ? '--force' : staleness(readIndex(), inputs);
if (!stale) {
  say(`runtime/images is up to date (${Object.values(images).map((i) => i.name).join(', ')})`);
  process.exit(0);
}
say(`building (${stale})`);

process.umask(0o022);
const work = mkdtempSync(join(tmpdir(), 'tsk8s-images-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const busybox = fetchBusybox(work, inputs['busybox-static']);
const bin = join(work, 'bin');
dir(bin);
for (const p of programs) compile(p, join(bin, p));

pauseRootfs(join(work, 'pause-rootfs'), bin);
busyboxRootfs(join(work, 'busybox-rootfs'), busybox, bin);
const built = [
  { ...images.pause, ...writeImage(work, images.pause, join(work, 'pause-rootfs'), { Entrypoint: ['/pause'], User: '65535:65535' }) },
  { ...images.busybox, ...writeImage(work, images.busybox, join(work, 'busybox-rootfs'), { Cmd: ['sh'] }) },
];

dir(out);
const entries = [];
for (const image of built) {
  const data = readFileSync(image.target);
  const tmp = join(out, `.${image.file}.tmp`);
  file(tmp, data);
  renameSync(tmp, join(out, image.file));
  entries.push({ name: image.name, file: image.file, sha256: sha256(data), size: data.length, id: image.id, manifest: image.manifest });
}
// images.json last: a reader that finds it finds the files it lists.
file(`${indexFile}.tmp`, `${JSON.stringify({ inputs, images: entries }, null, 2)}\n`);
renameSync(`${indexFile}.tmp`, indexFile);
const total = entries.reduce((n, e) => n + e.size, 0);
say(`wrote runtime/images (${entries.map((e) => `${e.name} ${e.sha256.slice(0, 12)}`).join(', ')}; ${(total / 1048576).toFixed(1)} MiB) in ${Date.now() - started} ms`);
