// exec and attach for WebSocket `v5.channel.k8s.io` clients (kubectl 1.30+
// offers nothing else). The runtime's streaming server predates v5, so the
// kubelet ends the WebSocket here and opens the session to the runtime as a
// SPDY client of the v4 remote-command protocol: one stream per standard
// stream (typed by the `streamType` header) plus `error` and, with a tty,
// `resize`. Channel messages become data on the matching stream and back;
// v5's CLOSE of stdin becomes the end of the stdin stream, which v4 over
// WebSocket cannot express.
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../../log/logger.js';
import { Channel, channelMessage, channelProtocols, readChannelMessage } from '../../machinery/channels.js';
import { asApiError, internalError } from '../../machinery/index.js';
import { ControlType, dataFrame, HeaderWriter, pingFrame, SpdyFrameDecoder, synStreamFrame } from '../../machinery/spdy.js';
import { refuseUpgrade } from '../../machinery/upgrade.js';
import { acceptWebSocket, normalClosure, type WebSocket } from '../../machinery/websocket.js';
import { spdyToRuntime } from './stream.js';

export interface SessionStreams {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** Output queued towards the client above which the runtime connection is paused. */
const clientHighWater = 1024 * 1024;

/** Serves a v5 WebSocket exec or attach against the runtime's SPDY endpoint. */
export async function serveV5Session(streamUrl: string, req: IncomingMessage, socket: Duplex, head: Buffer, streams: SessionStreams, logger: Logger): Promise<void> {
  let upstream: Socket;
  try {
    upstream = await spdyToRuntime(streamUrl, '', channelProtocols.v4);
  } catch (err) {
    logger.warn('exec refused by the runtime', { err: (err as Error).message });
    refuseUpgrade(socket, internalError(err).status);
    return;
  }
  let ws: WebSocket;
  try {
    ws = await acceptWebSocket(req, socket, head, channelProtocols.v5);
  } catch (err) {
    upstream.destroy();
    refuseUpgrade(socket, asApiError(err).status);
    return;
  }

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

  const toRuntime = (bytes: Buffer): void => {
    if (!upstream.write(bytes)) {
      ws.pause();
      upstream.once('drain', () => ws.resume());
    }
  };
  let paused = false;
  const toClient = (message: Buffer): void => {
    ws.send(message, { binary: true }, () => {
      if (paused && ws.bufferedAmount < clientHighWater) {
        paused = false;
        upstream.resume();
      }
    });
    if (!paused && ws.bufferedAmount >= clientHighWater) {
      paused = true;
      upstream.pause();
    }
  };
  /** The runtime has ended the session: close the WebSocket normally (client-go reads any other code as an error). */
  const finish = (): void => {
    ws.close(normalClosure);
    upstream.end();
  };

  let stdinClosed = false;
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (!isBinary) return;
    const m = readChannelMessage(data, true);
    if (m.kind === 'data' && m.channel === Channel.Stdin && ids.stdin && !stdinClosed && m.data.length > 0) toRuntime(dataFrame(ids.stdin, m.data));
    else if (m.kind === 'data' && m.channel === Channel.Resize && ids.resize) toRuntime(dataFrame(ids.resize, m.data));
    else if (m.kind === 'close' && m.channel === Channel.Stdin && ids.stdin && !stdinClosed) {
      stdinClosed = true;
      toRuntime(dataFrame(ids.stdin, Buffer.alloc(0), true));
    }
  });

  const spdyDecoder = new SpdyFrameDecoder();
  upstream.on('data', (chunk: Buffer) => {
    let frames;
    try {
      frames = spdyDecoder.push(chunk);
    } catch (err) {
      logger.debug('exec: bad spdy frame', { err: (err as Error).message });
      ws.terminate();
      upstream.destroy();
      return;
    }
    for (const f of frames) {
      if (!f.control) {
        const channel = toChannel.get(f.streamId);
        if (channel !== undefined && f.data.length > 0) toClient(channelMessage(channel, f.data));
      } else if (f.type === ControlType.Ping) upstream.write(pingFrame(f.body));
      else if (f.type === ControlType.GoAway) finish();
    }
  });
  upstream.once('end', finish);
  upstream.once('error', () => ws.terminate());
  ws.once('error', () => upstream.destroy());
  ws.once('close', () => upstream.destroy());
  upstream.resume();
  await new Promise<void>((resolve) => (upstream.destroyed ? resolve() : upstream.once('close', () => resolve())));
}
