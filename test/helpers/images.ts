// Test images built offline: one busybox root filesystem as a single layer,
// under several image configs (a shell, a pause that sleeps forever, ...),
// written as an OCI image layout and, for `ctr images import`, as an OCI
// archive. The layout can be served as a registry on loopback
// (test/integration/cri/registry.ts).
//
// The layer is the bundled busybox image's (runtime/images/busybox.tar, made
// by scripts/build-images.mjs: with http-get and a working wget) when it is
// there; otherwise one is built here from Debian's busybox-static package.
// Needs root-free tools only: apt-get (download, no install), dpkg -x, tar.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const ociManifestType = 'application/vnd.oci.image.manifest.v1+json';
const ociConfigType = 'application/vnd.oci.image.config.v1+json';
const ociLayerType = 'application/vnd.oci.image.layer.v1.tar+gzip';

export interface ImageSpec {
  /** Full reference, e.g. "localhost/tsk8s-test/busybox:1". */
  name: string;
  entrypoint?: string[];
  cmd?: string[];
}

export interface BuiltImage {
  name: string;
  manifestDigest: string;
  /** The image id runtimes report: the config digest. */
  configDigest: string;
}

export interface TestImages {
  /** OCI image layout holding every image built. */
  layoutDir: string;
  images: BuiltImage[];
  /** Reads a blob (manifest, config or layer) of the layout by digest; undefined if absent. */
  blob(digest: string): Buffer | undefined;
}

/** The images the CRI and kubelet tests use. */
export const testImageNames = {
  busybox: 'localhost/tsk8s-test/busybox:1',
  pause: 'localhost/tsk8s-test/pause:1',
} as const;

export const defaultTestImages: ImageSpec[] = [
  { name: testImageNames.busybox, cmd: ['sh'] },
  // The sandbox's long-lived process: PID 1 of the pod, killed by SIGKILL on stop.
  { name: testImageNames.pause, entrypoint: ['/bin/sleep', 'infinity'] },
];

const bundledBusybox = fileURLToPath(new URL('../../runtime/images/busybox.tar', import.meta.url));

const sha256 = (data: Buffer | string): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** Downloads busybox-static into `dir` (or reuses a .deb already there) and extracts the binary. */
function busyboxBinary(dir: string): string {
  const debDir = join(dir, 'deb');
  mkdirSync(debDir, { recursive: true });
  let deb = readdirSync(debDir).find((f) => f.startsWith('busybox-static_') && f.endsWith('.deb'));
  if (!deb) {
    try {
      execFileSync('apt-get', ['-q', '-o', 'APT::Sandbox::User=root', 'download', 'busybox-static'], { cwd: debDir, stdio: 'pipe' });
    } catch (err) {
      throw new Error(`test images: apt-get download busybox-static failed (run apt-get update?): ${String(err)}`);
    }
    deb = readdirSync(debDir).find((f) => f.startsWith('busybox-static_') && f.endsWith('.deb'));
    if (!deb) throw new Error('test images: apt-get download busybox-static produced no .deb');
  }
  const extracted = join(dir, 'deb-root');
  execFileSync('dpkg', ['-x', join(debDir, deb), extracted]);
  return join(extracted, 'bin', 'busybox');
}

/** A minimal root filesystem: busybox with a link per applet, passwd/group, tmp. */
function buildRootfs(busybox: string, rootfs: string): void {
  for (const d of ['bin', 'etc', 'tmp', 'proc', 'sys', 'dev', 'root', 'var/run']) mkdirSync(join(rootfs, d), { recursive: true });
  chmodSync(join(rootfs, 'tmp'), 0o1777);
  writeFileSync(join(rootfs, 'bin', 'busybox'), readFileSync(busybox), { mode: 0o755 });
  const applets = execFileSync(busybox, ['--list'], { encoding: 'utf8' }).split('\n').filter((a) => a && a !== 'busybox' && !a.includes('/'));
  for (const applet of applets) symlinkSync('busybox', join(rootfs, 'bin', applet));
  writeFileSync(join(rootfs, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n');
  writeFileSync(join(rootfs, 'etc', 'group'), 'root:x:0:\nnogroup:x:65534:\n');
}

/** The layer of the bundled busybox image (extracted under `dir`), or undefined when runtime/images has none. */
function bundledBusyboxLayer(dir: string): { blob: Buffer; diffId: string } | undefined {
  if (!existsSync(bundledBusybox)) return undefined;
  const layout = join(dir, 'bundled-busybox');
  mkdirSync(layout, { recursive: true });
  execFileSync('tar', ['-xf', bundledBusybox, '-C', layout]);
  const blob = (digest: string): Buffer => readFileSync(join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length)));
  const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
  const manifest = JSON.parse(blob(index.manifests[0]?.digest ?? '').toString()) as { config: { digest: string }; layers: { digest: string }[] };
  const config = JSON.parse(blob(manifest.config.digest).toString()) as { rootfs: { diff_ids: string[] } };
  const [layer] = manifest.layers;
  const [diffId] = config.rootfs.diff_ids;
  if (!layer || !diffId || manifest.layers.length !== 1) throw new Error(`test images: ${bundledBusybox} is not a one-layer image`);
  return { blob: blob(layer.digest), diffId };
}

