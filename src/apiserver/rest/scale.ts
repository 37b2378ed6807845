// The `/scale` subresource: an autoscaling/v1 Scale view of spec.replicas
// and the label selector of a workload; custom kinds pass a view of the
// paths their CRD names.
import type { StoredObject } from '../../api/types.js';
import { badRequest, fieldInvalid, invalid, unsupportedMediaType } from '../../machinery/index.js';
import { managerFor } from '../fieldmanager/index.js';
import { decodeBody, decodeObjectBody, mediaType } from './body.js';
import { applyPatch, patchTypes } from './patch.js';
import type { ResourceContext } from './context.js';
import { recordingUpdate } from './managed.js';
import { mustGet } from './get.js';
import { writeOptions } from './options.js';
import { objectResponse, type ApiRequest, type ApiResponse } from './types.js';
import { guaranteedUpdate } from './write.js';

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** The selector as a label-selector string (`app=web,tier in (a,b)`). */
function selectorText(selector: Selector | Record<string, string> | undefined): string {
  if (!selector) return '';
  const s = selector as Selector;
  if (s.matchLabels === undefined && s.matchExpressions === undefined) {
    return Object.entries(selector as Record<string, string>).map(([k, v]) => `${k}=${v}`).sort().join(',');
  }
  const parts = Object.entries(s.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of s.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.sort().join(',');
}

export function toScale(obj: StoredObject): Record<string, unknown> {
  const spec = (obj.spec ?? {}) as { replicas?: number; selector?: Selector };
  const status = (obj.status ?? {}) as { replicas?: number };
  const meta = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: meta.name, namespace: meta.namespace, uid: meta.uid, resourceVersion: meta.resourceVersion, creationTimestamp: meta.creationTimestamp },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, selector: selectorText(spec.selector) },
  };
}

function replicasOf(scale: unknown): number {
  const replicas = (scale as { spec?: { replicas?: unknown } } | undefined)?.spec?.replicas;
  if (replicas === undefined) return 0;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw invalid('Scale.autoscaling', '', [fieldInvalid('spec.replicas', replicas, 'must be greater than or equal to 0')]);
  }
  return replicas;
}

/** How a kind's objects look as a Scale, and how a new replica count is written back. */
export interface ScaleView {
  toScale(obj: StoredObject): Record<string, unknown>;
  withReplicas(obj: StoredObject, replicas: number): StoredObject;
}

/** Built-in workloads: spec.replicas and spec.selector. */
export const builtinScaleView: ScaleView = {
  toScale,
  withReplicas: (obj, replicas) => ({ ...obj, spec: { ...((obj.spec as object | undefined) ?? {}), replicas } }),
};

export async function scale(ctx: ResourceContext, req: ApiRequest, namespace: string, name: string, view: ScaleView = builtinScaleView): Promise<ApiResponse> {
  if (req.method === 'GET' || req.method === 'HEAD') return objectResponse(200, view.toScale((await mustGet(ctx, namespace, name)).obj));
  const opts = writeOptions(req.query, req.method === 'PATCH' ? 'PatchOptions' : 'UpdateOptions');
  let body: unknown;
  if (req.method === 'PATCH') {
    if (!(patchTypes as readonly string[]).includes(mediaType(req.contentType))) throw unsupportedMediaType(patchTypes);
    body = decodeBody(req, patchTypes);
    if (body === undefined) throw badRequest('the body of the request was empty');
  } else {
    body = decodeObjectBody(req);
  }
  const result = await guaranteedUpdate(
    ctx,
    namespace,
    name,
    (current) => {
      const next = req.method === 'PATCH' ? applyPatch(req.contentType, 'autoscaling', 'Scale', view.toScale(current), body) : body;
      const rv = (next as { metadata?: { resourceVersion?: string } } | undefined)?.metadata?.resourceVersion;
      const scaled = view.withReplicas(current, replicasOf(next));
      // A resourceVersion the Scale carries is a precondition on the parent.
      return { ...scaled, metadata: { ...scaled.metadata, resourceVersion: rv ?? '' } };
    },
    { dryRun: opts.dryRun, part: 'main', manage: recordingUpdate(ctx, managerFor(opts.fieldManager, req.userAgent), 'scale') },
  );
  return objectResponse(200, view.toScale(result.obj));
}
