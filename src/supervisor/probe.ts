// containerd readiness without a gRPC client of our own (gRPC belongs to the
// CRI client and the etcd API): the socket accepts a connection, the bundled
// ctr gets the server's version over it, and the CRI plugin loaded.
import { createConnection } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { SupervisorError } from './errors.js';

export interface ContainerdVersion {
  /** The server's version, e.g. `1.6.20~ds1`. */
  version: string;
  revision: string;
}

const pollMs = 100;
const ctrTimeoutMs = 5000;

/** Polls until containerd on `socket` serves, or `signal` aborts (then rejects with its reason). */
export async function probeContainerd(ctr: string, socket: string, env: Record<string, string>, signal: AbortSignal): Promise<ContainerdVersion> {
  for (;;) {
    signal.throwIfAborted();
    if (await socketAccepts(socket)) {
      const version = await ctrVersion(ctr, socket, env, signal);
      if (version) {
        await checkCriPlugin(ctr, socket, env, signal);
        return version;
      }
    }
    await sleep(pollMs, undefined, { signal });
  }
}

/** True if something accepts connections on the unix socket. */
export function socketAccepts(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const conn = createConnection({ path });
    conn.once('connect', () => {
      conn.destroy();
      resolve(true);
    });
    conn.once('error', () => resolve(false));
  });
}

/** `ctr version`'s server half, or undefined when the server did not answer. */
export async function ctrVersion(ctr: string, socket: string, env: Record<string, string>, signal?: AbortSignal): Promise<ContainerdVersion | undefined> {
  const r = await execa(ctr, ['--address', socket, '--timeout', '2s', 'version'], {
    env,
    extendEnv: false,
    reject: false,
    timeout: ctrTimeoutMs,
    ...(signal ? { cancelSignal: signal } : {}),
  });
  if (r.exitCode !== 0) return undefined;
  return parseCtrVersion(String(r.stdout));
}

export function parseCtrVersion(text: string): ContainerdVersion | undefined {
  const server = text.split(/^Server:\s*$/m)[1];
  if (server === undefined) return undefined;
  const version = /^\s*Version:\s*(\S+)/m.exec(server)?.[1];
  const revision = /^\s*Revision:\s*(\S+)/m.exec(server)?.[1] ?? '';
  return version === undefined ? undefined : { version, revision };
}

/** Throws `cri-plugin-failed` if containerd lists its CRI plugin with any status but ok. */
async function checkCriPlugin(ctr: string, socket: string, env: Record<string, string>, signal: AbortSignal): Promise<void> {
  const r = await execa(ctr, ['--address', socket, 'plugins', 'ls', 'type==io.containerd.grpc.v1,id==cri'], {
    env,
    extendEnv: false,
    reject: false,
    timeout: ctrTimeoutMs,
    cancelSignal: signal,
  });
  const status = parseCriStatus(String(r.stdout));
  if (r.exitCode === 0 && status !== 'ok') {
    throw new SupervisorError('cri-plugin-failed', `containerd's CRI plugin ${status === undefined ? 'is not loaded' : `has status "${status}"`}`);
  }
}

export function parseCriStatus(text: string): string | undefined {
  for (const line of text.split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (cols[0] === 'io.containerd.grpc.v1' && cols[1] === 'cri') return cols.at(-1);
  }
  return undefined;
}
