import t, { type Test } from 'tap';
import { connect as h2connect, type ClientHttp2Session, type IncomingHttpHeaders } from 'node:http2';
import { createServer, type AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { createLogger } from '../../log/logger.js';
import type { StreamCall } from './rpc-call.js';
import { Code, RpcError } from './rpc-error.js';
import { frameMessage, MessageReader } from './rpc-frames.js';
import { RpcServer } from './rpc-server.js';
import { streaming } from './status.js';

// Node's HTTP/2 client speaks raw gRPC framing to an RpcServer whose methods
// take and return strings.

interface Answer {
  headers: IncomingHttpHeaders;
  messages: string[];
  trailers: IncomingHttpHeaders;
}

interface Rig {
  server: RpcServer;
  client: ClientHttp2Session;
  logged: string[];
  call(path: string, body: Buffer[], headers?: Record<string, string>): Promise<Answer>;
}

async function rig(t: Test, maxBytes = 1024): Promise<Rig> {
  const logged: string[] = [];
  const log = createLogger('test', { sink: { write: (line: string) => void logged.push(line) }, level: 'error' });
  const server = new RpcServer(maxBytes, log);
  const text = { decode: (b: Buffer) => b.toString(), encode: (r: unknown) => Buffer.from(String(r)) };
  server.add({ path: '/t.S/Echo', ...text, handler: { kind: 'unary', run: async (req) => `echo ${String(req)}` } });
  server.add({
    path: '/t.S/Fail',
    ...text,
    handler: {
      kind: 'unary',
      run: async (req) => {
        if (req === 'bug') throw new Error('a bug');
        throw new RpcError(Code.NOT_FOUND, `no such thing: ${String(req)} / 100%`);
      },
    },
  });
  const tcp = createServer((socket) => server.inject(socket));
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  const client = h2connect(`http://127.0.0.1:${(tcp.address() as AddressInfo).port}`);
  client.on('error', () => {});
  t.teardown(async () => {
    client.destroy();
    await server.close(100);
    await new Promise((resolve) => tcp.close(resolve));
  });
  const call = (path: string, body: Buffer[], headers: Record<string, string> = {}): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const req = client.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers', ...headers });
      const answer: Answer = { headers: {}, messages: [], trailers: {} };
      const reader = new MessageReader(1 << 20, 'identity');
      req.on('response', (h) => (answer.headers = h));
      req.on('data', (chunk: Buffer) => answer.messages.push(...reader.push(chunk).map((m) => m.toString())));
      req.on('trailers', (h) => (answer.trailers = h));
      req.on('close', () => resolve(answer));
      req.on('error', reject);
      for (const b of body) req.write(b);
      req.end();
    });
  return { server, client, logged, call };
}

t.test('unary: one message in, one out, status in trailers', async (t) => {
  const { call } = await rig(t);
  const a = await call('/t.S/Echo', [frameMessage(Buffer.from('hi'))]);
  t.equal(a.headers[':status'], 200);
  t.equal(a.headers['content-type'], 'application/grpc');
  t.same(a.messages, ['echo hi']);
  t.equal(a.trailers['grpc-status'], '0');
  const split = frameMessage(Buffer.from('in pieces'));
  const b = await call('/t.S/Echo', [split.subarray(0, 3), split.subarray(3, 8), split.subarray(8)]);
  t.same(b.messages, ['echo in pieces'], 'a message cut across DATA frames');

  const zipped = frameMessage(gzipSync(Buffer.from('small')));
  zipped[0] = 1;
  t.same((await call('/t.S/Echo', [zipped], { 'grpc-encoding': 'gzip' })).messages, ['echo small'], 'gzip requests inflated');
  const odd = await call('/t.S/Echo', [zipped], { 'grpc-encoding': 'br' });
  t.equal(odd.headers['grpc-status'], String(Code.UNIMPLEMENTED), 'unknown encodings refused');
});

