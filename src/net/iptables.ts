// The nat rules the pod network owns, written with iptables-restore so each
// change is one transaction. Rules are compared in the canonical form
// iptables-save prints, so an unchanged rule set is not rewritten.
import { mustRun, type CommandRunner } from './exec.js';

/** The chain holding the pods' egress masquerade, jumped to from POSTROUTING. */
export const masqueradeChain = 'TSK8S-POSTROUTING';

const wait = ['-w', '5'];

interface NatTable {
  /** User-defined chains (built-in ones excluded). */
  chains: Set<string>;
  /** Each rule as iptables-save prints it, without the leading "-A <chain> ". */
  rules: { chain: string; spec: string }[];
}

/**
 * The rules of the pods' egress masquerade (what flannel installs for k3s):
 * traffic from a pod to another pod (on any node) keeps its source address;
 * traffic from a pod to anywhere else leaves with the node's address.
 */
export function masqueradeRules(clusterCidr: string): string[] {
  return [
    `-s ${clusterCidr} -d ${clusterCidr} -m comment --comment "tsk8s: pod to pod keeps its address" -j RETURN`,
    `-s ${clusterCidr} ! -d 224.0.0.0/4 -m comment --comment "tsk8s: pod to outside the cluster" -j MASQUERADE --random-fully`,
  ];
}

const jumpToMasquerade = `-m comment --comment "tsk8s: pod egress" -j ${masqueradeChain}`;

/** Installs (or rewrites) the masquerade chain and the jump to it. True if anything changed. */
export async function ensureMasquerade(run: CommandRunner, clusterCidr: string): Promise<boolean> {
  const wanted = masqueradeRules(clusterCidr);
  const table = await readNat(run);
  const current = table.rules.filter((r) => r.chain === masqueradeChain).map((r) => r.spec);
  const jumps = table.rules.filter((r) => r.chain === 'POSTROUTING' && r.spec === jumpToMasquerade).length;
  if (table.chains.has(masqueradeChain) && jumps === 1 && current.join('\n') === wanted.join('\n')) return false;
  const lines = ['*nat', `:${masqueradeChain} - [0:0]`];
  // Declaring the chain flushes it (--noflush keeps every other chain); a doubled jump is cut back to one.
  for (let i = 1; i < jumps; i++) lines.push(`-D POSTROUTING ${jumpToMasquerade}`);
  lines.push(...wanted.map((r) => `-A ${masqueradeChain} ${r}`));
  if (jumps === 0) lines.push(`-A POSTROUTING ${jumpToMasquerade}`);
  lines.push('COMMIT', '');
  await mustRun(run, 'iptables-restore', [...wait, '--noflush'], { input: lines.join('\n') });
  return true;
}

export interface NatSelection {
  /** Chains owned outright: flushed, deleted, and every jump to them removed. */
  chain: (name: string) => boolean;
  /** Rules in other chains to remove; a user chain they jump to becomes owned. */
  rule?: (chain: string, spec: string) => boolean;
}

/** Removes the selected nat rules and chains in one transaction. Returns the chains deleted. */
export async function removeNatRules(run: CommandRunner, select: NatSelection): Promise<string[]> {
  const table = await readNat(run);
  const owned = new Set([...table.chains].filter(select.chain));
  const doomed = new Set(table.rules.filter((r) => !owned.has(r.chain) && select.rule?.(r.chain, r.spec)));
  for (const r of doomed) {
    const target = jumpTarget(r.spec);
    if (target && table.chains.has(target)) owned.add(target);
  }
  for (const r of table.rules) {
    const target = jumpTarget(r.spec);
    if (!owned.has(r.chain) && target && owned.has(target)) doomed.add(r);
  }
  if (owned.size === 0 && doomed.size === 0) return [];
  const lines = ['*nat', ...[...doomed].map((r) => `-D ${r.chain} ${r.spec}`)];
  for (const c of owned) lines.push(`-F ${c}`);
  for (const c of owned) lines.push(`-X ${c}`);
  lines.push('COMMIT', '');
  await mustRun(run, 'iptables-restore', [...wait, '--noflush'], { input: lines.join('\n') });
  return [...owned];
}

async function readNat(run: CommandRunner): Promise<NatTable> {
  // iptables-save never creates a table (for a missing one it prints the built-in chains only).
  const text = await mustRun(run, 'iptables-save', ['-t', 'nat']);
  const table: NatTable = { chains: new Set(), rules: [] };
  for (const line of text.split('\n')) {
    const chain = /^:(\S+) - /.exec(line);
    if (chain?.[1]) table.chains.add(chain[1]);
    const rule = /^-A (\S+) (.*)$/.exec(line);
    if (rule?.[1] && rule[2] !== undefined) table.rules.push({ chain: rule[1], spec: rule[2] });
  }
  return table;
}

/** The chain or target a rule jumps to: its last -j/-g (a comment could hold the same text earlier). */
function jumpTarget(spec: string): string | undefined {
  return [...spec.matchAll(/(?:^| )-[jg] (\S+)/g)].at(-1)?.[1];
}
