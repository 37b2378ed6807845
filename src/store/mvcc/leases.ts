// Lease bookkeeping (ETCD-FACTS §5.11). Deadlines are persisted through the
// driver, so TTLs survive restarts; an in-memory mirror answers lookups. One
// timer is armed for the nearest deadline. Grant and keep-alive never bump
// the revision; revoke and expiry delete every attached key at one revision
// (the store's `revoke` callback does that write).
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../log/logger.js';
import { StoreError } from '../errors.js';
import type { LeaseGrantResponse, LeaseKeepAliveResponse, LeaseTimeToLiveResponse } from '../types.js';
import type { Clock, Timer } from './clock.js';
import type { Driver } from './driver.js';

/** etcd's MaxLeaseTTL, in seconds. */
export const maxLeaseTtl = 9_000_000_000;
const int64Max = (1n << 63n) - 1n;
const int64Min = -(1n << 63n);
/** Generated ids stay below 2^53, so clients that squeeze int64 into doubles keep them exact. */
const generatedIdMask = (1n << 53n) - 1n;

interface LeaseState {
  grantedTtl: number;
  expiresAt: number;
}

export interface LeaseDeps {
  driver: Driver;
  clock: Clock;
  logger: Logger;
  /** Deletes the lease and all its keys in one write; returns the revision after it. */
  revoke(id: bigint): number;
}

export class Leases {
  private readonly leases = new Map<bigint, LeaseState>();
  private timer: Timer | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private stopped = false;

  constructor(private readonly deps: LeaseDeps) {}

  /** Loads persisted leases, expires those whose deadline passed while we were down, arms the timer. */
  start(): void {
    for (const l of this.deps.driver.allLeases()) this.leases.set(l.id, { grantedTtl: l.grantedTtl, expiresAt: l.expiresAt });
    this.expireDue();
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  has(id: bigint): boolean {
    return this.leases.has(id);
  }

  grant(ttlSeconds: number, requestedId?: bigint): LeaseGrantResponse {
    if (!Number.isSafeInteger(ttlSeconds)) throw new RangeError(`lease TTL ${ttlSeconds} is not a safe integer`);
    if (ttlSeconds > maxLeaseTtl) throw new StoreError('lease-ttl-too-large');
    const ttl = Math.max(1, ttlSeconds);
    let id = requestedId ?? 0n;
    if (id !== 0n) {
      if (id > int64Max || id < int64Min) throw new RangeError(`lease id ${id} is outside int64`);
      if (this.leases.has(id)) throw new StoreError('lease-exists');
    } else {
      id = this.newId();
    }
    const state = { grantedTtl: ttl, expiresAt: this.deps.clock.now() + ttl * 1000 };
    this.persist(id, state);
    return { id, ttl };
  }

  /** Extends the lease by its granted TTL; ttl 0 when the lease is gone. */
  keepAlive(id: bigint): LeaseKeepAliveResponse {
    const state = this.live(id);
    if (!state) return { id, ttl: 0 };
    this.persist(id, { grantedTtl: state.grantedTtl, expiresAt: this.deps.clock.now() + state.grantedTtl * 1000 });
    return { id, ttl: state.grantedTtl };
  }

  /** Remaining seconds rounded up (so a live lease never reports 0); -1 when gone. */
  timeToLive(id: bigint, withKeys: boolean): LeaseTimeToLiveResponse {
    const state = this.live(id);
    if (!state) return { id, ttl: -1, grantedTtl: 0, keys: [] };
    const keys = withKeys ? this.deps.driver.keysWithLease(id).sort(Buffer.compare) : [];
    const ttl = Math.ceil((state.expiresAt - this.deps.clock.now()) / 1000);
    return { id, ttl, grantedTtl: state.grantedTtl, keys };
  }

  /** Live lease ids, ascending. */
  ids(): bigint[] {
    this.expireDue();
    return [...this.leases.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  revoke(id: bigint): number {
    if (!this.live(id)) throw new StoreError('lease-not-found');
    return this.remove(id);
  }

  /** Expires every lease whose deadline has passed, each at its own revision. */
  expireDue(): void {
    const now = this.deps.clock.now();
    for (const [id, state] of this.leases) {
      if (state.expiresAt > now) continue;
      try {
        const revision = this.remove(id);
        this.deps.logger.info('lease expired', { lease: id, revision });
      } catch (err) {
        this.deps.logger.error('lease expiry failed', { lease: id, error: err instanceof Error ? err.message : String(err) });
      }
    }
  }

  /** The lease's state if it exists and has not expired; a lapsed lease is expired on the spot. */
  private live(id: bigint): LeaseState | undefined {
    const state = this.leases.get(id);
    if (!state) return undefined;
    if (state.expiresAt > this.deps.clock.now()) return state;
    this.remove(id);
    return undefined;
  }

  private remove(id: bigint): number {
    const revision = this.deps.revoke(id);
    this.leases.delete(id);
    return revision;
  }

  private persist(id: bigint, state: LeaseState): void {
    const { driver } = this.deps;
    driver.write(() => driver.putLease({ id, grantedTtl: state.grantedTtl, expiresAt: state.expiresAt }));
    this.leases.set(id, state);
    if (state.expiresAt < this.timerAt) this.arm();
  }

  private newId(): bigint {
    for (;;) {
      const id = randomBytes(8).readBigUInt64BE(0) & generatedIdMask;
      if (id !== 0n && !this.leases.has(id)) return id;
    }
  }

  /**
   * Arms the timer for the nearest deadline. A keep-alive only moves a
   * deadline later, so the timer may fire early; it then re-arms.
   */
  private arm(): void {
    if (this.stopped) return;
    let nearest = Number.POSITIVE_INFINITY;
    for (const state of this.leases.values()) nearest = Math.min(nearest, state.expiresAt);
    if (nearest === this.timerAt && this.timer) return;
    this.timer?.cancel();
    this.timer = undefined;
    this.timerAt = nearest;
    if (nearest === Number.POSITIVE_INFINITY) return;
    this.timer = this.deps.clock.setTimer(() => {
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
      this.expireDue();
      this.arm();
    }, nearest - this.deps.clock.now());
  }
}
