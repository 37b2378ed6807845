// Mirror pods: each static pod has a copy in the API (same name and
// namespace, annotation config.mirror=<config hash>, owned by the Node) that
// shows its status. A mirror that is missing is created; one of an older
// version of the pod, or being deleted, is deleted for good and then
// recreated; one whose static pod is gone is deleted. Status of a static pod
// is written to its mirror (MirrorStatusWriter).
import type { corev1 } from '../../api/types.js';
import type { Client, Informer } from '../../client/index.js';
import { isAlreadyExists, isConflict, isNotFound } from '../../machinery/index.js';
import type { Logger } from '../../log/logger.js';
import { messageOf } from '../errors.js';
import { configHashOf, isMirrorPod, isStaticPod, mirrorPodOf } from './static.js';
import { StatusWriter } from './status-writer.js';

export interface MirrorPodsOptions {
  client: Client;
  nodeName: string;
  /** This node's pods in the API. */
  pods: Informer<corev1.Pod>;
  /** The static pods the kubelet runs. */
  statics: () => corev1.Pod[];
  logger: Logger;
}

const keyOf = (p: corev1.Pod): string => `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`;

export class MirrorPods {
  private pass: Promise<void> = Promise.resolve();
  private pending = false;

  constructor(private readonly opts: MirrorPodsOptions) {}

  /** The API's mirror of this version of a static pod, if there is one. */
  mirrorOf(pod: corev1.Pod): corev1.Pod | undefined {
    const mirror = this.opts.pods.get(pod.metadata?.name ?? '', pod.metadata?.namespace);
    if (!mirror || !isMirrorPod(mirror) || configHashOf(mirror) !== configHashOf(pod) || mirror.metadata?.deletionTimestamp) return undefined;
    return mirror;
  }

  /** Runs a reconcile pass after the current one (passes never overlap; requests while one waits merge). */
  reconcile(): Promise<void> {
    if (this.pending) return this.pass;
    this.pending = true;
    this.pass = this.pass.then(async () => {
      this.pending = false;
      try {
        await this.reconcileOnce();
      } catch (err) {
        this.opts.logger.warn('mirror pods not reconciled', { err: messageOf(err) });
      }
    });
    return this.pass;
  }

  private async reconcileOnce(): Promise<void> {
    const { pods, logger } = this.opts;
    const statics = new Map(this.opts.statics().map((p) => [keyOf(p), p]));
    for (const existing of pods.list()) {
      if (!isMirrorPod(existing)) continue;
      const pod = statics.get(keyOf(existing));
      if (pod && configHashOf(pod) === configHashOf(existing) && !existing.metadata?.deletionTimestamp) continue;
      await this.remove(existing);
    }
    let nodeUid: string | undefined;
    for (const pod of statics.values()) {
      const existing = pods.get(pod.metadata?.name ?? '', pod.metadata?.namespace);
      if (existing && !isMirrorPod(existing)) {
        logger.warn('static pod has no mirror: an API pod has its name', { pod: keyOf(pod) });
        continue;
      }
      if (existing) continue;
      nodeUid ??= (await this.opts.client.nodes.get(this.opts.nodeName)).metadata?.uid ?? '';
      try {
        await this.opts.client.pods.create(mirrorPodOf(pod, nodeUid), { namespace: pod.metadata?.namespace });
        logger.info('mirror pod created', { pod: keyOf(pod) });
      } catch (err) {
        if (!isAlreadyExists(err)) logger.warn('mirror pod not created', { pod: keyOf(pod), err: messageOf(err) });
      }
    }
  }

  private async remove(mirror: corev1.Pod): Promise<void> {
    try {
      await this.opts.client.pods.delete(mirror.metadata?.name ?? '', { namespace: mirror.metadata?.namespace, gracePeriodSeconds: 0, preconditions: { uid: mirror.metadata?.uid ?? '' } });
      this.opts.logger.info('mirror pod deleted', { pod: keyOf(mirror) });
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  }
}

/** Writes a static pod's status to its mirror; other pods' as StatusWriter does. */
export class MirrorStatusWriter extends StatusWriter {
  constructor(
    client: Client,
    private readonly mirrors: MirrorPods,
  ) {
    super(client);
  }

  override async write(pod: corev1.Pod, status: corev1.PodStatus): Promise<corev1.Pod | undefined> {
    if (!isStaticPod(pod)) return super.write(pod, status);
    const mirror = this.mirrors.mirrorOf(pod);
    return mirror ? super.write(mirror, status) : undefined;
  }
}
