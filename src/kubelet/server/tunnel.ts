// Port-forward with SPDY tunnelled in a WebSocket (kubectl 1.30+ asks for
// the subprotocol `SPDY/3.1+portforward.k8s.io` first). The runtime's
// streaming server speaks only plain SPDY, so the kubelet ends the
// WebSocket here: it opens a plain SPDY upgrade to the runtime, then passes
// the SPDY bytes across — out of the client's binary messages into the
// runtime connection, and back wrapped in binary messages. The SPDY session
// itself is the client's and the runtime's; nothing here parses it.
import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../../log/logger.js';
import { badRequest, internalError } from '../../machinery/index.js';
import { refuseUpgrade } from '../../machinery/upgrade.js';
import { closeFrame, encodeFrame, FrameDecoder, Opcode, websocketHandshake } from '../../machinery/websocket.js';

export const tunnelledPortForwardProtocol = 'SPDY/3.1+portforward.k8s.io';

/** Opens a plain SPDY port-forward upgrade to the runtime; resolves with the socket and any bytes after its 101. */
function upgradeToRuntime(streamUrl: string, query: string): Promise<{ upstream: Socket; rest: Buffer }> {
  const url = new URL(streamUrl);
  const path = `${url.pathname}${url.search || (query === '' ? '' : `?${query}`)}`;
  return new Promise((resolve, reject) => {
    const upstream = connect({ host: url.hostname, port: Number(url.port || 80) });
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
      resolve({ upstream, rest: head.subarray(end + 4) });
    };
    upstream.on('data', onData);
    upstream.once('error', reject);
    upstream.once('connect', () => {
      upstream.setNoDelay(true);
      upstream.write(
        `POST ${path} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\nContent-Length: 0\r\n\r\n`,
      );
    });
  });
}

/** Serves a WebSocket upgrade asking for `SPDY/3.1+portforward.k8s.io` against the runtime's plain SPDY endpoint. */
export async function tunnelPortForward(streamUrl: string, req: IncomingMessage, socket: Duplex, head: Buffer, query: string, logger: Logger): Promise<void> {
  const key = req.headers['sec-websocket-key'];
  if (typeof key !== 'string' || key === '') throw badRequest('a WebSocket upgrade needs a Sec-WebSocket-Key header');
  let runtime: { upstream: Socket; rest: Buffer };
  try {
    runtime = await upgradeToRuntime(streamUrl, query);
  } catch (err) {
    logger.warn('port-forward tunnel refused by the runtime', { err: (err as Error).message });
    refuseUpgrade(socket, internalError(err).status);
    return;
  }
  const { upstream, rest } = runtime;
  socket.write(websocketHandshake(key, tunnelledPortForwardProtocol));
  if (rest.length > 0) socket.write(encodeFrame(Opcode.Binary, rest));

  let closing = false;
  const finish = (): void => {
    if (closing) return;
    closing = true;
    if (!socket.destroyed) socket.end(closeFrame());
    upstream.end();
  };
  const decoder = new FrameDecoder();
  const fromClient = (chunk: Buffer): void => {
    let frames;
    try {
      frames = decoder.push(chunk);
    } catch (err) {
      logger.debug('port-forward tunnel: bad frame', { err: (err as Error).message });
      socket.destroy();
      upstream.destroy();
      return;
    }
    for (const f of frames) {
      if (f.opcode === Opcode.Binary || f.opcode === Opcode.Continuation || f.opcode === Opcode.Text) {
        if (!upstream.write(f.payload)) {
          socket.pause();
          upstream.once('drain', () => socket.resume());
        }
      } else if (f.opcode === Opcode.Ping) socket.write(encodeFrame(Opcode.Pong, f.payload));
      else if (f.opcode === Opcode.Close) finish();
    }
  };
  socket.on('data', fromClient);
  if (head.length > 0) fromClient(head);
  upstream.on('data', (chunk: Buffer) => {
    if (!socket.write(encodeFrame(Opcode.Binary, chunk))) {
      upstream.pause();
      socket.once('drain', () => upstream.resume());
    }
  });
  upstream.resume();
  upstream.once('end', finish);
  upstream.once('error', () => socket.destroy());
  socket.once('error', () => upstream.destroy());
  socket.once('close', () => upstream.destroy());
  await new Promise<void>((resolve) => upstream.once('close', () => resolve()));
}
