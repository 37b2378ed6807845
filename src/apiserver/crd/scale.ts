// The `/scale` subresource of a custom kind: an autoscaling/v1 Scale read
// from and written to the paths the CRD names (specReplicasPath,
// statusReplicasPath, labelSelectorPath).
import type { StoredObject } from '../../api/types.js';
import { badRequest, fieldInvalid, invalid, unsupportedMediaType } from '../../machinery/index.js';
import { managerFor } from '../fieldmanager/index.js';
import { decodeBody, decodeObjectBody, mediaType } from '../rest/body.js';
import type { ResourceContext } from '../rest/context.js';
import { mustGet } from '../rest/get.js';
import { recordingUpdate } from '../rest/managed.js';
import { writeOptions } from '../rest/options.js';
import { applyPatch, patchTypes } from '../rest/patch.js';
import { objectResponse, type ApiRequest, type ApiResponse } from '../rest/types.js';
import { guaranteedUpdate } from '../rest/write.js';
import type { CustomResourceScale } from './types.js';

/** `.spec.replicas` → ['spec', 'replicas']. */
function fields(path: string): string[] {
  return path.split('.').filter((p) => p !== '');
}

function read(obj: unknown, path: string): unknown {
  let value = obj;
  for (const f of fields(path)) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[f];
  }
  return value;
}

/** A copy of `obj` with `value` at `path`, creating objects on the way. */
function write(obj: StoredObject, path: string, value: unknown): StoredObject {
  const out = structuredClone(obj) as Record<string, unknown>;
  const parts = fields(path);
  let at = out;
  for (const f of parts.slice(0, -1)) {
    const next = at[f];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) at[f] = {};
    at = at[f] as Record<string, unknown>;
  }
  const last = parts.at(-1);
  if (last !== undefined) at[last] = value;
  return out as StoredObject;
}

export function toCustomScale(obj: StoredObject, paths: CustomResourceScale): Record<string, unknown> {
  const meta = obj.metadata;
  const specReplicas = read(obj, paths.specReplicasPath);
  const statusReplicas = read(obj, paths.statusReplicasPath);
  const selector = paths.labelSelectorPath === undefined ? undefined : read(obj, paths.labelSelectorPath);
  const status: Record<string, unknown> = { replicas: typeof statusReplicas === 'number' ? statusReplicas : 0 };
  if (typeof selector === 'string') status.selector = selector;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: meta.name, namespace: meta.namespace, uid: meta.uid, resourceVersion: meta.resourceVersion, creationTimestamp: meta.creationTimestamp },
    spec: { replicas: typeof specReplicas === 'number' ? specReplicas : 0 },
    status,
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

export async function customScale(ctx: ResourceContext, paths: CustomResourceScale, req: ApiRequest, namespace: string, name: string): Promise<ApiResponse> {
  if (req.method === 'GET' || req.method === 'HEAD') return objectResponse(200, toCustomScale((await mustGet(ctx, namespace, name)).obj, paths));
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
      const view = toCustomScale(current, paths);
      const next = req.method === 'PATCH' ? applyPatch(req.contentType, 'autoscaling', 'Scale', view, body) : body;
      const rv = (next as { metadata?: { resourceVersion?: string } } | undefined)?.metadata?.resourceVersion;
      const scaled = write(current, paths.specReplicasPath, replicasOf(next));
      // A resourceVersion the Scale carries is a precondition on the parent.
      return { ...scaled, metadata: { ...scaled.metadata, resourceVersion: rv ?? '' } };
    },
    { dryRun: opts.dryRun, part: 'main', manage: recordingUpdate(ctx, managerFor(opts.fieldManager, req.userAgent), 'scale') },
  );
  return objectResponse(200, toCustomScale(result.obj, paths));
}
