// Supervisor errors: one catalogue with stable codes and, where the user can
// act, a suggestion. Messages name the file, socket or process at fault; they
// never contain registry passwords or tokens.

export const supervisorErrorCodes = {
  'runtime-missing': 'the bundled container runtime (runtime/ and its manifest) is not there',
  'runtime-manifest': 'the runtime manifest cannot be read or does not describe a complete runtime',
  'runtime-corrupt': 'a bundled runtime file is missing or does not match its sha256 in the manifest',
  'runtime-install': 'the runtime cannot be copied into the data dir',
  'not-root': 'containerd needs root',
  'socket-in-use': 'another process already serves the containerd socket',
  'exited-before-ready': 'a supervised process (containerd) exited before it was ready',
  'not-ready': 'a supervised process (containerd) did not become ready in time',
  'cri-plugin-failed': "containerd's CRI plugin failed to load",
  'stopped-before-ready': 'the supervisor was stopped before its process was ready',
  'registries-invalid': 'registries.yaml does not have the shape tsk8s expects',
} as const;

export type SupervisorErrorCode = keyof typeof supervisorErrorCodes;

/** What the user can do about a code, when there is something. */
export const supervisorErrorSuggestions: Partial<Record<SupervisorErrorCode, string>> = {
  'runtime-missing': 'run scripts/fetch-runtime.sh',
  'runtime-manifest': 'run scripts/fetch-runtime.sh --force',
  'runtime-corrupt': 'run scripts/fetch-runtime.sh --force',
  'not-root': 'run tsk8s server as root',
  'socket-in-use': 'stop the other containerd, or give this one its own state dir',
  'exited-before-ready': 'see containerd.log in <data-dir>/agent/containerd',
  'not-ready': 'see containerd.log in <data-dir>/agent/containerd',
  'cri-plugin-failed': 'see containerd.log in <data-dir>/agent/containerd',
};

export class SupervisorError extends Error {
  readonly code: SupervisorErrorCode;
  /** The file or socket at fault, when there is one. */
  readonly path: string | undefined;

  constructor(code: SupervisorErrorCode, message: string, opts: { path?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'SupervisorError';
    this.code = code;
    this.path = opts.path;
  }

  get suggestion(): string | undefined {
    return supervisorErrorSuggestions[this.code];
  }
}

export function isSupervisorError(err: unknown, code?: SupervisorErrorCode): err is SupervisorError {
  return err instanceof SupervisorError && (code === undefined || err.code === code);
}

/** The errno code of a Node fs or net error (`ENOENT`, `ECONNREFUSED`, ...), or undefined. */
export function errnoCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  return typeof err.code === 'string' ? err.code : undefined;
}
