import t from 'tap';
import { inflateSync, constants } from 'node:zlib';
import { ControlType, dataFrame, FlagFin, goAwayFrame, HeaderWriter, pingFrame, SpdyFrameDecoder, synStreamFrame } from './spdy.js';

t.test('SYN_STREAM: fixed fields and a header block any inflater reads', async (t) => {
  const writer = new HeaderWriter();
  const first = synStreamFrame(writer, 1, { streamType: 'error' });
  const second = synStreamFrame(writer, 3, { streamtype: 'stdout' });
  t.equal(first.readUInt16BE(0), 0x8003, 'control bit and version 3');
  t.equal(first.readUInt16BE(2), ControlType.SynStream);
  t.equal(first.readUIntBE(5, 3), first.length - 8);
  t.equal(first.readUInt32BE(8), 1);
  // The two header blocks are one zlib stream.
  const stream = Buffer.concat([first.subarray(18), second.subarray(18)]);
  const plain = inflateSync(stream, { finishFlush: constants.Z_SYNC_FLUSH });
  const expected = (name: string, value: string) => {
    const b = Buffer.alloc(4 + 4 + name.length + 4 + value.length);
    b.writeUInt32BE(1, 0);
    b.writeUInt32BE(name.length, 4);
    b.write(name, 8);
    b.writeUInt32BE(value.length, 8 + name.length);
    b.write(value, 12 + name.length);
    return b;
  };
  t.same(plain, Buffer.concat([expected('streamtype', 'error'), expected('streamtype', 'stdout')]), 'names lower-cased');
});

t.test('frames are read back whole, however the bytes arrive', async (t) => {
  const bytes = Buffer.concat([dataFrame(5, Buffer.from('out')), dataFrame(3, Buffer.alloc(0), true), pingFrame(Buffer.from([0, 0, 0, 7])), goAwayFrame(9)]);
  const d = new SpdyFrameDecoder();
  const frames = [];
  for (let i = 0; i < bytes.length; i += 3) frames.push(...d.push(bytes.subarray(i, i + 3)));
  t.match(frames, [
    { control: false, streamId: 5, flags: 0, data: Buffer.from('out') },
    { control: false, streamId: 3, flags: FlagFin },
    { control: true, type: ControlType.Ping, body: Buffer.from([0, 0, 0, 7]) },
    { control: true, type: ControlType.GoAway, streamId: 9 },
  ]);
});
