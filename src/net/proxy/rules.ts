// The proxy's rules as installed: remembers what each service's rules were
// when last written, so a change to one service writes only the difference.
// A full sync reads iptables-save, rewrites every chain of ours (in several
// restores, restore.ts) and deletes the stale ones; an incremental write
// that fails (someone removed a chain behind our back) falls back to a full
// sync. Given a Spawner, incremental writes go to one long-running
// iptables-restore (session.ts) instead of a new process each.
import { NetError } from '../errors.js';
import { mustRun, tryRun, commandFailed, type CommandRunner } from '../exec.js';
import { isProxyChain, type Table } from './chains.js';
import type { ServiceRules } from './render.js';
import { changeRestore, fullRestore, type Present } from './restore.js';
import { RestoreSession, type Spawner } from './session.js';

const restoreArgs = ['-w', '5', '--noflush'];

export interface SyncResult {
  kind: 'full' | 'change' | 'none';
  /** Lines written to iptables-restore. */
  lines: number;
  /** Why an incremental write became a full sync. */
  fallback?: string;
}

export class ProxyRules {
  private applied = new Map<string, ServiceRules>();
  private synced = false;
  private session: RestoreSession | undefined;

  constructor(
    private readonly run: CommandRunner,
    spawner?: Spawner,
  ) {
    this.session = spawner ? new RestoreSession(spawner, restoreArgs) : undefined;
  }

  /** Makes the installed rules exactly `services` (by service key), removing every other chain of ours. */
  async full(services: ReadonlyMap<string, ServiceRules>): Promise<SyncResult> {
    const present = await readPresent(this.run);
    let lines = 0;
    this.synced = false;
    for (const text of fullRestore(services.values(), present, isProxyChain)) {
      await mustRun(this.run, 'iptables-restore', restoreArgs, { input: text });
      lines += lineCount(text);
    }
    this.applied = new Map(services);
    this.synced = true;
    return { kind: 'full', lines };
  }

  /**
   * Applies new renderings of some services (undefined: the service is gone).
   * `all` is every service's current rendering, used if a full sync is needed.
   */
  async change(changed: ReadonlyMap<string, ServiceRules | undefined>, all: () => ReadonlyMap<string, ServiceRules>): Promise<SyncResult> {
    if (!this.synced) return this.full(all());
    const text = changeRestore([...changed].map(([key, after]) => ({ before: this.applied.get(key), after })));
    if (text === '') return { kind: 'none', lines: 0 };
    const failed = await this.write(text);
    if (failed !== undefined) {
      this.synced = false;
      return { ...(await this.full(all())), fallback: failed };
    }
    for (const [key, after] of changed) {
      if (after) this.applied.set(key, after);
      else this.applied.delete(key);
    }
    return { kind: 'change', lines: lineCount(text) };
  }

  /** Ends the long-running iptables-restore, if any (a later write starts another). */
  close(): void {
    this.session?.close();
  }

  /** Writes an incremental change; returns why it failed, or undefined. */
  private async write(text: string): Promise<string | undefined> {
    if (this.session) {
      return this.session.write(text).then(
        () => undefined,
        (err: unknown) => {
          // Without stdbuf every write would fail: a process per write from now on.
          if (err instanceof NetError && err.code === 'command-missing') this.session = undefined;
          return err instanceof Error ? err.message : String(err);
        },
      );
    }
    const result = await tryRun(this.run, 'iptables-restore', restoreArgs, { input: text });
    return result.code === 0 ? undefined : commandFailed('iptables-restore', restoreArgs, result).message;
  }
}

/** Our chains in nat and filter, and the built-in chains' rules that jump into them. */
export async function readPresent(run: CommandRunner): Promise<Present> {
  const present: Present = { chains: { nat: new Set(), filter: new Set() }, hooks: [] };
  for (const table of ['nat', 'filter'] as const) {
    const text = await mustRun(run, 'iptables-save', ['-t', table]);
    const builtin = new Set<string>();
    const rules: { chain: string; spec: string }[] = [];
    for (const line of text.split('\n')) {
      const chain = /^:(\S+) (\S+)/.exec(line);
      if (chain?.[1]) {
        if (chain[2] === '-') present.chains[table].add(chain[1]);
        else builtin.add(chain[1]);
      }
      const rule = /^-A (\S+) (.*)$/.exec(line);
      if (rule?.[1] && rule[2] !== undefined) rules.push({ chain: rule[1], spec: rule[2] });
    }
    for (const r of rules) {
      const target = [...r.spec.matchAll(/(?:^| )-[jg] (\S+)/g)].at(-1)?.[1];
      if (builtin.has(r.chain) && target && isProxyChain(table as Table, target)) present.hooks.push({ table, chain: r.chain, spec: r.spec });
    }
  }
  return present;
}

function lineCount(text: string): number {
  return text.split('\n').length - 1;
}

/** Removes every chain of the proxy and the hooks into them (the pod network's chain stays). Returns the chains removed. */
export async function removeProxyRules(run: CommandRunner): Promise<string[]> {
  const present = await readPresent(run);
  const lines: string[] = [];
  const removed: string[] = [];
  for (const table of ['nat', 'filter'] as const) {
    const chains = [...present.chains[table]].filter((c) => isProxyChain(table, c));
    const own = present.hooks.filter((h) => h.table === table);
    if (chains.length === 0 && own.length === 0) continue;
    lines.push(`*${table}`, ...chains.map((c) => `:${c} - [0:0]`), ...own.map((h) => `-D ${h.chain} ${h.spec}`), ...chains.map((c) => `-X ${c}`), 'COMMIT');
    removed.push(...chains);
  }
  if (lines.length > 0) await mustRun(run, 'iptables-restore', restoreArgs, { input: `${lines.join('\n')}\n` });
  return removed;
}
