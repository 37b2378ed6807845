// Kernel settings the proxy needs in the node's network namespace.
//  - bridge-nf-call-iptables: a pod reaching a ClusterIP whose endpoint sits
//    on the same bridge gets its reply straight across the bridge; only with
//    bridged traffic passing through iptables does conntrack see that reply
//    and undo the DNAT. On kernels since 5.3 the setting is per network
//    namespace (and present once br_netfilter is loaded).
//  - send_redirects off (for `all` and the bridge: the kernel ORs the two):
//    service addresses are routed onto the bridge, so a pod's packet to a
//    ClusterIP the rules do not rewrite (one without endpoints, REJECTed)
//    leaves by the interface it came in on, and the kernel would answer with
//    an ICMP redirect telling the pod the address is on its link. The pod
//    then ARPs for it, never reaches the REJECT again, and times out instead
//    of being refused.
// route_localnet is deliberately left off: NodePorts are not served on
// 127.0.0.1 (the rules exclude 127.0.0.0/8), which keeps loopback-only
// services of the node unreachable from outside.
import { mustRun, tryRun, type CommandRunner } from '../exec.js';

/** Sets what the proxy needs (loading br_netfilter first if needed). Returns what it changed. */
export async function ensureProxySysctls(run: CommandRunner, bridge: string): Promise<string[]> {
  const changes: string[] = [];
  const bridgeNf = 'net.bridge.bridge-nf-call-iptables';
  if ((await tryRun(run, 'sysctl', ['-n', bridgeNf])).code !== 0) {
    await mustRun(run, 'modprobe', ['br_netfilter']);
    changes.push('br_netfilter loaded');
  }
  const wanted: [string, string][] = [
    [bridgeNf, '1'],
    ['net.ipv4.conf.all.send_redirects', '0'],
    [`net.ipv4.conf.${bridge}.send_redirects`, '0'],
  ];
  for (const [key, value] of wanted) {
    if ((await tryRun(run, 'sysctl', ['-n', key])).stdout.trim() === value) continue;
    await mustRun(run, 'sysctl', ['-q', '-w', `${key}=${value}`]);
    changes.push(`${key}=${value}`);
  }
  return changes;
}
