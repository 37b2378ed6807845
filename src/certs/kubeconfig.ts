// Kubeconfig files (kubectl's `Config` format) for client-certificate users.
// The shape is fixed and small, so it is written here as YAML text rather
// than through a YAML library (which another folder owns): every value
// passes through `scalar`, which emits a plain scalar only when YAML would
// read it back as the same string and a JSON-quoted one otherwise (JSON
// strings are valid double-quoted YAML scalars).
import { keyMode, writeFileAtomic } from './files.js';

export interface KubeconfigParams {
  /** The apiserver URL, e.g. `https://127.0.0.1:6443`. */
  server: string;
  /** PEM of the CA that signed the apiserver's serving certificate. */
  caPem: string;
  /** PEM client certificate and its key. */
  certPem: string;
  keyPem: string;
  /** Name of the cluster, user and context, and the current context; default `default` (as k3s). */
  name?: string;
}

/** Renders a kubeconfig with one cluster, one user and one context, which is current. */
export function renderKubeconfig(params: KubeconfigParams): string {
  const name = scalar(params.name ?? 'default');
  const b64 = (pem: string) => scalar(Buffer.from(pem, 'utf8').toString('base64'));
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- cluster:',
    `    certificate-authority-data: ${b64(params.caPem)}`,
    `    server: ${scalar(params.server)}`,
    `  name: ${name}`,
    'contexts:',
    '- context:',
    `    cluster: ${name}`,
    `    user: ${name}`,
    `  name: ${name}`,
    `current-context: ${name}`,
    'preferences: {}',
    'users:',
    `- name: ${name}`,
    '  user:',
    `    client-certificate-data: ${b64(params.certPem)}`,
    `    client-key-data: ${b64(params.keyPem)}`,
    '',
  ].join('\n');
}

/**
 * Writes a kubeconfig atomically with exactly `mode` (default 0600: it holds
 * a private key), creating missing parent directories (mode 0755).
 */
export function writeKubeconfig(path: string, text: string, mode: number = keyMode): void {
  writeFileAtomic(path, text, { mode, dirMode: 0o755 });
}

/** Words YAML 1.1 or 1.2 would read as booleans or null. */
const reserved = /^(?:y|n|yes|no|on|off|true|false|null|~)$/i;
/** Starts with a letter and holds only characters with no YAML meaning after the first (':' only when not last). */
const plainSafe = /^[A-Za-z][A-Za-z0-9_.\/@%+=:[\]-]*$/;

function scalar(value: string): string {
  return plainSafe.test(value) && !reserved.test(value) && !value.endsWith(':') ? value : JSON.stringify(value);
}
