// Imports image archives into containerd with the bundled ctr, as
// `ctr --address <socket> -n k8s.io images import -`. ctr 1.6 reads plain tar
// only (docker save archives and OCI archives alike, named through
// io.containerd.image.name or a full org.opencontainers.image.ref.name), so
// compressed archives are decompressed on the way: gzip with zlib, zstd with
// zlib where Node.js has it and the zstd program otherwise. One log line per
// archive: the image names, the size and the time taken, or why it failed.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, delimiter, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import { silentLogger, type Logger } from '../../log/logger.js';
import { ImagesError, isImagesError } from './errors.js';
import { sniffHead, sniffLength, TarScanner, type ArchiveFormat, type Compression } from './sniff.js';

export interface ImportOptions {
  /** The bundled ctr (`<bin dir>/ctr`). */
  ctrPath: string;
  /** containerd's socket. */
  address: string;
  /** containerd namespace; default `k8s.io`, the CRI's. */
  namespace?: string;
  logger?: Logger;
  signal?: AbortSignal;
  /** Gives up on one archive after this long; default 10 minutes. */
  timeoutMs?: number;
  /** Where to look for the zstd program (when Node.js cannot decompress zstd itself); default PATH and the usual bin dirs. */
  programDirs?: readonly string[];
}

export interface ImportResult {
  file: string;
  /** `present`: skipped by the importer because containerd already holds what the archive was imported as. */
  outcome: 'imported' | 'present' | 'failed';
  /** The images as containerd named them. */
  names: string[];
  /** Size of the archive file. */
  bytes: number;
  ms: number;
  format?: ArchiveFormat;
  compression?: Compression;
  error?: ImagesError;
}

/** Suffixes of the files the importer picks up (a name is not trusted: the bytes are sniffed). */
export const archiveSuffixes = ['.tar', '.tar.gz', '.tgz', '.tar.zst', '.tar.zstd', '.tzst'] as const;

export function isArchiveName(name: string): boolean {
  return !name.startsWith('.') && archiveSuffixes.some((s) => name.endsWith(s));
}

/** Imports `files` one after the other; a failure is logged and reported, and the others still run. */
export async function importImages(files: readonly string[], opts: ImportOptions): Promise<ImportResult[]> {
  const results: ImportResult[] = [];
  for (const file of files) {
    if (opts.signal?.aborted) break;
    results.push(await importImage(file, opts));
  }
  return results;
}

/** Imports one archive; never rejects (a failed import is a result with `error`). */
export async function importImage(file: string, opts: ImportOptions): Promise<ImportResult> {
  const log = opts.logger ?? silentLogger;
  const started = Date.now();
  let bytes = 0;
  let compression: Compression | undefined;
  let format: ArchiveFormat | undefined;
  try {
    const head = await readHead(file);
    bytes = head.size;
    const sniffed = sniffHead(head.bytes);
    if (sniffed.kind === 'unsupported') throw new ImagesError('not-an-archive', `${file} is ${sniffed.what}`, { path: file });
    compression = sniffed.compression;
    const run = await runCtrImport(file, compression, opts);
    const contents = run.scanner.result();
    format = contents.format;
    if (run.names.length === 0) {
      if (format === 'unknown') throw notAnImageArchive(file);
      throw new ImagesError('unnamed-images', `${file} holds no image with a name (an OCI index needs io.containerd.image.name or a full org.opencontainers.image.ref.name)`, { path: file });
    }
    const result: ImportResult = { file, outcome: 'imported', names: run.names, bytes, ms: Date.now() - started, format, compression };
    log.info('imported images', { images: run.names.join(','), file: basename(file), size: formatBytes(bytes), format, compression: compression === 'none' ? undefined : compression, ms: result.ms });
    const generated = run.names.filter((n) => /^import-\d{4}-\d\d-\d\d[:@]/.test(n));
    if (generated.length > 0) log.warn('archive gives images only a tag; ctr made up their names', { file: basename(file), images: generated.join(',') });
    return result;
  } catch (err) {
    const error = isImagesError(err) ? err : new ImagesError('import-failed', `cannot import ${file}: ${messageOf(err)}`, { path: file, cause: err });
    const result: ImportResult = { file, outcome: 'failed', names: [], bytes, ms: Date.now() - started, error };
    if (format !== undefined) result.format = format;
    if (compression !== undefined) result.compression = compression;
    if (opts.signal?.aborted) log.info('image import cancelled', { file: basename(file), ms: result.ms });
    else log.error('image import failed', { file: basename(file), size: formatBytes(bytes), ms: result.ms, code: error.code, error: error.message, suggestion: error.suggestion });
    return result;
  }
}

const notAnImageArchive = (file: string): ImagesError =>
  new ImagesError('not-an-archive', `${file} is a tar archive but not an image archive (it has no index.json or manifest.json)`, { path: file });

async function readHead(file: string): Promise<{ bytes: Buffer; size: number }> {
  const fh = await open(file, 'r');
  try {
    const size = (await fh.stat()).size;
    const buf = Buffer.alloc(sniffLength);
    const { bytesRead } = await fh.read(buf, 0, sniffLength, 0);
    return { bytes: buf.subarray(0, bytesRead), size };
  } finally {
    await fh.close();
  }
}

interface CtrRun {
  names: string[];
  scanner: TarScanner;
}

