// Per-kind behaviour on top of the generic rules in meta.ts: initial
// status, and the checks the namespace lifecycle imposes.
import type { StoredObject } from '../../api/types.js';
import { forbidden, notFound } from '../../machinery/index.js';
import { objectKey } from '../storage/keys.js';
import type { ResourceContext } from './context.js';

/** Status a new object starts with where upstream's strategy sets one. */
export function initialStatus(ctx: ResourceContext, obj: StoredObject): void {
  switch (ctx.gr) {
    case 'pods':
      obj.status = { phase: 'Pending', qosClass: qosClass(obj) };
      break;
    case 'persistentvolumes':
    case 'persistentvolumeclaims':
      obj.status = { phase: 'Pending' };
      break;
    case 'namespaces':
      obj.status = { phase: 'Active' };
      break;
  }
}

interface Resources {
  requests?: Record<string, unknown>;
  limits?: Record<string, unknown>;
}

/** Guaranteed when every container limits cpu and memory with equal requests; BestEffort when nothing is set. */
function qosClass(pod: StoredObject): string {
  const spec = (pod.spec ?? {}) as { containers?: { resources?: Resources }[]; initContainers?: { resources?: Resources }[] };
  const containers = [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length > 0 || Object.keys(lim).length > 0) any = true;
    for (const r of ['cpu', 'memory']) {
      const l = lim[r];
      const q = req[r] ?? l;
      if (l === undefined || String(q) !== String(l)) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** A namespaced create needs its namespace to exist and not be terminating (upstream's NamespaceLifecycle admission). */
export async function admitNamespace(ctx: ResourceContext, namespace: string): Promise<void> {
  if (!ctx.def.namespaced) return;
  const ns = await ctx.store.get(objectKey({ group: '', resource: 'namespaces', namespaced: false }, '', namespace));
  if (!ns) throw notFound('namespaces', namespace);
  const phase = (ns.obj.status as { phase?: string } | undefined)?.phase;
  if (phase === 'Terminating' || ns.obj.metadata.deletionTimestamp) {
    throw forbidden(ctx.gr, '', `unable to create new content in namespace ${namespace} because it is being terminated`);
  }
}
