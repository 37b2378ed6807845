import t, { type Test } from 'tap';
import { status } from '@grpc/grpc-js';
import { mkdtempSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../../src/log/logger.js';
import { serveEtcd } from '../../../src/store/grpc/server.js';
import { openMemoryBackend } from '../../../src/store/memory/index.js';
import { b, rawClient, StreamReader } from './harness.js';

// serveEtcd's lifecycle: the socket file, a second server on the same path,
// and close() with streams still open.

const tempDir = (t: Test): string => {
  const dir = mkdtempSync(join(tmpdir(), 'tsk8s-etcd-server-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

t.test('the socket is owner-only, a stale one is replaced, a live one is refused', async (t) => {
  const dir = tempDir(t);
  const socket = join(dir, 'etcd.sock');
  // A socket file left behind by a process that died.
  const stale = createServer();
  await new Promise<void>((r) => stale.listen(socket, r));
  await new Promise<void>((r) => {
    stale.close(() => r());
  });
  writeFileSync(join(dir, 'keep'), '');
  const backend = openMemoryBackend();
  t.teardown(() => backend.close());
  const first = serveEtcd(backend, { socketPath: socket, logger: silentLogger });
  t.teardown(() => first.close());
  await first.ready;
  t.equal(statSync(socket).mode & 0o777, 0o600);
  t.same(first.addresses, [`unix://${socket}`]);

  const second = serveEtcd(backend, { socketPath: socket, logger: silentLogger });
  await t.rejects(second.ready, { message: /in use by another server/ });
  const notSocket = serveEtcd(backend, { socketPath: join(dir, 'keep'), logger: silentLogger });
  await t.rejects(notSocket.ready, { message: /exists and is not a socket/ });
  t.ok(existsSync(join(dir, 'keep')), 'a file that is not a socket is left alone');
  t.throws(() => serveEtcd(backend, { logger: silentLogger }), /needs a socketPath, a tcpAddress or both/);
});

t.test('close() ends open streams with UNAVAILABLE, removes the socket, and is idempotent', async (t) => {
  const dir = tempDir(t);
  const socket = join(dir, 'etcd.sock');
  const backend = openMemoryBackend();
  t.teardown(() => backend.close());
  const server = serveEtcd(backend, { socketPath: socket, tcpAddress: '127.0.0.1:0', logger: silentLogger });
  await server.ready;
  const c = rawClient(t, `unix://${socket}`);
  const watch = new StreamReader(c.stream('Watch', 'Watch'));
  watch.call.write({ create_request: { key: b('/a') } });
  await watch.next();
  const grant = (await c.lease('LeaseGrant', { TTL: '60' })) as { ID: string };
  const keepAlive = new StreamReader(c.stream('Lease', 'LeaseKeepAlive'));
  keepAlive.call.write({ ID: grant.ID });
  t.match(await keepAlive.next(), { ID: grant.ID, TTL: '60' });

  const started = Date.now();
  await Promise.all([server.close(), server.close()]);
  t.ok(Date.now() - started < 1500, 'no wait for the shutdown grace period');
  t.match(await watch.status(), { code: status.UNAVAILABLE, details: 'etcdserver: server stopped' });
  t.match(await keepAlive.status(), { code: status.UNAVAILABLE });
  t.notOk(existsSync(socket), 'socket removed');
  await server.close();
});
