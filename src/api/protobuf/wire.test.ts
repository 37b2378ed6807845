import t from 'tap';
import { ProtobufError } from './errors.js';
import { hex, ld, num, tag, varint } from './encode.fixture.js';
import { WireReader } from './wire.js';

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof ProtobufError ? err.code : `not a ProtobufError: ${String(err)}`;
  }
};

t.test('varints decode across byte boundaries and as 64-bit two’s complement', async (t) => {
  for (const n of [0n, 1n, 127n, 128n, 300n, 2n ** 35n, 2n ** 63n, 2n ** 64n - 1n]) {
    t.equal(new WireReader(varint(n)).varint(), n, `${n}`);
  }
  // -1 as int32/int64: ten bytes, all ones.
  t.equal(new WireReader(hex('ff ff ff ff ff ff ff ff ff 01')).varint(), 2n ** 64n - 1n);
  t.equal(new WireReader(hex('ac 02')).uint(), 300);
});

t.test('a varint longer than 10 bytes, or a length too large, is bad-varint', async (t) => {
  t.equal(code(() => new WireReader(hex('ff ff ff ff ff ff ff ff ff ff 01')).varint()), 'bad-varint');
  t.equal(code(() => new WireReader(hex('ff ff ff ff ff ff ff ff 01')).uint()), 'bad-varint');
});

t.test('input that ends inside a value is truncated', async (t) => {
  t.equal(code(() => new WireReader(hex('ac')).varint()), 'truncated', 'varint without its last byte');
  t.equal(code(() => new WireReader(hex('05 61 62')).bytes()), 'truncated', 'length past the end');
  t.equal(code(() => new WireReader(hex('01 02 03')).fixed64()), 'truncated');
  t.equal(code(() => new WireReader(hex('01')).fixed32()), 'truncated');
  t.equal(code(() => new WireReader(hex('')).tag()), 'truncated');
});

t.test('a sub-reader cannot read past its message', async (t) => {
  const buf = Buffer.concat([ld(1, num(1, 5)), num(2, 7)]);
  const r = new WireReader(buf);
  t.same(r.tag(), { field: 1, wireType: 2 });
  const sub = r.message();
  t.same(sub.tag(), { field: 1, wireType: 0 });
  t.equal(sub.varint(), 5n);
  t.ok(sub.done);
  t.equal(code(() => sub.varint()), 'truncated');
  t.same(r.tag(), { field: 2, wireType: 0 });
  t.equal(r.varint(), 7n);
  t.ok(r.done);
});

t.test('skip passes over every wire type but groups', async (t) => {
  const buf = Buffer.concat([num(1, 2n ** 40n), tag(2, 1), Buffer.alloc(8), ld(3, 'abc'), tag(4, 5), Buffer.alloc(4), num(9, 1)]);
  const r = new WireReader(buf);
  for (let i = 0; i < 4; i++) r.skip(r.tag().wireType);
  t.same(r.tag(), { field: 9, wireType: 0 });
  t.equal(code(() => new WireReader(tag(1, 3)).skip(3)), 'bad-field', 'start group');
  t.equal(code(() => new WireReader(tag(1, 4)).skip(4)), 'bad-field', 'end group');
});

t.test('field number 0 is refused', async (t) => {
  t.equal(code(() => new WireReader(hex('02 00')).tag()), 'bad-field');
});

t.test('errors name the byte offset in the whole body', async (t) => {
  const r = new WireReader(hex('00 00 00 05 61'), 3);
  t.throws(() => r.bytes(), /at byte 3/);
});
