// The image importer of a node: at start it imports the bundled images
// (runtime/images) and every archive in the agent's image dirs, then imports
// archives added to those dirs while it runs. Archives are imported one at a
// time. One whose content was imported before and whose images containerd
// still holds is skipped, so a restart costs a stat per archive. The names
// of everything imported from these dirs are pinned: image GC never removes
// them, as they could not be pulled back.
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { silentLogger, type Logger } from '../../log/logger.js';
import { defaultBundledImagesDir } from './bundled.js';
import { importImage, isArchiveName, type ImportResult } from './import.js';
import { fileSha256, loadImportState } from './state.js';
import { watchArchives } from './watch.js';

export interface ImageImporterOptions {
  /** The bundled ctr (`<bin dir>/ctr`). */
  ctrPath: string;
  /** containerd's socket. */
  address: string;
  /** Imported at start, then watched for archives added while running; created when missing. */
  dirs: readonly string[];
  /** Imported at start before `dirs`, not watched; default runtime/images at the package root; null for none. */
  bundledDir?: string | null;
  /** Remembers what was imported; default `.tsk8s-imported.json` in the first of `dirs` (kept in memory when there are none). */
  stateFile?: string;
  /** containerd namespace; default `k8s.io`. */
  namespace?: string;
  logger?: Logger;
  /** How long an added archive must stay unchanged before it is imported; default 1 s. */
  settleMs?: number;
  /** How often the watched dirs are listed again, for events a watch may miss; default 30 s. */
  rescanMs?: number;
  /** Called for every archive considered: imported, found present, or failed. */
  onResult?: (result: ImportResult) => void;
}

export interface ImportSummary {
  imported: number;
  present: number;
  failed: number;
  results: ImportResult[];
  ms: number;
}

export interface ImageImporter {
  /** Resolves when the archives present at start are imported (failures included, as results). */
  ready: Promise<ImportSummary>;
  /** Names of the images imported from the bundled and watched dirs (a live view). */
  pinned(): ReadonlySet<string>;
  /** Resolves once the signal has aborted, watches are closed and no import runs. */
  stopped: Promise<void>;
}

const run = promisify(execFile);

export function startImageImporter(opts: ImageImporterOptions, signal: AbortSignal): ImageImporter {
  const log = opts.logger ?? silentLogger;
  const namespace = opts.namespace ?? 'k8s.io';
  const stateFile = opts.stateFile ?? (opts.dirs[0] !== undefined ? join(opts.dirs[0], '.tsk8s-imported.json') : undefined);
  const state = loadImportState(stateFile, log);
  const pinned = new Set<string>();
  /** size:mtime of each archive already considered by this process, imported or failed: not tried again until it changes. */
  const handled = new Map<string, string>();
  let queue: Promise<unknown> = Promise.resolve();
  const enqueue = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn);
    queue = next.catch(() => undefined);
    return next;
  };

  const presentNames = async (): Promise<Set<string>> => {
    try {
      const { stdout } = await run(opts.ctrPath, ['--address', opts.address, '--namespace', namespace, 'images', 'ls', '-q'], { env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' } });
      return new Set(stdout.split('\n').filter(Boolean));
    } catch (err) {
      log.warn('cannot list images; importing again', { error: err instanceof Error ? err.message : String(err) });
      return new Set();
    }
  };

  /** Imports one archive unless this process handled it unchanged, or containerd holds what it was imported as. */
  const consider = async (file: string, present: () => Promise<Set<string>>): Promise<ImportResult | undefined> => {
    if (signal.aborted) return undefined;
    const started = Date.now();
    const st = statSync(file, { throwIfNoEntry: false });
    if (!st?.isFile()) return undefined;
    const key = `${st.size}:${st.mtimeMs}`;
    if (handled.get(file) === key) return undefined;
    handled.set(file, key);

    const known = state.get(file);
    let sha256: string;
    let names: string[] | undefined;
    try {
      sha256 = known && `${known.size}:${known.mtimeMs}` === key ? known.sha256 : await fileSha256(file);
    } catch (err) {
      log.error('cannot read image archive', { file, error: err instanceof Error ? err.message : String(err) });
      return undefined;
    }
    names = (known?.sha256 === sha256 ? known : state.withContent(sha256, st.size))?.names;
    if (names && names.length > 0) {
      const have = await present();
      if (names.every((n) => have.has(n))) {
        for (const n of names) pinned.add(n);
        state.set(file, { sha256, size: st.size, mtimeMs: st.mtimeMs, names });
        log.debug('image archive already imported', { file: basename(file), images: names.join(',') });
        return { file, outcome: 'present', names, bytes: st.size, ms: Date.now() - started };
      }
    }
    const result = await importImage(file, { ctrPath: opts.ctrPath, address: opts.address, namespace, logger: log, signal });
    if (result.outcome === 'imported') {
      names = result.names;
      for (const n of names) pinned.add(n);
      state.set(file, { sha256, size: st.size, mtimeMs: st.mtimeMs, names });
      state.save();
    }
    return result;
  };

  const report = (result: ImportResult | undefined): ImportResult | undefined => {
    if (result) opts.onResult?.(result);
    return result;
  };

  const archivesIn = (dir: string): string[] => {
    try {
      return readdirSync(dir)
        .filter(isArchiveName)
        .sort()
        .map((name) => join(dir, name));
    } catch (err) {
      log.error('cannot list the image directory', { dir, error: err instanceof Error ? err.message : String(err) });
      return [];
    }
  };

  const initial = async (): Promise<ImportSummary> => {
    const started = Date.now();
    const files: string[] = [];
    const bundledDir = opts.bundledDir === undefined ? defaultBundledImagesDir() : opts.bundledDir;
    if (bundledDir !== null) {
      const bundled = statSync(bundledDir, { throwIfNoEntry: false })?.isDirectory() ? archivesIn(bundledDir) : [];
      if (bundled.length === 0) log.warn('no bundled images: pods cannot start until a pause image is imported', { dir: bundledDir, suggestion: 'run scripts/build-images.mjs' });
      files.push(...bundled);
    }
    for (const dir of opts.dirs) files.push(...archivesIn(dir));

    let listed: Promise<Set<string>> | undefined;
    const present = (): Promise<Set<string>> => (listed ??= presentNames());
    const results: ImportResult[] = [];
    for (const file of files) {
      const result = report(await consider(file, present));
      if (result) results.push(result);
    }
    state.prune();
    state.save();
    const count = (o: ImportResult['outcome']): number => results.filter((r) => r.outcome === o).length;
    const summary = { imported: count('imported'), present: count('present'), failed: count('failed'), results, ms: Date.now() - started };
    log.info('images ready', { imported: summary.imported, present: summary.present, failed: summary.failed, pinned: pinned.size, ms: summary.ms });
    return summary;
  };

  // Watch before the first scan, so nothing added meanwhile is missed (what the scan handled is not imported twice).
  for (const dir of opts.dirs) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o755 });
    } catch (err) {
      log.error('cannot create the image directory', { dir, error: err instanceof Error ? err.message : String(err) });
      continue;
    }
    watchArchives(
      dir,
      {
        settleMs: opts.settleMs ?? 1000,
        rescanMs: opts.rescanMs ?? 30_000,
        logger: log,
        onSettled: (file) => void enqueue(async () => report(await consider(file, presentNames))),
      },
      signal,
    );
  }

  const ready = enqueue(initial);
  const stopped = new Promise<void>((resolve) => {
    const done = (): void => void queue.then(() => resolve());
    if (signal.aborted) done();
    else signal.addEventListener('abort', done, { once: true });
  });
  return { ready, pinned: () => pinned, stopped };
}
