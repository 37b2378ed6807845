// What the fake runtime "runs": a few command shapes are understood so that
// containers and execs behave like their busybox counterparts; anything
// else runs until stopped (a container) or succeeds silently (an exec).
import type { ExecSyncResult } from './types.js';

export interface Program {
  /** Milliseconds of fake time after start when it exits on its own; undefined = runs until stopped. */
  exitAfterMs: number | undefined;
  exitCode: number;
}

const forever: Program = { exitAfterMs: undefined, exitCode: 0 };

/** `sleep N`, `exit N`, `true`, `false`, joined by `;` or `&&` (which stops at a failure). */
function script(text: string): Program {
  let elapsed = 0;
  let status = 0;
  const parts = text.trim().split(/\s*(;|&&)\s*/);
  for (let i = 0; i < parts.length; i += 2) {
    const [cmd, arg, ...more] = (parts[i] ?? '').split(/\s+/).filter((w) => w !== '');
    if (cmd === undefined) continue;
    if (more.length > 0) return forever;
    if (cmd === 'sleep') {
      if (arg === undefined || !/^\d+(\.\d+)?$/.test(arg)) return forever;
      elapsed += Number(arg) * 1000;
      status = 0;
    } else if (cmd === 'exit') {
      return { exitAfterMs: elapsed, exitCode: Number(arg ?? status) & 0xff };
    } else if ((cmd === 'true' || cmd === 'false') && arg === undefined) {
      status = cmd === 'true' ? 0 : 1;
    } else {
      return forever;
    }
    if (status !== 0 && parts[i + 1] === '&&') break;
  }
  return { exitAfterMs: elapsed, exitCode: status };
}

const base = (path: string | undefined): string => (path ?? '').slice((path ?? '').lastIndexOf('/') + 1);

/** The program a container's argv (command followed by args) stands for. */
export function programOf(argv: readonly string[]): Program {
  const [cmd, flag, text] = argv;
  const name = base(cmd);
  if ((name === 'sh' || name === 'ash') && flag === '-c' && text !== undefined) return script(text);
  if (name === 'sleep' || name === 'exit' || name === 'true' || name === 'false') return script(argv.map(base).join(' '));
  return forever;
}

/** The result of an exec the fake understands (`echo`, `sh -c 'exit N'`, `true`, `false`), else undefined. */
export function builtinExec(cmd: readonly string[]): ExecSyncResult | undefined {
  const [first, ...rest] = cmd;
  const name = base(first);
  const result = (exitCode: number, stdout = ''): ExecSyncResult => ({ stdout: Buffer.from(stdout), stderr: Buffer.alloc(0), exitCode });
  if (name === 'echo') return result(0, `${rest.join(' ')}\n`);
  if (name === 'true') return result(0);
  if (name === 'false') return result(1);
  if ((name === 'sh' || name === 'ash') && rest[0] === '-c' && rest[1] !== undefined) {
    const p = script(rest[1]);
    if (p.exitAfterMs !== undefined) return result(p.exitCode);
  }
  return undefined;
}

/** Answers a test's exec; undefined falls back to the built-in commands. */
export type ExecHandler = (containerId: string, cmd: readonly string[]) => ExecSyncResult | undefined;
