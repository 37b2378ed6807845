// Keeps the last two scrapes of every node's kubelet, as metrics-server
// does, and scrapes all nodes every interval (15 s). Nothing is scraped
// until the first request for metrics; that request starts the cycle with
// two scrapes a short gap apart, so it can be answered at once. A node
// whose scrape fails has no figures until two scrapes succeed again.
import type { corev1 } from '../../api/types.js';
import type { Logger } from '../../log/logger.js';
import type { ResourceScrape } from './parse.js';
import { nodeRates, type NodeRates } from './rates.js';
import type { NodeScraper } from './scrape.js';

export interface MetricsCollectorOptions {
  listNodes(): Promise<corev1.Node[]>;
  scrape: NodeScraper;
  /** Between scrapes of every node (metrics-server's default resolution: 15 s). */
  intervalMs?: number;
  /** Between the first two scrapes (1 s). */
  firstGapMs?: number;
  logger: Logger;
}

interface Samples {
  prev: ResourceScrape | undefined;
  last: ResourceScrape;
}

export class MetricsCollector {
  private readonly samples = new Map<string, Samples>();
  private started: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly opts: MetricsCollectorOptions) {}

  /** Usage per node name, from the last two scrapes of each; the first call waits for the first two. */
  async rates(): Promise<Map<string, NodeRates>> {
    this.started ??= this.start();
    await this.started;
    const out = new Map<string, NodeRates>();
    for (const [node, s] of this.samples) if (s.prev) out.set(node, nodeRates(s.prev, s.last));
    return out;
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
  }

  private async start(): Promise<void> {
    await this.cycle();
    await new Promise((r) => setTimeout(r, this.opts.firstGapMs ?? 1000));
    await this.cycle();
    if (this.closed) return;
    this.timer = setInterval(() => void this.cycle(), this.opts.intervalMs ?? 15_000);
    this.timer.unref();
  }

  /** One scrape of every node; never rejects (failures are logged and forget the node's samples). */
  private async cycle(): Promise<void> {
    if (this.closed) return;
    let nodes: corev1.Node[];
    try {
      nodes = await this.opts.listNodes();
    } catch (err) {
      this.opts.logger.warn('listing nodes for metrics failed', { err: err instanceof Error ? err.message : String(err) });
      return;
    }
    const names = new Set(nodes.map((n) => n.metadata?.name ?? ''));
    for (const name of this.samples.keys()) if (!names.has(name)) this.samples.delete(name);
    await Promise.all(
      nodes.map(async (node) => {
        const name = node.metadata?.name ?? '';
        try {
          const last = await this.opts.scrape(node);
          this.samples.set(name, { prev: this.samples.get(name)?.last, last });
        } catch (err) {
          this.samples.delete(name);
          this.opts.logger.warn('scraping kubelet metrics failed', { node: name, err: err instanceof Error ? err.message : String(err) });
        }
      }),
    );
  }
}
