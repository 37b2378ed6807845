// The in-process transport: calls the API server's request handler
// directly, as the server's own controllers, scheduler and kubelet do.
// Nothing is serialised: request bodies are handed over as objects, answers
// come back as objects, watch events as the server produces them.
//
// The shapes below mirror the API server's request and response (by field,
// not by import: the client sits below the server in the layer table), so
// the server's router is an InProcessHandler as it is.
import { apiErrorFor, ClientError } from './errors.js';
import {
  searchParams,
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

/** Who the requests are made as (what a client certificate would say over HTTP). */
export interface InProcessUser {
  username: string;
  groups: string[];
  uid?: string;
}

export interface InProcessRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  accept: string;
  contentType: string;
  body?: Buffer;
  /** The decoded body; the handler may modify it (it is the transport's copy). */
  object?: unknown;
  user: InProcessUser;
  /** Names the component for managedFields, as an HTTP client's User-Agent would. */
  userAgent?: string;
  /** Aborts when the caller goes away (a closed watch). */
  signal: AbortSignal;
}

/**
 * The handler's answer. Object and text bodies are handed over: the handler
 * keeps no reference to them, so the caller may modify what it gets. Watch
 * event objects may be shared between watchers and are read-only.
 */
export type InProcessResponse =
  | { type: 'object'; code: number; body: unknown; contentType?: string; headers?: Record<string, string> }
  | { type: 'text'; code: number; body: string; contentType: string }
  | { type: 'watch'; contentType: string; events: AsyncIterable<{ type: WatchEventType; object: unknown }> };

/** Answers requests; never throws for a failed request (failures are Status answers). */
export interface InProcessHandler {
  handle(req: InProcessRequest): Promise<InProcessResponse>;
}

const jsonType = 'application/json';

export class InProcessTransport implements Transport {
  private closed = false;

  constructor(
    private readonly handler: InProcessHandler,
    private readonly user: InProcessUser,
    /** e.g. `kubelet/v1.32.0+tsk8s`: the field manager of this client's writes. */
    private readonly userAgent?: string,
  ) {}

  async request(req: ClientRequest): Promise<ClientResponse> {
    this.checkOpen(req.path);
    req.signal?.throwIfAborted();
    const apiReq: InProcessRequest = {
      method: req.method,
      path: req.path,
      query: searchParams(req.query),
      accept: req.accept ?? jsonType,
      contentType: req.body === undefined ? '' : (req.contentType ?? jsonType),
      user: this.user,
      ...(this.userAgent !== undefined ? { userAgent: this.userAgent } : {}),
      signal: req.signal ?? new AbortController().signal,
    };
    // The server defaults and stamps what it is given: it gets its own copy.
    if (req.body !== undefined) apiReq.object = structuredClone(req.body);
    const res = await this.handler.handle(apiReq);
    if (res.type === 'watch') {
      void res.events[Symbol.asyncIterator]().return?.();
      throw new ClientError('bad-response', `${req.method} ${req.path}: the server answered with a watch stream`);
    }
    if (res.code < 200 || res.code > 299) throw apiErrorFor(res.code, res.body);
    return { code: res.code, body: res.body };
  }

  watch(req: WatchRequest): ClientWatch {
    return closableWatch(async (signal): Promise<AsyncIterator<RawWatchEvent>> => {
      this.checkOpen(req.path);
      const res = await this.handler.handle({
        method: 'GET',
        path: req.path,
        query: watchParams(req.query),
        accept: req.accept ?? jsonType,
        contentType: '',
        user: this.user,
      ...(this.userAgent !== undefined ? { userAgent: this.userAgent } : {}),
        signal,
      });
      if (res.type === 'watch') return res.events[Symbol.asyncIterator]();
      if (res.code < 200 || res.code > 299) throw apiErrorFor(res.code, res.body);
      throw new ClientError('bad-response', `GET ${req.path}: expected a watch stream, the server answered ${res.code}`);
    }, req.signal);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private checkOpen(path: string): void {
    if (this.closed) throw new ClientError('connection-failed', `${path}: the in-process transport is closed`);
  }
}
