// Decides, from a connection's first bytes, whether its client may skip the
// AuthorityRewriter (authority.ts) so that Node's HTTP/2 server reads the
// socket natively.
//
// Clients wait for the server's SETTINGS before they send a request, so the
// :authority itself cannot be seen before the connection is handed on. What
// arrives first is the client preface and the client's SETTINGS frame, and
// that tells the clients apart: grpc-js (under the npm etcd3 client) always
// lists SETTINGS_INITIAL_WINDOW_SIZE, and sends the channel target's
// host:port or "localhost" as :authority; the Go etcd clients that send
// invalid authorities (etcdctl 3.4, clientv3) send an empty SETTINGS frame
// (observed), as does Node's HTTP/2 client with default settings. Anything
// but a SETTINGS frame with that parameter keeps the rewriter, which
// accepts every client.
import { preface } from './authority.js';

const frameHeaderBytes = 9;
const typeSettings = 0x4;
const settingInitialWindowSize = 0x4;

export type Peek =
  /** More bytes are needed. */
  | { done: false }
  /** `native`: the client can be served on the socket as it is. */
  | { done: true; native: boolean };

/** Looks at the client bytes received so far. Throws if they are not HTTP/2. */
export function peekClient(bytes: Buffer): Peek {
  const head = bytes.subarray(0, preface.length);
  if (!preface.subarray(0, head.length).equals(head)) throw new Error('not an HTTP/2 client');
  if (bytes.length < preface.length + frameHeaderBytes) return { done: false };
  const length = bytes.readUIntBE(preface.length, 3);
  const type = bytes[preface.length + 3];
  if (type !== typeSettings) return { done: true, native: false };
  const start = preface.length + frameHeaderBytes;
  if (bytes.length < start + length) return { done: false };
  let native = false;
  for (let at = start; at + 6 <= start + length; at += 6) {
    if (bytes.readUInt16BE(at) === settingInitialWindowSize) native = true;
  }
  return { done: true, native };
}
