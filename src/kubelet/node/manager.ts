// The node's side of the kubelet: register (create, or adopt an existing
// Node of this name), then keep its status and Lease current. Status is
// recomputed every 10 s and patched (strategic merge on nodes/status) when
// it changed, or at least once a minute as a heartbeat. The pressure
// conditions come from the eviction signals read off the machine each time
// (held True for the transition period after a signal recovers), and a
// condition taking a new status records upstream's node event.
import type { corev1 } from '../../api/types.js';
import { isAlreadyExists } from '../../machinery/index.js';
import { sleepOn } from '../clock.js';
import type { Image, RuntimeStatus, RuntimeVersion } from '../cri/types.js';
import { messageOf } from '../errors.js';
import type { EventRecorder } from '../events.js';
import type { KubeletConfig } from '../options.js';
import { NodeLease } from './lease.js';
import { filesystemBytes, type MachineInfo } from './machine.js';
import { adoptionPatch, nodeObject } from './object.js';
import { PressureHistory } from './pressure.js';
import { hostReader, observeSignals, type MachineReader } from './signals.js';
import { buildNodeStatus, networkError, statusChanged } from './status.js';
import { defaultEvictionHard, type EvictionThresholds } from './thresholds.js';

export interface PressureOptions {
  /** Hard eviction thresholds. Default: upstream's (see thresholds.ts). */
  evictionHard?: EvictionThresholds;
  /** Where the signals are read. Default: this host. */
  reader?: MachineReader;
  /** How long a pressure condition stays True after its signal recovers. Default: upstream's 5 minutes. */
  transitionPeriodMs?: number;
}

/** The event reason upstream records when a condition takes a status. */
const transitionReasons: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  MemoryPressure: { False: 'NodeHasSufficientMemory', True: 'NodeHasInsufficientMemory' },
  DiskPressure: { False: 'NodeHasNoDiskPressure', True: 'NodeHasDiskPressure' },
  PIDPressure: { False: 'NodeHasSufficientPID', True: 'NodeHasInsufficientPID' },
  Ready: { True: 'NodeReady', False: 'NodeNotReady' },
};

export class NodeManager {
  private node: corev1.Node | undefined;
  private lastPosted = 0;
  private networkProblem: string | undefined;
  private readonly lease: NodeLease;
  private readonly pressureHistory: PressureHistory;

  constructor(
    private readonly config: KubeletConfig,
    private readonly machine: MachineInfo,
    private readonly events: EventRecorder,
    private readonly pressure: PressureOptions = {},
  ) {
    this.pressureHistory = new PressureHistory(pressure.transitionPeriodMs);
    this.lease = new NodeLease({
      client: config.client,
      clock: config.clock,
      logger: config.logger,
      renewMs: config.intervals.leaseRenewMs,
      node: () => this.current(),
    });
  }

  /** The Node as last written or read. */
  current(): corev1.Node {
    if (!this.node) throw new Error('the node is not registered yet');
    return this.node;
  }

  get registered(): boolean {
    return this.node !== undefined;
  }

  /** Why pods that need the pod network cannot start (the runtime's NetworkReady is false), as of the last status. */
  networkError(): string | undefined {
    return this.networkProblem;
  }

  /** Creates the Node, or adopts the one of this name; retried by the caller. */
  async register(): Promise<corev1.Node> {
    const nodes = this.config.client.nodes;
    const wanted = nodeObject(this.config, this.machine);
    try {
      this.node = await nodes.create(wanted);
      this.config.logger.info('registered node', { node: this.config.nodeName });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      const existing = await nodes.get(this.config.nodeName);
      const patch = adoptionPatch(existing, wanted);
      this.node = patch ? await nodes.patch(this.config.nodeName, patch) : existing;
      this.config.logger.info('adopted existing node', { node: this.config.nodeName, uid: this.node.metadata?.uid });
    }
    return this.node;
  }