t.test('failures are trailers-only answers', async (t) => {
  const { call, logged } = await rig(t, 16);
  const failed = await call('/t.S/Fail', [frameMessage(Buffer.from('x'))]);
  t.equal(failed.headers['grpc-status'], String(Code.NOT_FOUND), 'the handler status');
  t.equal(decodeURI(String(failed.headers['grpc-message'])), 'no such thing: x / 100%', 'details percent-encoded');
  t.same(failed.messages, []);

  const bug = await call('/t.S/Fail', [frameMessage(Buffer.from('bug'))]);
  t.equal(bug.headers['grpc-status'], String(Code.INTERNAL), 'anything but an RpcError is INTERNAL');
  t.match(logged.join('\n'), /a bug/, 'and logged');

  const unknown = await call('/t.S/Nope', [frameMessage(Buffer.from('x'))]);
  t.equal(unknown.headers['grpc-status'], String(Code.UNIMPLEMENTED));
  t.match(decodeURI(String(unknown.headers['grpc-message'])), 'does not implement the method /t.S/Nope');

  const big = await call('/t.S/Echo', [frameMessage(Buffer.alloc(17, 'x'))]);
  t.equal(big.headers['grpc-status'], String(Code.RESOURCE_EXHAUSTED));
  t.match(decodeURI(String(big.headers['grpc-message'])), 'larger than max (17 vs. 16)');

  const none = await call('/t.S/Echo', []);
  t.equal(none.headers['grpc-status'], String(Code.INTERNAL), 'a unary call without a request');

  const notGrpc = await call('/t.S/Echo', [frameMessage(Buffer.from('x'))], { 'content-type': 'application/json' });
  t.equal(notGrpc.headers[':status'], 415, 'not gRPC: 415');

  t.same((await call('/t.S/Echo', [frameMessage(Buffer.from('ok'))])).messages, ['echo ok'], 'still serving');
});

t.test('streaming: requests in order, responses, half-close, status', async (t) => {
  const { server, client } = await rig(t);
  const events: string[] = [];
  let cancelled: () => void = () => {};
  const wasCancelled = new Promise<void>((resolve) => (cancelled = resolve));
  server.add({
    path: '/t.S/Chat',
    decode: (b) => b.toString(),
    encode: (r) => Buffer.from(String(r)),
    handler: streaming<string, string>((call: StreamCall<string, string>) => {
      call.onRequest((req) => {
        events.push(`req ${req}`);
        if (req === 'fail') call.fail(new RpcError(Code.ABORTED, 'as asked'));
        else call.write(`re ${req}`);
      });
      call.onHalfClose(() => {
        events.push('half-close');
        call.end();
      });
      call.onCancel(() => {
        events.push('cancel');
        cancelled();
      });
    }),
  });
  const open = () => {
    const req = client.request({ ':method': 'POST', ':path': '/t.S/Chat', 'content-type': 'application/grpc+proto' });
    const got: string[] = [];
    let trailers: IncomingHttpHeaders = {};
    const reader = new MessageReader(1 << 20, 'identity');
    req.on('data', (chunk: Buffer) => got.push(...reader.push(chunk).map((m) => m.toString())));
    req.on('trailers', (h) => (trailers = h));
    req.on('response', (h) => h['grpc-status'] !== undefined && (trailers = h));
    // The call is over when its status is in (the client may still hold its side open).
    const closed = new Promise<void>((resolve) => {
      req.on('trailers', () => resolve());
      req.on('response', (h) => h['grpc-status'] !== undefined && resolve());
    });
    return { req, got, closed, trailers: () => trailers };
  };

  const a = open();
  a.req.write(frameMessage(Buffer.from('1')));
  a.req.write(frameMessage(Buffer.from('2')));
  a.req.end();
  await a.closed;
  t.same(a.got, ['re 1', 're 2']);
  t.equal(a.trailers()['grpc-status'], '0');
  t.same(events, ['req 1', 'req 2', 'half-close']);

  events.length = 0;
  const b = open();
  b.req.write(frameMessage(Buffer.from('fail')));
  await b.closed;
  t.equal(b.trailers()['grpc-status'], String(Code.ABORTED), 'a failed stream ends with its status');
  b.req.close();
  t.same(events, ['req fail'], 'no cancel for a stream the server ended');

  events.length = 0;
  const c = open();
  c.req.write(frameMessage(Buffer.from('x')));
  await new Promise((resolve) => c.req.once('data', resolve));
  c.req.close();
  await wasCancelled;
  t.same(events, ['req x', 'cancel'], 'a client reset cancels the call');
});

t.test('close lets calls in flight finish, then refuses new ones', async (t) => {
  const { server, call } = await rig(t);
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  server.add({
    path: '/t.S/Slow',
    decode: (b) => b.toString(),
    encode: (r) => Buffer.from(String(r)),
    handler: { kind: 'unary', run: async () => gate.then(() => 'done') },
  });
  const inFlight = call('/t.S/Slow', [frameMessage(Buffer.from('x'))]);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const closed = server.close(5000);
  release();
  t.same((await inFlight).messages, ['done'], 'the call in flight was answered');
  await closed;
  await t.rejects(call('/t.S/Echo', [frameMessage(Buffer.from('x'))]), 'the connection is gone');
});
