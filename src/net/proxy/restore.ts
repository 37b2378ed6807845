// iptables-restore input for the proxy's rules (always used with --noflush,
// so chains that are not named are left as they are).
//  - fullRestore: every chain of ours declared (which flushes it) and
//    written, the hooks from the built-in chains replaced, and chains of ours
//    that nothing wants any more deleted. Written as several restores run
//    one after another: the services' own chains in batches of about
//    fullBatchLines lines (TSK8S-MARK-MASQ, which they jump to, in the
//    first), then one restore replacing the shared chains, the hooks and the
//    stale chains together. iptables-nft 1.8 keeps the chains a restore
//    names in a sorted list that each line searches, so one restore of
//    10,000 chains costs seconds of string compares; batches keep that list
//    short. Each batch holds whole services (a chain and the chains it jumps
//    to land together), and the shared chains still change in one
//    transaction, so what the services' addresses lead to is always whole.
//  - changeRestore: only what differs between two renderings of some
//    services: changed chains declared and rewritten, vanished ones flushed
//    and deleted, shared rules deleted (-D) or added (-I at the top of
//    TSK8S-SERVICES, whose last rule must stay the NodePort jump; -A
//    elsewhere, where order does not matter).
import {
  externalServicesChain,
  filterServicesChain,
  forwardChain,
  markMasqChain,
  masqMark,
  natServicesChain,
  nodePortsChain,
  proxyPostroutingChain,
  type Table,
} from './chains.js';
import type { ServiceRules, SharedRule } from './render.js';

/** A rule in a built-in chain that leads into ours. */
export interface Hook {
  table: Table;
  chain: string;
  spec: string;
}

export const hooks: readonly Hook[] = [
  { table: 'nat', chain: 'PREROUTING', spec: `-m comment --comment "tsk8s service portals" -j ${natServicesChain}` },
  { table: 'nat', chain: 'OUTPUT', spec: `-m comment --comment "tsk8s service portals" -j ${natServicesChain}` },
  { table: 'nat', chain: 'POSTROUTING', spec: `-m comment --comment "tsk8s service masquerade" -j ${proxyPostroutingChain}` },
  { table: 'filter', chain: 'INPUT', spec: `-m conntrack --ctstate NEW -m comment --comment "tsk8s externally-visible service portals" -j ${externalServicesChain}` },
  { table: 'filter', chain: 'FORWARD', spec: `-m conntrack --ctstate NEW -m comment --comment "tsk8s service portals" -j ${filterServicesChain}` },
  { table: 'filter', chain: 'FORWARD', spec: `-m conntrack --ctstate NEW -m comment --comment "tsk8s externally-visible service portals" -j ${externalServicesChain}` },
  { table: 'filter', chain: 'FORWARD', spec: `-m comment --comment "tsk8s forwarding rules" -j ${forwardChain}` },
  { table: 'filter', chain: 'OUTPUT', spec: `-m conntrack --ctstate NEW -m comment --comment "tsk8s service portals" -j ${filterServicesChain}` },
];

