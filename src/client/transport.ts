// The seam between the typed client and the API server. Two implementations
// pass one conformance suite (conformance.ts): HTTP over mutual TLS
// (http.ts) and a direct call into the server's router (inprocess.ts).
//
// Contracts every Transport keeps:
// - `request` resolves for 2xx answers only. Any other answer rejects with an
//   ApiError carrying the server's Status (built from the code when the body
//   is not a Status). Failing to reach the server rejects with a ClientError
//   ('connection-failed') naming the URL. An aborted `signal` rejects with
//   the signal's reason.
// - A response body is decoded JSON when the server sent JSON, else text.
//   It belongs to the caller.
// - `watch` issues `GET path?query&watch=true` at once and yields the
//   server's events in order. ERROR events are yielded as they are (their
//   object is a Status); the consumer decides. A non-2xx answer makes the
//   first `next()` reject with an ApiError. Event objects may be shared with
//   other watchers of the same server process and must not be modified.

export type QueryValue = string | readonly string[] | undefined;
/** Query parameters; undefined values are left out, arrays repeat the key. */
export type Query = Readonly<Record<string, QueryValue>>;

export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ClientRequest {
  method: Method;
  /** An absolute API path without the query string: `/api/v1/namespaces/default/pods`. */
  path: string;
  query?: Query;
  /** A JSON-able body; sent as JSON (HTTP) or handed over as a copy (in-process). */
  body?: unknown;
  /** Defaults to `application/json` when there is a body. */
  contentType?: string;
  /** Defaults to `application/json`. */
  accept?: string;
  signal?: AbortSignal;
}

export interface ClientResponse {
  code: number;
  /** Decoded JSON, or the text when the server did not send JSON; undefined for an empty body. */
  body: unknown;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export const watchEventTypes: readonly WatchEventType[] = ['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR'];

/** One watch event; `object` is the object (ADDED/MODIFIED/DELETED/BOOKMARK) or a Status (ERROR). */
export interface WatchEvent<T = unknown> {
  type: WatchEventType;
  object: T;
}

export type RawWatchEvent = WatchEvent<unknown>;

export interface WatchRequest {
  path: string;
  /** Query parameters besides `watch=true`, which the transport adds. */
  query?: Query;
  accept?: string;
  signal?: AbortSignal;
}

/**
 * A running watch. It can be iterated once. Iteration ends when the server
 * ends the stream (timeoutSeconds, server shutdown) or `close()` is called;
 * a pending `next()` then resolves done.
 */
export interface ClientWatch<T = unknown> extends AsyncIterable<WatchEvent<T>> {
  /** Stops the watch and releases its request. Idempotent. */
  close(): void;
}

export interface Transport {
  request(req: ClientRequest): Promise<ClientResponse>;
  watch(req: WatchRequest): ClientWatch;
  /** Releases connections; requests after close fail. */
  close(): Promise<void>;
}

/** The query as URLSearchParams, in the order given, undefined values dropped. */
export function searchParams(query: Query | undefined): URLSearchParams {
  const params = new URLSearchParams();
  if (query === undefined) return params;
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (typeof value === 'string') params.append(key, value);
    else for (const v of value) params.append(key, v);
  }
  return params;
}

/** The query of a watch: the caller's parameters plus `watch=true`. */
export function watchParams(query: Query | undefined): URLSearchParams {
  const params = searchParams(query);
  params.set('watch', 'true');
  return params;
}
