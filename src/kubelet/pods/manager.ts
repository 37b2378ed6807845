// The pod side of the kubelet: an informer on this node's pods feeding one
// worker per pod uid, the relist loop noticing container exits, and
// housekeeping removing what pods that are gone left behind. Starts after
// the informers synced, so nothing of an existing pod is taken for an
// orphan, and running containers are adopted as they are.
import type { corev1 } from '../../api/types.js';
import { builtinRefs, type Informer, type SharedInformerFactory } from '../../client/index.js';
import { isNotFound } from '../../machinery/index.js';
import { canonical } from '../canonical.js';
import { sleepOn } from '../clock.js';
import { messageOf } from '../errors.js';
import type { PodContext } from './context.js';
import { housekeeping } from './housekeeping.js';
import { Relister, type RecordChanges } from './relist.js';
import { StaticPods } from './static-pods.js';
import { isMirrorPod } from './static.js';
import { StatusWriter } from './status-writer.js';
import { PodSyncer, type SyncResult } from './sync.js';
import { PodWorkers } from './workers.js';

const uidIndex = 'uid';

/** What a pod update changes for the kubelet (status writes, often our own, do not count). */
function syncRelevant(pod: corev1.Pod): string {
  const { resourceVersion: _rv, managedFields: _mf, ...meta } = pod.metadata ?? {};
  return canonical({ meta, spec: pod.spec, phase: pod.status?.phase });
}

export class PodManager {
  readonly workers: PodWorkers;
  readonly syncer: PodSyncer;
  private readonly pods: Informer<corev1.Pod>;
  private readonly services: Informer<corev1.Service>;
  /** The last object seen of pods the API deleted, until their worker is done. */
  private readonly deleted = new Map<string, corev1.Pod>();
  private readonly relister: Relister;
  /** Per pod: the record states its last sync accounted for. */
  private readonly settled = new Map<string, ReadonlyMap<string, string>>();
  /** Per pod: record changes relists reported since its last sync began. */
  private readonly reported = new Map<string, Map<string, string>>();
  /** Pods from the manifest directory, when the kubelet has one. */
  readonly statics: StaticPods | undefined;

  constructor(
    private readonly ctx: PodContext,
    informers: SharedInformerFactory,
  ) {
    const { config } = ctx;
    this.pods = informers.informerFor<corev1.Pod>(builtinRefs.pods, { fieldSelector: `spec.nodeName=${config.nodeName}` });
    this.statics = config.podManifestsDir ? new StaticPods(config, config.podManifestsDir, this.pods, (uid) => this.workers.enqueue(uid)) : undefined;
    this.syncer = new PodSyncer(ctx, this.statics?.statusWriter() ?? new StatusWriter(config.client));
    this.workers = new PodWorkers({
      clock: config.clock,
      logger: config.logger,
      resyncMs: config.intervals.resyncMs,
      retryMs: config.intervals.syncRetryMs,
      sync: (uid) => this.sync(uid),
      needless: (uid) => this.accountedFor(uid),
    });
    this.pods.addIndexer(uidIndex, (p) => [p.metadata?.uid ?? '']);
    this.services = informers.informerFor<corev1.Service>(builtinRefs.services);
    this.relister = new Relister(config.runtime, (uid, changes) => this.onRelist(uid, changes));
  }

  /** Services for container environments; undefined until listed once. */
  serviceList(): readonly corev1.Service[] | undefined {
    return this.services.hasSynced ? this.services.list() : undefined;
  }

  /** The resourceVersion the pod cache has reached (tests wait for it to settle). */
  get cacheVersion(): string {
    return this.pods.lastResourceVersion;
  }

  /** A pod this kubelet runs: bound to the node in the API (mirror pods aside), or static. */
  podByUid(uid: string): corev1.Pod | undefined {
    const pod = this.pods.byIndex(uidIndex, uid)[0];
    if (pod && !isMirrorPod(pod)) return pod;
    return this.statics?.get(uid);
  }

