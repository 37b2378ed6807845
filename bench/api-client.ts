// A minimal Kubernetes API client for the benchmark: JSON over HTTPS with
// keep-alive and mutual TLS (undici), and a reader of watch streams. It
// parses every response, as a real client would, so that cost is part of
// the measured latency.
import { Client, Pool } from 'undici';

export interface TlsMaterial {
  ca: string;
  cert: string;
  key: string;
}

export interface ApiClient {
  /** Sends `body` as JSON; returns the parsed answer, or throws naming the request unless the status is in `ok`. */
  call(method: string, path: string, body?: unknown, ok?: readonly number[]): Promise<unknown>;
  close(): Promise<void>;
}

/** Requests that get no headers or body for this long fail instead of hanging the benchmark. */
const requestTimeoutMs = 30_000;

const jsonHeaders = { 'content-type': 'application/json', accept: 'application/json' };

/** `connections` keep-alive connections, one request in flight on each. */
export function apiClient(url: string, tls: TlsMaterial, connections: number): ApiClient {
  const pool = new Pool(url, {
    connections,
    pipelining: 1,
    connect: { ca: tls.ca, cert: tls.cert, key: tls.key },
    headersTimeout: requestTimeoutMs,
    bodyTimeout: requestTimeoutMs,
  });
  return {
    async call(method, path, body, ok = [200, 201]) {
      const res = await pool.request({ method, path, headers: jsonHeaders, body: body === undefined ? null : JSON.stringify(body) });
      const text = await res.body.text();
      if (!ok.includes(res.statusCode)) throw new Error(`${method} ${path}: HTTP ${res.statusCode}: ${text.slice(0, 400)}`);
      return JSON.parse(text) as unknown;
    },
    close: () => pool.close(),
  };
}

export interface WatchStream {
  /** Ends the stream and its connection. */
  stop(): Promise<void>;
}

export interface WatchHandlers {
  /** One decoded event line: its type and object. */
  event(type: string, object: unknown): void;
  /** The stream failed or ended while not being stopped. */
  failed(err: Error): void;
}

/**
 * Opens a watch on its own connection (a watch holds it for its lifetime);
 * resolves once the server answered with 200 and the stream is being read.
 */
export async function openWatch(url: string, tls: TlsMaterial, path: string, on: WatchHandlers): Promise<WatchStream> {
  const client = new Client(url, {
    connect: { ca: tls.ca, cert: tls.cert, key: tls.key },
    headersTimeout: requestTimeoutMs,
    // A watch is quiet between events for as long as nobody writes.
    bodyTimeout: 0,
  });
  const res = await client.request({ method: 'GET', path, headers: { accept: 'application/json' } });
  if (res.statusCode !== 200) {
    const text = await res.body.text();
    await client.destroy();
    throw new Error(`GET ${path}: HTTP ${res.statusCode}: ${text.slice(0, 400)}`);
  }
  let stopping = false;
  const fail = (err: Error) => {
    if (!stopping) on.failed(err);
    stopping = true;
  };
  let pending = '';
  res.body.setEncoding('utf8');
  res.body.on('data', (chunk: string) => {
    pending += chunk;
    let start = 0;
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n', start)) {
      const line = pending.slice(start, nl);
      start = nl + 1;
      if (line.trim() === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        fail(new Error(`watch ${path}: not JSON: ${line.slice(0, 200)}`));
        return;
      }
      const type = typeof parsed === 'object' && parsed !== null ? (parsed as { type?: unknown }).type : undefined;
      const object = typeof parsed === 'object' && parsed !== null ? (parsed as { object?: unknown }).object : undefined;
      if (type === 'ERROR') fail(new Error(`watch ${path}: ERROR event: ${JSON.stringify(object).slice(0, 400)}`));
      else on.event(String(type), object);
    }
    pending = pending.slice(start);
  });
  res.body.on('error', (err: Error) => fail(new Error(`watch ${path}: ${err.message}`)));
  res.body.on('end', () => fail(new Error(`watch ${path}: the server ended the stream`)));
  return {
    async stop() {
      stopping = true;
      res.body.destroy();
      await client.destroy();
    },
  };
}

/** metadata.name and metadata.resourceVersion of a decoded object, or throws. */
export function metaOf(obj: unknown): { name: string; resourceVersion: string } {
  const meta = typeof obj === 'object' && obj !== null ? (obj as { metadata?: unknown }).metadata : undefined;
  const m = typeof meta === 'object' && meta !== null ? (meta as { name?: unknown; resourceVersion?: unknown }) : {};
  if (typeof m.resourceVersion !== 'string') throw new Error(`object without metadata.resourceVersion: ${JSON.stringify(obj).slice(0, 200)}`);
  return { name: typeof m.name === 'string' ? m.name : '', resourceVersion: m.resourceVersion };
}

/** Number of items in a decoded list, or throws. */
export function itemCount(list: unknown): number {
  const items = typeof list === 'object' && list !== null ? (list as { items?: unknown }).items : undefined;
  if (!Array.isArray(items)) throw new Error(`not a list: ${JSON.stringify(list).slice(0, 200)}`);
  return items.length;
}
