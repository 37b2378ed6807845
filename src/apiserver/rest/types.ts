// The request and response the REST layer works on. The HTTPS server turns
// sockets into these; the in-process transport builds them directly (with
// an already-decoded `object` instead of body bytes, so nothing is
// re-encoded).

export interface UserInfo {
  username: string;
  groups: string[];
  uid?: string;
  /** Upstream's user extras (a token's pod, node, credential id). */
  extra?: Record<string, string[]>;
}

export interface ApiRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  query: URLSearchParams;
  accept: string;
  contentType: string;
  /** The client's User-Agent; names the field manager of a write that gives none. */
  userAgent?: string;
  /** Raw body bytes (HTTP). */
  body?: Buffer;
  /** An already-decoded body (in-process); takes precedence over `body`. */
  object?: unknown;
  user: UserInfo;
  /** Aborts when the client goes away. */
  signal: AbortSignal;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent {
  type: WatchEventType;
  object: unknown;
}

export type ApiResponse =
  | { type: 'object'; code: number; body: unknown; contentType?: string; headers?: Record<string, string> }
  | { type: 'text'; code: number; body: string; contentType: string }
  | { type: 'watch'; contentType: string; events: AsyncIterable<WatchEvent> };

export function objectResponse(code: number, body: unknown, contentType?: string): ApiResponse {
  return contentType === undefined ? { type: 'object', code, body } : { type: 'object', code, body, contentType };
}
