// `GET /containerLogs/{namespace}/{pod}/{container}`: a container's CRI log
// file as plain text. Without `follow` the answer is what the file holds;
// with it the file is read on as it grows until the container stops or the
// client goes away.
import { open, type FileHandle } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RuntimeService } from '../cri/runtime.js';
import { LogDecoder, type LogLine } from './logformat.js';
import { LogOutput, selectLines, type LogOptions } from './logoptions.js';

/** How often a followed log is read again and the container's state checked. */
const followIntervalMs = 200;
const readChunk = 256 * 1024;

export interface LogSource {
  containerId: string;
  path: string;
}

async function readFrom(file: FileHandle, offset: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for (;;) {
    const buf = Buffer.alloc(readChunk);
    const { bytesRead } = await file.read(buf, 0, readChunk, offset);
    if (bytesRead === 0) break;
    chunks.push(buf.subarray(0, bytesRead));
    offset += bytesRead;
  }
  return Buffer.concat(chunks);
}

function write(res: ServerResponse, bytes: Buffer): Promise<void> {
  if (bytes.length === 0 || res.destroyed) return Promise.resolve();
  if (res.write(bytes)) return Promise.resolve();
  return new Promise((resolve) => {
    res.once('drain', resolve);
    res.once('close', resolve);
  });
}

async function running(runtime: RuntimeService, containerId: string): Promise<boolean> {
  try {
    return (await runtime.containerStatus(containerId)).state === 'CONTAINER_RUNNING';
  } catch {
    return false;
  }
}

/** Streams the selected log lines to `res`; the response has been checked and the file exists. */
export async function streamLog(runtime: RuntimeService, source: LogSource, opts: LogOptions, res: ServerResponse, signal: AbortSignal): Promise<void> {
  const file = await open(source.path, 'r');
  try {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
    if (opts.follow) res.flushHeaders();
    const decoder = new LogDecoder();
    const output = new LogOutput(opts);
    let offset = 0;
    const first = await readFrom(file, 0);
    offset += first.length;
    await write(res, output.render(selectLines(decoder.push(first), opts)));
    if (!opts.follow) return;
    while (!signal.aborted && !output.full && !res.destroyed) {
      const alive = await running(runtime, source.containerId);
      const size = (await file.stat()).size;
      if (size < offset) offset = 0; // truncated: start over
      const more = await readFrom(file, offset);
      offset += more.length;
      const lines: LogLine[] = decoder.push(more);
      await write(res, output.render(lines));
      if (!alive) break;
      await sleep(followIntervalMs, undefined, { signal }).catch(() => undefined);
    }
  } finally {
    await file.close();
    if (!res.destroyed) res.end();
  }
}
