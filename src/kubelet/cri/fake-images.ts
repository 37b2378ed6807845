// The fake runtime's images: what is present, and what a pull can fetch.
// Names are normalised as container runtimes do (docker.io/library/busybox:latest
// for "busybox"), so lookups by short name, full name or id all work.
import { createHash } from 'node:crypto';
import { CriError } from './errors.js';
import type { Image } from './types.js';

export interface FakeImage {
  id: string;
  repoTags: string[];
  size: number;
  pinned: boolean;
}

/** A reference with its registry, repository path and tag (or digest) made explicit. */
export function normalizeImageRef(ref: string): string {
  const slash = ref.indexOf('/');
  const first = slash === -1 ? '' : ref.slice(0, slash);
  const hasDomain = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
  let name = hasDomain ? ref : `docker.io/${slash === -1 ? `library/${ref}` : ref}`;
  const lastPart = name.slice(name.lastIndexOf('/') + 1);
  if (!lastPart.includes(':') && !lastPart.includes('@')) name += ':latest';
  return name;
}

/** A stable content-like id for a fake image name. */
export function fakeImageId(name: string): string {
  return `sha256:${createHash('sha256').update(`fake-image:${name}`).digest('hex')}`;
}

export class FakeImageStore {
  /** Present images by id. */
  private readonly present = new Map<string, FakeImage>();
  /** Normalised names a pull can fetch. */
  private readonly registry = new Set<string>();

  /** Makes `name` present (as an import would); returns its id. */
  add(name: string, opts: { size?: number; pinned?: boolean } = {}): string {
    const ref = normalizeImageRef(name);
    const existing = this.find(ref);
    if (existing) return existing.id;
    const id = fakeImageId(ref);
    this.present.set(id, { id, repoTags: [ref], size: opts.size ?? 1_000_000, pinned: opts.pinned ?? false });
    return id;
  }

  /** Makes `name` pullable. */
  publish(name: string): void {
    this.registry.add(normalizeImageRef(name));
  }

  /** The image a name or id refers to, if present. */
  find(nameOrId: string): FakeImage | undefined {
    const byId = this.present.get(nameOrId) ?? this.present.get(`sha256:${nameOrId}`);
    if (byId) return byId;
    const ref = normalizeImageRef(nameOrId);
    for (const image of this.present.values()) if (image.repoTags.includes(ref)) return image;
    return undefined;
  }

  list(): FakeImage[] {
    return [...this.present.values()];
  }

  pull(name: string): string {
    const ref = normalizeImageRef(name);
    if (!this.registry.has(ref)) {
      throw new CriError('not-found', 'PullImage', `PullImage: failed to pull and unpack image "${ref}": not found`);
    }
    return this.add(ref);
  }

  /** Removes the image `nameOrId` refers to (every tag of it); absent is fine. */
  remove(nameOrId: string): void {
    const image = this.find(nameOrId);
    if (image) this.present.delete(image.id);
  }

  usedBytes(): number {
    let sum = 0;
    for (const image of this.present.values()) sum += image.size;
    return sum;
  }
}

export function toImage(image: FakeImage): Image {
  return {
    id: image.id,
    repoTags: [...image.repoTags],
    repoDigests: [],
    size: image.size,
    uid: undefined,
    username: '',
    spec: undefined,
    pinned: image.pinned,
  };
}
