// The /etc/hosts the kubelet gives a pod's containers, as upstream writes
// it: localhost entries, the pod's own address and name, host aliases; a
// host-network pod gets the host's file instead.
import { readFileSync } from 'node:fs';
import type { corev1 } from '../../api/types.js';

export function podHostsFile(pod: corev1.Pod, podIPs: string[], hostname: string, domain: string, hostHosts = '/etc/hosts'): string {
  const aliases = (pod.spec?.hostAliases ?? [])
    .filter((a) => a.ip && a.hostnames && a.hostnames.length > 0)
    .map((a) => `${a.ip}\t${(a.hostnames ?? []).join('\t')}\n`)
    .join('');
  const aliasBlock = aliases ? `\n# Entries added by HostAliases.\n${aliases}` : '';
  if (pod.spec?.hostNetwork) {
    let host = '';
    try {
      host = readFileSync(hostHosts, 'utf8');
    } catch {
      host = '127.0.0.1\tlocalhost\n';
    }
    return `# Kubernetes-managed hosts file (host network).\n${host}${host.endsWith('\n') || host === '' ? '' : '\n'}${aliasBlock}`;
  }
  let out =
    '# Kubernetes-managed hosts file.\n' +
    '127.0.0.1\tlocalhost\n' +
    '::1\tlocalhost ip6-localhost ip6-loopback\n' +
    'fe00::0\tip6-localnet\n' +
    'fe00::0\tip6-mcastprefix\n' +
    'fe00::1\tip6-allnodes\n' +
    'fe00::2\tip6-allrouters\n';
  for (const ip of podIPs) out += domain ? `${ip}\t${hostname}.${domain}\t${hostname}\n` : `${ip}\t${hostname}\n`;
  return out + aliasBlock;
}
