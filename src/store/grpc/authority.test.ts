import t, { type Test } from 'tap';
import { connect as h2connect, constants, createServer as h2server, sensitiveHeaders, type IncomingHttpHeaders } from 'node:http2';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../log/logger.js';
import { AuthorityRewriter } from './authority.js';
import { rewriting } from './listener.js';

// Node's own HTTP/2 client (nghttp2's HPACK encoder: Huffman strings,
// dynamic-table indexing, CONTINUATION for large blocks) talks through the
// rewriter to Node's HTTP/2 server, which would reset a stream whose
// :authority is a path.

interface Rig {
  /** Sends one request with `headers` and resolves with what the server saw. */
  request(headers: Record<string, string | string[]>, extra?: { sensitive?: string[] }): Promise<IncomingHttpHeaders>;
  /** Raw client→server bytes seen so far. */
  clientBytes(): Buffer;
}

async function rig(t: Test, rewrite: boolean): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), 'tsk8s-authority-'));
  const path = join(dir, 's.sock');
  const server = h2server();
  server.on('stream', (stream, headers) => {
    stream.respond({ ':status': 200 });
    stream.end(JSON.stringify(headers));
  });
  const recorded: Buffer[] = [];
  const sockets: Socket[] = [];
  const listener = createServer((socket) => {
    sockets.push(socket);
    socket.on('data', (d: Buffer) => recorded.push(Buffer.from(d)));
    server.emit('connection', rewrite ? rewriting(socket, silentLogger) : socket);
  });
  await new Promise<void>((r) => listener.listen(path, r));
  const session = h2connect('http://localhost', { createConnection: () => connect(path) });
  session.on('error', () => {});
  t.teardown(() => {
    session.destroy();
    for (const s of sockets) s.destroy();
    listener.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    request: (headers, extra = {}) =>
      new Promise((resolve, reject) => {
        const req = session.request({ ':path': '/x', ...headers, [sensitiveHeaders]: extra.sensitive ?? [] });
        let body = '';
        req.on('data', (d: Buffer) => (body += d.toString()));
        req.on('end', () => resolve(JSON.parse(body) as IncomingHttpHeaders));
        req.on('close', () => {
          if (req.rstCode && req.rstCode !== constants.NGHTTP2_NO_ERROR) reject(new Error(`reset ${req.rstCode}`));
        });
        req.on('error', reject);
        req.end();
      }),
    clientBytes: () => Buffer.concat(recorded),
  };
}

t.test('without the rewriter, a path as :authority is refused (the problem)', async (t) => {
  const r = await rig(t, false);
  await t.rejects(r.request({ ':authority': '/var/lib/tsk8s/etcd.sock' }), { message: /PROTOCOL_ERROR|reset 1/ });
});

t.test('requests keep every header but :authority, which becomes localhost', async (t) => {
  const r = await rig(t, true);
  const bad = ['/var/lib/tsk8s/server/db/etcd.sock', 'http://127.0.0.1:2379', '127.0.0.1:2379'];
  for (let i = 0; i < 6; i++) {
    // Repeats make nghttp2 index these fields and later refer to its dynamic table.
    const seen = await r.request(
      { ':authority': bad[i % bad.length]!, 'x-repeat': 'same-value-every-time', 'x-count': String(i), 'x-secret': 'hidden', 'x-list': ['a', 'b'] },
      { sensitive: ['x-secret'] },
    );
    t.equal(seen[':authority'], 'localhost', `request ${i}`);
    t.equal(seen['x-repeat'], 'same-value-every-time');
    t.equal(seen['x-count'], String(i));
    t.equal(seen['x-secret'], 'hidden', 'never-indexed fields pass');
    t.equal(seen['x-list'], 'a, b');
    t.equal(seen[':path'], '/x');
  }
});

t.test('a header block larger than a frame (CONTINUATION) is re-framed', async (t) => {
  const r = await rig(t, true);
  const big = 'y'.repeat(20_000);
  const seen = await r.request({ ':authority': '/a/path', 'x-big': big });
  t.equal(seen['x-big'], big);
  t.equal(seen[':authority'], 'localhost');
});

t.test('the rewriter gives the same bytes however the input is cut', async (t) => {
  const r = await rig(t, true);
  for (let i = 0; i < 3; i++) await r.request({ ':authority': '/p', 'x-n': String(i), 'x-big': 'z'.repeat(17_000) });
  const input = r.clientBytes();
  const whole = Buffer.concat(new AuthorityRewriter().push(input));
  const bytewise = new AuthorityRewriter();
  const parts: Buffer[] = [];
  for (let i = 0; i < input.length; i += 7) parts.push(...bytewise.push(input.subarray(i, i + 7)).map((b) => Buffer.from(b)));
  t.ok(whole.length > 0);
  t.same(Buffer.concat(parts), whole);
});

t.test('garbage is refused', async (t) => {
  t.throws(() => new AuthorityRewriter().push(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')), /not an HTTP\/2 client/);
});
