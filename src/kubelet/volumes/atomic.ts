// Writing a set of files into a volume directory so that readers see
// either the old set or the new one, never a mix (upstream's layout, which
// programs watching mounted ConfigMaps rely on):
//   <dir>/..<timestamp>/<files>    the current generation
//   <dir>/..data -> ..<timestamp>  swapped with one rename
//   <dir>/<top> -> ..data/<top>    what users see
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { KubeletError } from '../errors.js';

export interface FileContent {
  data: Buffer;
  mode: number;
}

/** Relative paths only, no `..` element, nothing starting with `..` (reserved for the layout). */
export function validPayloadPath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.startsWith('..')) return false;
  return path.split('/').every((p) => p !== '..' && p !== '');
}

function current(dir: string): string | undefined {
  try {
    return readlinkSync(join(dir, '..data'));
  } catch {
    return undefined;
  }
}

function sameContent(dir: string, payload: ReadonlyMap<string, FileContent>): boolean {
  const gen = current(dir);
  if (!gen) return false;
  const base = join(dir, gen);
  const existing = new Set<string>();
  const walk = (rel: string): void => {
    for (const e of readdirSync(join(base, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else existing.add(r);
    }
  };
  try {
    walk('');
  } catch {
    return false;
  }
  if (existing.size !== payload.size) return false;
  for (const [path, file] of payload) {
    if (!existing.has(path)) return false;
    const full = join(base, path);
    if ((statSync(full).mode & 0o777) !== file.mode || !readFileSync(full).equals(file.data)) return false;
  }
  return true;
}

/** Makes `dir` hold exactly `payload`; returns whether anything changed. */
export function writeAtomically(dir: string, payload: ReadonlyMap<string, FileContent>): boolean {
  for (const path of payload.keys()) if (!validPayloadPath(path)) throw new KubeletError('volume', `invalid file path "${path}" in volume ${dir}`);
  mkdirSync(dir, { recursive: true });
  if (sameContent(dir, payload)) return false;
  const old = current(dir);
  const gen = `..${new Date().toISOString().replace(/[-:]/g, '_')}.${process.hrtime.bigint().toString(36)}`;
  const base = join(dir, gen);
  for (const [path, file] of payload) {
    const full = join(base, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, file.data);
    chmodSync(full, file.mode);
  }
  mkdirSync(base, { recursive: true });
  const tmp = join(dir, '..data_tmp');
  rmSync(tmp, { force: true });
  symlinkSync(gen, tmp);
  renameSync(tmp, join(dir, '..data'));
  const tops = new Set([...payload.keys()].map((p) => p.split('/')[0] ?? p));
  for (const top of tops) {
    const link = join(dir, top);
    if (!existsSync(link) && !isSymlink(link)) symlinkSync(join('..data', top), link);
  }
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith('..')) continue;
    if (!tops.has(entry) && isSymlink(join(dir, entry))) unlinkSync(join(dir, entry));
  }
  if (old && old !== gen) rmSync(join(dir, old), { recursive: true, force: true });
  return true;
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
