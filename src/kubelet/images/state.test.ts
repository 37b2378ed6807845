import t from 'tap';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../log/logger.js';
import { fileSha256, loadImportState } from './state.js';

const work = mkdtempSync(join(tmpdir(), 'tsk8s-import-state-'));
t.teardown(() => rmSync(work, { recursive: true, force: true }));
const lines: string[] = [];
const log = createLogger('images', { sink: { write: (l) => lines.push(l) } });

t.test('saves and loads what was imported; forgets archives that are gone', async (t) => {
  const path = join(work, 'sub', 'state.json');
  const archive = join(work, 'a.tar');
  writeFileSync(archive, 'abc');
  const sha256 = await fileSha256(archive);
  t.equal(sha256, 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  const state = loadImportState(path, log);
  state.set(archive, { sha256, size: 3, mtimeMs: 1, names: ['a.io/a:1'] });
  state.set(join(work, 'gone.tar'), { sha256: 'x', size: 1, mtimeMs: 1, names: [] });
  state.prune();
  state.save();
  const again = loadImportState(path, log);
  t.same(again.get(archive), { sha256, size: 3, mtimeMs: 1, names: ['a.io/a:1'] });
  t.same(again.withContent(sha256, 3)?.names, ['a.io/a:1']);
  t.equal(again.withContent(sha256, 4), undefined);
  t.equal(again.get(join(work, 'gone.tar')), undefined);
  t.match(JSON.parse(readFileSync(path, 'utf8')), { version: 1 });
});

t.test('an unreadable or foreign state file is ignored with a warning', async (t) => {
  const path = join(work, 'bad.json');
  writeFileSync(path, '{not json');
  lines.length = 0;
  t.equal(loadImportState(path, log).get('x'), undefined);
  t.match(lines.join(''), /warn  images: ignoring an unreadable image import state/);
  writeFileSync(path, JSON.stringify({ version: 99, archives: { x: {} } }));
  t.equal(loadImportState(path, log).get('x'), undefined);
  writeFileSync(path, JSON.stringify({ version: 1, archives: { x: { sha256: 1 }, y: { sha256: 'y', size: 1, mtimeMs: 2, names: ['n'] } } }));
  const state = loadImportState(path, log);
  t.equal(state.get('x'), undefined, 'a malformed entry is dropped');
  t.ok(state.get('y'));
  t.equal(loadImportState(undefined, log).get('x'), undefined, 'no file: in memory only');
});
