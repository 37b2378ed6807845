// exec and attach for WebSocket `v5.channel.k8s.io` clients (kubectl 1.30+
// offers nothing else). The runtime's streaming server predates v5, so the
// kubelet ends the WebSocket here and opens the session to the runtime as a
// SPDY client of the v4 remote-command protocol: one stream per standard
// stream (typed by the `streamType` header) plus `error` and, with a tty,
// `resize`. Channel messages become data on the matching stream and back;
// v5's CLOSE of stdin becomes the end of the stdin stream, which v4 over
// WebSocket cannot express.
import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../../log/logger.js';
import { Channel, channelMessage, channelProtocols, readChannelMessage } from '../../machinery/channels.js';
import { badRequest, internalError } from '../../machinery/index.js';
import { ControlType, dataFrame, HeaderWriter, pingFrame, SpdyFrameDecoder, synStreamFrame } from '../../machinery/spdy.js';
import { refuseUpgrade } from '../../machinery/upgrade.js';
import { closeFrame, encodeFrame, FrameDecoder, Opcode, websocketHandshake } from '../../machinery/websocket.js';

export interface SessionStreams {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** Opens the SPDY upgrade to the runtime's URL; resolves with the socket and any bytes after the 101. */
function spdyUpgrade(streamUrl: string): Promise<{ upstream: Socket; rest: Buffer }> {
  const url = new URL(streamUrl);
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
        `POST ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n` +
          `X-Stream-Protocol-Version: ${channelProtocols.v4}\r\nContent-Length: 0\r\n\r\n`,
      );
    });
  });
}

/** Serves a v5 WebSocket exec or attach against the runtime's SPDY endpoint. */
export async function serveV5Session(streamUrl: string, req: IncomingMessage, socket: Duplex, head: Buffer, streams: SessionStreams, logger: Logger): Promise<void> {
  const key = req.headers['sec-websocket-key'];
  if (typeof key !== 'string' || key === '') throw badRequest('a WebSocket upgrade needs a Sec-WebSocket-Key header');
  let runtime: { upstream: Socket; rest: Buffer };
  try {
    runtime = await spdyUpgrade(streamUrl);
  } catch (err) {
    logger.warn('exec refused by the runtime', { err: (err as Error).message });
    refuseUpgrade(socket, internalError(err).status);
    return;
  }
  const { upstream, rest } = runtime;

  // Client streams have odd ids; the error stream first, as kubectl opens them.
  const writer = new HeaderWriter();
  const ids = { error: 1, stdin: 0, stdout: 0, stderr: 0, resize: 0 };
  let next = 3;
  const open: Buffer[] = [synStreamFrame(writer, ids.error, { streamtype: 'error' })];
  for (const [type, wanted] of [['stdin', streams.stdin], ['stdout', streams.stdout], ['stderr', streams.stderr && !streams.tty], ['resize', streams.tty]] as const) {
    if (!wanted) continue;
    ids[type] = next;
    open.push(synStreamFrame(writer, next, { streamtype: type }));
    next += 2;
  }
  upstream.write(Buffer.concat(open));
  const toChannel = new Map<number, number>([[ids.error, Channel.Error]]);
  if (ids.stdout) toChannel.set(ids.stdout, Channel.Stdout);
  if (ids.stderr) toChannel.set(ids.stderr, Channel.Stderr);

  socket.write(websocketHandshake(key, channelProtocols.v5));

  let finished = false;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    if (!socket.destroyed) socket.end(closeFrame());
    upstream.end();
  };
  const send = (bytes: Buffer): void => {
    if (!upstream.write(bytes)) {
      socket.pause();
      upstream.once('drain', () => socket.resume());
    }
  };

  const wsDecoder = new FrameDecoder();
  let stdinClosed = false;
  const fromClient = (chunk: Buffer): void => {
    let frames;
    try {
      frames = wsDecoder.push(chunk);
    } catch (err) {
      logger.debug('exec: bad websocket frame', { err: (err as Error).message });
      socket.destroy();
      upstream.destroy();
      return;
    }
    for (const f of frames) {
      if (f.opcode === Opcode.Ping) socket.write(encodeFrame(Opcode.Pong, f.payload));
      else if (f.opcode === Opcode.Close) finish();
      else if (f.opcode === Opcode.Binary || f.opcode === Opcode.Continuation) {
        const m = readChannelMessage(f.payload, true);
        if (m.kind === 'data' && m.channel === Channel.Stdin && ids.stdin && !stdinClosed && m.data.length > 0) send(dataFrame(ids.stdin, m.data));
        else if (m.kind === 'data' && m.channel === Channel.Resize && ids.resize) send(dataFrame(ids.resize, m.data));
        else if (m.kind === 'close' && m.channel === Channel.Stdin && ids.stdin && !stdinClosed) {
          stdinClosed = true;
          send(dataFrame(ids.stdin, Buffer.alloc(0), true));
        }
      }
    }
  };

  const spdyDecoder = new SpdyFrameDecoder();
  const fromRuntime = (chunk: Buffer): void => {
    let frames;
    try {
      frames = spdyDecoder.push(chunk);
    } catch (err) {
      logger.debug('exec: bad spdy frame', { err: (err as Error).message });
      socket.destroy();
      upstream.destroy();
      return;
    }
    for (const f of frames) {
      if (!f.control) {
        const channel = toChannel.get(f.streamId);
        if (channel !== undefined && f.data.length > 0) {
          if (!socket.write(encodeFrame(Opcode.Binary, channelMessage(channel, f.data)))) {
            upstream.pause();
            socket.once('drain', () => upstream.resume());
          }
        }
      } else if (f.type === ControlType.Ping) upstream.write(pingFrame(f.body));
      else if (f.type === ControlType.GoAway) finish();
    }
  };

  socket.on('data', fromClient);
  if (head.length > 0) fromClient(head);
  upstream.on('data', fromRuntime);
  if (rest.length > 0) fromRuntime(rest);
  upstream.resume();
  upstream.once('end', finish);
  upstream.once('error', () => socket.destroy());
  socket.once('error', () => upstream.destroy());
  socket.once('close', () => upstream.destroy());
  await new Promise<void>((resolve) => upstream.once('close', () => resolve()));
}
