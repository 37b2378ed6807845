// A kubelet's serving certificate, issued by the server CA the apiserver
// checks kubelets against: valid for the node's name, its addresses and
// loopback. Issued afresh at every start (nothing pins it).
import type { CertificateAuthority } from './authority.js';
import { generateKey } from './keys.js';
import type { San } from './sans.js';

export interface KubeletServingPair {
  certPem: string;
  keyPem: string;
}

export async function issueKubeletServing(ca: CertificateAuthority, nodeName: string, nodeIps: readonly string[]): Promise<KubeletServingPair> {
  const { keyPem, publicKey } = await generateKey();
  const ips = [...new Set([...nodeIps, '127.0.0.1'])];
  const sans: San[] = [{ type: 'dns', value: nodeName }, { type: 'dns', value: 'localhost' }, ...ips.map((value): San => ({ type: 'ip', value }))];
  const certPem = await ca.issue({ commonName: `system:node:${nodeName}`, organizations: ['system:nodes'], usages: ['server'], sans }, publicKey);
  return { certPem, keyPem };
}
