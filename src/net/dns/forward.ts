// Names outside the cluster: asked of the node's upstream resolvers, one
// after the other until one answers, with answers cached as long as their
// TTLs allow (at most `maxTtl`, as k3s's CoreDNS caches for 30 s) and
// served from the cache with the TTLs counted down (and capped likewise). Negative answers are
// cached for their SOA's minimum (RFC 2308); failures are not cached.
// Identical questions in flight share one upstream exchange.
//
// Contract: resolve() never rejects: an unreachable or silent upstream
// becomes SERVFAIL once every upstream has had its `timeoutMs`.
import { randomInt } from 'node:crypto';
import dnsPacket, { type Answer, type RecordClass, type RecordType } from 'dns-packet';
import { silentLogger, type Logger } from '../../log/logger.js';
import { DnsError } from './errors.js';
import { exchangeTcp, exchangeUdp, type Endpoint } from './exchange.js';
import { rcodes } from './zone.js';

export interface Forwarded {
  rcode: number;
  answers: Answer[];
  authorities: Answer[];
  additionals: Answer[];
}

export interface ForwarderOptions {
  upstreams: Endpoint[];
  /** How long each upstream gets per question; default 2000 ms. */
  timeoutMs?: number;
  /** The longest a cached answer is kept, in seconds; default 30. */
  maxTtl?: number;
  /** Cached questions kept at most; default 10,000 (the oldest go first). */
  maxEntries?: number;
  /** Milliseconds clock (tests). */
  now?: () => number;
  logger?: Logger;
}

interface Entry {
  result: Forwarded;
  storedAt: number;
  expiresAt: number;
}

const ednsSize = 1232;

export class Forwarder {
  private readonly cache = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<Forwarded>>();
  private readonly now: () => number;
  private readonly log: Logger;
  private preferred = 0;

  constructor(private readonly opts: ForwarderOptions) {
    this.now = opts.now ?? Date.now;
    this.log = opts.logger ?? silentLogger;
  }

  async resolve(name: string, type: RecordType, klass: RecordClass = 'IN'): Promise<Forwarded> {
    const key = `${name.toLowerCase()}|${type}|${klass}`;
    const cached = this.fromCache(key);
    if (cached) return cached;
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.ask(name, type, klass)
        .then((result) => {
          this.store(key, result);
          return result;
        })
        .finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    const result = await pending;
    // The cached view: TTLs no longer than the answer is kept.
    return this.fromCache(key) ?? result;
  }

  private fromCache(key: string): Forwarded | undefined {
    const entry = this.cache.get(key);
    if (!entry) return undefined;
    const now = this.now();
    if (now >= entry.expiresAt) {
      this.cache.delete(key);
      return undefined;
    }
    const age = Math.floor((now - entry.storedAt) / 1000);
    const left = Math.ceil((entry.expiresAt - now) / 1000);
    const older = (records: Answer[]): Answer[] => records.map((r) => ('ttl' in r && r.ttl !== undefined ? { ...r, ttl: Math.max(0, Math.min(r.ttl - age, left)) } : r));
    const { result } = entry;
    return { rcode: result.rcode, answers: older(result.answers), authorities: older(result.authorities), additionals: older(result.additionals) };
  }

  private store(key: string, result: Forwarded): void {
    const ttl = cacheTtl(result, this.opts.maxTtl ?? 30);
    if (ttl <= 0) return;
    const now = this.now();
    this.cache.delete(key);
    this.cache.set(key, { result, storedAt: now, expiresAt: now + ttl * 1000 });
    const max = this.opts.maxEntries ?? 10_000;
    for (const oldest of this.cache.keys()) {
      if (this.cache.size <= max) break;
      this.cache.delete(oldest);
    }
  }

  private async ask(name: string, type: RecordType, klass: RecordClass): Promise<Forwarded> {
    const { upstreams } = this.opts;
    if (upstreams.length === 0) {
      this.log.debug('no upstream resolver', { name, type });
      return servfail();
    }
    const timeoutMs = this.opts.timeoutMs ?? 2000;
    for (let i = 0; i < upstreams.length; i++) {
      const index = (this.preferred + i) % upstreams.length;
      const upstream = upstreams[index] as Endpoint;
      try {
        const result = await this.exchange(upstream, name, type, klass, timeoutMs);
        this.preferred = index;
        return result;
      } catch (err) {
        this.log.debug('upstream failed', { upstream: upstream.host, name, type, err: err instanceof Error ? err.message : String(err) });
      }
    }
    return servfail();
  }

  private async exchange(upstream: Endpoint, name: string, type: RecordType, klass: RecordClass, timeoutMs: number): Promise<Forwarded> {
    const query = dnsPacket.encode({
      type: 'query',
      id: randomInt(0, 65536),
      flags: dnsPacket.RECURSION_DESIRED,
      questions: [{ name, type, class: klass }],
      additionals: [{ type: 'OPT', name: '.', udpPayloadSize: ednsSize, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }],
    });
    let res = dnsPacket.decode(await exchangeUdp(upstream, query, timeoutMs));
    if (res.flag_tc) res = dnsPacket.decode(await exchangeTcp(upstream, query, timeoutMs));
    const q = res.questions?.[0];
    if (res.type !== 'response' || !q || q.name.toLowerCase() !== name.toLowerCase() || q.type !== type) {
      throw new DnsError('bad-upstream-answer', `${upstream.host} answered a different question than ${name} ${type}`);
    }
    const rcode = (res.flags ?? 0) & 0xf;
    return {
      rcode,
      answers: res.answers ?? [],
      authorities: res.authorities ?? [],
      additionals: (res.additionals ?? []).filter((a) => a.type !== 'OPT'),
    };
  }
}

function servfail(): Forwarded {
  return { rcode: rcodes.SERVFAIL, answers: [], authorities: [], additionals: [] };
}

/** Seconds an upstream answer may be cached: its smallest TTL, or for a negative one its SOA's (RFC 2308); 0 for failures. */
export function cacheTtl(result: Forwarded, maxTtl: number): number {
  const ttls = (records: Answer[]): number[] => records.flatMap((r) => ('ttl' in r && r.ttl !== undefined ? [r.ttl] : []));
  if (result.rcode === rcodes.NOERROR && result.answers.length > 0) return Math.min(maxTtl, ...ttls(result.answers));
  if (result.rcode !== rcodes.NOERROR && result.rcode !== rcodes.NXDOMAIN) return 0;
  const soa = result.authorities.find((r) => r.type === 'SOA');
  if (!soa || soa.type !== 'SOA') return 0;
  return Math.min(maxTtl, soa.ttl ?? 0, soa.data.minimum ?? 0);
}
