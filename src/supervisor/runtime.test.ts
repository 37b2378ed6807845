import t, { type Test } from 'tap';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../log/logger.js';
import { isSupervisorError } from './errors.js';
import { readManifest, runtimeFiles, setHash } from './manifest.js';
import { defaultRuntimeDir, installRuntime, verifiedMarker } from './runtime.js';

// A fake runtime: small files standing in for the binaries, and a manifest
// written the way scripts/fetch-runtime.sh writes it.
function fakeRuntime(t: Test): { dir: string; hash: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tsk8s-runtime-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'bin'));
  const files: Record<string, { sha256: string; size: number; package: string }> = {};
  for (const name of runtimeFiles) {
    const body = `#!/bin/sh\necho ${name}\n`;
    writeFileSync(join(dir, 'bin', name), body, { mode: 0o644 });
    files[name] = { sha256: createHash('sha256').update(body).digest('hex'), size: body.length, package: 'fake' };
  }
  const hash = setHash(files);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ hash, packages: { containerd: '1.6.20~test', runc: '1.1.5~test' }, files }));
  return { dir, hash };
}

function dataDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsk8s-data-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

t.test('installs every file into data/<hash>/bin, executable, with a marker', async (t) => {
  const rt = fakeRuntime(t);
  const data = dataDir(t);
  const got = await installRuntime({ dataDir: data, runtimeDir: rt.dir });
  t.equal(got.binDir, join(data, 'data', rt.hash, 'bin'));
  t.equal(got.installed, true);
  t.same(got.packages, { containerd: '1.6.20~test', runc: '1.1.5~test' });
  t.same(readdirSync(got.binDir).sort(), [...runtimeFiles].sort());
  for (const name of runtimeFiles) t.equal(statSync(join(got.binDir, name)).mode & 0o777, 0o755, `${name} is 0755`);
  t.match(JSON.parse(readFileSync(join(data, 'data', rt.hash, verifiedMarker), 'utf8')), { hash: rt.hash });
  t.same(readdirSync(join(data, 'data')), [rt.hash], 'no staging dir is left behind');
});

t.test('a second start reuses the verified install without copying', async (t) => {
  const rt = fakeRuntime(t);
  const data = dataDir(t);
  await installRuntime({ dataDir: data, runtimeDir: rt.dir });
  // A changed source would fail a full check; the cheap check does not read it.
  writeFileSync(join(rt.dir, 'bin', 'ctr'), 'X'.repeat(statSync(join(rt.dir, 'bin', 'ctr')).size));
  const again = await installRuntime({ dataDir: data, runtimeDir: rt.dir });
  t.equal(again.installed, false);
});

t.test('a tampered file is refused, naming the file, and nothing is installed', async (t) => {
  const rt = fakeRuntime(t);
  const data = dataDir(t);
  const runc = join(rt.dir, 'bin', 'runc');
  writeFileSync(runc, readFileSync(runc, 'utf8').replace('runc', 'evil'));
  const err = await installRuntime({ dataDir: data, runtimeDir: rt.dir }).catch((e: unknown) => e);
  t.ok(isSupervisorError(err, 'runtime-corrupt'), 'runtime-corrupt');
  t.match(err, { message: /runtime file runc .* has sha256 [0-9a-f]{64}; the manifest says/, path: runc, suggestion: /fetch-runtime\.sh --force/ });
  t.notOk(existsSync(join(data, 'data', rt.hash)), 'no install dir');
  t.same(readdirSync(join(data, 'data')), [], 'no staging dir');
});

t.test('a missing file is named', async (t) => {
  const rt = fakeRuntime(t);
  rmSync(join(rt.dir, 'bin', 'portmap'));
  await t.rejects(installRuntime({ dataDir: dataDir(t), runtimeDir: rt.dir }), { code: 'runtime-corrupt', message: /runtime file portmap is missing/ });
});

t.test('a damaged install is replaced from the bundle', async (t) => {
  const rt = fakeRuntime(t);
  const data = dataDir(t);
  const first = await installRuntime({ dataDir: data, runtimeDir: rt.dir });
  truncateSync(join(first.binDir, 'containerd'), 3);
  const lines: string[] = [];
  const logger = createLogger('supervisor', { sink: { write: (l) => lines.push(l) } });
  const again = await installRuntime({ dataDir: data, runtimeDir: rt.dir, logger });
  t.equal(again.installed, true);
  t.equal(statSync(join(again.binDir, 'containerd')).size, readFileSync(join(rt.dir, 'bin', 'containerd')).length);
  t.match(lines.join(''), /installed runtime is damaged; installing it again .*problem="containerd has 3 bytes/);
});

t.test('no runtime at all says how to get one', async (t) => {
  const err = await installRuntime({ dataDir: dataDir(t), runtimeDir: join(tmpdir(), 'tsk8s-no-such-runtime') }).catch((e: unknown) => e);
  t.ok(isSupervisorError(err, 'runtime-missing'));
  t.match(err, { suggestion: 'run scripts/fetch-runtime.sh' });
});

t.test('a manifest must list every file the supervisor needs and hash them consistently', async (t) => {
  const rt = fakeRuntime(t);
  const path = join(rt.dir, 'manifest.json');
  const good = JSON.parse(readFileSync(path, 'utf8')) as { hash: string; files: Record<string, unknown> };
  const withoutShim = structuredClone(good);
  delete withoutShim.files['containerd-shim-runc-v2'];
  writeFileSync(path, JSON.stringify({ ...withoutShim, hash: setHash(withoutShim.files as Record<string, { sha256: string }>) }));
  t.throws(() => readManifest(path), { code: 'runtime-manifest', message: /lists no containerd-shim-runc-v2/ });
  writeFileSync(path, JSON.stringify({ ...good, hash: 'a'.repeat(64) }));
  t.throws(() => readManifest(path), { code: 'runtime-manifest', message: /does not match the files/ });
  writeFileSync(path, '{');
  t.throws(() => readManifest(path), { code: 'runtime-manifest', message: /is not JSON/ });
  writeFileSync(path, JSON.stringify({ ...good, files: { ...good.files, '../x': { sha256: 'a'.repeat(64), size: 1 } } }));
  t.throws(() => readManifest(path), { code: 'runtime-manifest', message: /not a plain name/ });
});

t.test('the set hash is what sha256sum computes over the sorted files', async (t) => {
  const rt = fakeRuntime(t);
  const names = [...runtimeFiles].sort();
  const shell = execFileSync('sh', ['-c', `cd "${join(rt.dir, 'bin')}" && sha256sum ${names.join(' ')} | sha256sum`], { encoding: 'utf8' });
  t.equal(rt.hash, shell.split(' ')[0]);
});

const bundled = join(defaultRuntimeDir(), 'manifest.json');
t.test('the fetched runtime has a valid manifest', { skip: existsSync(bundled) ? false : 'runtime/ is not fetched: run scripts/fetch-runtime.sh' }, async (t) => {
  const m = readManifest(bundled);
  t.match(m.packages, { containerd: /^1\.6\./, runc: String, 'containernetworking-plugins': String });
});
