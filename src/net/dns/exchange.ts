// One DNS exchange with a server: a query out, the matching response back,
// over UDP or TCP (two-byte length prefix), within a deadline. Used to
// forward queries upstream, and by tests and the benchmark as a client.
//
// Contracts: resolves the raw response whose ID matches the query's;
// rejects with a DnsError (`upstream-timeout`, `upstream-unreachable`)
// when none arrives in time or the server cannot be reached (a refused
// port is reported at once, not after the deadline).
import { createSocket } from 'node:dgram';
import { isIP, Socket } from 'node:net';
import { DnsError } from './errors.js';

export interface Endpoint {
  host: string;
  port: number;
}

export function exchangeUdp(to: Endpoint, query: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIP(to.host) === 6 ? 'udp6' : 'udp4');
    const id = query.readUInt16BE(0);
    const done = (err: Error | undefined, res?: Buffer): void => {
      clearTimeout(timer);
      socket.close();
      if (err) reject(err);
      else if (res) resolve(res);
    };
    const timer = setTimeout(() => done(new DnsError('upstream-timeout', `no answer from ${where(to)} over UDP in ${timeoutMs} ms`)), timeoutMs);
    socket.on('error', (err) => done(unreachable(to, err)));
    socket.on('message', (msg) => {
      if (msg.length >= 12 && msg.readUInt16BE(0) === id) done(undefined, msg);
    });
    // Connected, so that an ICMP "port unreachable" comes back as an error at once.
    socket.connect(to.port, to.host, () => socket.send(query));
  });
}

export function exchangeTcp(to: Endpoint, query: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let buffered: Buffer = Buffer.alloc(0);
    const done = (err: Error | undefined, res?: Buffer): void => {
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else if (res) resolve(res);
    };
    const timer = setTimeout(() => done(new DnsError('upstream-timeout', `no answer from ${where(to)} over TCP in ${timeoutMs} ms`)), timeoutMs);
    socket.on('error', (err) => done(unreachable(to, err)));
    socket.on('close', () => done(new DnsError('upstream-unreachable', `${where(to)} closed the TCP connection without an answer`)));
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length < 2) return;
      const length = buffered.readUInt16BE(0);
      if (buffered.length >= 2 + length) done(undefined, buffered.subarray(2, 2 + length));
    });
    socket.connect(to.port, to.host, () => {
      const prefix = Buffer.alloc(2);
      prefix.writeUInt16BE(query.length);
      socket.write(Buffer.concat([prefix, query]));
    });
  });
}

function where(to: Endpoint): string {
  return isIP(to.host) === 6 ? `[${to.host}]:${to.port}` : `${to.host}:${to.port}`;
}

function unreachable(to: Endpoint, err: Error): DnsError {
  return new DnsError('upstream-unreachable', `${where(to)}: ${err.message}`, { cause: err });
}
