import t from 'tap';
import { LineSplitter } from './lines.js';

t.test('whole lines in one chunk come out in order', async (t) => {
  const s = new LineSplitter();
  t.same(s.push('{"a":1}\n{"b":2}\n'), ['{"a":1}', '{"b":2}']);
  t.same(s.end(), []);
});

t.test('a line split across chunks is joined', async (t) => {
  const s = new LineSplitter();
  t.same(s.push('{"type":"ADD'), []);
  t.same(s.push('ED","object":{}}\n{"ty'), ['{"type":"ADDED","object":{}}']);
  t.same(s.push('pe":"DELETED"}\n'), ['{"type":"DELETED"}']);
});

t.test('a multi-byte character split across byte chunks survives', async (t) => {
  const bytes = Buffer.from('{"name":"grüße"}\n', 'utf8');
  const cut = bytes.indexOf(0xc3) + 1; // inside the two-byte ü
  const s = new LineSplitter();
  t.same(s.push(bytes.subarray(0, cut)), []);
  t.same(s.push(bytes.subarray(cut)), ['{"name":"grüße"}']);
});

t.test('every byte on its own still yields the lines', async (t) => {
  const text = '{"x":"é"}\n\n{"y":2}\r\n';
  const s = new LineSplitter();
  const out: string[] = [];
  for (const b of Buffer.from(text)) out.push(...s.push(Buffer.from([b])));
  t.same(out, ['{"x":"é"}', '{"y":2}']);
});

t.test('the last line without a newline comes out at the end', async (t) => {
  const s = new LineSplitter();
  t.same(s.push('{"a":1}\n{"b"'), ['{"a":1}']);
  t.same(s.push(':2}'), []);
  t.same(s.end(), ['{"b":2}']);
  t.same(s.end(), []);
});

t.test('blank lines and carriage returns are dropped', async (t) => {
  const s = new LineSplitter();
  t.same(s.push('\n\r\n{"a":1}\r\n\n'), ['{"a":1}']);
});