/** The fixed chains and their fixed rules (TSK8S-SERVICES' NodePort jump goes last, after the services' rules). */
export const fixedChains: Readonly<Record<Table, Readonly<Record<string, readonly string[]>>>> = {
  nat: {
    [natServicesChain]: [],
    [nodePortsChain]: [],
    [markMasqChain]: [`-j MARK --or-mark ${masqMark}`],
    [proxyPostroutingChain]: [
      `-m mark ! --mark ${masqMark}/${masqMark} -j RETURN`,
      `-j MARK --xor-mark ${masqMark}`,
      '-m comment --comment "tsk8s service traffic requiring SNAT" -j MASQUERADE --random-fully',
    ],
  },
  filter: {
    [filterServicesChain]: [],
    [externalServicesChain]: [],
    [forwardChain]: [
      '-m conntrack --ctstate INVALID -j DROP',
      `-m comment --comment "tsk8s forwarding rules" -m mark --mark ${masqMark}/${masqMark} -j ACCEPT`,
      '-m comment --comment "tsk8s forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    ],
  },
};

/** NodePorts on every local address but loopback's (no route_localnet needed, none of its exposure). */
export const nodePortJump = `! -d 127.0.0.0/8 -m comment --comment "tsk8s service nodeports; must be the last rule" -m addrtype --dst-type LOCAL -j ${nodePortsChain}`;

/** What is there now, as iptables-save lists it. */
export interface Present {
  chains: Record<Table, Set<string>>;
  /** Rules in built-in chains that jump to one of ours (to be replaced). */
  hooks: Hook[];
}

/** About how many lines of services' own chains one restore of a full sync carries. */
export const fullBatchLines = 2500;

/** The restores of a full sync, to run in order (see the top of this file). */
export function fullRestore(services: Iterable<ServiceRules>, present: Present, isOurs: (table: Table, chain: string) => boolean, batchLines = fullBatchLines): string[] {
  const batches: string[] = [];
  const wanted: Record<Table, Set<string>> = { nat: new Set(), filter: new Set() };
  const shared: Record<Table, Map<string, string[]>> = { nat: new Map(), filter: new Map() };
  for (const table of ['nat', 'filter'] as const) {
    for (const [chain, rules] of Object.entries(fixedChains[table])) {
      wanted[table].add(chain);
      if (!(table === 'nat' && chain === markMasqChain)) shared[table].set(chain, [...rules]);
    }
  }
  let batch = { decl: [`:${markMasqChain} - [0:0]`], rules: (fixedChains.nat[markMasqChain] ?? []).map((r) => `-A ${markMasqChain} ${r}`) };
  for (const svc of services) {
    for (const [chain, rules] of svc.chains) {
      wanted.nat.add(chain);
      batch.decl.push(`:${chain} - [0:0]`);
      for (const r of rules) batch.rules.push(`-A ${chain} ${r}`);
    }
    for (const r of svc.shared) shared[r.table].get(r.chain)?.unshift(r.spec);
    if (batch.decl.length + batch.rules.length >= batchLines) {
      batches.push(tablesText({ nat: batch, filter: { decl: [], rules: [] } }));
      batch = { decl: [], rules: [] };
    }
  }
  if (batch.decl.length + batch.rules.length > 0) batches.push(tablesText({ nat: batch, filter: { decl: [], rules: [] } }));
  shared.nat.get(natServicesChain)?.push(nodePortJump);
  const tables: Record<Table, { decl: string[]; rules: string[] }> = { nat: { decl: [], rules: [] }, filter: { decl: [], rules: [] } };
  for (const table of ['nat', 'filter'] as const) {
    const t = tables[table];
    for (const [chain, rules] of shared[table]) {
      t.decl.push(`:${chain} - [0:0]`);
      for (const r of rules) t.rules.push(`-A ${chain} ${r}`);
    }
    for (const h of present.hooks.filter((h) => h.table === table)) t.rules.unshift(`-D ${h.chain} ${h.spec}`);
    const ours = hooks.filter((h) => h.table === table);
    // Inserted at the top in reverse, so they end up in the listed order before anything else.
    for (const h of [...ours].reverse()) t.rules.push(h.chain === 'POSTROUTING' ? `-A ${h.chain} ${h.spec}` : `-I ${h.chain} 1 ${h.spec}`);
    for (const chain of present.chains[table]) {
      if (wanted[table].has(chain) || !isOurs(table, chain)) continue;
      t.decl.push(`:${chain} - [0:0]`);
      t.rules.push(`-X ${chain}`);
    }
  }
  batches.push(tablesText(tables));
  return batches;
}

/** The restore input turning `before` into `after` (either undefined: no such service). Empty when nothing differs. */
export function changeRestore(changes: Iterable<{ before: ServiceRules | undefined; after: ServiceRules | undefined }>): string {
  const tables: Record<Table, { decl: string[]; rules: string[] }> = { nat: { decl: [], rules: [] }, filter: { decl: [], rules: [] } };
  const removals: string[] = [];
  for (const { before, after } of changes) {
    const old = before?.chains ?? new Map<string, string[]>();
    const now = after?.chains ?? new Map<string, string[]>();
    for (const [chain, rules] of now) {
      if (sameRules(old.get(chain), rules)) continue;
      tables.nat.decl.push(`:${chain} - [0:0]`);
      for (const r of rules) tables.nat.rules.push(`-A ${chain} ${r}`);
    }
    for (const chain of old.keys()) {
      if (now.has(chain)) continue;
      // -F, not a declaration: a chain that is already gone makes the write fail, and the caller resyncs.
      tables.nat.rules.push(`-F ${chain}`);
      removals.push(`-X ${chain}`);
    }
    const key = (r: SharedRule): string => `${r.table} ${r.chain} ${r.spec}`;
    const oldShared = new Map((before?.shared ?? []).map((r) => [key(r), r]));
    const newShared = new Map((after?.shared ?? []).map((r) => [key(r), r]));
    for (const [k, r] of oldShared) if (!newShared.has(k)) tables[r.table].rules.unshift(`-D ${r.chain} ${r.spec}`);
    for (const [k, r] of newShared) {
      if (oldShared.has(k)) continue;
      tables[r.table].rules.push(r.table === 'nat' && r.chain === natServicesChain ? `-I ${r.chain} 1 ${r.spec}` : `-A ${r.chain} ${r.spec}`);
    }
  }
  tables.nat.rules.push(...removals);
  return tablesText(tables);
}

function sameRules(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((r, i) => r === b[i]);
}

function tablesText(tables: Record<Table, { decl: string[]; rules: string[] }>): string {
  const lines: string[] = [];
  for (const table of ['nat', 'filter'] as const) {
    const t = tables[table];
    if (t.decl.length === 0 && t.rules.length === 0) continue;
    lines.push(`*${table}`, ...t.decl, ...t.rules, 'COMMIT');
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
