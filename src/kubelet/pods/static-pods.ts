// Static pods joined to the pod manager: the file source says which pods
// run, MirrorPods keeps their copies in the API. A static pod is handed to
// its worker with the status of its mirror (so startTime and the like carry
// over between syncs), and its uid is its config hash, which the mirror
// carries too: an event on a mirror wakes the static pod's worker.
import type { corev1 } from '../../api/types.js';
import type { Informer } from '../../client/index.js';
import { sleepOn } from '../clock.js';
import type { KubeletConfig } from '../options.js';
import { MirrorPods, MirrorStatusWriter } from './static-mirror.js';
import { StaticPodSource } from './static-source.js';
import { configHashOf, isMirrorPod } from './static.js';

export class StaticPods {
  readonly source: StaticPodSource;
  readonly mirrors: MirrorPods;

  constructor(
    private readonly config: KubeletConfig,
    dir: string,
    pods: Informer<corev1.Pod>,
    private readonly enqueue: (uid: string) => void,
  ) {
    this.mirrors = new MirrorPods({ client: config.client, nodeName: config.nodeName, pods, statics: () => this.source.list(), logger: config.logger });
    this.source = new StaticPodSource({
      dir,
      nodeName: config.nodeName,
      clock: config.clock,
      logger: config.logger,
      scanMs: config.intervals.staticPodScanMs,
      onChange: (uids) => {
        for (const uid of uids) enqueue(uid);
        void this.mirrors.reconcile();
      },
    });
  }

  /** The static pod of that uid, with its mirror's status. */
  get(uid: string): corev1.Pod | undefined {
    const pod = this.source.get(uid);
    if (!pod) return undefined;
    const status = this.mirrors.mirrorOf(pod)?.status;
    return status ? { ...pod, status } : pod;
  }

  /** A pod event of the API: for a mirror, the static pod's worker runs and mirrors are reconciled. Returns whether it was a mirror. */
  onApiPod(pod: corev1.Pod): boolean {
    if (!isMirrorPod(pod)) return false;
    const hash = configHashOf(pod);
    if (hash && this.source.get(hash)) this.enqueue(hash);
    void this.mirrors.reconcile();
    return true;
  }

  statusWriter(): MirrorStatusWriter {
    return new MirrorStatusWriter(this.config.client, this.mirrors);
  }

  /** Reads the manifests until the signal aborts, reconciling mirrors at every housekeeping interval. */
  async run(signal: AbortSignal): Promise<void> {
    const reconciling = (async () => {
      while (!signal.aborted) {
        await this.mirrors.reconcile();
        await sleepOn(this.config.clock, this.config.intervals.housekeepingMs, signal);
      }
    })();
    await Promise.all([this.source.run(signal), reconciling]);
  }
}
