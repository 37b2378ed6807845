// A long-running `iptables-restore --noflush` taking one write after another
// on its stdin, so that a small change pays neither a process start nor
// iptables' own start-up (loading its extensions): besides the kernel's check
// of the table, that is most of what a one-service change costs.
//
// iptables-restore commits at each COMMIT line and reads on, and says nothing
// when a commit succeeds. So each write is followed by a block listing one
// rule (`-S TSK8S-MARK-MASQ 1`, there whenever the proxy has synced), which
// runs only after the write's commit: its line on stdout (flushed per line,
// by stdbuf) means the write is in (other output is ignored). A line that fails ends the process with
// the reason on stderr: the write is rejected, and the next write starts a
// new process. Changes others make between writes are fine: iptables-nft
// checks the ruleset's generation at each commit and re-reads what it
// cached when it moved.
//
// Writes are taken one at a time, in order. close() ends the process.
import { spawn, type ChildProcess } from 'node:child_process';
import { commandFailed } from '../exec.js';
import { NetError } from '../errors.js';
import { markMasqChain } from './chains.js';

/** Starts a long-running command in the network namespace the rules belong to. */
export type Spawner = (command: string, args: readonly string[]) => ChildProcess;

/** Starts commands in this process's own network namespace. */
export const hostSpawner: Spawner = (command, args) => spawn(command, [...args], { stdio: ['pipe', 'pipe', 'pipe'] });

const marker = `*nat\n-S ${markMasqChain} 1\nCOMMIT\n`;
/** How the marker's line starts; any other output is not the marker's. */
const markerLine = `-A ${markMasqChain} `;

interface Pending {
  resolve: () => void;
  reject: (err: Error) => void;
}

export class RestoreSession {
  private child: ChildProcess | undefined;
  private waiting: Pending[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly spawner: Spawner,
    private readonly args: readonly string[],
  ) {}

  /** Resolves once `text` (complete restore blocks) is committed; rejects with the reason when a line of it fails. */
  write(text: string): Promise<void> {
    const done = this.queue.then(() => this.send(text));
    this.queue = done.catch(() => undefined);
    return done;
  }

  close(): void {
    this.child?.stdin?.end();
    this.child = undefined;
  }

  private send(text: string): Promise<void> {
    const child = this.child ?? this.start();
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      child.stdin?.write(text + marker);
    });
  }

  private start(): ChildProcess {
    const command = ['-oL', 'iptables-restore', ...this.args];
    const child = this.spawner('stdbuf', command);
    this.child = child;
    let out = '';
    let err = '';
    const fail = (e: Error): void => {
      if (this.child === child) this.child = undefined;
      for (const w of this.waiting.splice(0)) w.reject(e);
    };
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      for (let nl = out.indexOf('\n'); nl >= 0; nl = out.indexOf('\n')) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        if (line.startsWith(markerLine)) this.waiting.shift()?.resolve();
      }
    });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdin?.on('error', () => {}); // a process that has ended: 'close' tells why
    child.on('error', (e: NodeJS.ErrnoException) =>
      fail(e.code === 'ENOENT' ? new NetError('command-missing', `stdbuf is not installed (or not on PATH)`, { cause: e }) : e),
    );
    child.on('close', (code) => fail(commandFailed('iptables-restore', this.args, { code, stdout: '', stderr: err || 'ended' })));
    return child;
  }
}
