// Passing an HTTP upgrade (WebSocket or SPDY) on to the next hop, as the
// apiserver does towards a kubelet and a kubelet towards the runtime's
// streaming server: the request head is written again for the new target,
// then bytes flow both ways untouched until either side closes. Before the
// upgrade, a refusal is a plain HTTP response carrying a Status, so clients
// see upstream's messages (and kubectl falls back to its next protocol).
import type { IncomingHttpHeaders } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Status } from './status.js';

/** Hop-by-hop or per-connection headers that never travel to the next hop as they came. */
const notForwarded = new Set(['host', 'authorization', 'proxy-authorization', 'content-length', 'transfer-encoding', 'keep-alive', 'te', 'trailer']);

/** True when the request asks to switch protocols (`Connection: Upgrade` with an `Upgrade` header). */
export function isUpgradeRequest(headers: IncomingHttpHeaders): boolean {
  const connection = headers.connection ?? '';
  return headers.upgrade !== undefined && connection.toLowerCase().split(',').some((t) => t.trim() === 'upgrade');
}

/**
 * The head of the request as sent to the next hop: the same method and
 * upgrade headers, the new path, and `host`; credentials meant for this
 * hop are dropped.
 */
export function upgradeRequestHead(method: string, pathAndQuery: string, host: string, headers: IncomingHttpHeaders): string {
  const lines = [`${method} ${pathAndQuery} HTTP/1.1`, `Host: ${host}`];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || notForwarded.has(name)) continue;
    for (const v of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${v}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n`;
}

const reasonPhrases: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** A complete HTTP/1.1 response carrying `status` as JSON, for a socket whose upgrade is refused. */
export function statusResponseBytes(status: Status): Buffer {
  const code = status.code ?? 500;
  const body = JSON.stringify(status);
  const head =
    `HTTP/1.1 ${code} ${reasonPhrases[code] ?? 'Error'}\r\n` +
    'Content-Type: application/json\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'Connection: close\r\n\r\n';
  return Buffer.from(head + body);
}

/** Writes a refusal to a socket that has not been upgraded and closes it. */
export function refuseUpgrade(socket: Duplex, status: Status): void {
  if (socket.destroyed) return;
  socket.end(statusResponseBytes(status));
}

/**
 * Joins two connections: each one's bytes go to the other, back-pressure
 * included; an end is passed on, and an error or close on one side
 * destroys the other. Resolves once both are closed.
 */
export function splice(a: Duplex, b: Duplex): Promise<void> {
  a.pipe(b);
  b.pipe(a);
  const closed = (s: Duplex) => new Promise<void>((resolve) => (s.destroyed ? resolve() : s.once('close', () => resolve())));
  const fail = (other: Duplex) => () => other.destroy();
  a.on('error', fail(b));
  b.on('error', fail(a));
  a.once('close', () => setImmediate(() => b.destroy()));
  b.once('close', () => setImmediate(() => a.destroy()));
  return Promise.all([closed(a), closed(b)]).then(() => undefined);
}
