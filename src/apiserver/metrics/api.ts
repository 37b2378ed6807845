// metrics.k8s.io/v1beta1, served by the apiserver itself instead of an
// aggregated metrics-server: NodeMetrics (`nodes`) and PodMetrics (`pods`,
// namespaced), get and list with label and field selectors, as objects or
// as a Table (table.ts), read-only.
// Figures come from the collector's last two scrapes of each kubelet; the
// objects measured (and their labels) are read from the store. Errors have
// metrics-server's shapes: `nodemetrics.metrics.k8s.io "x" not found`,
// `podmetrics.metrics.k8s.io "ns/x" not found`.
import type { corev1 } from '../../api/types.js';
import type { Logger } from '../../log/logger.js';
import type { KubeObject } from '../../api/types.js';
import { methodNotSupported, notAcceptable, notFound, parseFieldSelector, parseLabelSelector } from '../../machinery/index.js';
import type { ResourceRequest } from '../request/info.js';
import { objectResponse, type ApiRequest, type ApiResponse } from '../rest/types.js';
import { decodeObject } from '../storage/codec.js';
import { listPrefix } from '../storage/keys.js';
import type { ObjectStore } from '../storage/store.js';
import { conversionContentType, negotiate, parseIncludeObject, toTable } from '../table/index.js';
import { MetricsCollector } from './collector.js';
import { metricsApiVersion, nodeMetrics, podMetrics } from './objects.js';
import type { NodeRates } from './rates.js';
import type { NodeScraper } from './scrape.js';
import { metricsPrinter } from './table.js';

export const metricsGroup = 'metrics.k8s.io';

export interface MetricsApiOptions {
  store: ObjectStore;
  scrape: NodeScraper;
  now: () => Date;
  logger: Logger;
  intervalMs?: number;
  firstGapMs?: number;
}

const served = ['application/json'];
const nodeSpace = { group: '', resource: 'nodes', namespaced: false };
const podSpace = { group: '', resource: 'pods', namespaced: true };

export class MetricsApi {
  private readonly collector: MetricsCollector;

  constructor(private readonly opts: MetricsApiOptions) {
    this.collector = new MetricsCollector({
      listNodes: () => this.list<corev1.Node>(listPrefix(nodeSpace, '')),
      scrape: opts.scrape,
      logger: opts.logger,
      ...(opts.intervalMs === undefined ? {} : { intervalMs: opts.intervalMs }),
      ...(opts.firstGapMs === undefined ? {} : { firstGapMs: opts.firstGapMs }),
    });
  }

  close(): void {
    this.collector.close();
  }

  async handle(info: ResourceRequest, req: ApiRequest): Promise<ApiResponse> {
    const gr = `${info.resource}.${metricsGroup}`;
    if (info.version !== 'v1beta1' || (info.resource !== 'nodes' && info.resource !== 'pods') || info.subresource !== '') {
      throw notFound(info.subresource === '' ? gr : `${gr}/${info.subresource}`, info.name);
    }
    if (info.verb !== 'get' && info.verb !== 'list') throw methodNotSupported(gr, info.verb);
    const chosen = negotiate(req.accept, { served });
    if (!chosen) throw notAcceptable(served);
    if (chosen.convert && chosen.convert.kind !== 'Table') throw notAcceptable(served, chosen.convert.kind);
    const includeObject = parseIncludeObject(req.query.get('includeObject'));
    if (typeof includeObject !== 'string') throw includeObject;
    const labels = parseLabelSelector(req.query.get('labelSelector') ?? '');
    const fields = parseFieldSelector(req.query.get('fieldSelector') ?? '');
    const pods = info.resource === 'pods';
    const objects = (await this.list<corev1.Node | corev1.Pod>(listPrefix(pods ? podSpace : nodeSpace, info.namespace))).filter(
      (o) =>
        (info.name === '' || o.metadata?.name === info.name) &&
        labels.matches(o.metadata?.labels ?? {}) &&
        fields.matches({ 'metadata.name': o.metadata?.name ?? '', 'metadata.namespace': o.metadata?.namespace ?? '' }),
    );
    const rates = await this.collector.rates();
    const now = this.opts.now();
    const items = pods ? podItems(objects as corev1.Pod[], rates, now) : nodeItems(objects as corev1.Node[], rates, now);
    const kind = pods ? 'PodMetrics' : 'NodeMetrics';
    if (info.verb === 'get' && items.length === 0) throw notFound(pods ? `podmetrics.${metricsGroup}` : `nodemetrics.${metricsGroup}`, pods ? `${info.namespace}/${info.name}` : info.name);
    if (chosen.convert) {
      const rows = items.map((i) => ({ kind, apiVersion: metricsApiVersion, ...i }) as KubeObject);
      return objectResponse(200, toTable(metricsPrinter, rows, { includeObject, now, listMeta: {}, version: chosen.convert.version }), conversionContentType(chosen.mediaType, chosen.convert));
    }
    if (info.verb === 'list') return objectResponse(200, { kind: `${kind}List`, apiVersion: metricsApiVersion, metadata: {}, items });
    return objectResponse(200, { kind, apiVersion: metricsApiVersion, ...items[0] });
  }

  private async list<T>(prefix: string): Promise<T[]> {
    const page = await this.opts.store.page({ prefix, limit: 0, revision: 0 });
    return page.items.map((i) => decodeObject(i.kv) as T);
  }
}

function nodeItems(nodes: corev1.Node[], rates: Map<string, NodeRates>, now: Date): Record<string, unknown>[] {
  return nodes.flatMap((n) => {
    const usage = rates.get(n.metadata?.name ?? '')?.node;
    return usage ? [nodeMetrics(n, usage, now)] : [];
  });
}

function podItems(pods: corev1.Pod[], rates: Map<string, NodeRates>, now: Date): Record<string, unknown>[] {
  return pods.flatMap((p) => {
    const containers = rates.get(p.spec?.nodeName ?? '')?.pods.get(`${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`);
    return containers && containers.length > 0 ? [podMetrics(p, containers, now)] : [];
  });
}
