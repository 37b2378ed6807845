// Writes ApiResponses to HTTP: JSON bodies with a Content-Type always set,
// and watch streams as one JSON event per line, flushed as they come. An
// object's JSON is computed once and shared by every watcher sending it.
import type { ServerResponse } from 'node:http';
import { asApiError } from '../../machinery/index.js';
import type { ApiResponse, WatchEvent } from '../rest/types.js';

const encoded = new WeakMap<object, string>();

function objectJson(obj: unknown): string {
  if (typeof obj !== 'object' || obj === null) return JSON.stringify(obj);
  let json = encoded.get(obj);
  if (json === undefined) {
    json = JSON.stringify(obj);
    encoded.set(obj, json);
  }
  return json;
}

export function eventLine(ev: WatchEvent): string {
  return `{"type":"${ev.type}","object":${objectJson(ev.object)}}\n`;
}

export async function writeResponse(res: ServerResponse, answer: ApiResponse, head: boolean): Promise<void> {
  if (answer.type === 'object') {
    // A Buffer body is already encoded (the protobuf OpenAPI document); everything else is JSON.
    const body = answer.body === undefined ? '' : Buffer.isBuffer(answer.body) ? answer.body : JSON.stringify(answer.body);
    res.writeHead(answer.code, { 'Content-Type': answer.contentType ?? 'application/json', 'Content-Length': Buffer.byteLength(body), ...answer.headers });
    res.end(head ? undefined : body);
    return;
  }
  if (answer.type === 'text') {
    res.writeHead(answer.code, { 'Content-Type': answer.contentType, 'Content-Length': Buffer.byteLength(answer.body) });
    res.end(head ? undefined : answer.body);
    return;
  }
  res.writeHead(200, { 'Content-Type': answer.contentType, 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  try {
    for await (const ev of answer.events) {
      if (res.destroyed) break;
      const ok = res.write(eventLine(ev));
      if (!ok) await new Promise<void>((resolve) => {
        res.once('drain', resolve);
        res.once('close', resolve);
      });
    }
  } catch (err) {
    // Headers are gone: a failure mid-stream is reported as an ERROR event.
    if (!res.destroyed) res.write(eventLine({ type: 'ERROR', object: asApiError(err).status }));
  } finally {
    res.end();
  }
}
