// API paths built as upstream's clients build them:
//   /api/v1/namespaces/default/pods/web/status
//   /apis/apps/v1/deployments            (all namespaces)
//   /api/v1/nodes/n1                     (cluster-scoped)
import { isValidPathSegmentName } from '../machinery/index.js';
import { ClientError } from './errors.js';

/** Which resource a client talks to. */
export interface ResourceRef {
  /** '' for the core group. */
  group: string;
  version: string;
  /** The plural resource name: `pods`, `deployments`. */
  resource: string;
  namespaced: boolean;
}

export interface PathParts {
  /** Ignored for cluster-scoped resources; '' or undefined means all namespaces (collections only). */
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** `/api/v1` for the core group, `/apis/<group>/<version>` otherwise. */
export function groupVersionPath(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

/** `resource[.group]`, as errors and messages name resources. */
export function groupResource(ref: ResourceRef): string {
  return ref.group === '' ? ref.resource : `${ref.resource}.${ref.group}`;
}

function segment(kind: string, value: string): string {
  const problems = isValidPathSegmentName(value);
  if (value === '' || problems.length > 0) {
    throw new ClientError('bad-request', `invalid ${kind} ${JSON.stringify(value)}: ${value === '' ? 'may not be empty' : problems.join(', ')}`);
  }
  return encodeURIComponent(value);
}

/**
 * The path of a collection (no name) or of one object. A namespaced object
 * (a name is given) needs a namespace; a namespaced collection without one
 * spans all namespaces.
 */
export function resourcePath(ref: ResourceRef, parts: PathParts = {}): string {
  let path = groupVersionPath(ref.group, ref.version);
  const namespace = ref.namespaced ? (parts.namespace ?? '') : '';
  const name = parts.name ?? '';
  if (ref.namespaced && namespace === '' && name !== '') {
    throw new ClientError('bad-request', `${groupResource(ref)} is namespaced: a namespace is needed for ${JSON.stringify(name)}`);
  }
  if (namespace !== '') path += `/namespaces/${segment('namespace', namespace)}`;
  path += `/${ref.resource}`;
  if (name !== '') path += `/${segment('name', name)}`;
  if (parts.subresource !== undefined && parts.subresource !== '') {
    if (name === '') throw new ClientError('bad-request', `subresource ${parts.subresource} of ${groupResource(ref)} needs a name`);
    path += `/${segment('subresource', parts.subresource)}`;
  }
  return path;
}