  /** Computes status; patches it when it changed, or when `force`, or when the report interval passed. */
  async syncStatus(force = false): Promise<boolean> {
    const node = this.current();
    const rt = this.config.runtime;
    const runtime: { version: RuntimeVersion | undefined; status: RuntimeStatus | undefined; error: string | undefined } = {
      version: undefined,
      status: undefined,
      error: undefined,
    };
    let images: Image[] = [];
    try {
      [runtime.version, runtime.status, images] = await Promise.all([rt.version(), rt.status(), rt.listImages()]);
    } catch (err) {
      runtime.error = messageOf(err);
    }
    this.networkProblem = networkError(runtime);
    const imageFs = runtime.error === undefined ? await this.imageFilesystem() : undefined;
    const now = this.config.clock.now();
    const machine = { ...this.machine, ephemeralStorageBytes: filesystemBytes(this.config.rootDir) || this.machine.ephemeralStorageBytes };
    const observed = observeSignals(this.pressure.reader ?? hostReader, { memoryBytes: machine.memoryBytes, rootDir: this.config.rootDir, imageFs });
    const thresholds = this.pressure.evictionHard ?? defaultEvictionHard;
    const status = buildNodeStatus({
      machine,
      nodeIps: this.config.nodeIps,
      hostname: this.config.hostname,
      kubeletVersion: this.config.kubeletVersion,
      runtime,
      images,
      observed,
      thresholds,
      recentPressure: this.pressureHistory.observe(observed, thresholds, now),
      now,
      previous: node.status,
    });
    const changed = statusChanged(node.status, status);
    if (!force && !changed && now - this.lastPosted < this.config.intervals.nodeStatusReportMs) return false;
    this.node = await this.config.client.nodes.patch(this.config.nodeName, { status }, { type: 'strategic', subresource: 'status' });
    this.lastPosted = now;
    this.recordTransitions(node.status?.conditions, status.conditions ?? []);
    return true;
  }

  /** The runtime's image filesystem mountpoint (imagefs), or undefined when it does not say. */
  private async imageFilesystem(): Promise<string | undefined> {
    try {
      return (await this.config.runtime.imageFsInfo()).imageFilesystems[0]?.mountpoint || undefined;
    } catch (err) {
      this.config.logger.debug('image filesystem unknown', { err: messageOf(err) });
      return undefined;
    }
  }

  private recordTransitions(before: corev1.NodeCondition[] | undefined, after: corev1.NodeCondition[]): void {
    for (const c of after) {
      const old = before?.find((o) => o.type === c.type);
      if (old?.status === c.status) continue;
      const reason = transitionReasons[c.type]?.[c.status];
      if (reason) this.events.node(this.config.nodeName, 'Normal', reason, `Node ${this.config.nodeName} status is now: ${reason}`);
    }
  }

  /** Registers (retrying), posts the first status and takes the lease; resolves when done. */
  async start(signal: AbortSignal): Promise<void> {
    let retryMs = 500;
    while (!signal.aborted) {
      try {
        if (!this.registered) await this.register();
        await this.syncStatus(true);
        await this.lease.renew().catch((err: unknown) => this.config.logger.warn('lease renewal failed', { err: messageOf(err) }));
        return;
      } catch (err) {
        this.config.logger.warn('node registration failed', { node: this.config.nodeName, err: messageOf(err), retryMs });
        await sleepOn(this.config.clock, retryMs, signal);
        retryMs = Math.min(retryMs * 2, 7000);
      }
    }
  }

  /** The lease and status loops, until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const statusLoop = async (): Promise<void> => {
      while (!signal.aborted) {
        await sleepOn(this.config.clock, this.config.intervals.nodeStatusMs, signal);
        if (signal.aborted) return;
        try {
          await this.syncStatus();
        } catch (err) {
          this.config.logger.warn('node status update failed', { err: messageOf(err) });
        }
      }
    };
    await Promise.all([this.lease.run(signal), statusLoop()]);
  }
}
