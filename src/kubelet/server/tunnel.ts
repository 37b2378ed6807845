// Port-forward with SPDY tunnelled in a WebSocket (kubectl 1.30+ asks for
// the subprotocol `SPDY/3.1+portforward.k8s.io` first). The runtime's
// streaming server speaks only plain SPDY, so the kubelet ends the
// WebSocket here: it opens a plain SPDY upgrade to the runtime, then passes
// the SPDY bytes across — out of the client's binary messages into the
// runtime connection, and back wrapped in binary messages. The SPDY session
// itself is the client's and the runtime's; nothing here parses it.
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../../log/logger.js';
import { asApiError, internalError } from '../../machinery/index.js';
import { refuseUpgrade, splice } from '../../machinery/upgrade.js';
import { acceptWebSocket, webSocketByteStream, type WebSocket } from '../../machinery/websocket.js';
import { spdyToRuntime } from './stream.js';

export const tunnelledPortForwardProtocol = 'SPDY/3.1+portforward.k8s.io';
const portForwardProtocol = 'portforward.k8s.io';

/** Serves a WebSocket upgrade asking for `SPDY/3.1+portforward.k8s.io` against the runtime's plain SPDY endpoint. */
export async function tunnelPortForward(streamUrl: string, req: IncomingMessage, socket: Duplex, head: Buffer, query: string, logger: Logger): Promise<void> {
  let upstream: Socket;
  try {
    upstream = await spdyToRuntime(streamUrl, query, portForwardProtocol);
  } catch (err) {
    logger.warn('port-forward tunnel refused by the runtime', { err: (err as Error).message });
    refuseUpgrade(socket, internalError(err).status);
    return;
  }
  let ws: WebSocket;
  try {
    ws = await acceptWebSocket(req, socket, head, tunnelledPortForwardProtocol);
  } catch (err) {
    upstream.destroy();
    refuseUpgrade(socket, asApiError(err).status);
    return;
  }
  await splice(webSocketByteStream(ws), upstream);
}
