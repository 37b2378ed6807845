// Keeps ClusterRecords current from three informers: Services,
// EndpointSlices (discovery.k8s.io/v1) and Namespaces (a name in a
// namespace that does not exist is NXDOMAIN, one in an existing namespace
// may be NODATA). `synced` resolves when all three have listed.
import type { corev1, discoveryv1 } from '../../api/types.js';
import { Informer, type Client } from '../../client/index.js';
import type { Logger } from '../../log/logger.js';
import type { ClusterRecords } from './records.js';

const endpointSlicesRef = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', namespaced: true } as const;

export interface RecordSources {
  synced: Promise<void>;
  /** Resolves when the informers' loops have ended (after the signal aborts). */
  stopped: Promise<void>;
}

export function watchRecords(client: Client, records: ClusterRecords, logger: Logger, signal: AbortSignal): RecordSources {
  const services = new Informer<corev1.Service>(client.services, { logger });
  const slices = new Informer<discoveryv1.EndpointSlice>(client.resource(endpointSlicesRef), { logger });
  const namespaces = new Informer<corev1.Namespace>(client.namespaces, { logger });
  services.addEventHandler({
    onAdd: (s) => records.setService(s),
    onUpdate: (_, s) => records.setService(s),
    onDelete: (s) => records.deleteService(s),
  });
  slices.addEventHandler({
    onAdd: (s) => records.setSlice(s),
    onUpdate: (_, s) => records.setSlice(s),
    onDelete: (s) => records.deleteSlice(s),
  });
  namespaces.addEventHandler({
    onAdd: (n) => records.setNamespace(n),
    onUpdate: (_, n) => records.setNamespace(n),
    onDelete: (n) => records.deleteNamespace(n),
  });
  const all = [services, slices, namespaces];
  for (const i of all) i.start(signal);
  const stopped = new Promise<void>((resolve) => {
    const stop = (): void => void Promise.all(all.map((i) => i.stop())).then(() => resolve());
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
  return { synced: Promise.all(all.map((i) => i.synced)).then(() => undefined), stopped };
}
