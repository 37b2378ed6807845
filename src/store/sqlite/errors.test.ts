import t from 'tap';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from '../errors.js';
import { openSqliteDriver, SqliteStoreError } from './index.js';
import { translateSqliteError } from './errors.js';

function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsk8s-sqlite-errors-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

t.test('a missing directory is reported with the path and what to check', async (t) => {
  const path = join(tempDir(t), 'no', 'such', 'state.db');
  t.throws(() => openSqliteDriver(path), { name: 'SqliteStoreError', code: 'cannot-open', path });
  t.throws(() => openSqliteDriver(path), { message: new RegExp(`${path}.*directory exists and is writable`) });
});

t.test('a file that is not a database is reported as corrupt', async (t) => {
  const path = join(tempDir(t), 'state.db');
  writeFileSync(path, Buffer.alloc(8192, 'not a database '));
  t.throws(() => openSqliteDriver(path), { name: 'SqliteStoreError', code: 'corrupt', sqliteCode: 'SQLITE_NOTADB' });
});

t.test('a database from a newer schema is refused', async (t) => {
  const path = join(tempDir(t), 'state.db');
  openSqliteDriver(path).close();
  const db = new Database(path);
  db.pragma('user_version = 99');
  db.close();
  t.throws(() => openSqliteDriver(path), { code: 'newer-schema', message: /newer tsk8s/ });
});

t.test('a new database file is private to its owner', async (t) => {
  const path = join(tempDir(t), 'state.db');
  openSqliteDriver(path).close();
  t.equal(statSync(path).mode & 0o777, 0o600);
});

t.test('SQLite result codes map to the catalogue; other errors pass through', async (t) => {
  const sqlite = (code: string): unknown => translateSqliteError(new Database.SqliteError('x', code), '/data/state.db', true);
  t.match(sqlite('SQLITE_FULL'), { code: 'disk-full', message: /\/data\/state\.db: the disk holding the database is full/ });
  t.match(sqlite('SQLITE_CORRUPT_INDEX'), { code: 'corrupt' });
  t.match(sqlite('SQLITE_READONLY_DBMOVED'), { code: 'read-only' });
  t.match(sqlite('SQLITE_BUSY_SNAPSHOT'), { code: 'busy', message: /another tsk8s server/ });
  t.match(sqlite('SQLITE_IOERR_FSYNC'), { code: 'io' });
  t.match(sqlite('SQLITE_MISMATCH'), { code: 'sqlite', sqliteCode: 'SQLITE_MISMATCH' });
  t.type(sqlite('SQLITE_FULL'), SqliteStoreError);
  const own = new StoreError('lease-not-found');
  t.equal(translateSqliteError(own, '/p', true), own, 'StoreErrors thrown inside write() pass through');
  const plain = new RangeError('bad');
  t.equal(translateSqliteError(plain, '/p', true), plain);
});

t.test('use after close is StoreError closed', async (t) => {
  const d = openSqliteDriver(join(tempDir(t), 'state.db'));
  d.close();
  d.close();
  t.throws(() => d.currentRevision(), { name: 'StoreError', code: 'closed' });
  t.throws(() => d.get(Buffer.from('k')), { name: 'StoreError', code: 'closed' });
});

t.test('a second opener of the same file is refused while the first has it open', async (t) => {
  const path = join(tempDir(t), 'state.db');
  const first = openSqliteDriver(path);
  t.throws(() => openSqliteDriver(path, { busyTimeoutMs: 50 }), { name: 'SqliteStoreError', code: 'busy', message: /another tsk8s server/ });
  first.close();
  const again = openSqliteDriver(path, { busyTimeoutMs: 50 });
  t.equal(again.currentRevision(), 1, 'the file opens once the first owner closed it');
  again.close();
});

t.test('an SQLite database of another program is not taken over', async (t) => {
  const path = join(tempDir(t), 'state.db');
  const db = new Database(path);
  db.exec('CREATE TABLE kine (id INTEGER PRIMARY KEY, name TEXT)');
  db.close();
  t.throws(() => openSqliteDriver(path), { code: 'corrupt', message: /not a tsk8s database.*kine/ });
});
