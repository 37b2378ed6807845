// The file source of static pods: every file of the manifest directory
// (hidden files skipped, as upstream) is read on each scan; a scan runs at
// start, when the directory changes and every `scanMs` (upstream's file
// check frequency is 20 s). A file that cannot be read or parsed keeps the
// pods it had, as upstream keeps the last good config. Callers learn which
// uids appeared or vanished.
import { mkdirSync, readdirSync, readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { parseManifestDocuments } from '../../config/manifest-docs.js';
import type { corev1 } from '../../api/types.js';
import { sleepOn, type Clock } from '../clock.js';
import { messageOf } from '../errors.js';
import type { Logger } from '../../log/logger.js';
import { staticPodsOf } from './static.js';

export interface StaticPodSourceOptions {
  dir: string;
  nodeName: string;
  clock: Clock;
  logger: Logger;
  scanMs: number;
  /** Called with the uids of pods added or removed by a scan. */
  onChange(uids: string[]): void;
}

export class StaticPodSource {
  /** Per file: its last good pods. */
  private readonly files = new Map<string, corev1.Pod[]>();
  private readonly byUid = new Map<string, corev1.Pod>();
  /** Pods removed from their file, until their worker is done with them. */
  private readonly removed = new Map<string, corev1.Pod>();

  constructor(private readonly opts: StaticPodSourceOptions) {}

  get(uid: string): corev1.Pod | undefined {
    return this.byUid.get(uid);
  }

  list(): corev1.Pod[] {
    return [...this.byUid.values()];
  }

  /** The last state of a pod whose file no longer has it. */
  lastKnown(uid: string): corev1.Pod | undefined {
    return this.removed.get(uid);
  }

  forgetRemoved(uid: string): void {
    this.removed.delete(uid);
  }

  /** Reads the directory once and reports what changed. */
  scan(): void {
    const { dir, nodeName, logger } = this.opts;
    let names: string[] = [];
    try {
      names = readdirSync(dir).filter((n) => !n.startsWith('.'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') logger.warn('static pod directory not readable', { dir, err: messageOf(err) });
    }
    const present = new Set<string>();
    for (const name of names) {
      const path = join(dir, name);
      try {
        if (!statSync(path).isFile()) continue;
        present.add(path);
        const previous = this.files.get(path);
        const seen = new Date(this.opts.clock.now()).toISOString();
        const { pods, problems } = staticPodsOf(parseManifestDocuments(readFileSync(path, 'utf8'), path), path, nodeName, seen);
        for (const p of problems) logger.warn('static pod manifest skipped', { problem: p });
        // Keep the first-seen time of pods that did not change.
        const kept = pods.map((p) => previous?.find((old) => old.metadata?.uid === p.metadata?.uid) ?? p);
        this.files.set(path, kept);
      } catch (err) {
        logger.warn('static pod manifest not read', { file: path, err: messageOf(err) });
      }
    }
    for (const path of [...this.files.keys()]) if (!present.has(path)) this.files.delete(path);

    const next = new Map<string, corev1.Pod>();
    for (const pods of this.files.values()) for (const p of pods) next.set(p.metadata?.uid ?? '', p);
    const changed: string[] = [];
    for (const [uid, pod] of this.byUid) {
      if (next.has(uid)) continue;
      this.removed.set(uid, pod);
      changed.push(uid);
    }
    for (const uid of next.keys()) if (!this.byUid.has(uid)) changed.push(uid);
    this.byUid.clear();
    for (const [uid, pod] of next) this.byUid.set(uid, pod);
    if (changed.length > 0) this.opts.onChange(changed);
  }

  /** Scans now, on directory changes and every scanMs until the signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    mkdirSync(this.opts.dir, { recursive: true, mode: 0o700 });
    this.scan();
    let watcher: FSWatcher | undefined;
    try {
      watcher = watch(this.opts.dir, { persistent: false }, () => this.scan());
      watcher.on('error', () => watcher?.close());
    } catch (err) {
      this.opts.logger.warn('static pod directory not watched', { err: messageOf(err) });
    }
    while (!signal.aborted) {
      await sleepOn(this.opts.clock, this.opts.scanMs, signal);
      if (!signal.aborted) this.scan();
    }
    watcher?.close();
  }
}
