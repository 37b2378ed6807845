// WebSocket sessions on the server's side of an HTTP upgrade, on the `ws`
// package (the one place that imports it): the handshake, framing, ping
// answers and close handshake are the library's. Two shapes are handed
// out: a message socket, for protocols where each binary message means
// something (the `*.channel.k8s.io` family), and a byte stream, for
// protocols that only use messages as a pipe (SPDY tunnelled in a
// WebSocket).
import type { IncomingMessage } from 'node:http';
import { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { badRequest } from './errors.js';

export type { WebSocket } from 'ws';

/** Largest message accepted from a client. */
export const maxMessageSize = 16 * 1024 * 1024;

/** Close code of a normal end; client-go reads anything else as an error. */
export const normalClosure = 1000;

/** The subprotocols a request offers, in its order. */
export function offeredProtocols(header: string | string[] | undefined): string[] {
  const values = Array.isArray(header) ? header : header === undefined ? [] : [header];
  return values.flatMap((v) => v.split(',')).map((p) => p.trim()).filter((p) => p !== '');
}

/**
 * Answers the upgrade with 101 and `protocol` (chosen by the caller from
 * offeredProtocols) and resolves with the open WebSocket. A request that is
 * not a valid WebSocket handshake (no key, a wrong version, not a GET)
 * rejects with a 400 ApiError and leaves the socket untouched, so the
 * caller can answer with a Status.
 *
 * The library negotiates subprotocols itself only when their names are
 * HTTP tokens, and `SPDY/3.1+portforward.k8s.io` is not one (the `/`): so
 * it is shown the request without the offer, and the answer gets the
 * caller's choice added.
 */
export function acceptWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer, protocol: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const server = new WebSocketServer({ noServer: true, clientTracking: false, perMessageDeflate: false, maxPayload: maxMessageSize });
    // With a listener here, ws reports a bad handshake instead of answering it itself.
    server.once('wsClientError', (err: Error) => reject(badRequest(`invalid WebSocket upgrade: ${err.message}`)));
    server.once('headers', (headers: string[]) => {
      if (protocol !== '') headers.push(`Sec-WebSocket-Protocol: ${protocol}`);
    });
    const headers = { ...req.headers };
    delete headers['sec-websocket-protocol'];
    const withoutOffer = Object.create(req, { headers: { value: headers } }) as IncomingMessage;
    server.handleUpgrade(withoutOffer, socket, head, (ws) => {
      ws.binaryType = 'nodebuffer';
      resolve(ws);
    });
  });
}

/** Bytes a byte stream buffers while a message is being sent. */
const byteStreamBuffer = 1 << 20;

/**
 * A WebSocket as a byte stream: each write becomes one binary message (the
 * callback once its bytes are on the connection; writes that queue
 * meanwhile are sent together, each its own message: joining them would
 * copy every byte once more), each message read is its bytes. Ending the
 * stream closes the WebSocket with a normal closure; the peer's close ends
 * the readable side. Back-pressure goes both ways: a full read buffer
 * pauses the connection.
 */
export function webSocketByteStream(ws: WebSocket): Duplex {
  const stream = new Duplex({
    writableHighWaterMark: byteStreamBuffer,
    write(chunk: Buffer, _encoding, callback) {
      ws.send(chunk, { binary: true }, callback);
    },
    writev(chunks, callback) {
      const last = chunks.length - 1;
      chunks.forEach(({ chunk }, i) => ws.send(chunk as Buffer, { binary: true }, i === last ? callback : undefined));
    },
    final(callback) {
      ws.close(normalClosure);
      callback();
    },
    read() {
      ws.resume();
    },
    destroy(err, callback) {
      // A close handshake under way is left to finish (the library times it out); an open socket is cut.
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.terminate();
      callback(err);
    },
  });
  ws.on('message', (data: Buffer) => {
    if (!stream.push(data)) ws.pause();
  });
  ws.once('close', () => stream.push(null));
  ws.once('error', (err) => stream.destroy(err));
  return stream;
}
