// Conformance: range_end forms, limit/more/count, keys_only/count_only,
// sorting and revision filters, historical reads.
import type { Test } from 'tap';
import type { Backend } from '../backend.js';
import { storeErrors } from '../errors.js';
import { prefixEnd } from '../mvcc/keyrange.js';
import type { RangeRequest } from '../types.js';
import { k, keysOf, kvStr, putKey, scenario, type OpenBackend } from './harness.js';

const byteKeys = ['/a', '/a\x00', '/a/b', '/ab', '/b', 'z', '\xff', '\xff\xff'];

async function keysIn(b: Backend, req: RangeRequest): Promise<string[]> {
  return keysOf((await b.range(req)).kvs);
}

/** k1: c2 m5 v2 "d"; k2: c3 m7 v3 "f"; k3: c4 m4 v1 "a" (current revision 7). */
async function sortFixture(b: Backend): Promise<void> {
  await putKey(b, 'k1', 'c');
  await putKey(b, 'k2', 'b');
  await putKey(b, 'k3', 'a');
  await putKey(b, 'k1', 'd');
  await putKey(b, 'k2', 'e');
  await putKey(b, 'k2', 'f');
}

const all = { key: k('k'), rangeEnd: k('l') };

export function rangeSuite(t: Test, open: OpenBackend): void {
  scenario(t, 'range_end forms: single key, prefix, from-key, all keys, empty', open, async ({ t, b }) => {
    for (const key of byteKeys) await putKey(b, key, 'v');
    t.same(await keysIn(b, { key: k('/a') }), ['/a']);
    t.same(await keysIn(b, { key: k('/a\x00') }), ['/a\x00']);
    t.same(await keysIn(b, { key: k('/a'), rangeEnd: prefixEnd(k('/a')) }), ['/a', '/a\x00', '/a/b', '/ab']);
    t.same(await keysIn(b, { key: k('/a/'), rangeEnd: prefixEnd(k('/a/')) }), ['/a/b']);
    t.same(await keysIn(b, { key: k('/b'), rangeEnd: k('\0') }), ['/b', 'z', '\xff', '\xff\xff']);
    t.same(await keysIn(b, { key: k('\0'), rangeEnd: k('\0') }), byteKeys);
    t.same(await keysIn(b, { key: k('\xff'), rangeEnd: prefixEnd(k('\xff')) }), ['\xff', '\xff\xff']);
    t.same(await keysIn(b, { key: k('/a/b'), rangeEnd: k('/b') }), ['/a/b', '/ab']);
    t.same(await b.range({ key: k('z'), rangeEnd: k('a') }), { revision: 9, kvs: [], more: false, count: 0 });
    t.same(await keysIn(b, { key: k('/aa') }), [], 'a missing single key');
  });

  scenario(t, 'limit, more and count', open, async ({ t, b }) => {
    for (const key of byteKeys) await putKey(b, key, 'v');
    const prefix = { key: k('/a'), rangeEnd: k('/b') };
    const two = await b.range({ ...prefix, limit: 2 });
    t.same({ keys: keysOf(two.kvs), more: two.more, count: two.count, revision: two.revision }, {
      keys: ['/a', '/a\x00'],
      more: true,
      count: 4,
      revision: 9,
    });
    const exact = await b.range({ ...prefix, limit: 4 });
    t.same({ n: exact.kvs.length, more: exact.more, count: exact.count }, { n: 4, more: false, count: 4 });
    const wide = await b.range({ ...prefix, limit: 100 });
    t.same({ n: wide.kvs.length, more: wide.more, count: wide.count }, { n: 4, more: false, count: 4 });
    const one = await b.range({ key: k('\0'), rangeEnd: k('\0'), limit: 1 });
    t.same({ keys: keysOf(one.kvs), more: one.more, count: one.count }, { keys: ['/a'], more: true, count: 8 });
    t.same(await b.range({ ...prefix, countOnly: true, limit: 1 }), { revision: 9, kvs: [], more: false, count: 4 });
  });

  scenario(t, 'keys_only drops values and keeps revisions and version', open, async ({ t, b }) => {
    await putKey(b, 'a', 'value-1');
    await putKey(b, 'a', 'value-2');
    const res = await b.range({ key: k('a'), keysOnly: true });
    t.same(res.kvs.map(kvStr), ['a= c2 m3 v2']);
    t.equal(res.kvs[0]?.value.length, 0);
    const many = await b.range({ key: k('\0'), rangeEnd: k('\0'), keysOnly: true, limit: 5 });
    t.same(many.kvs.map(kvStr), ['a= c2 m3 v2']);
  });

  scenario(t, 'sorting by every target; sorting disables the server-side limit', open, async ({ t, b }) => {
    await sortFixture(b);
    t.same(await keysIn(b, { ...all, sortTarget: 'KEY', sortOrder: 'DESCEND' }), ['k3', 'k2', 'k1']);
    t.same(await keysIn(b, { ...all, sortTarget: 'KEY', sortOrder: 'ASCEND' }), ['k1', 'k2', 'k3']);
    t.same(await keysIn(b, { ...all, sortTarget: 'MOD', sortOrder: 'ASCEND' }), ['k3', 'k1', 'k2']);
    t.same(await keysIn(b, { ...all, sortTarget: 'MOD' }), ['k3', 'k1', 'k2'], 'a target without order sorts ascending');
    t.same(await keysIn(b, { ...all, sortTarget: 'VERSION', sortOrder: 'DESCEND' }), ['k2', 'k1', 'k3']);
    t.same(await keysIn(b, { ...all, sortTarget: 'VALUE', sortOrder: 'ASCEND' }), ['k3', 'k1', 'k2']);
    t.same(await keysIn(b, { ...all, sortTarget: 'CREATE', sortOrder: 'DESCEND' }), ['k3', 'k2', 'k1']);
    const top = await b.range({ ...all, sortTarget: 'CREATE', sortOrder: 'DESCEND', limit: 1 });
    t.same({ keys: keysOf(top.kvs), more: top.more, count: top.count }, { keys: ['k3'], more: true, count: 3 });
    const newest = await b.range({ ...all, sortTarget: 'MOD', sortOrder: 'DESCEND', limit: 2 });
    t.same(keysOf(newest.kvs), ['k2', 'k1']);
  });

  scenario(t, 'min/max revision filters; count stays the unfiltered total', open, async ({ t, b }) => {
    await sortFixture(b);
    const minMod = await b.range({ ...all, minModRevision: 5 });
    t.same({ keys: keysOf(minMod.kvs), count: minMod.count, more: minMod.more }, { keys: ['k1', 'k2'], count: 3, more: false });
    t.same(await keysIn(b, { ...all, maxModRevision: 5 }), ['k1', 'k3']);
    t.same(await keysIn(b, { ...all, minCreateRevision: 3, maxCreateRevision: 3 }), ['k2']);
    t.same(await keysIn(b, { ...all, maxCreateRevision: 2 }), ['k1']);
    const limited = await b.range({ ...all, minModRevision: 5, limit: 1 });
    t.same({ keys: keysOf(limited.kvs), count: limited.count, more: limited.more }, { keys: ['k1'], count: 3, more: true });
    const sortedFiltered = await b.range({ ...all, minCreateRevision: 3, sortTarget: 'MOD', sortOrder: 'DESCEND' });
    t.same(keysOf(sortedFiltered.kvs), ['k2', 'k3']);
  });

  scenario(t, 'historical reads see old versions; the header revision stays current', open, async ({ t, b }) => {
    await sortFixture(b);
    await b.deleteRange({ key: k('k3') });
    const at4 = await b.range({ ...all, revision: 4 });
    t.same(at4.kvs.map(kvStr), ['k1=c c2 m2 v1', 'k2=b c3 m3 v1', 'k3=a c4 m4 v1']);
    t.equal(at4.revision, 8);
    t.equal(at4.count, 3);
    t.same((await b.range({ ...all, revision: 3 })).count, 2);
    t.same((await b.range({ key: k('k3'), revision: 7 })).kvs.map(kvStr), ['k3=a c4 m4 v1'], 'deleted later, visible before');
    t.same((await b.range({ key: k('k3') })).kvs, []);
    t.same((await b.range({ ...all, revision: 6, countOnly: true })).count, 3);
    const page = await b.range({ ...all, revision: 6, limit: 1 });
    t.same({ keys: keysOf(page.kvs), more: page.more, count: page.count, revision: page.revision }, {
      keys: ['k1'],
      more: true,
      count: 3,
      revision: 8,
    });
    t.same((await b.range({ ...all, revision: 8 })).count, 2);
    await t.rejects(b.range({ ...all, revision: 9 }), {
      code: 'future-revision',
      message: storeErrors['future-revision'],
    });
  });
}
