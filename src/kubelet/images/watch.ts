// Watches a directory for image archives added while running. An archive is
// reported once it has stopped changing (same size and mtime for a whole
// settle period), so a file still being copied in is not imported half
// written. inotify events make it quick; a periodic rescan catches anything
// the events missed (a recreated directory, a filesystem without inotify).
import { readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../log/logger.js';
import { isArchiveName } from './import.js';

export interface WatchOptions {
  settleMs: number;
  rescanMs: number;
  logger: Logger;
  /** Called with the archive's path once it has settled. */
  onSettled(file: string): void;
}

export function watchArchives(dir: string, opts: WatchOptions, signal: AbortSignal): void {
  const tracked = new Map<string, { timer: NodeJS.Timeout; last: string | undefined }>();
  const stamp = (file: string): string | undefined => {
    const st = statSync(file, { throwIfNoEntry: false });
    return st?.isFile() ? `${st.size}:${st.mtimeMs}` : undefined;
  };
  const check = (name: string): void => {
    const entry = tracked.get(name);
    if (!entry || signal.aborted) return;
    const file = join(dir, name);
    const now = stamp(file);
    if (now === undefined) {
      tracked.delete(name); // removed (or never a file)
    } else if (now === entry.last) {
      tracked.delete(name);
      opts.onSettled(file);
    } else {
      entry.last = now;
      entry.timer = setTimeout(check, opts.settleMs, name);
    }
  };
  const track = (name: string): void => {
    if (signal.aborted || !isArchiveName(name)) return;
    const entry = tracked.get(name);
    if (entry) clearTimeout(entry.timer);
    tracked.set(name, { timer: setTimeout(check, opts.settleMs, name), last: stamp(join(dir, name)) });
  };
  const rescan = (): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return; // gone for now; the next rescan looks again
    }
    for (const name of names) if (!tracked.has(name)) track(name);
  };

  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dir, (_event, name) => (name ? track(name) : rescan()));
    watcher.on('error', (err) => {
      opts.logger.warn('image directory watch failed; rescanning periodically', { dir, error: err.message });
      watcher?.close();
    });
  } catch (err) {
    opts.logger.warn('cannot watch the image directory; rescanning periodically', { dir, error: err instanceof Error ? err.message : String(err) });
  }
  const interval = setInterval(rescan, opts.rescanMs);
  signal.addEventListener(
    'abort',
    () => {
      watcher?.close();
      clearInterval(interval);
      for (const { timer } of tracked.values()) clearTimeout(timer);
      tracked.clear();
    },
    { once: true },
  );
}
