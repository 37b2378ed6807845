// Image garbage collection by disk usage, as upstream's image GC manager:
// every period it notes which images exist and which ones containers use
// (their last-used time), then, when the image filesystem is at least
// highThresholdPercent full, removes unused, unpinned images that have been
// known for at least minAgeMs, least recently used first (then oldest
// detected), until usage would be below lowThresholdPercent.
// Failing to free enough records FreeDiskSpaceFailed on the node; a GC run
// that fails twice in a row records ImageGCFailed, as upstream does.
import { statfs } from 'node:fs/promises';
import type { Clock } from '../clock.js';
import { sleepOn } from '../clock.js';
import type { ContainerRuntime } from '../cri/runtime.js';
import type { Image } from '../cri/types.js';
import { messageOf } from '../errors.js';
import type { Logger } from '../../log/logger.js';

export interface DiskUsage {
  capacityBytes: number;
  availableBytes: number;
}

export interface ImageGCOptions {
  runtime: Pick<ContainerRuntime, 'listImages' | 'listContainers' | 'removeImage' | 'imageFsInfo'>;
  /** Records a node event. */
  event(type: 'Normal' | 'Warning', reason: string, message: string): void;
  clock: Clock;
  logger: Logger;
  /** Names or ids never removed (the sandbox image, imported archives). */
  pinned(): ReadonlySet<string>;
  /** Capacity and free space of the image filesystem; default: statfs of the CRI's image filesystem mountpoint. */
  diskUsage?: () => Promise<DiskUsage>;
  /** Default 85. */
  highThresholdPercent?: number;
  /** Default 80. */
  lowThresholdPercent?: number;
  /** Images first seen less than this long ago are kept. Default 2 minutes. */
  minAgeMs?: number;
  /** Default 5 minutes. */
  periodMs?: number;
}

interface ImageRecord {
  firstDetected: number;
  lastUsed: number;
  size: number;
}

export class ImageGC {
  private readonly known = new Map<string, ImageRecord>();
  private failedBefore = false;

  constructor(private readonly opts: ImageGCOptions) {}

  /** Runs collect every period until the signal aborts; never throws. */
  async run(signal: AbortSignal): Promise<void> {
    const period = this.opts.periodMs ?? 5 * 60_000;
    while (!signal.aborted) {
      await sleepOn(this.opts.clock, period, signal);
      if (signal.aborted) return;
      await this.collectOnce();
    }
  }

  /** One GC run with upstream's failure reporting; resolves to the bytes freed. */
  async collectOnce(): Promise<number> {
    try {
      const freed = await this.collect();
      this.failedBefore = false;
      return freed;
    } catch (err) {
      const msg = messageOf(err);
      if (this.failedBefore) this.opts.event('Warning', 'ImageGCFailed', msg);
      this.opts.logger.warn('image garbage collection failed', { err: msg });
      this.failedBefore = true;
      return 0;
    }
  }

  /** Detects images and frees space when over the high threshold; throws when it cannot. */
  async collect(): Promise<number> {
    const high = this.opts.highThresholdPercent ?? 85;
    const low = this.opts.lowThresholdPercent ?? 80;
    const images = await this.detect();
    const { capacityBytes, availableBytes } = await (this.opts.diskUsage ?? (() => this.statImageFs()))();
    if (capacityBytes <= 0) throw new Error(`invalid capacity ${capacityBytes} on image filesystem`);
    const available = Math.min(availableBytes, capacityBytes);
    const usagePercent = 100 - Math.floor((available * 100) / capacityBytes);
    if (usagePercent < high) return 0;
    const toFree = Math.floor((capacityBytes * (100 - low)) / 100) - available;
    this.opts.logger.info('image filesystem over the high threshold', { usagePercent, high, bytesToFree: toFree });
    const freed = await this.free(toFree, images.unused);
    if (freed < toFree) {
      const msg = `Failed to garbage collect required amount of images. Attempted to free ${toFree} bytes, but only found ${freed} bytes eligible to free.`;
      this.opts.event('Warning', 'FreeDiskSpaceFailed', msg);
      throw new Error(msg);
    }
    return freed;
  }

  /** Updates the records; returns the images that may be removed. */
  private async detect(): Promise<{ unused: Image[] }> {
    const now = this.opts.clock.now();
    const [images, containers] = await Promise.all([this.opts.runtime.listImages(), this.opts.runtime.listContainers()]);
    const used = new Set<string>();
    for (const c of containers) {
      used.add(c.imageRef);
      used.add(c.image.image);
    }
    const pinned = this.opts.pinned();
    const unused: Image[] = [];
    const present = new Set<string>();
    for (const image of images) {
      present.add(image.id);
      const names = [image.id, ...image.repoTags, ...image.repoDigests];
      const record = this.known.get(image.id) ?? { firstDetected: now, lastUsed: 0, size: image.size };
      record.size = image.size;
      this.known.set(image.id, record);
      if (names.some((n) => used.has(n))) record.lastUsed = now;
      else if (!image.pinned && !names.some((n) => pinned.has(n))) unused.push(image);
    }
    for (const id of this.known.keys()) if (!present.has(id)) this.known.delete(id);
    return { unused };
  }

  private async free(bytes: number, candidates: Image[]): Promise<number> {
    const now = this.opts.clock.now();
    const minAge = this.opts.minAgeMs ?? 2 * 60_000;
    const ordered = candidates
      .map((image) => ({ image, record: this.known.get(image.id) as ImageRecord }))
      .filter(({ record }) => now - record.firstDetected >= minAge)
      .sort((a, b) => a.record.lastUsed - b.record.lastUsed || a.record.firstDetected - b.record.firstDetected);
    let freed = 0;
    for (const { image, record } of ordered) {
      if (freed >= bytes) break;
      try {
        await this.opts.runtime.removeImage(image.id);
      } catch (err) {
        this.opts.logger.warn('cannot remove image', { image: image.id, err: messageOf(err) });
        continue;
      }
      this.opts.logger.info('removed unused image', { image: image.id, tags: image.repoTags.join(','), size: record.size });
      this.known.delete(image.id);
      freed += record.size;
    }
    return freed;
  }

  private async statImageFs(): Promise<DiskUsage> {
    const info = await this.opts.runtime.imageFsInfo();
    const mountpoint = info.imageFilesystems[0]?.mountpoint;
    if (!mountpoint) throw new Error('the runtime reports no image filesystem');
    const s = await statfs(mountpoint);
    return { capacityBytes: s.blocks * s.bsize, availableBytes: s.bavail * s.bsize };
  }
}
