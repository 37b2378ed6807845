import t from 'tap';
import { Duplex, PassThrough } from 'node:stream';
import { failureStatus, StatusReason } from './status.js';
import { isUpgradeRequest, splice, statusResponseBytes, upgradeRequestHead } from './upgrade.js';

t.test('upgrade requests', async (t) => {
  t.ok(isUpgradeRequest({ connection: 'keep-alive, Upgrade', upgrade: 'websocket' }));
  t.notOk(isUpgradeRequest({ connection: 'keep-alive', upgrade: 'websocket' }));
  t.notOk(isUpgradeRequest({ connection: 'upgrade' }));
});

t.test('the head for the next hop keeps the upgrade headers and drops credentials', async (t) => {
  const head = upgradeRequestHead('POST', '/exec/tok?x=1', '127.0.0.1:9', {
    host: 'api:6443',
    authorization: 'Bearer secret',
    connection: 'Upgrade',
    upgrade: 'SPDY/3.1',
    'x-stream-protocol-version': 'v4.channel.k8s.io',
  });
  t.equal(head, 'POST /exec/tok?x=1 HTTP/1.1\r\nHost: 127.0.0.1:9\r\nconnection: Upgrade\r\nupgrade: SPDY/3.1\r\nx-stream-protocol-version: v4.channel.k8s.io\r\n\r\n');
});

t.test('a refusal is a whole HTTP response with the Status', async (t) => {
  const bytes = statusResponseBytes(failureStatus({ code: 400, reason: StatusReason.BadRequest, message: 'no' })).toString();
  t.match(bytes, /^HTTP\/1.1 400 Bad Request\r\nContent-Type: application\/json\r\nContent-Length: \d+\r\nConnection: close\r\n\r\n\{"kind":"Status"/);
});

t.test('splice passes bytes both ways and closes both', async (t) => {
  // Two connections, each a pair of pipes: what a peer sends, and what it receives.
  const end = () => {
    const sent = new PassThrough();
    const received = new PassThrough();
    return { sent, received, conn: Duplex.from({ readable: sent, writable: received }) };
  };
  const a = end();
  const b = end();
  const done = splice(a.conn, b.conn);
  a.sent.write('hello');
  b.sent.write('world');
  await new Promise((r) => setTimeout(r, 10));
  t.equal(String(b.received.read()), 'hello');
  t.equal(String(a.received.read()), 'world');
  a.conn.destroy();
  await done;
  t.ok(b.conn.destroyed);
});
