// The real kubectl on PATH, pointed at a test server's kubeconfig, with its
// caches in the test's dir so runs never share discovery.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function findKubectl(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const path = join(dir, 'kubectl');
    if (dir !== '' && existsSync(path)) return path;
  }
  return undefined;
}

/** `netns`: run kubectl inside that network namespace (a node a test built there listens on its loopback). */
export function kubectlFor(kubeconfig: string, cacheDir: string, opts: { netns?: string } = {}) {
  const env = { ...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: join(cacheDir, 'kube-cache'), HOME: cacheDir };
  const command = (args: string[]): [string, string[]] => (opts.netns ? ['ip', ['netns', 'exec', opts.netns, 'kubectl', ...args]] : ['kubectl', args]);
  const kubectl = async (args: string[], o: { input?: string; env?: Record<string, string> } = {}): Promise<KubectlResult> => {
    if (o.input !== undefined) {
      return new Promise((resolve) => {
        const child = spawn(...command(args), { env: { ...env, ...o.env } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
        child.stdin.end(o.input);
      });
    }
    try {
      const r = await run(...command(args), { env: { ...env, ...o.env }, timeout: 60_000 });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  };
  /** kubectl that must succeed; returns its stdout. */
  const ok = async (args: string[], o: { input?: string; env?: Record<string, string> } = {}): Promise<string> => {
    const r = await kubectl(args, o);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };
  return { kubectl, ok, env };
}
