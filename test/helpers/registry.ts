// A real image registry for pull tests: Debian's docker-registry (the
// distribution project's registry) listening on 127.0.0.1:<port> INSIDE a
// test network namespace, so the node's containerd, which runs in that
// namespace, reaches it on its own loopback and nothing touches the host's.
// Storage and config live in a temp dir; with `auth` the registry demands
// basic auth from an htpasswd file (bcrypt hashes, made with python3's
// crypt, which Debian's libxcrypt backs with bcrypt). push() copies the
// bundled busybox OCI archive into it with skopeo, also inside the namespace.
// stop() kills the registry and removes the temp dir.
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestNetns } from './netns.js';

export const registryBin = '/usr/bin/docker-registry';
export const skopeoBin = '/usr/bin/skopeo';
export const busyboxArchive = join(import.meta.dirname, '..', '..', 'runtime', 'images', 'busybox.tar');

export interface TestRegistry {
  /** host:port as images name it. */
  host: string;
  /** Copies the bundled busybox image to `<host>/<repoTag>`. */
  pushBusybox(repoTag: string): Promise<void>;
  /** Kills the registry and removes its files. Idempotent. */
  stop(): Promise<void>;
}

export interface RegistryAuth {
  username: string;
  password: string;
}

/** Why the registry cannot run here, or undefined if it can. */
export function registrySkipReason(): string | undefined {
  if (!existsSync(registryBin)) return 'needs Debian docker-registry: run scripts/install-test-deps.sh';
  if (!existsSync(skopeoBin)) return 'needs Debian skopeo: run scripts/install-test-deps.sh';
  if (!existsSync(busyboxArchive)) return 'runtime/images is not built: run scripts/fetch-runtime.sh';
  try {
    bcrypt('probe');
  } catch {
    return 'needs python3 with crypt supporting bcrypt (for the htpasswd file)';
  }
  return undefined;
}

function bcrypt(password: string): string {
  const script = 'import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH)))';
  const hash = execFileSync('python3', ['-W', 'ignore', '-c', script, password], { encoding: 'utf8' }).trim();
  if (!hash.startsWith('$2')) throw new Error(`not a bcrypt hash: ${hash}`);
  return hash;
}

export async function startRegistry(netns: TestNetns, opts: { port: number; auth?: RegistryAuth }): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'tsk8s-registry-'));
  const host = `127.0.0.1:${opts.port}`;
  const authBlock = opts.auth
    ? `auth:\n  htpasswd:\n    realm: tsk8s-test\n    path: ${join(dir, 'htpasswd')}\n`
    : '';
  if (opts.auth) writeFileSync(join(dir, 'htpasswd'), `${opts.auth.username}:${bcrypt(opts.auth.password)}\n`);
  writeFileSync(
    join(dir, 'config.yml'),
    `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\nhttp:\n  addr: ${host}\n${authBlock}`,
  );
  let output = '';
  const child: ChildProcess = netns.spawnNet(registryBin, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    })());
  try {
    // Up once /v2/ answers (200 open, 401 with auth).
    const probe = `fetch('http://${host}/v2/').then(r => process.stdout.write(String(r.status)), () => process.stdout.write('down'))`;
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error(`docker-registry exited ${child.exitCode}: ${output}`);
      const r = await netns.execNet('node', ['-e', probe]);
      if (/^(200|401)$/.test(r.stdout.trim())) break;
      if (i >= 100) throw new Error(`docker-registry not answering on ${host}: ${output}`);
      await new Promise((res) => setTimeout(res, 100));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    host,
    async pushBusybox(repoTag) {
      const creds = opts.auth ? ['--dest-creds', `${opts.auth.username}:${opts.auth.password}`] : [];
      const r = await netns.execNet(skopeoBin, [
        '--insecure-policy',
        'copy',
        '--quiet',
        '--dest-tls-verify=false',
        ...creds,
        `oci-archive:${busyboxArchive}`,
        `docker://${host}/${repoTag}`,
      ]);
      if (r.code !== 0) throw new Error(`skopeo copy to ${host}/${repoTag}: exit ${r.code}: ${r.stderr.trim()}`);
    },
    stop,
  };
}