  /** Waits for the informers, then starts workers, relist and housekeeping; resolves when the first pass ran. */
  async start(signal: AbortSignal): Promise<{ running: Promise<void> }> {
    await Promise.all([this.pods.synced, this.services.synced]);
    this.pods.addEventHandler({
      onAdd: (pod) => {
        if (!this.statics?.onApiPod(pod)) this.workers.enqueue(pod.metadata?.uid ?? '');
      },
      onUpdate: (old, pod) => {
        if (old !== pod && syncRelevant(old) === syncRelevant(pod)) return;
        if (this.statics?.onApiPod(pod)) return;
        this.workers.enqueue(pod.metadata?.uid ?? '');
      },
      onDelete: (pod) => {
        if (this.statics?.onApiPod(pod)) return;
        const uid = pod.metadata?.uid ?? '';
        this.deleted.set(uid, pod);
        this.workers.enqueue(uid);
      },
    });
    // Static pods are known before housekeeping, which would take their containers for orphans.
    this.statics?.source.scan();
    await this.relist();
    await this.housekeep();
    const running = Promise.all([
      ...(this.statics ? [this.statics.run(signal)] : []),
      this.loop(signal, this.ctx.config.intervals.relistMs, () => this.relist()),
      this.loop(signal, this.ctx.config.intervals.housekeepingMs, () => this.housekeep()),
    ]).then(
      () => this.workers.stop(),
    );
    return { running };
  }

  private async sync(uid: string): Promise<SyncResult> {
    // This sync reads the runtime afresh: what relists reported so far is in it.
    this.reported.delete(uid);
    this.settled.delete(uid);
    const pod = this.podByUid(uid);
    if (pod) {
      const result = await this.syncer.sync(structuredClone(pod));
      if (result.settled) this.settled.set(uid, result.settled);
      return result;
    }
    const result = await this.syncer.forget(uid, this.deleted.get(uid) ?? this.statics?.source.lastKnown(uid));
    if (result.done) {
      this.deleted.delete(uid);
      this.statics?.source.forgetRemoved(uid);
    }
    return result;
  }

  /** A relist saw the pod's records change: a sync, unless its last one already accounted for the changes (see accountedFor). */
  private onRelist(uid: string, changes: RecordChanges): void {
    let reported = this.reported.get(uid);
    if (!reported) this.reported.set(uid, (reported = new Map()));
    for (const [id, state] of changes) reported.set(id, state);
    this.workers.enqueue(uid, true);
  }

  /** Whether every change relists reported is a state the pod's last sync saw or made (its own sandbox and containers starting). */
  private accountedFor(uid: string): boolean {
    const reported = this.reported.get(uid);
    const settled = this.settled.get(uid);
    if (!reported || !settled) return false;
    for (const [id, state] of reported) if (settled.get(id) !== state) return false;
    return true;
  }

  private async relist(): Promise<void> {
    try {
      const live = await this.relister.relist();
      this.ctx.reader.listed(live.uids, live.ids);
    } catch (err) {
      this.ctx.config.logger.warn('relist failed', { err: messageOf(err) });
    }
  }

  private async housekeep(): Promise<void> {
    try {
      await housekeeping(this.ctx, {
        known: (uid) => this.podByUid(uid) !== undefined || this.workers.has(uid),
        enqueue: (uid) => this.workers.enqueue(uid),
      });
      this.ctx.crashBackoff.gc();
    } catch (err) {
      this.ctx.config.logger.warn('housekeeping failed', { err: messageOf(err) });
    }
  }

  private async loop(signal: AbortSignal, everyMs: number, fn: () => Promise<void>): Promise<void> {
    while (!signal.aborted) {
      await sleepOn(this.ctx.config.clock, everyMs, signal);
      if (!signal.aborted) await fn();
    }
  }
}

/** A ConfigMap or Secret reader for env and volumes: the object, or undefined when it does not exist. */
export function objectGetter<T>(get: (name: string, namespace: string) => Promise<T>): (namespace: string, name: string) => Promise<T | undefined> {
  return async (namespace, name) => {
    try {
      return await get(name, namespace);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
}
