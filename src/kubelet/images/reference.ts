// Image references as the kubelet and containerd read them: Docker's
// normalisation (no domain means docker.io, a one-part docker.io name is
// under library/, `index.docker.io` is docker.io), then a default `latest`
// tag when there is neither tag nor digest. A reference with both a tag and
// a digest keeps only the digest, which is what identifies the image.
import { ImagesError } from './errors.js';

export interface ImageReference {
  /** "docker.io", "registry.example.com:5000", "localhost". */
  domain: string;
  /** The repository path below the domain: "library/busybox". */
  path: string;
  tag?: string;
  /** "sha256:<hex>" */
  digest?: string;
}

const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainPattern = new RegExp(`^(?:${domainComponent}(?:\\.${domainComponent})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`);
const pathComponent = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const tagPattern = /^[\w][\w.-]{0,127}$/;
const digestPattern = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}$/;
const imageId = /^sha256:[0-9a-f]{64}$/;
const maxNameLength = 255;

const invalid = (ref: string, why = 'invalid reference format'): ImagesError =>
  new ImagesError('invalid-reference', `couldn't parse image reference ${JSON.stringify(ref)}: ${why}`);

/** Parses and normalises `ref` (no default tag added); throws ImagesError 'invalid-reference'. */
export function parseImageRef(ref: string): ImageReference {
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!digestPattern.test(digest)) throw invalid(ref);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!tagPattern.test(tag)) throw invalid(ref);
  }
  if (/^[a-f0-9]{64}$/.test(rest)) throw invalid(ref, `invalid repository name (${rest}), cannot specify 64-byte hexadecimal strings`);

  let domain = 'docker.io';
  let path = rest;
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  // The first component is a domain when it looks like one (a dot, a port, localhost) or is not lowercase.
  if (slash >= 0 && (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase())) {
    domain = first;
    path = rest.slice(slash + 1);
  }
  if (!domainPattern.test(domain)) throw invalid(ref);
  if (domain === 'index.docker.io') domain = 'docker.io';
  if (domain === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  const components = path.split('/');
  if (components.some((c) => !pathComponent.test(c))) {
    throw invalid(ref, path !== path.toLowerCase() ? 'repository name must be lowercase' : 'invalid reference format');
  }
  if (domain.length + 1 + path.length > maxNameLength) throw invalid(ref, `repository name must not be more than ${maxNameLength} characters`);
  return { domain, path, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/**
 * The fully qualified reference containerd stores an image under:
 * `busybox` → `docker.io/library/busybox:latest`, `foo/bar:1` →
 * `docker.io/foo/bar:1`, `name:tag@digest` → `name@digest`. An image id
 * (`sha256:<64 hex>`) is returned as is: the runtime accepts one wherever a
 * reference goes. Throws ImagesError 'invalid-reference'.
 */
export function normalizeImageRef(ref: string): string {
  if (imageId.test(ref)) return ref;
  const { domain, path, tag, digest } = parseImageRef(ref);
  const name = `${domain}/${path}`;
  if (digest !== undefined) return `${name}@${digest}`;
  return `${name}:${tag ?? 'latest'}`;
}

/** `normalizeImageRef`, or undefined when `ref` does not parse. */
export function tryNormalizeImageRef(ref: string): string | undefined {
  try {
    return normalizeImageRef(ref);
  } catch {
    return undefined;
  }
}
