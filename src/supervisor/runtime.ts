// The bundled runtime: found in `runtime/` at the package root (beside
// dist/), verified file by file against its manifest, and installed once into
// `<data-dir>/data/<set hash>/bin`, from where containerd, its shim, runc and
// the CNI plugins run. The PATH is never searched for any of them.
import { chmodSync, copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger, type Logger } from '../log/logger.js';
import { SupervisorError, errnoCode } from './errors.js';
import { fileSha256, readManifest, type RuntimeManifest } from './manifest.js';

export interface InstallRuntimeOptions {
  dataDir: string;
  /** The bundled runtime (holding `bin/` and `manifest.json`); default: `runtime/` at the package root. */
  runtimeDir?: string;
  logger?: Logger;
}

export interface InstalledRuntime {
  /** `<data-dir>/data/<hash>/bin`: every binary containerd needs, and nothing else. */
  binDir: string;
  hash: string;
  /** Debian package versions, e.g. `{ containerd: '1.6.20~ds1-1+deb12u3', ... }`. */
  packages: Record<string, string>;
  /** True when this call copied and verified the files; false when an earlier install was reused. */
  installed: boolean;
}

/** Name of the marker written last into a verified install; its absence means "not installed". */
export const verifiedMarker = '.verified';

/** `runtime/` at the package root: this file sits two levels below it in both src/ and dist/. */
export function defaultRuntimeDir(): string {
  return fileURLToPath(new URL('../../runtime', import.meta.url));
}

/**
 * Installs the bundled runtime into the data dir unless a verified install of
 * the same set is already there. A reused install is checked cheaply (marker,
 * file sizes and modes); a fresh one is hashed in full. A damaged install is
 * replaced; a damaged bundle is an error naming the file.
 */
export async function installRuntime(opts: InstallRuntimeOptions): Promise<InstalledRuntime> {
  const log = opts.logger ?? silentLogger;
  const runtimeDir = resolve(opts.runtimeDir ?? defaultRuntimeDir());
  const manifest = readManifest(join(runtimeDir, 'manifest.json'));
  const target = join(resolve(opts.dataDir), 'data', manifest.hash);
  const result = { binDir: join(target, 'bin'), hash: manifest.hash, packages: manifest.packages };
  const problem = installProblem(target, manifest);
  if (problem === undefined) return { ...result, installed: false };
  if (problem !== 'not installed') log.warn('installed runtime is damaged; installing it again', { dir: target, problem });

  const started = Date.now();
  const staging = `${target}.${process.pid}.tmp`;
  try {
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(join(staging, 'bin'), { recursive: true, mode: 0o755 });
    for (const [name, want] of Object.entries(manifest.files)) {
      const source = join(runtimeDir, 'bin', name);
      const copy = join(staging, 'bin', name);
      copyOrThrow(source, copy, name);
      chmodSync(copy, 0o755);
      // The copy is what will run, so the copy is what gets hashed.
      const got = await fileSha256(copy);
      if (got !== want.sha256) {
        throw new SupervisorError(
          'runtime-corrupt',
          `runtime file ${name} (${source}) has sha256 ${got}; the manifest says ${want.sha256}`,
          { path: source },
        );
      }
    }
    const marker = { hash: manifest.hash, packages: manifest.packages, verifiedAt: new Date().toISOString() };
    writeFileSync(join(staging, verifiedMarker), `${JSON.stringify(marker)}\n`, { mode: 0o644 });
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    // Another tsk8s may have installed the same set at the same moment.
    if (!(err instanceof SupervisorError) && installProblem(target, manifest) === undefined) return { ...result, installed: false };
    if (err instanceof SupervisorError) throw err;
    throw new SupervisorError('runtime-install', `cannot install the runtime into ${target}: ${errnoCode(err) ?? String(err)}`, {
      path: target,
      cause: err,
    });
  }
  log.info('installed runtime', { dir: target, ...manifest.packages, ms: Date.now() - started });
  return { ...result, installed: true };
}

/** Why the install at `target` cannot be used as is, or undefined when it can. */
export function installProblem(target: string, manifest: RuntimeManifest): string | undefined {
  let marker: unknown;
  try {
    marker = JSON.parse(readFileSync(join(target, verifiedMarker), 'utf8'));
  } catch {
    return 'not installed';
  }
  if (typeof marker !== 'object' || marker === null || !('hash' in marker) || marker.hash !== manifest.hash) {
    return `${verifiedMarker} does not name this runtime`;
  }
  for (const [name, want] of Object.entries(manifest.files)) {
    const st = statSync(join(target, 'bin', name), { throwIfNoEntry: false });
    if (!st?.isFile()) return `${name} is missing`;
    if (st.size !== want.size) return `${name} has ${st.size} bytes, not ${want.size}`;
    if ((st.mode & 0o111) !== 0o111) return `${name} is not executable`;
  }
  return undefined;
}

function copyOrThrow(source: string, copy: string, name: string): void {
  try {
    copyFileSync(source, copy);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT' && statSync(source, { throwIfNoEntry: false }) === undefined) {
      throw new SupervisorError('runtime-corrupt', `runtime file ${name} is missing (${source})`, { path: source });
    }
    throw err;
  }
}
