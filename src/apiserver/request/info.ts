// Parses a request path into what it addresses (upstream's RequestInfo):
// a resource request (`/api/v1/namespaces/ns/pods/p/status`) or a
// non-resource path (`/healthz`, `/version`, `/apis`).

export type ResourceVerb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export interface ResourceRequest {
  kind: 'resource';
  group: string;
  version: string;
  /** '' for cluster-scoped requests and cross-namespace lists. */
  namespace: string;
  resource: string;
  /** '' for collection requests. */
  name: string;
  /** '' unless the path addresses a subresource (`status`, `scale`, ...). */
  subresource: string;
  verb: ResourceVerb;
}

/** A path that names an API group or version but no resource (`/api`, `/apis/apps/v1`). */
export interface DiscoveryRequest {
  kind: 'discovery';
  prefix: 'api' | 'apis';
  group: string | undefined;
  version: string | undefined;
}

export interface NonResourceRequest {
  kind: 'non-resource';
  path: string;
}

export type RequestInfo = ResourceRequest | DiscoveryRequest | NonResourceRequest;

/** Splits and percent-decodes a path; undefined if a segment is malformed. */
function segments(path: string): string[] | undefined {
  try {
    return path
      .split('/')
      .filter((s) => s !== '')
      .map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

function verbOf(method: string, hasName: boolean, watch: boolean): ResourceVerb | undefined {
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (watch) return 'watch';
      return hasName ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return hasName ? 'delete' : 'deletecollection';
    default:
      return undefined;
  }
}

const namespaceSubresources = new Set(['status', 'finalize']);

/** True for `watch=true` and `watch=1` (upstream accepts both). */
export function isWatchParam(value: string | null): boolean {
  return value === 'true' || value === '1';
}

/**
 * Classifies a request. Returns undefined for a method no resource supports
 * (the caller answers 405).
 */
export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo | undefined {
  const parts = segments(path);
  if (!parts) return { kind: 'non-resource', path };
  const prefix = parts[0];
  if (prefix !== 'api' && prefix !== 'apis') return { kind: 'non-resource', path };
  let rest: string[];
  let group = '';
  let version: string | undefined;
  if (prefix === 'api') {
    version = parts[1];
    rest = parts.slice(2);
    if (version === undefined) return { kind: 'discovery', prefix, group: undefined, version: undefined };
  } else {
    group = parts[1] ?? '';
    version = parts[2];
    rest = parts.slice(3);
    if (parts[1] === undefined) return { kind: 'discovery', prefix, group: undefined, version: undefined };
    if (version === undefined) return { kind: 'discovery', prefix, group, version: undefined };
  }
  if (rest.length === 0) return { kind: 'discovery', prefix, group, version };

  let namespace = '';
  // `/api/v1/namespaces/<name>[/status|/finalize]` addresses the namespace itself;
  // any other step after the namespace name is a namespaced resource.
  if (rest[0] === 'namespaces' && rest.length >= 3 && !namespaceSubresources.has(rest[2] ?? '')) {
    namespace = rest[1] ?? '';
    rest = rest.slice(2);
  }
  const resource = rest[0] ?? '';
  const name = rest[1] ?? '';
  const subresource = rest.slice(2).join('/');
  const verb = verbOf(method, name !== '', isWatchParam(query.get('watch')));
  if (!verb) return undefined;
  // A watch on a single object (`/pods/x?watch=true`) is a watch of the collection filtered by name.
  return { kind: 'resource', group, version, namespace, resource, name, subresource, verb };
}
