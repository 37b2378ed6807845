// Starts `tsk8s server` as a user runs it (the built binary) in a temporary
// data dir, on a free loopback port, with its admin kubeconfig in that dir.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tsk8sBin } from './bin.js';

export interface RunningTsk8s {
  dir: string;
  kubeconfig: string;
  port: number;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export async function startTsk8s(extraArgs: string[] = []): Promise<RunningTsk8s> {
  const dir = mkdtempSync(join(tmpdir(), 'tsk8s-api-'));
  const kubeconfig = join(dir, 'kubeconfig.yaml');
  // No node: pods would need a network namespace of the test's own (see node.ts).
  const args = ['server', '--data-dir', dir, '--disable-agent', '--https-listen-port', '0', '--bind-address', '127.0.0.1', '--write-kubeconfig', kubeconfig, ...extraArgs];
  const child = spawn(tsk8sBin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  // Generous: a loaded CI machine can take many seconds to start a process (no speed is asserted here).
  const deadline = Date.now() + 90_000;
  while (!/tsk8s server ready/.test(output)) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server not ready after 90 s: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const port = Number(/Kubernetes API listening address=\S*:(\d+)/.exec(output)?.[1]);
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { dir, kubeconfig, port, child, output: () => output, stop };
}
