// The HTTP transport: JSON over HTTPS with x509 client certificates, on a
// keep-alive connection pool. The only user of undici in the project.
//
// Each watch holds one connection for its lifetime (the server speaks
// HTTP/1.1), so the pool is unbounded by default; idle connections are kept
// for reuse and closed after `keepAliveTimeoutMs`.
import { Pool, type Dispatcher } from 'undici';
import { ApiError } from '../machinery/index.js';
import { apiErrorFor, ClientError, isClientError } from './errors.js';
import { LineSplitter } from './lines.js';
import {
  searchParams,
  watchEventTypes,
  watchParams,
  type ClientRequest,
  type ClientResponse,
  type ClientWatch,
  type RawWatchEvent,
  type Transport,
  type WatchEventType,
  type WatchRequest,
} from './transport.js';
import { closableWatch } from './watchstream.js';

export interface HttpTransportOptions {
  /** `https://host:port`, optionally with a path prefix. */
  server: string;
  /** CA bundle the server's certificate must chain to; the system CAs when absent. */
  caPem?: string;
  /** Client certificate and key for mutual TLS. */
  certPem?: string;
  keyPem?: string;
  /** At most this many connections (default: no limit; every watch holds one). */
  connections?: number;
  keepAliveTimeoutMs?: number;
  /** Time allowed for the answer to a request that is not a watch (default 60 s). */
  requestTimeoutMs?: number;
  userAgent?: string;
}

const jsonType = 'application/json';

export class HttpTransport implements Transport {
  private readonly pool: Pool;
  private readonly origin: string;
  private readonly prefix: string;
  private readonly timeoutMs: number;
  private readonly userAgent: string;

  constructor(opts: HttpTransportOptions) {
    let url: URL;
    try {
      url = new URL(opts.server);
    } catch (err) {
      throw new ClientError('bad-config', `server address ${JSON.stringify(opts.server)} is not a URL`, { cause: err });
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new ClientError('bad-config', `server address ${opts.server} must start with https:// or http://`);
    }
    this.origin = url.origin;
    this.prefix = url.pathname.replace(/\/+$/, '');
    this.timeoutMs = opts.requestTimeoutMs ?? 60_000;
    this.userAgent = opts.userAgent ?? 'tsk8s';
    const connect: { ca?: string; cert?: string; key?: string } = {};
    if (opts.caPem !== undefined) connect.ca = opts.caPem;
    if (opts.certPem !== undefined) connect.cert = opts.certPem;
    if (opts.keyPem !== undefined) connect.key = opts.keyPem;
    this.pool = new Pool(this.origin, {
      connect,
      connections: opts.connections ?? null,
      keepAliveTimeout: opts.keepAliveTimeoutMs ?? 30_000,
    });
  }

  async request(req: ClientRequest): Promise<ClientResponse> {
    const path = this.pathWithQuery(req.path, searchParams(req.query));
    const headers: Record<string, string> = { accept: req.accept ?? jsonType, 'user-agent': this.userAgent };
    let body: string | undefined;
    if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers['content-type'] = req.contentType ?? jsonType;
    }
    const options: Dispatcher.RequestOptions = {
      path,
      method: req.method,
      headers,
      body,
      signal: req.signal ?? null,
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    };
    let code: number;
    let text: string;
    let contentType: string;
    try {
      const res = await this.pool.request(options);
      code = res.statusCode;
      contentType = headerValue(res.headers['content-type']);
      text = await res.body.text();
    } catch (err) {
      throw this.failure(req.method, path, err, req.signal);
    }
    const decoded = decodeBody(text, contentType);
    if (code < 200 || code > 299) throw apiErrorFor(code, decoded.ok ? decoded.value : text);
    if (!decoded.ok) throw new ClientError('bad-response', `${req.method} ${this.origin}${path}: ${decoded.error}`);
    return { code, body: decoded.value };
  }

  watch(req: WatchRequest): ClientWatch {
    const path = this.pathWithQuery(req.path, watchParams(req.query));
    const headers = { accept: req.accept ?? jsonType, 'user-agent': this.userAgent };
    return closableWatch(async (signal) => {
      let res: Dispatcher.ResponseData;
      try {
        // Watches may stay quiet for a long time: no body timeout.
        res = await this.pool.request({ path, method: 'GET', headers, signal, headersTimeout: this.timeoutMs, bodyTimeout: 0 });
      } catch (err) {
        throw this.failure('GET', path, err, signal);
      }
      if (res.statusCode < 200 || res.statusCode > 299) {
        const text = await res.body.text().catch(() => '');
        const decoded = decodeBody(text, headerValue(res.headers['content-type']));
        throw apiErrorFor(res.statusCode, decoded.ok ? decoded.value : text);
      }
      return this.events(res.body, path, signal);
    }, req.signal);
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }

  private async *events(body: AsyncIterable<Buffer>, path: string, signal: AbortSignal): AsyncGenerator<RawWatchEvent> {
    const lines = new LineSplitter();
    try {
      for await (const chunk of body) {
        for (const line of lines.push(chunk)) yield parseEvent(line, `${this.origin}${path}`);
      }
    } catch (err) {
      throw this.failure('GET', path, err, signal);
    }
    for (const line of lines.end()) yield parseEvent(line, `${this.origin}${path}`);
  }

  private pathWithQuery(path: string, params: URLSearchParams): string {
    const query = params.toString();
    return `${this.prefix}${path}${query === '' ? '' : `?${query}`}`;
  }

  /** A transport failure as the error callers see: the abort reason, our own errors as they are, the rest as connection-failed. */
  private failure(method: string, path: string, err: unknown, signal: AbortSignal | undefined): unknown {
    if (signal?.aborted) return signal.reason ?? err;
    if (err instanceof ApiError || isClientError(err)) return err;
    return new ClientError('connection-failed', `${method} ${this.origin}${path}: ${describe(err)}`, { cause: err });
  }
}

function headerValue(value: string | string[] | undefined): string {
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

type Decoded = { ok: true; value: unknown } | { ok: false; error: string };

/** JSON when the server says JSON (or sends nothing), the text otherwise. */
function decodeBody(text: string, contentType: string): Decoded {
  if (text === '') return { ok: true, value: undefined };
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  if (type !== jsonType && !type.endsWith('+json')) return { ok: true, value: text };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, error: `the response is not valid JSON (${err instanceof Error ? err.message : String(err)})` };
  }
}

function parseEvent(line: string, url: string): RawWatchEvent {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    throw new ClientError('bad-response', `watch ${url}: an event is not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const ev = value as { type?: unknown; object?: unknown } | null;
  if (typeof ev !== 'object' || ev === null || !watchEventTypes.includes(ev.type as WatchEventType) || !('object' in ev)) {
    throw new ClientError('bad-response', `watch ${url}: an event has no known type and object: ${line.slice(0, 200)}`);
  }
  return { type: ev.type as WatchEventType, object: ev.object };
}

/** A short reason for a low-level failure; AggregateErrors (one per address tried) are unpacked. */
function describe(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return describe(err.errors[0]);
  if (!(err instanceof Error)) return String(err);
  const code = 'code' in err && typeof err.code === 'string' ? err.code : '';
  if (err.message === '') return code || err.name;
  return code !== '' && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
}
