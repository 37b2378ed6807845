import t from 'tap';
import type { Event, KeyValue } from '../types.js';
import { eventOut, kvOut } from './codec.js';
import { encodeRangeResponse, encodeWatchResponse } from './encode.js';
import { header } from './header.js';
import { loadEtcdServices } from './proto.js';
import { canceledResponse, compactedResponse, createdResponse, duplicateIdResponse, eventResponses, progressResponse } from './watch-responses.js';
import type { WireRangeResponse, WireWatchResponse } from './wire.js';

const services = loadEtcdServices();
/** What proto-loader (protobufjs) writes for the same objects: the reference. */
const reference = {
  watch: (res: WireWatchResponse): Buffer => services.Watch.Watch!.responseSerialize(res),
  range: (res: WireRangeResponse): Buffer => services.KV.Range!.responseSerialize(res),
};

const kv = (over: Partial<KeyValue> = {}): KeyValue => ({
  key: Buffer.from('/registry/pods/default/web-0'),
  value: Buffer.from('{"kind":"Pod"}'),
  createRevision: 7,
  modRevision: 300,
  version: 12,
  lease: 0n,
  ...over,
});

t.test('watch responses are byte for byte what protobufjs writes', async (t) => {
  const events: Event[] = [
    { type: 'PUT', kv: kv() },
    { type: 'PUT', kv: kv({ lease: 7587872381523001234n, value: Buffer.alloc(3000, 'x'), modRevision: 2 ** 40 }), prevKv: kv({ version: 1 }) },
    { type: 'DELETE', kv: { key: Buffer.from('/k'), value: Buffer.alloc(0), createRevision: 0, modRevision: 301, version: 0, lease: 0n } },
  ];
  const cases: [string, WireWatchResponse][] = [
    ['created, watch 0', createdResponse(0n, 1)],
    ['created, watch 5', createdResponse(5n, 123456789)],
    ['duplicate id (-1)', duplicateIdResponse(9)],
    ['canceled with a reason', canceledResponse(3n, 10, 'mvcc: required revision has been compacted')],
    ['canceled without a revision', canceledResponse(3n, undefined)],
    ['compacted', compactedResponse(2n, 77, 'compacted')],
    ['progress', progressResponse(-1, 500)],
    ['no events', { header: header(4), watch_id: '2', events: [] }],
    ...eventResponses(4n, { revision: 301, events }).map((r, i): [string, WireWatchResponse] => [`events ${i}`, r]),
  ];
  for (const [name, res] of cases) t.same(encodeWatchResponse(res), reference.watch(res), name);
});

t.test('a KeyValue seen by many watchers is encoded the same for each', async (t) => {
  const shared = kv();
  const a = eventOut({ type: 'PUT', kv: shared });
  const b = eventOut({ type: 'PUT', kv: shared, prevKv: kv({ modRevision: 5 }) });
  t.equal(a.kv, b.kv, 'one wire object per store KeyValue');
  const first = encodeWatchResponse({ header: header(300), watch_id: '1', events: [a] });
  const second = encodeWatchResponse({ header: header(300), watch_id: '1', events: [a] });
  t.same(first, second);
  t.same(encodeWatchResponse({ header: header(300), watch_id: '2', events: [b] }), reference.watch({ header: header(300), watch_id: '2', events: [b] }));
});

t.test('range responses are byte for byte what protobufjs writes', async (t) => {
  const kvs = Array.from({ length: 50 }, (_, i) => kvOut(kv({ key: Buffer.from(`/k/${i}`), modRevision: 1000 + i })));
  const cases: [string, WireRangeResponse][] = [
    ['empty', { header: header(1), kvs: [] }],
    ['one key', { header: header(9), kvs: kvs.slice(0, 1), count: 1 }],
    ['a page with more', { header: header(9), kvs, more: true, count: 5000 }],
    ['keys only', { header: header(9), kvs: [kvOut(kv({ value: Buffer.alloc(0) }))], count: 1 }],
    ['nested header', { header: { revision: 3 }, kvs: kvs.slice(0, 2), count: 2 }],
  ];
  for (const [name, res] of cases) t.same(encodeRangeResponse(res), reference.range(res), name);
});
