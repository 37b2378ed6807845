// containerd as a supervised child: config rendered at every start, binaries
// only from the bundled bin dir (its PATH starts there, so the shim and runc
// containerd finds are ours, never the host's), restarted with back-off when
// it dies. Containers keep running through a restart: shims outlive containerd.
//
// A containerd left running by an earlier tsk8s (found through the pid file)
// is restarted, not adopted: an adopted process is not our child, so we could
// not see it exit, and it may run an older config or older binaries. The
// restart costs about a second and running containers do not notice.
import { basename, join } from 'node:path';
import { silentLogger, type Logger } from '../log/logger.js';
import { defaultBackoff, superviseChild, type Backoff, type ChildStatus, type SupervisedChild } from './child.js';
import { writeContainerdConfig } from './containerd-config.js';
import { SupervisorError } from './errors.js';
import { renderHostsFiles, writeHostsFiles } from './hosts-toml.js';
import { containerdLayout, type ContainerdLayout } from './layout.js';
import { probeContainerd, socketAccepts, type ContainerdVersion } from './probe.js';
import { isRunning, processArgv, readPidFile, removePidFile, terminatePid } from './process.js';
import { emptyRegistries, type Registries, type RegistryAuth } from './registries.js';

export interface ContainerdOptions {
  dataDir: string;
  /** The installed runtime's bin dir (`installRuntime().binDir`). */
  binDir: string;
  /** Default `/run/tsk8s/containerd`; tests give each run its own. */
  stateDir?: string;
  /** The pod sandbox image (our locally built pause image). */
  sandboxImage: string;
  /** Typed registries.yaml; none by default. */
  registries?: Registries;
  /** Pull mirrored registries only from their mirrors, never from upstream. */
  disableDefaultRegistryEndpoint?: boolean;
  logger?: Logger;
  /** containerd's own log level. */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  readyTimeoutMs?: number;
  stopTimeoutMs?: number;
  backoff?: Backoff;
  /** Kill containerd if tsk8s dies (default true, as k3s). */
  dieWithParent?: boolean;
}

export interface ContainerdInfo extends ContainerdVersion {
  socket: string;
  pid: number;
}

export interface RunningContainerd {
  /** Resolves when containerd first serves; rejects with a SupervisorError if it cannot start. */
  ready: Promise<ContainerdInfo>;
  /** Resolves when containerd is stopped after the signal aborted (or the first start failed). */
  stopped: Promise<void>;
  layout: ContainerdLayout;
  status(): ChildStatus;
  /** Resolves when containerd serves now or after its next restart. */
  whenReady(): Promise<ContainerdInfo>;
}

export function startContainerd(opts: ContainerdOptions, signal: AbortSignal): RunningContainerd {
  const log = opts.logger ?? silentLogger;
  const layout = containerdLayout(opts.dataDir, opts.stateDir);
  const env = { PATH: `${opts.binDir}:/usr/sbin:/usr/bin:/sbin:/bin` };
  const ctr = join(opts.binDir, 'ctr');
  const stopTimeoutMs = opts.stopTimeoutMs ?? 10_000;
  let child: SupervisedChild<ContainerdInfo> | undefined;

  const started = (async () => {
    if (typeof process.getuid === 'function' && process.getuid() !== 0) {
      throw new SupervisorError('not-root', 'containerd needs root; tsk8s runs as an unprivileged user');
    }
    const registries = opts.registries ?? emptyRegistries;
    writeContainerdConfig({
      layout,
      binDir: opts.binDir,
      sandboxImage: opts.sandboxImage,
      registryAuths: authsOf(registries),
      ...(opts.logLevel ? { logLevel: opts.logLevel } : {}),
    });
    const hosts = renderHostsFiles(registries, { disableDefaultEndpoint: opts.disableDefaultRegistryEndpoint ?? false }, (m) => log.warn(m));
    writeHostsFiles(layout.certsDir, hosts);
    await reclaimEarlier(layout, stopTimeoutMs, log);
    signal.throwIfAborted();
    child = superviseChild<ContainerdInfo>(
      {
        name: 'containerd',
        file: join(opts.binDir, 'containerd'),
        args: ['--config', layout.configFile],
        env,
        logFile: layout.logFile,
        pidFile: layout.pidFile,
        probe: async (probeSignal, pid) => ({ ...(await probeContainerd(ctr, layout.socket, env, probeSignal)), socket: layout.socket, pid }),
        readyTimeoutMs: opts.readyTimeoutMs ?? 60_000,
        stopTimeoutMs,
        backoff: opts.backoff ?? defaultBackoff,
        dieWithParent: opts.dieWithParent ?? true,
        logger: log,
      },
      signal,
    );
    return child;
  })();

  const ready = started.then((c) => c.ready);
  ready.catch(() => {});
  const stopped = started.then(
    (c) => c.stopped,
    () => undefined,
  );
  return {
    ready,
    stopped,
    layout,
    status: () => child?.status() ?? { pid: undefined, restarts: 0, ready: false },
    whenReady: () => started.then((c) => c.whenReady()),
  };
}

/** Stops a containerd an earlier start of ours left running, then makes sure nothing else holds the socket. */
async function reclaimEarlier(layout: ContainerdLayout, stopTimeoutMs: number, log: Logger): Promise<void> {
  const pid = readPidFile(layout.pidFile);
  if (pid !== undefined && isRunning(pid)) {
    const argv = processArgv(pid) ?? [];
    if (basename(argv[0] ?? '') === 'containerd' && argv.includes(layout.configFile)) {
      log.warn('restarting the containerd an earlier start left running', { pid });
      const how = await terminatePid(pid, stopTimeoutMs);
      log.info('earlier containerd stopped', { pid, how });
    }
  }
  removePidFile(layout.pidFile);
  if (await socketAccepts(layout.socket)) {
    throw new SupervisorError('socket-in-use', `another process already serves ${layout.socket}`, { path: layout.socket });
  }
}

function authsOf(reg: Registries): Record<string, RegistryAuth> {
  const out: Record<string, RegistryAuth> = {};
  for (const [host, config] of Object.entries(reg.configs)) if (config.auth) out[host] = config.auth;
  return out;
}
