// exec, attach and port-forward: the runtime prepares the session and
// answers a streaming URL on loopback; the client's upgrade request is
// passed on to that URL and the two connections are joined. The runtime's
// streaming server speaks the protocols itself (WebSocket `channel.k8s.io`
// up to v4 and `portforward.k8s.io`, SPDY/3.1 with the remote-command and
// port-forward stream types); a protocol it does not speak is refused with
// a non-101 answer, which makes kubectl fall back to SPDY.
import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../../log/logger.js';
import { internalError } from '../../machinery/index.js';
import { refuseUpgrade, splice, upgradeRequestHead } from '../../machinery/upgrade.js';

/** Joins the client's upgraded connection to the runtime's streaming URL. */
export function proxyToRuntime(streamUrl: string, req: IncomingMessage, socket: Duplex, head: Buffer, query: string, logger: Logger): Promise<void> {
  const url = new URL(streamUrl);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const upstream = connect({ host: url.hostname, port });
  const path = `${url.pathname}${query === '' ? url.search : url.search === '' ? `?${query}` : `${url.search}&${query}`}`;
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
      upstream.write(upgradeRequestHead(req.method ?? 'GET', path, url.host, req.headers));
      if (head.length > 0) upstream.write(head);
      void splice(socket, upstream).then(resolve);
    });
  });
}
