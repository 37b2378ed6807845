// NodePorts: a pod's host ports must be free on the node. Two ports clash
// when protocol and port are equal and either IP is 0.0.0.0 or both are the
// same. PreFilter works out the pod's ports once per cycle and skips the
// Filter for a pod without any (as upstream).
import type { CycleContext, FilterPlugin, PreFilterPlugin } from '../framework/interfaces.js';
import { podHostPorts, type HostPort, type NodeInfo } from '../framework/nodeinfo.js';
import { skip, success, unschedulable, type Status } from '../framework/status.js';

export const nodePortsName = 'NodePorts';
export const errReasonNodePorts = "node(s) didn't have free ports for the requested pod ports";

function clash(a: HostPort, b: HostPort): boolean {
  if (a.port !== b.port || a.protocol !== b.protocol) return false;
  return a.ip === '0.0.0.0' || b.ip === '0.0.0.0' || a.ip === b.ip;
}

export function fitsPorts(wanted: readonly HostPort[], used: readonly HostPort[]): boolean {
  return wanted.every((w) => !used.some((u) => clash(w, u)));
}

const stateKey = 'NodePorts/wanted';

function wantedPorts(ctx: CycleContext): readonly HostPort[] {
  let wanted = ctx.state.get(stateKey) as readonly HostPort[] | undefined;
  if (!wanted) {
    wanted = ctx.podInfo?.hostPorts ?? podHostPorts(ctx.pod);
    ctx.state.set(stateKey, wanted);
  }
  return wanted;
}

export const nodePorts: PreFilterPlugin & FilterPlugin = {
  name: nodePortsName,
  preFilter(ctx: CycleContext): Status {
    return wantedPorts(ctx).length === 0 ? skip : success;
  },
  filter(ctx: CycleContext, node: NodeInfo): Status {
    const wanted = wantedPorts(ctx);
    if (wanted.length === 0) return success;
    return fitsPorts(wanted, node.usedPorts) ? success : unschedulable(errReasonNodePorts);
  },
};
