import t, { type Test } from 'tap';
import { connect as h2connect, createServer as h2server, type IncomingHttpHeaders } from 'node:http2';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { silentLogger } from '../../log/logger.js';
import { peekClient } from './authority-peek.js';
import { route } from './listener.js';

// Node's HTTP/2 client talks to Node's HTTP/2 server through route(), over
// TCP or a unix socket, one connection per request.

interface Outcome {
  /** What the server saw for the request. */
  headers: IncomingHttpHeaders;
  /** Whether route() handed on the socket itself (not a rewriting wrapper). */
  raw: boolean;
  /** The client's bytes up to and including the first request. */
  clientBytes: Buffer;
}

/** `grpcJsSettings`: list SETTINGS_INITIAL_WINDOW_SIZE, as grpc-js does. */
async function oneRequest(
  t: Test,
  unix: boolean,
  grpcJsSettings: boolean,
  authority: string,
  extra: Record<string, string> = {},
): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), 'tsk8s-peek-'));
  const path = join(dir, 's.sock');
  const server = h2server();
  server.on('stream', (stream, headers) => {
    stream.respond({ ':status': 200 });
    stream.end(JSON.stringify(headers));
  });
  const recorded: Buffer[] = [];
  const sockets: Socket[] = [];
  let raw: boolean | undefined;
  const listener = createServer((socket) => {
    sockets.push(socket);
    socket.on('data', (d: Buffer) => recorded.push(Buffer.from(d)));
    route(socket, unix, silentLogger, (conn: Duplex) => {
      raw = conn === socket;
      server.emit('connection', conn);
    });
  });
  await new Promise<void>((r) => (unix ? listener.listen(path, r) : listener.listen(0, '127.0.0.1', r)));
  const port = (listener.address() as AddressInfo).port;
  const session = h2connect('http://localhost', {
    createConnection: () => (unix ? connect(path) : connect(port, '127.0.0.1')),
    ...(grpcJsSettings ? { settings: { initialWindowSize: 65535 } } : {}),
  });
  session.on('error', () => {});
  t.teardown(() => {
    session.destroy();
    for (const s of sockets) s.destroy();
    listener.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const headers = await new Promise<IncomingHttpHeaders>((resolve, reject) => {
    const req = session.request({ ':path': '/x', ':authority': authority, ...extra });
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => resolve(JSON.parse(body) as IncomingHttpHeaders));
    req.on('error', reject);
    req.end();
  });
  return { headers, raw: raw === true, clientBytes: Buffer.concat(recorded) };
}

t.test('a grpc-js-like client over TCP keeps the native socket; requests are served as sent', async (t) => {
  const out = await oneRequest(t, false, true, '127.0.0.1:2379', { 'x-big': '#'.repeat(20_000) });
  t.equal(out.raw, true);
  t.equal(out.headers[':authority'], '127.0.0.1:2379');
  t.equal(out.headers['x-big'], '#'.repeat(20_000), 'bytes read before the hand-over reach the server');
  t.same(peekClient(out.clientBytes), { done: true, native: true });
});

t.test('other clients over TCP, and every unix-socket client, go through the rewriter', async (t) => {
  const tcp = await oneRequest(t, false, false, 'http://127.0.0.1:2379');
  t.equal(tcp.raw, false);
  t.equal(tcp.headers[':authority'], 'localhost');
  const unix = await oneRequest(t, true, true, '/var/lib/tsk8s/server/db/etcd.sock');
  t.equal(unix.raw, false);
  t.equal(unix.headers[':authority'], 'localhost');
});

t.test('the decision needs the preface and the whole first SETTINGS frame', async (t) => {
  const preface = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
  // What grpc-js sends first (SETTINGS_INITIAL_WINDOW_SIZE = 65535), and etcdctl 3.4 (empty SETTINGS).
  const node = Buffer.concat([preface, Buffer.from('000006040000000000000400' + '00ffff', 'hex')]);
  const go = Buffer.concat([preface, Buffer.from('000000040000000000', 'hex')]);
  for (let n = 0; n < node.length; n++) t.same(peekClient(node.subarray(0, n)), { done: false }, `${n} bytes`);
  t.same(peekClient(node), { done: true, native: true });
  t.same(peekClient(go.subarray(0, go.length - 1)), { done: false });
  t.same(peekClient(go), { done: true, native: false });
  const windowUpdateFirst = Buffer.concat([preface, Buffer.from('000004080000000000000f0001', 'hex')]);
  t.same(peekClient(windowUpdateFirst), { done: true, native: false }, 'no SETTINGS first: rewriter');
  t.throws(() => peekClient(Buffer.from('GET / HTTP/1.1\r\n')), /not an HTTP\/2 client/);
});
