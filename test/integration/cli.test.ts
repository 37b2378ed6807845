import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tsk8sBin } from '../helpers/bin.js';

// Drives the built executable the way a user does (`npm run build` first).
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
const run = promisify(execFile);

async function tsk8s(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(tsk8sBin, args, { timeout: 20_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

t.test('--version prints the package version', async (t) => {
  const r = await tsk8s('--version');
  t.equal(r.code, 0);
  t.equal(r.stdout.trim(), pkg.version);
});

t.test('--help lists the server command', async (t) => {
  const r = await tsk8s('--help');
  t.equal(r.code, 0);
  t.match(r.stdout, /Usage: tsk8s/);
  t.match(r.stdout, /server/);
});

t.test('server --help lists its flags', async (t) => {
  const r = await tsk8s('server', '--help');
  t.equal(r.code, 0);
  for (const flag of ['--data-dir', '--etcd-listen', '--log-level']) t.match(r.stdout, flag);
});

t.test('an unknown flag prints one clear line and exits non-zero', async (t) => {
  const r = await tsk8s('server', '--no-such-flag');
  t.not(r.code, 0);
  t.equal(r.stderr.trim().split('\n').length, 1);
  t.match(r.stderr, /unknown option '--no-such-flag'/);
});

t.test('a bad flag value names the flag', async (t) => {
  const r = await tsk8s('server', '--etcd-listen', '10.1.2.3:2379');
  t.equal(r.code, 1);
  t.equal(r.stderr.trim(), 'tsk8s: --etcd-listen must be a loopback address like 127.0.0.1:2379 (got "10.1.2.3:2379")');
});

t.test('an unusable --data-dir prints one line and exits non-zero', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tsk8s-cli-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'not-a-dir');
  writeFileSync(file, '');
  const r = await tsk8s('server', '--data-dir', file);
  t.equal(r.code, 1);
  t.equal(r.stderr.trim(), `tsk8s: --data-dir ${file} exists and is not a directory`);
});
