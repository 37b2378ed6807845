import t, { type Test } from 'tap';
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket as Client } from 'ws';
import { ApiError } from './errors.js';
import { acceptWebSocket, offeredProtocols, webSocketByteStream, type WebSocket } from './websocket.js';

/** An HTTP server handing each upgrade to `onUpgrade`; resolves with its port. */
async function upgradeServer(t: Test, onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void): Promise<number> {
  const server = createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', onUpgrade);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => server.close());
  return (server.address() as AddressInfo).port;
}

function opened(client: Client): Promise<void> {
  return new Promise((resolve, reject) => {
    client.once('open', () => resolve());
    client.once('error', reject);
  });
}

t.test('the subprotocols a request offers', async (t) => {
  t.same(offeredProtocols('v5.channel.k8s.io, v4.channel.k8s.io'), ['v5.channel.k8s.io', 'v4.channel.k8s.io']);
  t.same(offeredProtocols(['a', 'b, c']), ['a', 'b', 'c']);
  t.same(offeredProtocols(undefined), []);
});

t.test('accepting: the chosen subprotocol, and a malformed handshake left to the caller as a 400', async (t) => {
  const accepted: Promise<WebSocket | ApiError>[] = [];
  const port = await upgradeServer(t, (req, socket, head) => {
    const result = acceptWebSocket(req, socket, head, 'v5.channel.k8s.io').catch((err: ApiError) => {
      socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
      return err;
    });
    accepted.push(result);
  });
  const client = new Client(`ws://127.0.0.1:${port}/`, ['v4.channel.k8s.io', 'v5.channel.k8s.io']);
  await opened(client);
  t.equal(client.protocol, 'v5.channel.k8s.io');
  const ws = await accepted[0];
  t.ok(ws && !(ws instanceof ApiError), 'the server side is open');
  client.close();

  // A name that is not an HTTP token (kubectl's tunnelled port-forward) is still answered.
  const answer = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path: '/',
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Protocol': 'SPDY/3.1+portforward.k8s.io' },
    });
    req.once('upgrade', (res: IncomingMessage, socket: Duplex) => {
      socket.destroy();
      resolve(res);
    });
    req.once('error', reject);
    req.end();
  });
  t.equal(answer.headers['sec-websocket-accept'], 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=', "RFC 6455's example key and answer");
  t.equal(answer.headers['sec-websocket-protocol'], 'v5.channel.k8s.io', 'the protocol the server chose');

  // No key and no version: not a WebSocket handshake.
  const status = await new Promise<number>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { Connection: 'Upgrade', Upgrade: 'websocket' } });
    req.once('response', (res) => resolve(res.statusCode ?? 0));
    req.once('error', reject);
    req.end();
  });
  t.equal(status, 400);
  const err = await accepted[2];
  t.ok(err instanceof ApiError);
  t.match((err as ApiError).status, { code: 400, reason: 'BadRequest', message: /invalid WebSocket upgrade/ });
});

t.test('a WebSocket as a byte stream: messages in, messages out, a normal closure both ways', async (t) => {
  const streams: Duplex[] = [];
  const port = await upgradeServer(t, (req, socket, head) => {
    void acceptWebSocket(req, socket, head, 'portforward.k8s.io').then((ws) => streams.push(webSocketByteStream(ws)));
  });

  // The server ends its stream: the client sees the bytes as binary messages, then code 1000.
  const client = new Client(`ws://127.0.0.1:${port}/`, ['portforward.k8s.io']);
  const received: Buffer[] = [];
  client.on('message', (data: Buffer, isBinary: boolean) => {
    t.ok(isBinary);
    received.push(data);
  });
  const closed = new Promise<number>((resolve) => client.once('close', (code) => resolve(code)));
  await opened(client);
  const server = streams[0];
  if (!server) throw new Error('no server stream');
  let read = '';
  server.on('data', (d: Buffer) => (read += d.toString()));
  const serverClosed = new Promise((r) => server.once('close', r));
  client.send(Buffer.from('from-'));
  client.send('client', { binary: false });
  server.write(Buffer.from('one'));
  server.end(Buffer.from('two'));
  t.equal(await closed, 1000, 'a normal closure');
  t.same(received.map(String), ['one', 'two'], 'each write one message');
  await serverClosed;
  t.equal(read, 'from-client', 'messages (binary or text) read as bytes');

  // The client closes: the server's stream ends.
  const second = new Client(`ws://127.0.0.1:${port}/`, ['portforward.k8s.io']);
  await opened(second);
  const stream = streams[1];
  if (!stream) throw new Error('no server stream');
  const ended = new Promise<void>((resolve) => stream.once('end', () => resolve()));
  stream.resume();
  second.close(1000);
  await ended;
  t.pass('the peer closing ends the readable side');
});

t.test('a byte stream sends writes that queued together each as its own message, in order', async (t) => {
  const streams: Duplex[] = [];
  const port = await upgradeServer(t, (req, socket, head) => {
    void acceptWebSocket(req, socket, head, 'portforward.k8s.io').then((ws) => streams.push(webSocketByteStream(ws)));
  });
  const client = new Client(`ws://127.0.0.1:${port}/`, ['portforward.k8s.io']);
  const received: string[] = [];
  const all = new Promise<void>((resolve) =>
    client.on('message', (data: Buffer) => {
      received.push(data.toString());
      if (received.join('').length === 6) resolve();
    }),
  );
  await opened(client);
  const server = streams[0];
  if (!server) throw new Error('no server stream');
  // Corked writes reach the stream together (its writev).
  server.cork();
  server.write(Buffer.from('a'));
  server.write(Buffer.from('bb'));
  const written = new Promise<void>((resolve, reject) => server.write(Buffer.from('ccc'), (err) => (err ? reject(err) : resolve())));
  server.uncork();
  await written;
  await all;
  t.same(received, ['a', 'bb', 'ccc']);
  client.terminate();
});
