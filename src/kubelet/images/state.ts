// What the importer has imported, kept in a small JSON file so a restart
// skips archives containerd already holds: per archive path its size,
// mtime, sha256 and the image names it was imported as. Size and mtime
// unchanged means the sha256 is not computed again; an archive copied or
// touched is recognised by its sha256.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Logger } from '../../log/logger.js';

export interface ImportedArchive {
  sha256: string;
  size: number;
  mtimeMs: number;
  names: string[];
}

export interface ImportState {
  get(file: string): ImportedArchive | undefined;
  /** Any archive with this content, under whatever path it was imported. */
  withContent(sha256: string, size: number): ImportedArchive | undefined;
  set(file: string, archive: ImportedArchive): void;
  /** Forgets archives whose file is gone. */
  prune(): void;
  /** Writes the file (when there is one); a failure is logged, not thrown: the state is only a cache. */
  save(): void;
}

const version = 1;

export function loadImportState(path: string | undefined, log: Logger): ImportState {
  const archives = new Map<string, ImportedArchive>(path ? read(path, log) : []);
  return {
    get: (file) => archives.get(file),
    withContent: (sha256, size) => [...archives.values()].find((a) => a.sha256 === sha256 && a.size === size),
    set: (file, archive) => void archives.set(file, archive),
    prune: () => {
      for (const file of archives.keys()) if (!existsSync(file)) archives.delete(file);
    },
    save: () => {
      if (!path) return;
      try {
        mkdirSync(dirname(path), { recursive: true });
        const tmp = `${path}.${process.pid}.tmp`;
        writeFileSync(tmp, `${JSON.stringify({ version, archives: Object.fromEntries(archives) }, null, 1)}\n`, { mode: 0o644 });
        renameSync(tmp, path);
      } catch (err) {
        log.warn('cannot write the image import state', { path, error: err instanceof Error ? err.message : String(err) });
      }
    },
  };
}

function read(path: string, log: Logger): [string, ImportedArchive][] {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    if (existsSync(path)) log.warn('ignoring an unreadable image import state', { path, error: err instanceof Error ? err.message : String(err) });
    return [];
  }
  if (typeof doc !== 'object' || doc === null || !('version' in doc) || doc.version !== version || !('archives' in doc)) return [];
  const archives = doc.archives;
  if (typeof archives !== 'object' || archives === null) return [];
  return Object.entries(archives).filter((e): e is [string, ImportedArchive] => isArchive(e[1]));
}

function isArchive(v: unknown): v is ImportedArchive {
  if (typeof v !== 'object' || v === null) return false;
  const a = v as Record<string, unknown>;
  return (
    typeof a.sha256 === 'string' &&
    typeof a.size === 'number' &&
    typeof a.mtimeMs === 'number' &&
    Array.isArray(a.names) &&
    a.names.every((n) => typeof n === 'string')
  );
}

export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}
