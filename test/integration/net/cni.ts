// Just enough of a CNI runtime to drive the bundled plugins by hand, as
// containerd's CRI plugin does for a pod: each plugin of the conflist in
// turn for ADD (each given the previous one's result), in reverse for DEL.
import { join } from 'node:path';
import type { CniConfList, CommandRunner } from '../../../src/net/index.js';

export interface CniCall {
  containerId: string;
  /** The pod's network namespace, e.g. /run/netns/<name>. */
  netns: string;
  ifName?: string;
  portMappings?: { hostPort: number; containerPort: number; protocol: 'tcp' | 'udp' }[];
}

export type CniResult = Record<string, unknown> & { ips?: { address: string; gateway?: string }[] };

/** Runs ADD through the list; returns the last plugin's result. */
export async function cniAdd(run: CommandRunner, binDir: string, list: CniConfList, call: CniCall): Promise<CniResult> {
  let prev: CniResult | undefined;
  for (const plugin of list.plugins) prev = await invoke(run, binDir, 'ADD', list, plugin, call, prev);
  if (!prev) throw new Error('the conflist has no plugins');
  return prev;
}

/** Runs DEL through the list in reverse, each plugin given the result ADD returned. */
export async function cniDel(run: CommandRunner, binDir: string, list: CniConfList, call: CniCall, result: CniResult | undefined): Promise<void> {
  for (const plugin of [...list.plugins].reverse()) await invoke(run, binDir, 'DEL', list, plugin, call, result);
}

async function invoke(
  run: CommandRunner,
  binDir: string,
  command: 'ADD' | 'DEL',
  list: CniConfList,
  plugin: Record<string, unknown>,
  call: CniCall,
  prevResult: CniResult | undefined,
): Promise<CniResult | undefined> {
  const capabilities = (plugin.capabilities ?? {}) as Record<string, boolean>;
  const runtimeConfig = capabilities.portMappings && call.portMappings ? { portMappings: call.portMappings } : undefined;
  const conf = { ...plugin, name: list.name, cniVersion: list.cniVersion, ...(prevResult ? { prevResult } : {}), ...(runtimeConfig ? { runtimeConfig } : {}) };
  const type = String(plugin.type);
  const r = await run(join(binDir, type), [], {
    input: JSON.stringify(conf),
    env: {
      CNI_COMMAND: command,
      CNI_CONTAINERID: call.containerId,
      CNI_NETNS: call.netns,
      CNI_IFNAME: call.ifName ?? 'eth0',
      CNI_PATH: binDir,
    },
  });
  if (r.code !== 0) throw new Error(`CNI ${command} ${type}: exit ${r.code}: ${r.stdout.trim()} ${r.stderr.trim()}`);
  return command === 'ADD' ? (JSON.parse(r.stdout) as CniResult) : undefined;
}
