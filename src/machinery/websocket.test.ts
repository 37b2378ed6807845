import t from 'tap';
import { closeFrame, encodeFrame, encodeMaskedFrame, FrameDecoder, offeredProtocols, Opcode, websocketAccept, websocketHandshake } from './websocket.js';

t.test('the handshake', async (t) => {
  // RFC 6455 section 1.3's example key and answer.
  t.equal(websocketAccept('dGhlIHNhbXBsZSBub25jZQ=='), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  t.match(websocketHandshake('dGhlIHNhbXBsZSBub25jZQ==', 'v5.channel.k8s.io'), /^HTTP\/1.1 101 Switching Protocols\r\n.*Sec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n$/s);
  t.same(offeredProtocols('v5.channel.k8s.io, v4.channel.k8s.io'), ['v5.channel.k8s.io', 'v4.channel.k8s.io']);
  t.same(offeredProtocols(['a', 'b, c']), ['a', 'b', 'c']);
  t.same(offeredProtocols(undefined), []);
});

t.test('frames of every length form, masked by the client', async (t) => {
  for (const size of [0, 5, 125, 126, 65535, 65536, 200_000]) {
    const payload = Buffer.alloc(size, 7);
    const d = new FrameDecoder();
    const [frame] = d.push(encodeMaskedFrame(Opcode.Binary, payload));
    t.equal(frame?.payload.length, size, `length ${size}`);
    t.ok(frame?.payload.equals(payload));
    t.equal(frame?.opcode, Opcode.Binary);
    t.equal(frame?.fin, true);
  }
  t.same(encodeFrame(Opcode.Binary, Buffer.from([1, 2])), Buffer.from([0x82, 2, 1, 2]), 'server frames are not masked');
  t.same(closeFrame(), Buffer.from([0x88, 2, 0x03, 0xe8]));
});

t.test('frames split across chunks and several in one chunk', async (t) => {
  const bytes = Buffer.concat([encodeMaskedFrame(Opcode.Binary, Buffer.from('abc')), encodeMaskedFrame(Opcode.Ping, Buffer.from('p')), encodeFrame(Opcode.Close)]);
  const d = new FrameDecoder();
  const frames = [];
  for (let i = 0; i < bytes.length; i++) frames.push(...d.push(bytes.subarray(i, i + 1)));
  t.same(frames.map((f) => [f.opcode, f.payload.toString()]), [[Opcode.Binary, 'abc'], [Opcode.Ping, 'p'], [Opcode.Close, '']]);
  t.throws(() => new FrameDecoder().push(Buffer.from([0xc2, 0])), /reserved bits/);
});
