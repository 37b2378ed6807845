// registries.yaml in k3s's format, validated from an already-decoded document
// (`unknown` until checked). The caller reads and decodes the YAML; this file
// only checks its shape and turns it into typed data:
//
//   mirrors:                      # registry name, or "*" for every registry
//     docker.io:
//       endpoint: ["http://127.0.0.1:5000", "https://mirror.example.com"]
//       rewrite: {"^library/(.*)": "mirror/$1"}
//   configs:                      # keyed by the host an endpoint points at
//     mirror.example.com:
//       auth: {username, password, auth, identitytoken}
//       tls: {ca_file, cert_file, key_file, insecure_skip_verify}
import { SupervisorError } from './errors.js';

export interface RegistryMirror {
  /** Endpoints in the order they are tried; scheme, host and optional path. */
  endpoints: string[];
  /** Repository rewrites (regular expression → replacement). */
  rewrites: Record<string, string>;
}

export interface RegistryAuth {
  username?: string;
  password?: string;
  /** base64 of `username:password`. */
  auth?: string;
  identityToken?: string;
}

export interface RegistryTls {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  insecureSkipVerify: boolean;
}

export interface RegistryConfig {
  auth?: RegistryAuth;
  tls?: RegistryTls;
}

export interface Registries {
  mirrors: Record<string, RegistryMirror>;
  configs: Record<string, RegistryConfig>;
}

export const emptyRegistries: Registries = { mirrors: {}, configs: {} };

/**
 * Checks a decoded registries.yaml. An empty document means no registries.
 * Unknown keys are reported through `warn` (a typo would otherwise be
 * silently ignored); a wrong shape throws SupervisorError naming the key.
 */
export function registriesFromDocument(doc: unknown, source: string, warn: (msg: string) => void = () => {}): Registries {
  if (doc === null || doc === undefined) return { mirrors: {}, configs: {} };
  const at = (path: string, why: string): SupervisorError =>
    new SupervisorError('registries-invalid', `${source}: ${path} ${why}`, { path: source });
  const top = record(doc, () => at('the document', 'must be a mapping'));
  unknownKeys(top, ['mirrors', 'configs'], '', source, warn);

  const mirrors: Record<string, RegistryMirror> = {};
  for (const [name, raw] of Object.entries(record(top.mirrors ?? {}, () => at('mirrors', 'must be a mapping')))) {
    const path = `mirrors.${name}`;
    if (!validRegistryName(name)) throw at(path, 'is not a registry name (host[:port] or "*")');
    const m = record(raw ?? {}, () => at(path, 'must be a mapping'));
    unknownKeys(m, ['endpoint', 'rewrite'], path, source, warn);
    const endpoints = stringList(m.endpoint ?? [], () => at(`${path}.endpoint`, 'must be a list of URLs'));
    for (const e of endpoints) if (!validEndpoint(e)) throw at(`${path}.endpoint`, `has an endpoint that is not a URL: ${e}`);
    const rewrites = stringMap(m.rewrite ?? {}, () => at(`${path}.rewrite`, 'must map patterns to replacements'));
    for (const pattern of Object.keys(rewrites)) {
      try {
        new RegExp(pattern);
      } catch {
        throw at(`${path}.rewrite`, `has a pattern that is not a regular expression: ${pattern}`);
      }
    }
    mirrors[name] = { endpoints, rewrites };
  }

  const configs: Record<string, RegistryConfig> = {};
  for (const [host, raw] of Object.entries(record(top.configs ?? {}, () => at('configs', 'must be a mapping')))) {
    const path = `configs.${host}`;
    if (!validRegistryName(host)) throw at(path, 'is not a registry host (host[:port] or "*")');
    const c = record(raw ?? {}, () => at(path, 'must be a mapping'));
    unknownKeys(c, ['auth', 'tls'], path, source, warn);
    const config: RegistryConfig = {};
    if (c.auth !== undefined && c.auth !== null) {
      const a = stringMap(c.auth, () => at(`${path}.auth`, 'must map auth fields to strings'));
      unknownKeys(a, ['username', 'password', 'auth', 'identitytoken', 'identity_token'], `${path}.auth`, source, warn);
      config.auth = dropUndefined({
        username: a.username,
        password: a.password,
        auth: a.auth,
        identityToken: a.identitytoken ?? a.identity_token,
      });
    }
    if (c.tls !== undefined && c.tls !== null) {
      const t = record(c.tls, () => at(`${path}.tls`, 'must be a mapping'));
      unknownKeys(t, ['ca_file', 'cert_file', 'key_file', 'insecure_skip_verify'], `${path}.tls`, source, warn);
      const file = (key: string): string | undefined => {
        const v = t[key];
        if (v === undefined || v === null || v === '') return undefined;
        if (typeof v !== 'string') throw at(`${path}.tls.${key}`, 'must be a file path');
        return v;
      };
      const skip = t.insecure_skip_verify ?? false;
      if (typeof skip !== 'boolean') throw at(`${path}.tls.insecure_skip_verify`, 'must be true or false');
      const tls: RegistryTls = dropUndefined({ caFile: file('ca_file'), certFile: file('cert_file'), keyFile: file('key_file'), insecureSkipVerify: skip });
      if ((tls.certFile === undefined) !== (tls.keyFile === undefined)) {
        throw at(`${path}.tls`, 'needs both cert_file and key_file, or neither');
      }
      config.tls = tls;
    }
    configs[host] = config;
  }
  return { mirrors, configs };
}

/** host, host:port, an IPv6 literal in brackets, or "*". */
function validRegistryName(name: string): boolean {
  return name === '*' || /^(?:[A-Za-z0-9_.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/.test(name);
}

function validEndpoint(endpoint: string): boolean {
  try {
    const url = new URL(endpoint.includes('://') ? endpoint : `https://${endpoint}`);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host !== '';
  } catch {
    return false;
  }
}

function record(value: unknown, fail: () => Error): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail();
  return value as Record<string, unknown>;
}

function stringList(value: unknown, fail: () => Error): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw fail();
  return [...(value as string[])];
}

function stringMap(value: unknown, fail: () => Error): Record<string, string> {
  const r = record(value, fail);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(r)) {
    if (v === null || v === undefined) continue;
    if (typeof v !== 'string' && typeof v !== 'number') throw fail();
    out[k] = String(v);
  }
  return out;
}

function unknownKeys(value: Record<string, unknown>, known: string[], path: string, source: string, warn: (msg: string) => void): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) warn(`${source}: ignoring unknown key ${path === '' ? key : `${path}.${key}`}`);
  }
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
