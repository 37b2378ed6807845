// How the pod network runs `ip` and `iptables`: through a CommandRunner, so
// the same code configures this process's network namespace in production
// and a test's namespace (its runner prefixes `ip netns exec <name>`), and
// unit tests can record the commands instead.
import { spawn } from 'node:child_process';
import { NetError } from './errors.js';

export interface CommandResult {
  /** The exit code; null if a signal ended the command. */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CommandOptions {
  /** Written to the command's stdin, which is then closed. */
  input?: string;
  /** Added to the environment the command inherits. */
  env?: Record<string, string>;
}

/**
 * Runs a command to completion. Resolves whatever its exit code; rejects only
 * when the command cannot be started (an error with `code` ENOENT if it is not
 * installed).
 */
export type CommandRunner = (command: string, args: readonly string[], opts?: CommandOptions) => Promise<CommandResult>;

/** Runs commands in this process's own network namespace. */
export const hostRunner: CommandRunner = (command, args, opts = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: opts.env ? { ...process.env, ...opts.env } : process.env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    // A command that exits without reading its input makes the write fail with EPIPE: the exit code tells.
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });

/** Runs a command and returns its stdout; a non-zero exit or a missing command becomes a NetError. */
export async function mustRun(run: CommandRunner, command: string, args: readonly string[], opts?: CommandOptions): Promise<string> {
  const result = await start(run, command, args, opts);
  if (result.code !== 0) throw commandFailed(command, args, result);
  return result.stdout;
}

/** Runs a command and returns its result whatever the exit code; a missing command becomes a NetError. */
export async function tryRun(run: CommandRunner, command: string, args: readonly string[], opts?: CommandOptions): Promise<CommandResult> {
  return start(run, command, args, opts);
}

export function commandFailed(command: string, args: readonly string[], result: CommandResult): NetError {
  const why = result.stderr.trim().split('\n').slice(-3).join('; ') || `exit code ${result.code}`;
  return new NetError('command-failed', `${command} ${args.join(' ')}: ${why}`);
}

async function start(run: CommandRunner, command: string, args: readonly string[], opts?: CommandOptions): Promise<CommandResult> {
  try {
    return await run(command, args, opts);
  } catch (err) {
    const code = typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
    if (code === 'ENOENT') throw new NetError('command-missing', `${command} is not installed (or not on PATH)`, { cause: err });
    throw err;
  }
}
