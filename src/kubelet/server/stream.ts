// exec, attach and port-forward: the runtime prepares the session and
// answers a streaming URL on loopback. The runtime's streaming server speaks
// the protocols itself (WebSocket `channel.k8s.io` up to v4 and
// `portforward.k8s.io`, SPDY/3.1 with the remote-command and port-forward
// stream types); a protocol it does not speak is refused with a non-101
// answer, which makes kubectl fall back to SPDY. Two ways to reach it:
// passing the client's upgrade request on and joining the connections, or
// (where the kubelet ends the client's WebSocket itself) opening a plain
// SPDY session of our own.
import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../../log/logger.js';
import { internalError } from '../../machinery/index.js';
import { refuseUpgrade, splice, upgradeRequestHead } from '../../machinery/upgrade.js';

/** The streaming URL's path with the client's query added to any it has. */
function runtimePath(url: URL, query: string): string {
  return `${url.pathname}${query === '' ? url.search : url.search === '' ? `?${query}` : `${url.search}&${query}`}`;
}

function runtimePort(url: URL): number {
  return Number(url.port || (url.protocol === 'https:' ? 443 : 80));
}

/** Joins the client's upgraded connection to the runtime's streaming URL. */
export function proxyToRuntime(streamUrl: string, req: IncomingMessage, socket: Duplex, head: Buffer, query: string, logger: Logger): Promise<void> {
  const url = new URL(streamUrl);
  const upstream = connect({ host: url.hostname, port: runtimePort(url) });
  return new Promise<void>((resolve) => {
    let connected = false;
    upstream.once('error', (err) => {
      if (connected) return;
      logger.warn('streaming server unreachable', { url: `${url.host}${url.pathname}`, err: err.message });
      refuseUpgrade(socket, internalError(new Error(`unable to reach the container runtime's streaming server: ${err.message}`)).status);
      resolve();
    });
    upstream.once('connect', () => {
      connected = true;
      upstream.setNoDelay(true);
      upstream.write(upgradeRequestHead(req.method ?? 'GET', runtimePath(url, query), url.host, req.headers));
      if (head.length > 0) upstream.write(head);
      void splice(socket, upstream).then(resolve);
    });
  });
}

/**
 * Opens a plain SPDY/3.1 session to the runtime's streaming URL, asking for
 * `protocol` (`X-Stream-Protocol-Version`). Resolves with the connection
 * once the runtime has answered 101, paused, with any bytes that came after
 * the answer put back to be read first; rejects on any other answer.
 */
export function spdyToRuntime(streamUrl: string, query: string, protocol: string): Promise<Socket> {
  const url = new URL(streamUrl);
  return new Promise((resolve, reject) => {
    const upstream = connect({ host: url.hostname, port: runtimePort(url) });
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      upstream.off('data', onData);
      upstream.pause();
      const statusLine = head.subarray(0, head.indexOf('\r\n')).toString('latin1');
      if (!/^HTTP\/1\.1 101 /.test(statusLine)) {
        upstream.destroy();
        reject(new Error(`the runtime's streaming server answered "${statusLine}"`));
        return;
      }
      const rest = head.subarray(end + 4);
      if (rest.length > 0) upstream.unshift(rest);
      resolve(upstream);
    };
    upstream.on('data', onData);
    upstream.once('error', reject);
    upstream.once('connect', () => {
      upstream.setNoDelay(true);
      upstream.write(
        `POST ${runtimePath(url, query)} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n` +
          `X-Stream-Protocol-Version: ${protocol}\r\nContent-Length: 0\r\n\r\n`,
      );
    });
  });
}
