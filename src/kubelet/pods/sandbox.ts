// The pod's sandbox for this sync: a new one (volumes set up first, its log
// directory made, FailedCreatePodSandBox on failure) or the running one,
// plus the hosts file its containers mount.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { corev1 } from '../../api/types.js';
import { KubeletError, messageOf } from '../errors.js';
import { sandboxRequestTimeoutMs, type PodContext } from './context.js';
import { podHostsFile } from './hosts-file.js';
import { podDir } from './paths.js';
import type { PodRuntimeState } from './runtime-state.js';
import { podHostname, sandboxConfig } from './sandbox-config.js';
import type { RunningSandbox } from './start.js';

function configFor(ctx: PodContext, pod: corev1.Pod, attempt: number, report: boolean) {
  const { config, warnings } = sandboxConfig(pod, attempt, {
    rootDir: ctx.config.rootDir,
    podLogDir: ctx.config.podLogDir,
    cgroupRoot: ctx.config.cgroupRoot,
    clusterDns: ctx.config.clusterDns,
    clusterDomain: ctx.config.clusterDomain,
    host: ctx.hostDns(),
  });
  if (report) for (const w of warnings) ctx.events.pod(pod, 'Warning', w.reason, w.message);
  return config;
}

function writeHostsFile(ctx: PodContext, pod: corev1.Pod, ips: string[]): string | undefined {
  const podIPs = pod.spec?.hostNetwork ? ctx.env.hostIPs : ips;
  if (podIPs.length === 0) return undefined;
  const { hostname, domain } = pod.spec?.hostNetwork ? { hostname: ctx.config.hostname, domain: '' } : podHostname(pod, ctx.config.clusterDomain);
  const dir = podDir(ctx.config, pod.metadata?.uid ?? '');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'etc-hosts');
  writeFileSync(file, podHostsFile(pod, podIPs, hostname, domain), { mode: 0o644 });
  return file;
}

/** Creates the sandbox (attempt `attempt`); throws KubeletError('sandbox') after recording the event. */
export async function createSandbox(ctx: PodContext, pod: corev1.Pod, attempt: number): Promise<RunningSandbox> {
  const config = configFor(ctx, pod, attempt, true);
  const rt = ctx.config.runtime;
  let id: string;
  try {
    mkdirSync(config.logDirectory ?? '', { recursive: true, mode: 0o755 });
    id = await rt.runPodSandbox(config, undefined, { timeoutMs: sandboxRequestTimeoutMs });
  } catch (err) {
    const msg = `Failed to create pod sandbox: ${messageOf(err)}`;
    ctx.events.pod(pod, 'Warning', 'FailedCreatePodSandBox', msg);
    throw new KubeletError('sandbox', msg, { cause: err });
  }
  const status = await rt.podSandboxStatus(id);
  const ips = status.network?.ip ? [status.network.ip, ...status.network.additionalIps] : [];
  return { id, config, ips, hostsFile: writeHostsFile(ctx, pod, ips) };
}

/** The running sandbox of `state` with the config it was made with (rebuilt: it is deterministic). */
export function existingSandbox(ctx: PodContext, pod: corev1.Pod, state: PodRuntimeState): RunningSandbox | undefined {
  const s = state.sandboxes[0];
  if (!s || s.state !== 'SANDBOX_READY') return undefined;
  const file = join(podDir(ctx.config, pod.metadata?.uid ?? ''), 'etc-hosts');
  const hostsFile = existsSync(file) ? file : writeHostsFile(ctx, pod, s.ips);
  return { id: s.id, config: configFor(ctx, pod, s.attempt, false), ips: s.ips, hostsFile };
}
