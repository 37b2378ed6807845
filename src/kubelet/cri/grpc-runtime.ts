// RuntimeService over a CriConnection: requests built from the kubelet's
// types, responses decoded by decode.ts.
import * as decode from './decode.js';
import * as encode from './encode.js';
import { gone, type CriConnection, type Deadlines } from './grpc-call.js';
import type { Wire } from './proto.js';
import type { CallOptions, RuntimeService } from './runtime.js';
import { str, list, obj, bytes, num } from './wire.js';

/** The kubelet-runtime API version the kubelet announces (upstream's constant). */
const kubeletApiVersion = '0.1.0';

export function grpcRuntimeService(conn: CriConnection, deadlines: Deadlines): RuntimeService {
  // The deadline: the caller's or `baseMs`, plus the call's own timeout (`extraMs`).
  const call = (method: string, request: object, opts: CallOptions | undefined, extraMs = 0, baseMs = deadlines.timeoutMs): Promise<Wire> =>
    conn.call('RuntimeService', method, request, (opts?.timeoutMs ?? baseMs) + extraMs, opts);
  const done = async (p: Promise<Wire>): Promise<void> => {
    await p;
  };

  return {
    version: async (opts) => decode.version(await call('Version', { version: kubeletApiVersion }, opts)),
    status: async (verbose = false, opts) => decode.runtimeStatus(await call('Status', { verbose }, opts)),

    runPodSandbox: async (config, runtimeHandler = '', opts) =>
      str(await call('RunPodSandbox', { config: encode.sandboxConfig(config), runtimeHandler }, opts), 'podSandboxId'),
    stopPodSandbox: (podSandboxId, opts) => gone(call('StopPodSandbox', { podSandboxId }, opts)),
    removePodSandbox: (podSandboxId, opts) => gone(call('RemovePodSandbox', { podSandboxId }, opts)),
    podSandboxStatus: async (podSandboxId, opts) =>
      decode.podSandboxStatus(obj(await call('PodSandboxStatus', { podSandboxId }, opts), 'status') ?? {}),
    listPodSandbox: async (filter, opts) => {
      const wireFilter = filter && { ...filter, state: filter.state && { state: filter.state } };
      return list(await call('ListPodSandbox', { filter: wireFilter }, opts), 'items').map(decode.podSandbox);
    },

    createContainer: async (podSandboxId, config, sandboxConfig, opts) =>
      str(
        await call('CreateContainer', { podSandboxId, config: encode.containerConfig(config), sandboxConfig: encode.sandboxConfig(sandboxConfig) }, opts),
        'containerId',
      ),
    startContainer: (containerId, opts) => done(call('StartContainer', { containerId }, opts)),
    // The runtime may take the whole grace period: the deadline covers it.
    stopContainer: (containerId, timeoutSeconds, opts) => gone(call('StopContainer', { containerId, timeout: timeoutSeconds }, opts, timeoutSeconds * 1000)),
    removeContainer: (containerId, opts) => gone(call('RemoveContainer', { containerId }, opts)),
    listContainers: async (filter, opts) => {
      const wireFilter = filter && { ...filter, state: filter.state && { state: filter.state } };
      return list(await call('ListContainers', { filter: wireFilter }, opts), 'containers').map(decode.container);
    },
    containerStatus: async (containerId, opts) =>
      decode.containerStatus(obj(await call('ContainerStatus', { containerId }, opts), 'status') ?? {}),
    updateContainerResources: (containerId, linux, opts) => done(call('UpdateContainerResources', { containerId, linux }, opts)),

    execSync: async (containerId, cmd, timeoutSeconds, opts) => {
      // No timeout means no deadline unless the caller sets one.
      const baseMs = timeoutSeconds > 0 ? deadlines.timeoutMs : Infinity;
      const res = await call('ExecSync', { containerId, cmd, timeout: timeoutSeconds }, opts, timeoutSeconds * 1000, baseMs);
      return { stdout: bytes(res, 'stdout'), stderr: bytes(res, 'stderr'), exitCode: num(res, 'exitCode') };
    },
    exec: async (req, opts) => str(await call('Exec', req, opts), 'url'),
    attach: async (req, opts) => str(await call('Attach', req, opts), 'url'),
    portForward: async (podSandboxId, port, opts) => str(await call('PortForward', { podSandboxId, port }, opts), 'url'),

    containerStats: async (containerId, opts) => decode.containerStats(obj(await call('ContainerStats', { containerId }, opts), 'stats') ?? {}),
    listContainerStats: async (filter, opts) => list(await call('ListContainerStats', { filter }, opts), 'stats').map(decode.containerStats),
  };
}
