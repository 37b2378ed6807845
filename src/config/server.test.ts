import t from 'tap';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './errors.js';
import { prepareDataDir, resolveServerConfig } from './server.js';

t.test('resolves the data dir layout from --data-dir', async (t) => {
  const config = resolveServerConfig({ dataDir: '/srv/k' });
  t.equal(config.dbPath, '/srv/k/server/db/state.db');
  t.equal(config.etcdSocket, '/srv/k/server/db/etcd.sock');
  t.equal(config.etcdListen, undefined);
  t.equal(config.logLevel, 'info');
});

t.test('--etcd-listen accepts loopback addresses only', async (t) => {
  t.equal(resolveServerConfig({ etcdListen: '2379' }).etcdListen, '127.0.0.1:2379');
  t.equal(resolveServerConfig({ etcdListen: '[::1]:2380' }).etcdListen, '[::1]:2380');
  for (const bad of ['0.0.0.0:2379', '10.0.0.1:2379', '127.0.0.1:99999', 'x']) {
    t.throws(() => resolveServerConfig({ etcdListen: bad }), { code: 'bad-flag', message: /--etcd-listen/ }, bad);
  }
});

t.test('an unknown --log-level names the flag', async (t) => {
  t.throws(() => resolveServerConfig({ logLevel: 'loud' }), new ConfigError('bad-flag', '--log-level must be one of debug, info, warn, error (got "loud")'));
});

t.test('prepareDataDir creates the layout and refuses a file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tsk8s-config-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const config = resolveServerConfig({ dataDir: join(dir, 'data') });
  prepareDataDir(config);
  const db = statSync(config.dbDir);
  t.ok(db.isDirectory(), 'the db dir exists');
  t.equal(db.mode & 0o777, 0o700, 'only the owner may read the db dir');
  const file = join(dir, 'file');
  writeFileSync(file, 'x');
  t.throws(() => prepareDataDir(resolveServerConfig({ dataDir: file })), { code: 'data-dir', message: /exists and is not a directory/ });
  t.throws(() => prepareDataDir(resolveServerConfig({ dataDir: join(file, 'sub') })), { code: 'data-dir', message: /is not usable/ });
});
