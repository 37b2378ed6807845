// Registry credentials from a pod's imagePullSecrets: the entries of
// kubernetes.io/dockerconfigjson (and legacy dockercfg) Secrets whose
// registry (and path prefix) matches the image, most specific first.
// Keys may be URLs ("https://index.docker.io/v1/"), hosts, host/paths, or
// globs ("*.example.com"). The CRI serverAddress is the image registry's
// URL, not the key: containerd parses it as a URL and sends the credentials
// only to a host equal to its host, so a bare "127.0.0.1:5000" (what
// `kubectl create secret docker-registry --docker-server=127.0.0.1:5000`
// writes) would fail to parse, and a glob or Docker Hub's index URL would
// never match the host pulled from (registry-1.docker.io for Docker Hub).
import type { corev1 } from '../../api/types.js';
import type { AuthConfig } from '../cri/types.js';
import type { ImageReference } from '../images/index.js';

interface Entry {
  host: string;
  path: string;
  auth: AuthConfig;
}

const dockerHubAliases = new Set(['index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com', 'docker.io']);

function normaliseKey(key: string): { host: string; path: string } {
  let rest = key.trim().replace(/^[a-z]+:\/\//i, '');
  rest = rest.replace(/\/+$/, '').replace(/\/v[12]$/, '');
  const slash = rest.indexOf('/');
  let host = (slash === -1 ? rest : rest.slice(0, slash)).toLowerCase();
  const path = slash === -1 ? '' : rest.slice(slash + 1);
  if (dockerHubAliases.has(host)) host = 'docker.io';
  return { host, path };
}

function decode(data: string | undefined): unknown {
  if (data === undefined) return undefined;
  try {
    return JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function authOf(value: unknown): AuthConfig | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const text = (k: string): string | undefined => (typeof v[k] === 'string' && v[k] !== '' ? (v[k] as string) : undefined);
  const auth: AuthConfig = {};
  let username = text('username');
  let password = text('password');
  const encoded = text('auth');
  if (encoded && (!username || !password)) {
    const plain = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = plain.indexOf(':');
    if (colon > 0) {
      username = plain.slice(0, colon);
      password = plain.slice(colon + 1);
    }
  }
  if (username) auth.username = username;
  if (password) auth.password = password;
  if (text('identitytoken')) auth.identityToken = text('identitytoken');
  if (text('registrytoken')) auth.registryToken = text('registrytoken');
  return auth.username || auth.identityToken || auth.registryToken ? auth : undefined;
}

/** Every credential the secrets hold. */
export function secretEntries(secrets: readonly corev1.Secret[]): Entry[] {
  const out: Entry[] = [];
  for (const s of secrets) {
    let auths: unknown;
    if (s.type === 'kubernetes.io/dockerconfigjson') auths = (decode(s.data?.['.dockerconfigjson']) as { auths?: unknown } | undefined)?.auths;
    else if (s.type === 'kubernetes.io/dockercfg') auths = decode(s.data?.['.dockercfg']);
    if (typeof auths !== 'object' || auths === null) continue;
    for (const [key, value] of Object.entries(auths as Record<string, unknown>)) {
      const auth = authOf(value);
      if (auth) out.push({ ...normaliseKey(key), auth });
    }
  }
  return out;
}

function hostMatches(pattern: string, host: string): boolean {
  const p = pattern.split('.');
  const h = host.split('.');
  if (p.length !== h.length) return false;
  return p.every((part, i) => part === h[i] || (part.includes('*') && new RegExp(`^${part.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '[^.]*')}$`).test(h[i] ?? '')));
}

/** Credentials for `image`, most specific (longest path) first. */
export function credentialsFor(image: ImageReference, secrets: readonly corev1.Secret[]): AuthConfig[] {
  const host = image.domain.toLowerCase();
  return secretEntries(secrets)
    .filter((e) => hostMatches(e.host, host) && (e.path === '' || image.path === e.path || image.path.startsWith(`${e.path}/`)))
    .sort((a, b) => b.path.length - a.path.length)
    .map((e) => ({ ...e.auth, serverAddress: `https://${host === 'docker.io' ? 'registry-1.docker.io' : host}` }));
}
