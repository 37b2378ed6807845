import t from 'tap';
import { gzipSync } from 'node:zlib';
import { Code, RpcError } from './rpc-error.js';
import { frameMessage, frameMessages, MessageReader } from './rpc-frames.js';

const msg = (text: string): Buffer => frameMessage(Buffer.from(text));
const texts = (bufs: Buffer[]): string[] => bufs.map((b) => b.toString());

t.test('frameMessage: flag 0, big-endian length, body', async (t) => {
  t.same([...frameMessage(Buffer.from('abc'))], [0, 0, 0, 0, 3, 97, 98, 99]);
  t.same([...frameMessage(Buffer.alloc(0))], [0, 0, 0, 0, 0], 'an empty message is only its prefix');
  const bodies = [Buffer.from('ab'), Buffer.alloc(0), Buffer.from('c')];
  t.same(frameMessages(bodies, 3), Buffer.concat(bodies.map(frameMessage)), 'frameMessages: the same bytes as framing one by one');
});

t.test('MessageReader cuts messages wherever the chunks end', async (t) => {
  const all = Buffer.concat([msg('one'), msg(''), msg('three')]);
  t.same(texts(new MessageReader(100, 'identity').push(all)), ['one', '', 'three'], 'several in one chunk');
  for (let cut = 1; cut < all.length; cut++) {
    const r = new MessageReader(100, 'identity');
    const got = [...texts(r.push(all.subarray(0, cut))), ...texts(r.push(all.subarray(cut)))];
    t.same(got, ['one', '', 'three'], `cut at byte ${cut}`);
    t.notOk(r.partial, 'nothing left over');
  }
  const r = new MessageReader(100, 'identity');
  const bytes = msg('split');
  for (const b of bytes.subarray(0, -1)) t.same(r.push(Buffer.from([b])), [], 'byte by byte: nothing until the last');
  t.ok(r.partial);
  t.same(texts(r.push(bytes.subarray(-1))), ['split']);
});

t.test('MessageReader refuses a message over the limit from its prefix alone', async (t) => {
  const r = new MessageReader(4, 'identity');
  t.same(texts(r.push(msg('four'))), ['four'], 'at the limit');
  const over = msg('fives').subarray(0, 5);
  t.throws(() => r.push(over), new RpcError(Code.RESOURCE_EXHAUSTED, 'Received message larger than max (5 vs. 4)'));
});

t.test('MessageReader inflates compressed messages by the request encoding', async (t) => {
  const gz = gzipSync(Buffer.from('hello'));
  const framed = frameMessage(gz);
  framed[0] = 1;
  t.same(texts(new MessageReader(100, 'gzip').push(framed)), ['hello']);
  t.throws(() => new MessageReader(100, 'snappy').push(framed), { code: Code.UNIMPLEMENTED, details: /unsupported encoding "snappy"/ });
  const bomb = frameMessage(gzipSync(Buffer.alloc(1000, 'a')));
  bomb[0] = 1;
  t.ok(bomb.length < 100, 'small on the wire');
  t.throws(() => new MessageReader(100, 'gzip').push(bomb), { code: Code.RESOURCE_EXHAUSTED, details: /decompresses to a size larger than 100/ });
  const garbage = frameMessage(Buffer.from('not gzip'));
  garbage[0] = 1;
  t.throws(() => new MessageReader(100, 'gzip').push(garbage), { code: Code.INTERNAL });
});
