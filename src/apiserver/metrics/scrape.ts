// Reads one node's kubelet /metrics/resource over the mutual TLS the
// apiserver uses for every kubelet request (its `system:kube-apiserver`
// client certificate; the kubelet's serving certificate checked against
// the cluster CA), at the address and port the pod proxy uses.
import { Agent, request } from 'node:https';
import type { corev1 } from '../../api/types.js';
import type { KubeletClientTls } from '../proxy/index.js';
import { kubeletAddress } from '../proxy/target.js';
import { parseResourceMetrics, type ResourceScrape } from './parse.js';

/** Scrapes a node; rejects when its kubelet cannot be reached or answers other than 200. */
export type NodeScraper = (node: corev1.Node) => Promise<ResourceScrape>;

export interface KubeletScraper {
  scrape: NodeScraper;
  close(): void;
}

const timeoutMs = 10_000;

export function kubeletScraper(tls: KubeletClientTls, now: () => number = Date.now): KubeletScraper {
  const agent = new Agent({ cert: tls.certPem, key: tls.keyPem, ca: tls.caPem, keepAlive: true, maxFreeSockets: 16 });
  const scrape: NodeScraper = (node) =>
    new Promise<ResourceScrape>((resolve, reject) => {
      const name = node.metadata?.name ?? '';
      const address = kubeletAddress(node);
      if (!address) {
        reject(new Error(`node ${name} has no address to reach its kubelet at`));
        return;
      }
      const req = request({ host: address.host, port: address.port, path: '/metrics/resource', method: 'GET', agent, timeout: timeoutMs, headers: { Accept: 'text/plain' } });
      req.once('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
      req.once('error', (err) => reject(new Error(`scraping node ${name} at ${address.host}:${address.port}: ${err.message}`)));
      req.once('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.once('error', reject);
        res.once('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) reject(new Error(`scraping node ${name}: kubelet answered ${res.statusCode ?? 0}: ${text.slice(0, 200)}`));
          else resolve(parseResourceMetrics(text, now()));
        });
      });
      req.end();
    });
  return { scrape, close: () => agent.destroy() };
}
