// One query in, one response out: names in the cluster zone (and the
// cluster's own reverse names) are answered from the records,
// authoritatively; everything else goes to the forwarder. Over UDP an
// answer larger than the client can take (512 bytes, or its EDNS size) is
// cut to what fits and marked truncated (TC), so the client retries over
// TCP, where nothing is cut.
//
// Contract: handle() never rejects; a packet that is not a query gets no
// response (undefined), a malformed one FORMERR, an opcode other than
// QUERY NOTIMP.
//
// Answers that depend on the records alone are kept, encoded, by the exact
// bytes of the query after its ID (flags, question as spelled, EDNS) and
// transport: a repeated question costs a map lookup. Any change to the
// records drops them all.
import dnsPacket, { type Answer, type DecodedPacket, type Packet, type RecordType } from 'dns-packet';
import { silentLogger, type Logger } from '../../log/logger.js';
import type { Forwarder } from './forward.js';
import type { ClusterRecords } from './records.js';
import { answerReverse } from './reverse.js';
import { answerZone, rcodes, type ZoneAnswer } from './zone.js';

export interface ResolverOptions {
  records: ClusterRecords;
  /** The cluster domain ("cluster.local"). */
  zone: string;
  forwarder: Forwarder;
  /** The cluster DNS address (the apex NS record's glue). */
  serverIp?: string;
  logger?: Logger;
}

export type Transport = 'udp' | 'tcp';

/** The UDP payload size we offer in EDNS (the DNS flag day 2020 value). */
const ourEdnsSize = 1232;
const classicUdpSize = 512;
/** ExternalName aliases followed inside the zone before giving up. */
const maxAliasDepth = 8;
/** Encoded answers kept at most; the lot is dropped when full. */
const maxKeptAnswers = 10_000;

const flag = { AA: 0x400, TC: 0x200, RD: 0x100, RA: 0x80, CD: 0x10 } as const;

interface Body {
  rcode: number;
  authoritative: boolean;
  /** Made from the records alone (nothing asked upstream): may be kept until they change. */
  fromRecords?: boolean;
  answers: Answer[];
  authorities: Answer[];
  additionals: Answer[];
}

export class Resolver {
  private readonly zone: string;
  private readonly log: Logger;
  private readonly kept = new Map<string, Buffer>();
  private keptGeneration = -1;

  constructor(private readonly opts: ResolverOptions) {
    this.zone = opts.zone.toLowerCase().replace(/\.$/, '');
    this.log = opts.logger ?? silentLogger;
  }

  /** The kept answer to a query asked before, without waiting a turn; undefined when handle() must work it out. */
  known(raw: Buffer, transport: Transport): Buffer | undefined {
    if (this.keptGeneration !== this.opts.records.generation) {
      this.kept.clear();
      this.keptGeneration = this.opts.records.generation;
    }
    const kept = raw.length > 12 ? this.kept.get(transport + raw.toString('latin1', 2)) : undefined;
    if (!kept) return undefined;
    const res = Buffer.from(kept);
    raw.copy(res, 0, 0, 2);
    return res;
  }

  async handle(raw: Buffer, transport: Transport): Promise<Buffer | undefined> {
    const known = this.known(raw, transport);
    if (known) return known;
    const key = raw.length > 12 ? transport + raw.toString('latin1', 2) : undefined;
    let query: DecodedPacket;
    try {
      query = dnsPacket.decode(raw);
    } catch {
      return raw.length >= 12 && (raw[2] ?? 0) < 0x80 ? headerOnly(raw, rcodes.FORMERR) : undefined;
    }
    if (query.type !== 'response' && ((query.flags ?? 0) >> 11) & 0xf) return headerOnly(raw, rcodes.NOTIMP);
    if (query.type === 'response') return undefined;
    const question = query.questions?.[0];
    if (!question || (query.questions?.length ?? 0) !== 1) return headerOnly(raw, rcodes.FORMERR);
    let body: Body;
    const generation = this.opts.records.generation;
    try {
      body = await this.answer(question.name, question.type, question.class ?? 'IN');
    } catch (err) {
      this.log.error('answering failed', { name: question.name, type: question.type, err: err instanceof Error ? err.message : String(err) });
      body = { rcode: rcodes.SERVFAIL, authoritative: false, answers: [], authorities: [], additionals: [] };
    }
    const res = encodeResponse(query, body, transport);
    if (key !== undefined && body.fromRecords && generation === this.keptGeneration) {
      if (this.kept.size >= maxKeptAnswers) this.kept.clear();
      this.kept.set(key, res);
    }
    return res;
  }