/** Streams the (decompressed) archive into `ctr images import -`, scanning the tar on its way. */
async function runCtrImport(file: string, compression: Compression, opts: ImportOptions): Promise<CtrRun> {
  const signals = [AbortSignal.timeout(opts.timeoutMs ?? 600_000), ...(opts.signal ? [opts.signal] : [])];
  const signal = AbortSignal.any(signals);
  const children: { name: string; child: ChildProcess; exit: Promise<Exit> }[] = [];
  const track = (name: string, child: ChildProcess): ChildProcess => {
    children.push({ name, child, exit: exitOf(child) });
    return child;
  };
  const onAbort = (): void => {
    for (const { child } of children) child.kill('SIGKILL');
  };
  signal.addEventListener('abort', onAbort, { once: true });

  try {
    const stages: (Readable | Transform)[] = [];
    if (compression === 'zstd') {
      const native = nativeZstd();
      if (native) stages.push(createReadStream(file), native);
      else {
        const zstd = findProgram('zstd', opts.programDirs);
        if (!zstd) throw new ImagesError('zstd-unavailable', `cannot decompress ${file}: no zstd program on PATH, and this Node.js has no zstd support`, { path: file });
        const child = track('zstd', spawn(zstd, ['-d', '-c', '-q', '--', file], { stdio: ['ignore', 'pipe', 'pipe'] }));
        stages.push(child.stdout as Readable);
      }
    } else {
      stages.push(createReadStream(file));
      if (compression === 'gzip') stages.push(zlib.createGunzip());
    }
    const scanner = new TarScanner();
    let scanned = false;
    stages.push(
      new Transform({
        transform(chunk: Buffer, _enc, done) {
          scanner.write(chunk);
          done(null, chunk);
        },
        flush(done) {
          scanned = true;
          done();
        },
      }),
    );

    const ns = opts.namespace ?? 'k8s.io';
    // A fixed environment: ctr reads CONTAINERD_* variables (snapshotter, namespace) from its own.
    const ctr = track('ctr', spawn(opts.ctrPath, ['--address', opts.address, '--namespace', ns, 'images', 'import', '-'], { stdio: ['pipe', 'pipe', 'pipe'], env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' } }));
    const stdin = ctr.stdin;
    if (!stdin) throw new Error('ctr has no stdin');
    const streamed = pipeline([...stages, stdin], { signal }).then(
      () => undefined,
      (err: unknown) => err,
    );
    const streamError = await streamed;
    const exits = await Promise.all(children.map(async (c) => ({ ...c, result: await c.exit })));
    if (signal.aborted) throw new Error(opts.signal?.aborted ? 'import cancelled' : `import did not finish within ${opts.timeoutMs ?? 600_000} ms`);
    // The first cause wins: a broken archive makes ctr fail too, with a vaguer message.
    const decompressor = exits.find((e) => e.name === 'zstd' && e.result.code !== 0);
    if (decompressor) throw new Error(`zstd: ${lastLine(decompressor.result.stderr) || `exited ${describeExit(decompressor.result)}`}`);
    if (streamError && !isPipeClosed(streamError)) throw new Error(`${compression === 'none' ? 'read' : compression}: ${messageOf(streamError)}`);
    const ctrExit = exits.find((e) => e.name === 'ctr')?.result;
    if (!ctrExit || ctrExit.code !== 0) {
      if (scanned && scanner.result().format === 'unknown') throw notAnImageArchive(file);
      throw new Error(lastLine(ctrExit?.stderr ?? '') || `ctr exited ${ctrExit ? describeExit(ctrExit) : 'without status'}`);
    }
    const names = [...ctrExit.stdout.matchAll(/unpacking (\S+) \(sha256:[0-9a-f]+\)\.\.\.done/g)].map((m) => m[1] as string);
    return { names: [...new Set(names)], scanner };
  } finally {
    signal.removeEventListener('abort', onAbort);
    for (const { child } of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const maxOutput = 64 * 1024;

function exitOf(child: ChildProcess): Promise<Exit> {
  let stdout = '';
  let stderr = '';
  // zstd's stdout is the data stream, read by the pipeline; only ctr's (which has a stdin) is collected here.
  if (child.stdin) {
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (d: string) => void (stdout.length < maxOutput && (stdout += d)));
  }
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => void (stderr.length < maxOutput && (stderr += d)));
  return new Promise((resolve) => {
    child.once('error', (err) => resolve({ code: -1, signal: null, stdout, stderr: stderr || messageOf(err) }));
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

function nativeZstd(): Transform | undefined {
  const create = (zlib as unknown as { createZstdDecompress?: () => Transform }).createZstdDecompress;
  return typeof create === 'function' ? create() : undefined;
}

/** The absolute path of an executable in `dirs` (default: PATH, then the usual bin dirs), or undefined. */
export function findProgram(name: string, dirs: readonly string[] = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/local/bin', '/usr/bin', '/bin']): string | undefined {
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function isPipeClosed(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
  return code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ERR_STREAM_DESTROYED';
}

function describeExit(exit: Exit): string {
  return exit.signal ? `on signal ${exit.signal}` : `with status ${String(exit.code)}`;
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1)?.trim() ?? '';
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** "1.7MiB", "312KiB", "90B". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n}B`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)}KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1048576).toFixed(1)}MiB`;
  return `${(n / 1073741824).toFixed(2)}GiB`;
}
