// pods/binding: the scheduler's bind.
import type { StoredObject } from '../../api/types.js';
import { badRequest, conflict, successStatus } from '../../machinery/index.js';
import { decodeObjectBody } from './body.js';
import type { ResourceContext } from './context.js';
import { rfc3339 } from './meta.js';
import { writeOptions } from './options.js';
import { objectResponse, type ApiRequest, type ApiResponse } from './types.js';
import { guaranteedUpdate } from './write.js';

export async function bind(ctx: ResourceContext, req: ApiRequest, namespace: string, name: string): Promise<ApiResponse> {
  const opts = writeOptions(req.query);
  const body = decodeObjectBody(req);
  const target = (body.target ?? {}) as { kind?: string; name?: string };
  if (typeof target.name !== 'string' || target.name === '') throw badRequest('binding target name is required');
  if (target.kind !== undefined && target.kind !== '' && target.kind !== 'Node') throw badRequest(`binding target kind must be Node, not ${target.kind}`);
  const nodeName = target.name;
  await guaranteedUpdate(
    ctx,
    namespace,
    name,
    (pod: StoredObject) => {
      const spec = (pod.spec ?? {}) as { nodeName?: string };
      if (pod.metadata.deletionTimestamp) throw conflict(ctx.gr, name, `pod ${name} is being deleted, cannot be assigned to a host`);
      if (spec.nodeName) throw conflict(ctx.gr, name, `pod ${name} is already assigned to node "${spec.nodeName}"`);
      const status = (pod.status ?? {}) as { conditions?: Record<string, unknown>[] };
      const conditions = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
      conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(ctx.now()) });
      return { ...pod, spec: { ...spec, nodeName }, status: { ...status, conditions }, metadata: { ...pod.metadata, resourceVersion: '' } };
    },
    { dryRun: opts.dryRun, part: 'all' },
  );
  return objectResponse(201, successStatus());
}