  private async answer(name: string, type: RecordType, klass: NonNullable<Packet['questions']>[number]['class']): Promise<Body> {
    const lower = name.toLowerCase().replace(/\.$/, '');
    if (this.inZone(lower)) {
      const zoned = answerZone(this.opts.records, { zone: this.zone, serverIp: this.opts.serverIp }, name, lower, type);
      if (zoned.chase === undefined) return { ...zoned, authoritative: true, fromRecords: true };
      return { ...zoned, authoritative: true, answers: [...zoned.answers, ...(await this.chase(zoned, type, 1))] };
    }
    if (type === 'PTR') {
      const ptr = answerReverse(this.opts.records, this.zone, name, lower);
      if (ptr) return { rcode: rcodes.NOERROR, authoritative: true, fromRecords: true, answers: ptr, authorities: [], additionals: [] };
    }
    const forwarded = await this.opts.forwarder.resolve(name, type, klass);
    return { ...forwarded, authoritative: false };
  }

  /** The addresses behind an ExternalName alias, for A/AAAA: from the zone itself or from upstream. */
  private async chase(zoned: ZoneAnswer, type: RecordType, depth: number): Promise<Answer[]> {
    const target = zoned.chase;
    if (target === undefined || depth > maxAliasDepth) return [];
    if (this.inZone(target)) {
      const next = answerZone(this.opts.records, { zone: this.zone }, target, target, type);
      return [...next.answers, ...(await this.chase(next, type, depth + 1))];
    }
    const upstream = await this.opts.forwarder.resolve(target, type);
    return upstream.rcode === rcodes.NOERROR ? upstream.answers : [];
  }

  private inZone(lower: string): boolean {
    return lower === this.zone || lower.endsWith(`.${this.zone}`);
  }
}

function encodeResponse(query: DecodedPacket, body: Body, transport: Transport): Buffer {
  const qflags = query.flags ?? 0;
  const opt = query.additionals?.find((a) => a.type === 'OPT');
  let flags = (qflags & (flag.RD | flag.CD)) | flag.RA | (body.authoritative ? flag.AA : 0) | (body.rcode & 0xf);
  const edns: Answer[] = opt ? [{ type: 'OPT', name: '.', udpPayloadSize: ourEdnsSize, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }] : [];
  const packet: Packet = {
    type: 'response',
    id: query.id ?? 0,
    flags,
    questions: query.questions,
    answers: body.answers,
    authorities: body.authorities,
    additionals: [...body.additionals, ...edns],
  };
  if (transport === 'udp') {
    const asked = opt && opt.type === 'OPT' ? opt.udpPayloadSize : classicUdpSize;
    const limit = Math.min(Math.max(asked, classicUdpSize), 4096);
    if (dnsPacket.encodingLength(packet) > limit) {
      flags |= flag.TC;
      packet.flags = flags;
      packet.additionals = edns;
      packet.authorities = [];
      const answers = [...body.answers];
      packet.answers = answers;
      while (answers.length > 0 && dnsPacket.encodingLength(packet) > limit) answers.pop();
    }
  }
  return dnsPacket.encode(packet);
}

/** A response of just the header (question count 0) with `rcode`, for queries that cannot be read. */
function headerOnly(raw: Buffer, rcode: number): Buffer {
  const out = Buffer.alloc(12);
  out.writeUInt16BE(raw.readUInt16BE(0), 0);
  const rd = (raw[2] ?? 0) & 0x01;
  out[2] = 0x80 | ((raw[2] ?? 0) & 0x78) | rd;
  out[3] = 0x80 | (rcode & 0xf);
  return out;
}
