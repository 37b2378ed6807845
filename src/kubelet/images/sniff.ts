// What an image archive is, read from its bytes rather than its name: the
// compression from the first bytes, the format (OCI layout or docker save)
// and the image names it declares from the tar headers and the small JSON
// files it carries. The scanner sees the stream as it passes on its way to
// ctr, so nothing is read twice.
import { normalizeImageRef, tryNormalizeImageRef } from './reference.js';

export type Compression = 'none' | 'gzip' | 'zstd';

export type Sniffed = { kind: 'tar'; compression: Compression } | { kind: 'unsupported'; what: string };

/** Bytes `sniffHead` needs to tell a plain tar (its magic sits at offset 257). */
export const sniffLength = 512;

const startsWith = (head: Uint8Array, magic: number[]): boolean => magic.every((b, i) => head[i] === b);

/** The compression of an archive from its first `sniffLength` bytes (fewer for a short file). */
export function sniffHead(head: Uint8Array): Sniffed {
  if (startsWith(head, [0x1f, 0x8b])) return { kind: 'tar', compression: 'gzip' };
  if (startsWith(head, [0x28, 0xb5, 0x2f, 0xfd])) return { kind: 'tar', compression: 'zstd' };
  if (startsWith(head, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return { kind: 'unsupported', what: 'xz-compressed' };
  if (startsWith(head, [0x42, 0x5a, 0x68])) return { kind: 'unsupported', what: 'bzip2-compressed' };
  if (startsWith(head, [0x04, 0x22, 0x4d, 0x18])) return { kind: 'unsupported', what: 'lz4-compressed' };
  if (head.length >= 512 && (ascii(head, 257, 5) === 'ustar' || checksumOk(head))) return { kind: 'tar', compression: 'none' };
  return { kind: 'unsupported', what: 'not a tar archive' };
}

export type ArchiveFormat = 'oci' | 'docker' | 'unknown';

export interface ArchiveContents {
  format: ArchiveFormat;
  /** Names the archive gives its images, normalised as containerd stores them. */
  names: string[];
  /** Images of an OCI index that carry only a tag (ctr then names them import-<date>:<tag>) or no name at all. */
  unnamed: number;
}

const wanted = new Set(['index.json', 'manifest.json', 'oci-layout']);
const maxCaptured = 4 * 1024 * 1024;

/**
 * Reads tar headers from a stream fed in chunks of any size. Remembers which
 * of index.json, manifest.json and oci-layout sit at the archive's top and
 * keeps the two JSON files (up to 4 MiB each).
 */
export class TarScanner {
  private pending: Buffer[] = [];
  private pendingLength = 0;
  /** Bytes of entry data (plus padding) still to skip or capture. */
  private remaining = 0;
  private padding = 0;
  private capture: { name: string; chunks: Buffer[]; size: number } | undefined;
  /** A name from a pax or GNU long-name header, for the entry that follows it. */
  private nextName: string | undefined;
  private meta: { type: 'pax' | 'longname'; chunks: Buffer[] } | undefined;
  private readonly seen = new Set<string>();
  private readonly files = new Map<string, Buffer>();
  private ended = false;

  write(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length && !this.ended) {
      if (this.remaining > 0 || this.padding > 0) {
        offset = this.consumeData(chunk, offset);
        continue;
      }
      const need = 512 - this.pendingLength;
      const take = Math.min(need, chunk.length - offset);
      this.pending.push(chunk.subarray(offset, offset + take));
      this.pendingLength += take;
      offset += take;
      if (this.pendingLength === 512) {
        const header = Buffer.concat(this.pending);
        this.pending = [];
        this.pendingLength = 0;
        this.header(header);
      }
    }
  }

  result(): ArchiveContents {
    const index = parseJson(this.files.get('index.json'));
    const manifest = parseJson(this.files.get('manifest.json'));
    if (index !== undefined || this.seen.has('oci-layout')) return { format: 'oci', ...ociNames(index) };
    if (manifest !== undefined || this.seen.has('manifest.json')) return { format: 'docker', names: dockerNames(manifest), unnamed: 0 };
    return { format: 'unknown', names: [], unnamed: 0 };
  }

  private consumeData(chunk: Buffer, offset: number): number {
    if (this.remaining > 0) {
      const take = Math.min(this.remaining, chunk.length - offset);
      const part = chunk.subarray(offset, offset + take);
      if (this.meta) this.meta.chunks.push(Buffer.from(part));
      else if (this.capture && this.capture.size <= maxCaptured) this.capture.chunks.push(Buffer.from(part));
      this.remaining -= take;
      offset += take;
      if (this.remaining === 0) this.finishEntry();
      return offset;
    }
    const skip = Math.min(this.padding, chunk.length - offset);
    this.padding -= skip;
    return offset + skip;
  }

  private header(block: Buffer): void {
    if (block.every((b) => b === 0)) return; // end-of-archive blocks (or padding between)
    if (!checksumOk(block)) {
      this.ended = true; // not a tar we understand: stop looking, ctr will say why
      return;
    }
    const type = String.fromCharCode(block[156] ?? 0);
    const size = parseSize(block.subarray(124, 136));
    const name = this.nextName ?? headerName(block);
    this.remaining = size;
    this.padding = (512 - (size % 512)) % 512;
    if (type === 'x' || type === 'L') {
      this.meta = { type: type === 'x' ? 'pax' : 'longname', chunks: [] };
    } else {
      this.nextName = undefined;
      if (type !== 'g') {
        const top = name.replace(/^(\.\/)+/, '').replace(/\/$/, '');
        if (wanted.has(top)) {
          this.seen.add(top);
          if (top !== 'oci-layout' && size <= maxCaptured) this.capture = { name: top, chunks: [], size };
        }
      }
    }
    if (size === 0) this.finishEntry();
  }

  private finishEntry(): void {
    if (this.meta) {
      const data = Buffer.concat(this.meta.chunks);
      this.nextName = this.meta.type === 'longname' ? data.toString('utf8').replace(/\0.*$/s, '') : paxPath(data);
      this.meta = undefined;
    } else if (this.capture) {
      this.files.set(this.capture.name, Buffer.concat(this.capture.chunks));
      this.capture = undefined;
    }
  }
}

function ascii(buf: Uint8Array, start: number, length: number): string {
  return Buffer.from(buf.subarray(start, start + length)).toString('latin1');
}

function checksumOk(block: Uint8Array): boolean {
  if (block.length < 512) return false;
  const stored = parseInt(ascii(block, 148, 8).replace(/[\0 ]+$/, '').trim(), 8);
  if (Number.isNaN(stored)) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
  return sum === stored;
}

/** An entry size: octal text, or base-256 when the first byte's high bit is set. */
function parseSize(field: Buffer): number {
  if (((field[0] ?? 0) & 0x80) !== 0) {
    let n = 0;
    for (let i = 1; i < field.length; i++) n = n * 256 + (field[i] ?? 0);
    return n;
  }
  const text = field.toString('latin1').replace(/\0.*$/s, '').trim();
  return text === '' ? 0 : parseInt(text, 8);
}

function headerName(block: Buffer): string {
  const name = block.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
  const prefix = ascii(block, 257, 5) === 'ustar' ? block.subarray(345, 500).toString('utf8').replace(/\0.*$/s, '') : '';
  return prefix ? `${prefix}/${name}` : name;
}

/** The `path` record of pax extended header data ("<len> path=<value>\n" records). */
function paxPath(data: Buffer): string | undefined {
  for (const record of data.toString('utf8').split('\n')) {
    const m = /^\d+ path=(.*)$/s.exec(record);
    if (m) return m[1];
  }
  return undefined;
}

function parseJson(data: Buffer | undefined): unknown {
  if (data === undefined) return undefined;
  try {
    return JSON.parse(data.toString('utf8'));
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Names of an OCI index's images, as ctr 1.6 names them: io.containerd.image.name, else a full org.opencontainers.image.ref.name. */
function ociNames(index: unknown): { names: string[]; unnamed: number } {
  const names: string[] = [];
  let unnamed = 0;
  const manifests = isObject(index) && Array.isArray(index.manifests) ? index.manifests : [];
  for (const m of manifests) {
    const annotations = isObject(m) && isObject(m.annotations) ? m.annotations : {};
    const containerd = annotations['io.containerd.image.name'];
    const ref = annotations['org.opencontainers.image.ref.name'];
    const name =
      typeof containerd === 'string' && containerd !== ''
        ? containerd
        : typeof ref === 'string' && /[/:@]/.test(ref)
          ? tryNormalizeImageRef(ref)
          : undefined;
    if (name === undefined) unnamed++;
    else names.push(name);
  }
  return { names: [...new Set(names)], unnamed };
}

/** RepoTags of a docker-save manifest.json, normalised ("busybox:1" → "docker.io/library/busybox:1"). */
function dockerNames(manifest: unknown): string[] {
  const names: string[] = [];
  for (const m of Array.isArray(manifest) ? manifest : []) {
    const tags = isObject(m) && Array.isArray(m.RepoTags) ? m.RepoTags : [];
    for (const tag of tags) {
      if (typeof tag !== 'string') continue;
      try {
        names.push(normalizeImageRef(tag));
      } catch {
        // ctr skips what does not parse as well
      }
    }
  }
  return [...new Set(names)];
}
