// The runtime manifest written by scripts/fetch-runtime.sh: every bundled
// file's sha256 and size, the Debian package versions they came from, and a
// hash of the whole set that names the install dir (`<data-dir>/data/<hash>`).
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { SupervisorError, errnoCode } from './errors.js';

/** Files the supervisor needs; a manifest missing any of them is incomplete. */
export const runtimeFiles = [
  'containerd',
  'containerd-shim-runc-v2',
  'ctr',
  'runc',
  'bridge',
  'host-local',
  'loopback',
  'portmap',
] as const;

export interface ManifestFile {
  sha256: string;
  size: number;
  package: string;
}

export interface RuntimeManifest {
  hash: string;
  packages: Record<string, string>;
  files: Record<string, ManifestFile>;
}

const sha256Pattern = /^[0-9a-f]{64}$/;

/** Reads and validates `manifest.json`; throws SupervisorError naming the problem. */
export function readManifest(path: string): RuntimeManifest {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') {
      throw new SupervisorError('runtime-missing', `the bundled runtime has no manifest at ${path}`, { path });
    }
    throw new SupervisorError('runtime-manifest', `cannot read ${path}: ${errnoCode(err) ?? String(err)}`, { path });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new SupervisorError('runtime-manifest', `${path} is not JSON`, { path });
  }
  return parseManifest(doc, path);
}

export function parseManifest(doc: unknown, path: string): RuntimeManifest {
  const bad = (why: string): SupervisorError => new SupervisorError('runtime-manifest', `${path}: ${why}`, { path });
  if (!isRecord(doc)) throw bad('not an object');
  const { hash, packages, files } = doc;
  if (typeof hash !== 'string' || !sha256Pattern.test(hash)) throw bad('"hash" is not a sha256');
  if (!isRecord(packages) || !Object.values(packages).every((v) => typeof v === 'string')) {
    throw bad('"packages" is not a map of package versions');
  }
  if (!isRecord(files)) throw bad('"files" is not an object');
  const parsed: Record<string, ManifestFile> = {};
  for (const [name, entry] of Object.entries(files)) {
    if (name.includes('/') || name === '..' || name === '.') throw bad(`file name "${name}" is not a plain name`);
    if (!isRecord(entry)) throw bad(`entry for ${name} is not an object`);
    const { sha256, size } = entry;
    if (typeof sha256 !== 'string' || !sha256Pattern.test(sha256)) throw bad(`${name} has no valid sha256`);
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw bad(`${name} has no valid size`);
    parsed[name] = { sha256, size, package: typeof entry.package === 'string' ? entry.package : '' };
  }
  for (const name of runtimeFiles) if (!(name in parsed)) throw bad(`it lists no ${name}`);
  const manifest = { hash, packages: packages as Record<string, string>, files: parsed };
  if (setHash(manifest.files) !== hash) throw bad('"hash" does not match the files it lists');
  return manifest;
}

/**
 * The hash of the whole set: sha256 over `<sha256>  <name>\n` lines sorted by
 * name — what `sha256sum <names…> | sha256sum` prints, so a shell can check it.
 */
export function setHash(files: Record<string, { sha256: string }>): string {
  const names = Object.keys(files).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const lines = names.map((n) => `${files[n]?.sha256 ?? ''}  ${n}\n`).join('');
  return createHash('sha256').update(lines).digest('hex');
}

/** sha256 of a file, streamed (the runtime's binaries are tens of MB). */
export function fileSha256(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
