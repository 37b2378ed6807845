import t, { type Test } from 'tap';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isNotFound } from '../machinery/index.js';
import { HttpTransport } from './http.js';

// A plain-HTTP stand-in server whose answers each test scripts, to check
// the transport's handling of bytes on the wire.
type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let handler: Handler = (_req, res) => res.end();
const server = createServer((req, res) => handler(req, res));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
t.teardown(
  () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
);

function transport(t: Test): HttpTransport {
  const tr = new HttpTransport({ server: url });
  t.teardown(() => tr.close());
  return tr;
}

t.test('request sends JSON and the query; decodes the JSON answer', async (t) => {
  let seen: { method?: string; url?: string; type?: string; body?: string } = {};
  handler = (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen = { method: req.method, url: req.url, type: req.headers['content-type'], body };
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
  };
  const res = await transport(t).request({ method: 'POST', path: '/api/v1/x', query: { a: 'b c', d: ['1', '2'], e: undefined }, body: { n: 1 } });
  t.same(res, { code: 201, body: { ok: true } });
  t.same(seen, { method: 'POST', url: '/api/v1/x?a=b+c&d=1&d=2', type: 'application/json', body: '{"n":1}' });
});

t.test('a non-2xx answer without a Status still becomes an ApiError by code', async (t) => {
  handler = (_req, res) => {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('404 page not found');
  };
  const err = await transport(t).request({ method: 'GET', path: '/nowhere' }).catch((e: unknown) => e);
  t.ok(isNotFound(err), 'matches isNotFound');
  t.match((err as Error).message, /404 page not found/);
});

t.test('a 2xx answer with broken JSON is a bad-response ClientError', async (t) => {
  handler = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"half":');
  };
  await t.rejects(transport(t).request({ method: 'GET', path: '/x' }), { name: 'ClientError', code: 'bad-response' });
});

t.test('watch events split anywhere across chunks are reassembled', async (t) => {
  const lines = [
    '{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n',
    '{"type":"MODIFIED","object":{"metadata":{"name":"ü"}}}\n',
    '{"type":"DELETED","object":{"metadata":{"name":"c"}}}',
  ].join('');
  const bytes = Buffer.from(lines);
  let query = '';
  handler = (req, res) => {
    query = req.url ?? '';
    res.writeHead(200, { 'content-type': 'application/json' });
    let i = 0;
    const step = (): void => {
      if (i >= bytes.length) return void res.end();
      res.write(bytes.subarray(i, i + 7));
      i += 7;
      setImmediate(step);
    };
    step();
  };
  const events = [];
  for await (const ev of transport(t).watch({ path: '/api/v1/pods', query: { resourceVersion: '5' } })) events.push(ev);
  t.equal(query, '/api/v1/pods?resourceVersion=5&watch=true');
  t.same(events, [
    { type: 'ADDED', object: { metadata: { name: 'a' } } },
    { type: 'MODIFIED', object: { metadata: { name: 'ü' } } },
    { type: 'DELETED', object: { metadata: { name: 'c' } } },
  ]);
});

t.test('closing a watch aborts its request on the server side', async (t) => {
  let serverSawClose!: () => void;
  const closed = new Promise<void>((resolve) => (serverSawClose = resolve));
  handler = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"type":"ADDED","object":{}}\n');
    res.on('close', () => serverSawClose());
  };
  const watch = transport(t).watch({ path: '/w' });
  const it = watch[Symbol.asyncIterator]();
  t.same((await it.next()).value, { type: 'ADDED', object: {} });
  const pending = it.next();
  watch.close();
  t.same(await pending, { done: true, value: undefined });
  await closed;
  t.pass('the server saw the connection close');
});

t.test('a garbled watch line fails the watch with a bad-response ClientError', async (t) => {
  handler = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('not json\n');
  };
  const watch = transport(t).watch({ path: '/w' });
  await t.rejects(watch[Symbol.asyncIterator]().next(), { name: 'ClientError', code: 'bad-response' });
});

t.test('a refused watch fails its first read with the ApiError', async (t) => {
  handler = (_req, res) => {
    res.writeHead(403, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'no', reason: 'Forbidden', code: 403 }));
  };
  const watch = transport(t).watch({ path: '/w' });
  await t.rejects(watch[Symbol.asyncIterator]().next(), { name: 'ApiError', message: 'no' });
});

t.test('a server that drops the connection mid-watch is a connection-failed ClientError', async (t) => {
  handler = (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"type":"ADDED","object":{}}\n');
    setTimeout(() => req.socket.destroy(), 20);
  };
  const it = transport(t).watch({ path: '/w' })[Symbol.asyncIterator]();
  t.same((await it.next()).value, { type: 'ADDED', object: {} });
  await t.rejects(it.next(), { name: 'ClientError', code: 'connection-failed' });
});

t.test('an aborted signal rejects a request with its reason', async (t) => {
  handler = () => undefined; // never answers
  const abort = new AbortController();
  const pending = transport(t).request({ method: 'GET', path: '/slow', signal: abort.signal });
  setTimeout(() => abort.abort(new Error('gave up')), 20);
  await t.rejects(pending, { message: 'gave up' });
});
