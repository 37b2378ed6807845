// Lease-based leader election (coordination.k8s.io/v1 Lease), as upstream's
// leaderelection package: a candidate takes the Lease when it is free or its
// holder has not renewed it for leaseDuration (judged by this process's
// clock from when it last saw the record change, so clock skew between
// servers does not matter); the leader renews every retryPeriod and gives
// up if it cannot renew within renewDeadline. On stop it releases the
// Lease so another candidate can take over at once. Writes are compare-and-
// swap on resourceVersion, so two candidates never both win.
import type { coordinationv1 } from '../api/types.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { isConflict, isNotFound, isAlreadyExists } from '../machinery/index.js';
import { sleep } from './backoff.js';
import type { Client } from './client.js';

type Lease = coordinationv1.Lease;

export interface LeaderElectionOptions {
  client: Client;
  /** The Lease's name, e.g. `kube-controller-manager`. */
  name: string;
  namespace?: string;
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  logger?: Logger;
  now?: () => Date;
}

export interface LeaderCallbacks {
  /** Called on winning; `signal` aborts when leadership is lost or the elector stops. */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  onStoppedLeading?(): void;
  onNewLeader?(identity: string): void;
}

/** Upstream's defaults: lease 15 s, renew deadline 10 s, retry 2 s. */
export const leaderElectionDefaults = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 } as const;

export class LeaderElector {
  private readonly namespace: string;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly log: Logger;
  private readonly now: () => Date;
  private observed: { holder: string; renewTime: string; at: number } | undefined;
  private current: Lease | undefined;
  private leader = false;

  constructor(private readonly opts: LeaderElectionOptions) {
    this.namespace = opts.namespace ?? 'kube-system';
    this.leaseDurationMs = opts.leaseDurationMs ?? leaderElectionDefaults.leaseDurationMs;
    this.renewDeadlineMs = opts.renewDeadlineMs ?? leaderElectionDefaults.renewDeadlineMs;
    this.retryPeriodMs = opts.retryPeriodMs ?? leaderElectionDefaults.retryPeriodMs;
    this.log = opts.logger ?? silentLogger;
    this.now = opts.now ?? (() => new Date());
  }

  get isLeader(): boolean {
    return this.leader;
  }

  /**
   * Campaigns until `signal` aborts: acquire, lead (callbacks), and when
   * leadership is lost, campaign again. Resolves after releasing the Lease.
   */
  async run(signal: AbortSignal, callbacks: LeaderCallbacks): Promise<void> {
    while (!signal.aborted) {
      if (!(await this.acquire(signal, callbacks))) break;
      const leading = new AbortController();
      const stop = (): void => leading.abort();
      signal.addEventListener('abort', stop, { once: true });
      this.leader = true;
      this.log.info('became leader', { lease: `${this.namespace}/${this.opts.name}`, identity: this.opts.identity });
      const work = Promise.resolve(callbacks.onStartedLeading(leading.signal)).catch((err: unknown) => {
        this.log.error('leader work failed', { err: err instanceof Error ? err.message : String(err) });
      });
      await this.renewLoop(leading.signal);
      leading.abort();
      signal.removeEventListener('abort', stop);
      this.leader = false;
      await work;
      callbacks.onStoppedLeading?.();
      if (signal.aborted) await this.release();
      else this.log.warn('lost leadership', { lease: `${this.namespace}/${this.opts.name}` });
    }
  }

  /** One attempt to take or renew the Lease; true when this candidate holds it afterwards. */
  async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.now();
    const stamp = microTime(now);
    const seconds = Math.ceil(this.leaseDurationMs / 1000);
    let lease: Lease;
    try {
      lease = await this.opts.client.leases.get(this.opts.name, this.namespace);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      try {
        this.current = await this.opts.client.leases.create({
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: this.opts.name, namespace: this.namespace },
          spec: { holderIdentity: this.opts.identity, leaseDurationSeconds: seconds, acquireTime: stamp, renewTime: stamp, leaseTransitions: 0 },
        });
      } catch (e) {
        if (isAlreadyExists(e)) return false;
        throw e;
      }
      this.observe(this.current, now);
      return true;
    }
    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    this.observe(lease, now);
    const expired = this.observed !== undefined && this.observed.at + (spec.leaseDurationSeconds ?? seconds) * 1000 <= now.getTime();
    if (holder !== '' && holder !== this.opts.identity && !expired) {
      this.current = lease;
      return false;
    }
    const ours = holder === this.opts.identity;
    const next: Lease = {
      ...lease,
      spec: {
        ...spec,
        holderIdentity: this.opts.identity,
        leaseDurationSeconds: seconds,
        renewTime: stamp,
        acquireTime: ours ? spec.acquireTime ?? stamp : stamp,
        leaseTransitions: ours ? spec.leaseTransitions ?? 0 : (spec.leaseTransitions ?? 0) + 1,
      },
    };
    try {
      this.current = await this.opts.client.leases.update(next);
    } catch (err) {
      if (isConflict(err)) return false;
      throw err;
    }
    this.observe(this.current, now);
    return true;
  }

  /** Gives the Lease up (holder cleared, duration 1 s) if this candidate holds it. */
  async release(): Promise<void> {
    const lease = this.current;
    if (!lease || lease.spec?.holderIdentity !== this.opts.identity) return;
    try {
      this.current = await this.opts.client.leases.update({
        ...lease,
        spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime(this.now()), acquireTime: microTime(this.now()) },
      });
      this.log.info('released lease', { lease: `${this.namespace}/${this.opts.name}` });
    } catch (err) {
      this.log.warn('could not release lease', { err: err instanceof Error ? err.message : String(err) });
    }
  }

  private async acquire(signal: AbortSignal, callbacks: LeaderCallbacks): Promise<boolean> {
    let lastLeader = '';
    while (!signal.aborted) {
      const ok = await this.tryAcquireOrRenew().catch((err: unknown) => {
        this.log.warn('could not reach lease', { err: err instanceof Error ? err.message : String(err) });
        return false;
      });
      const holder = this.current?.spec?.holderIdentity ?? '';
      if (holder && holder !== lastLeader) {
        lastLeader = holder;
        callbacks.onNewLeader?.(holder);
      }
      if (ok) return true;
      await sleep(this.retryPeriodMs * (1 + Math.random() * 1.2), signal);
    }
    return false;
  }

  private async renewLoop(signal: AbortSignal): Promise<void> {
    let lastRenew = Date.now();
    while (!signal.aborted) {
      await sleep(this.retryPeriodMs, signal);
      if (signal.aborted) return;
      const ok = await this.tryAcquireOrRenew().catch(() => false);
      if (ok) lastRenew = Date.now();
      else if (Date.now() - lastRenew >= this.renewDeadlineMs || (this.current?.spec?.holderIdentity ?? '') !== this.opts.identity) return;
    }
  }

  private observe(lease: Lease, now: Date): void {
    const holder = lease.spec?.holderIdentity ?? '';
    const renewTime = lease.spec?.renewTime ?? '';
    if (!this.observed || this.observed.holder !== holder || this.observed.renewTime !== renewTime) {
      this.observed = { holder, renewTime, at: now.getTime() };
    }
  }
}

/** metav1.MicroTime text: RFC 3339 with microseconds. */
export function microTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