/** A reproducible gzipped tar of `rootfs` (sorted, owned by root, mtime 0), built from busybox-static when absent. */
function layerOf(rootfs: string): { blob: Buffer; diffId: string } {
  if (!existsSync(rootfs)) buildRootfs(busyboxBinary(dirname(rootfs)), rootfs);
  const tar = execFileSync('tar', ['--sort=name', '--numeric-owner', '--owner=0', '--group=0', '--mtime=@0', '-C', rootfs, '-cf', '-', '.'], {
    maxBuffer: 256 * 1024 * 1024,
  });
  return { blob: gzipSync(tar, { level: 6 }), diffId: sha256(tar) };
}

/**
 * Builds `specs` (default: busybox and pause) into an OCI layout under
 * `dir`, which must be empty or absent; a busybox-static .deb already in
 * `dir/deb` is reused instead of downloaded.
 */
export function buildTestImages(dir: string, specs: ImageSpec[] = defaultTestImages): TestImages {
  const layoutDir = join(dir, 'oci');
  const blobs = join(layoutDir, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const put = (data: Buffer | string): { digest: string; size: number } => {
    const digest = sha256(data);
    writeFileSync(join(blobs, digest.slice('sha256:'.length)), data);
    return { digest, size: Buffer.byteLength(data) };
  };

  const layer = bundledBusyboxLayer(dir) ?? layerOf(join(dir, 'rootfs'));
  const layerBlob = put(layer.blob);

  const images: BuiltImage[] = [];
  const manifests: object[] = [];
  for (const spec of specs) {
    const config = put(
      JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        config: {
          Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
          ...(spec.entrypoint ? { Entrypoint: spec.entrypoint } : {}),
          ...(spec.cmd ? { Cmd: spec.cmd } : {}),
          WorkingDir: '/',
        },
        rootfs: { type: 'layers', diff_ids: [layer.diffId] },
        history: [{ created_by: `tsk8s test image ${spec.name}` }],
      }),
    );
    const manifest = put(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: ociManifestType,
        config: { mediaType: ociConfigType, ...config },
        layers: [{ mediaType: ociLayerType, ...layerBlob }],
      }),
    );
    images.push({ name: spec.name, manifestDigest: manifest.digest, configDigest: config.digest });
    manifests.push({
      mediaType: ociManifestType,
      ...manifest,
      platform: { architecture: 'amd64', os: 'linux' },
      // containerd names an imported image by the first; other tools read the second.
      annotations: { 'io.containerd.image.name': spec.name, 'org.opencontainers.image.ref.name': spec.name },
    });
  }
  writeFileSync(join(layoutDir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(join(layoutDir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests }));

  return {
    layoutDir,
    images,
    blob(digest) {
      if (!/^sha256:[0-9a-f]{64}$/.test(digest)) return undefined;
      const path = join(blobs, digest.slice('sha256:'.length));
      return existsSync(path) ? readFileSync(path) : undefined;
    },
  };
}

/**
 * Writes an OCI archive (a tar of the layout) for `ctr images import`, with
 * the images named in `names` (default: all) in its index.
 */
export function writeOciArchive(images: TestImages, out: string, names?: string[]): string {
  const index = JSON.parse(readFileSync(join(images.layoutDir, 'index.json'), 'utf8')) as { manifests: { annotations?: Record<string, string> }[] };
  const selected = index.manifests.filter((m) => !names || names.includes(m.annotations?.['io.containerd.image.name'] ?? ''));
  const staging = `${out}.index`;
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, 'index.json'), JSON.stringify({ ...index, manifests: selected }));
  const owner = ['--numeric-owner', '--owner=0', '--group=0'];
  execFileSync('tar', [...owner, '-cf', out, '-C', images.layoutDir, 'oci-layout', 'blobs', '-C', staging, 'index.json']);
  rmSync(staging, { recursive: true, force: true });
  return out;
}
