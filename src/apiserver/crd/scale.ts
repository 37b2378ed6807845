// The `/scale` subresource of a custom kind: an autoscaling/v1 Scale read
// from and written to the paths the CRD names (specReplicasPath,
// statusReplicasPath, labelSelectorPath).
import type { StoredObject } from '../../api/types.js';
import type { ScaleView } from '../rest/scale.js';
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

/** The Scale view of a custom kind, at the paths its CRD names. */
export function customScaleView(paths: CustomResourceScale): ScaleView {
  return {
    toScale: (obj) => toCustomScale(obj, paths),
    withReplicas: (obj, replicas) => write(obj, paths.specReplicasPath, replicas),
  };
}
