// The service load balancer (k3s ServiceLB's behaviour, without its pods):
// a Service of type LoadBalancer with no loadBalancerClass gets the
// addresses of the Ready nodes as status.loadBalancer.ingress (each node's
// ExternalIPs, else its InternalIPs), and the nodes' service proxies accept
// `<nodeIP>:<port>` for it. The ingress follows the nodes as they come, go
// and change readiness. A Service that stops being a LoadBalancer has its
// ingress cleared. Services with a loadBalancerClass belong to another
// implementation and are left alone.
import type { corev1 } from '../api/types.js';
import { objectKey, runWorkers, WorkQueue, type Client } from '../client/index.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { isConflict, isNotFound } from '../machinery/index.js';
import type { Controller, Lister } from './controller.js';

export interface ServiceLBControllerOptions {
  client: Client;
  services: Lister<corev1.Service>;
  nodes: Lister<corev1.Node>;
  logger?: Logger;
  queue?: WorkQueue;
}

export class ServiceLBController implements Controller {
  readonly name = 'servicelb';
  readonly queue: WorkQueue;
  private readonly log: Logger;

  constructor(private readonly opts: ServiceLBControllerOptions) {
    this.queue = opts.queue ?? new WorkQueue({ name: this.name });
    this.log = opts.logger ?? silentLogger;
    const enqueue = (svc: corev1.Service): void => {
      if (ours(svc) || (svc.status?.loadBalancer?.ingress ?? []).length > 0) this.queue.add(objectKey(svc));
    };
    opts.services.addEventHandler({ onAdd: enqueue, onUpdate: (_old, svc) => enqueue(svc) });
    const allLoadBalancers = (): void => {
      for (const svc of opts.services.list()) if (ours(svc)) this.queue.add(objectKey(svc));
    };
    opts.nodes.addEventHandler({
      onAdd: allLoadBalancers,
      onUpdate: (old, node) => {
        if (!sameStrings(nodeAddresses([old]), nodeAddresses([node]))) allLoadBalancers();
      },
      onDelete: allLoadBalancers,
    });
  }

  run(workers: number, signal: AbortSignal): Promise<void> {
    return runWorkers(this.queue, (key) => this.sync(key), signal, { workers, logger: this.log });
  }

  async sync(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    const svc = this.opts.services.get(name, namespace);
    if (!svc || svc.spec?.loadBalancerClass) return;
    const want = svc.spec?.type === 'LoadBalancer' ? nodeAddresses(this.opts.nodes.list()) : [];
    const have = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname ?? '').sort();
    if (sameStrings(want, have)) return;
    const body: corev1.Service = { ...structuredClone(svc), status: { ...svc.status, loadBalancer: want.length > 0 ? { ingress: want.map((ip) => ({ ip, ipMode: 'VIP' })) } : {} } };
    try {
      await this.opts.client.services.updateStatus(body);
    } catch (err) {
      // Deleted meanwhile; or changed meanwhile, and the update event brings it back.
      if (isNotFound(err) || isConflict(err)) return;
      throw err;
    }
    this.log.info('load balancer ingress set', { service: key, ingress: want.join(',') || 'none' });
  }
}

function ours(svc: corev1.Service): boolean {
  return svc.spec?.type === 'LoadBalancer' && !svc.spec.loadBalancerClass;
}

/** The Ready nodes' ExternalIPs (InternalIPs for a node without any), sorted. */
export function nodeAddresses(nodes: readonly corev1.Node[]): string[] {
  const out = new Set<string>();
  for (const node of nodes) {
    if (node.metadata?.deletionTimestamp) continue;
    if (node.status?.conditions?.find((c) => c.type === 'Ready')?.status !== 'True') continue;
    const addresses = node.status.addresses ?? [];
    const external = addresses.filter((a) => a.type === 'ExternalIP');
    for (const a of external.length > 0 ? external : addresses.filter((a) => a.type === 'InternalIP')) out.add(a.address);
  }
  return [...out].sort();
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
