// The kubelet's composition: node registration, status and lease, then
// the pod workers on the CRI runtime. index.ts starts one; tests keep the
// object to wait for its workers between steps.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { corev1 } from '../api/types.js';
import { builtinRefs, SharedInformerFactory } from '../client/index.js';
import { messageOf } from './errors.js';
import { EventRecorder } from './events.js';
import { ImageGC } from './images/index.js';
import { readMachineInfo, type MachineInfo } from './node/machine.js';
import { NodeManager } from './node/manager.js';
import { nodeResources } from './node/status.js';
import type { EvictionThresholds } from './node/thresholds.js';
import { resolveOptions, type KubeletOptions } from './options.js';
import { Backoff } from './pods/backoff.js';
import { WaitingReasons, type PodContext } from './pods/context.js';
import { parseResolvConf, type ResolvConf } from './pods/dns.js';
import { objectGetter, PodManager } from './pods/manager.js';
import { ImagePuller } from './pods/pull.js';
import type { NodeAllocatable } from './pods/env.js';
import { milli, units } from './pods/resources.js';
import { RuntimeStateReader } from './pods/runtime-state.js';
import { ProbeManager } from './probes/manager.js';
import { LocalPathCleaner, persistentVolumesRef, podUsesClaim } from './volumes/cleanup.js';
import { HostVolumeManager } from './volumes/manager.js';
import { tokenSource } from './volumes/token.js';

export interface RunningKubelet {
  /** Resolves once the node is registered with its first status and pods are being synced. */
  ready: Promise<void>;
  /** Resolves once every loop has ended after the signal aborted. */
  stopped: Promise<void>;
}

function hostResolver(path: string): () => ResolvConf {
  return () => {
    try {
      return parseResolvConf(readFileSync(path, 'utf8'));
    } catch {
      return { servers: [], searches: [], options: [] };
    }
  };
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** The node's allocatable resources, as the downward API's defaults for unset limits. */
function allocatableOf(machine: MachineInfo, evictionHard: EvictionThresholds): NodeAllocatable {
  const allocatable = nodeResources(machine, evictionHard).allocatable;
  return { cpuMilli: milli(allocatable['cpu']), memoryBytes: units(allocatable['memory']), ephemeralStorageBytes: units(allocatable['ephemeral-storage']) };
}

export class Kubelet {
  pods: PodManager | undefined;
  node: NodeManager | undefined;
  events: EventRecorder | undefined;
  probes: ProbeManager | undefined;
  /** Loops started so far; stopped waits for them. */
  private readonly loops: Promise<unknown>[] = [];

  constructor(private readonly opts: KubeletOptions) {}

  /** Resolves when no pod sync runs and every event recorded is written. */
  async idle(): Promise<void> {
    await this.pods?.workers.idle();
    await this.probes?.idle();
    await this.events?.flush();
  }

  start(signal: AbortSignal): RunningKubelet {
    const ready = this.run(signal);
    // The loops end when the signal aborts; a start that failed early has none.
    const stopped = (async () => {
      await ready.catch(() => undefined);
      await Promise.all(this.loops);
      await this.events?.flush();
    })();
    return { ready, stopped };
  }

  private async run(signal: AbortSignal): Promise<void> {
    const opts = this.opts;
    const config = resolveOptions(opts);
    const { client, clock, runtime, logger: log } = config;
    const machine = await (opts.machine ?? (() => readMachineInfo(config.rootDir)))();
    mkdirSync(join(config.rootDir, 'pods'), { recursive: true, mode: 0o750 });
    mkdirSync(config.podLogDir, { recursive: true, mode: 0o755 });

    const events = (this.events = new EventRecorder({ client, host: config.nodeName, clock, logger: log }));
    events.node(config.nodeName, 'Normal', 'Starting', 'Starting kubelet.');
    const node = (this.node = new NodeManager(config, machine, events, { evictionHard: config.evictionHard }));
    await node.start(signal);
    if (signal.aborted) return;
    this.loops.push(node.run(signal));

    let runtimeName = 'containerd';
    try {
      runtimeName = (await runtime.version()).runtimeName || runtimeName;
    } catch (err) {
      log.warn('runtime version unknown', { err: messageOf(err) });
    }
    const nodeAllocatable = allocatableOf(machine, config.evictionHard);
    const configMap = objectGetter((name, ns) => client.configMaps.get(name, ns));
    const secret = objectGetter((name, ns) => client.secrets.get(name, ns));
    const claimApi = client.resource<corev1.PersistentVolumeClaim>({ group: '', version: 'v1', resource: 'persistentvolumeclaims', namespaced: true });
    const volumeApi = client.resource<corev1.PersistentVolume>(persistentVolumesRef);
    const claim = objectGetter((name, ns) => claimApi.get(name, ns));
    const persistentVolume = objectGetter((name) => volumeApi.get(name));
    const informers = opts.informers ?? new SharedInformerFactory(client, { logger: log });
    const probes = (this.probes = new ProbeManager({ runtime, clock, events, logger: log, hostIPs: config.nodeIps, onChange: (uid) => this.pods?.workers.enqueue(uid) }));
    this.loops.push(aborted(signal).then(() => probes.stop()));
    const ctx: PodContext = {
      config,
      machine,
      events,
      reader: new RuntimeStateReader(runtime),
      puller: new ImagePuller({ runtime, events, clock, backoff: new Backoff(clock), secret }),
      crashBackoff: new Backoff(clock),
      volumes: new HostVolumeManager({
        rootDir: config.rootDir,
        configMap,
        secret,
        claim,
        persistentVolume: (name) => persistentVolume('', name),
        nodeAllocatable,
        token: tokenSource(client, clock),
      }),
      env: { configMap, secret, services: () => this.pods?.serviceList(), nodeAllocatable, hostIPs: config.nodeIps },
      hostDns: hostResolver(config.resolvConf),
      runtimeName: () => runtimeName,
      reasons: new WaitingReasons(),
      networkError: () => node.networkError(),
      probes,
    };
    const pods = (this.pods = new PodManager(ctx, informers));
    if (config.storageDir) {
      const nodePods = informers.informerFor<corev1.Pod>(builtinRefs.pods, { fieldSelector: `spec.nodeName=${config.nodeName}` });
      const cleaner = new LocalPathCleaner({
        client,
        volumes: informers.informerFor<corev1.PersistentVolume>(persistentVolumesRef),
        node: () => objectGetter((name) => client.nodes.get(name))('', config.nodeName),
        storageDir: config.storageDir,
        claimInUse: (namespace, claim) => nodePods.list(namespace).some((p) => podUsesClaim(p, claim)),
        logger: log,
      });
      this.loops.push(cleaner.run(signal));
    }
    if (!opts.informers) {
      informers.start(signal);
      this.loops.push(aborted(signal).then(() => informers.stop()));
    }
    const imageGc = new ImageGC({
      runtime,
      event: (type, reason, message) => events.node(config.nodeName, type, reason, message),
      clock,
      logger: log,
      pinned: () => new Set([config.sandboxImage, ...config.pinnedImages()]),
      ...config.imageGc,
    });
    this.loops.push(imageGc.run(signal));
    const { running } = await pods.start(signal);
    this.loops.push(running);
    log.info('kubelet ready', { node: config.nodeName });
  }
}
