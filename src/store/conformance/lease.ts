// Conformance: lease grant/keep-alive/time-to-live/revoke, expiry deleting
// every attached key at one revision.
import type { Test } from 'tap';
import { storeErrors } from '../errors.js';
import { batchEvents, k, keysOf, putKey, scenario, WatchReader, type OpenBackend } from './harness.js';

const everything = { key: k('\0'), rangeEnd: k('\0') };

export function leaseSuite(t: Test, open: OpenBackend): void {
  scenario(t, 'grant: random ids below 2^53 or the requested id; no revision bump', open, async ({ t, b }) => {
    const ids = new Set<bigint>();
    for (let i = 0; i < 20; i++) {
      const grant = await b.leaseGrant(30);
      t.equal(grant.ttl, 30);
      if (grant.id <= 0n || grant.id >= 2n ** 53n) t.fail(`generated id ${grant.id} out of range`);
      ids.add(grant.id);
    }
    t.equal(ids.size, 20, 'generated ids are unique');
    const big = 2n ** 62n + 5n;
    t.same(await b.leaseGrant(10, big), { id: big, ttl: 10 });
    await t.rejects(b.leaseGrant(10, big), { code: 'lease-exists', message: storeErrors['lease-exists'] });
    t.same(await b.leases(), [...ids, big].sort((x, y) => (x < y ? -1 : 1)));
    t.equal((await b.status()).revision, 1);
  });

  scenario(t, 'time-to-live, keep-alive and expiry by the clock', open, async ({ t, b, clock }) => {
    const { id } = await b.leaseGrant(10, 7n);
    await putKey(b, 'l/1', 'v', id);
    t.same(await b.leaseTimeToLive(id, true), { id, ttl: 10, grantedTtl: 10, keys: [k('l/1')] });
    clock.advance(8000);
    t.same(await b.leaseTimeToLive(id, false), { id, ttl: 2, grantedTtl: 10, keys: [] });
    t.same(await b.leaseKeepAlive(id), { id, ttl: 10 });
    t.equal((await b.status()).revision, 2, 'keep-alive does not bump the revision');
    clock.advance(8000);
    t.equal((await b.range({ key: k('l/1') })).count, 1, 'still alive 16 s after grant, thanks to the keep-alive');
    clock.advance(2000);
    t.equal((await b.range({ key: k('l/1') })).count, 0);
    t.same(await b.leaseTimeToLive(id, true), { id, ttl: -1, grantedTtl: 0, keys: [] });
    t.same(await b.leaseKeepAlive(id), { id, ttl: 0 });
    await t.rejects(b.leaseRevoke(id), { code: 'lease-not-found', message: storeErrors['lease-not-found'] });
    t.same(await b.leases(), []);
  });

  scenario(t, 'expiry deletes both keys of a lease at one revision', open, async ({ t, b, clock }) => {
    const { id } = await b.leaseGrant(5, 99n);
    await putKey(b, 'e/a', '1', id);
    await putKey(b, 'e/b', '2', id);
    await putKey(b, 'e/c', '3');
    const r = new WatchReader(b.watch({ ...everything, prevKv: true }));
    clock.advance(4999);
    t.equal((await b.range({ ...everything, countOnly: true })).count, 3);
    clock.advance(1);
    const batch = await r.next();
    t.same(typeof batch === 'string' ? batch : { revision: batch.revision, events: batchEvents([batch]) }, {
      revision: 5,
      events: ['DELETE e/a m5 prev=1@2', 'DELETE e/b m5 prev=2@3'],
    });
    t.same(keysOf((await b.range(everything)).kvs), ['e/c']);
    t.equal((await b.status()).revision, 5);
    t.same(await b.leases(), []);
  });

  scenario(t, 'revoke deletes attached keys at one revision; a lease without keys bumps nothing', open, async ({ t, b }) => {
    const { id } = await b.leaseGrant(100, 1n);
    const empty = await b.leaseGrant(100, 2n);
    await putKey(b, 'r/a', '1', id);
    await putKey(b, 'r/b', '1', id);
    await putKey(b, 'r/b', '2', id);
    await putKey(b, 'r/c', '1', empty.id);
    await putKey(b, 'r/c', '2');
    t.same(await b.leaseTimeToLive(id, true), { id, ttl: 100, grantedTtl: 100, keys: [k('r/a'), k('r/b')] });
    t.same(await b.leaseRevoke(id), { revision: 7 });
    t.same(keysOf((await b.range(everything)).kvs), ['r/c']);
    t.same(await b.leaseRevoke(empty.id), { revision: 7 }, 'r/c left the lease when re-put without it');
    t.same(await b.leases(), []);
    await t.rejects(b.leaseRevoke(12345n), { code: 'lease-not-found' });
    await t.rejects(b.put({ key: k('r/d'), value: k('v'), lease: id }), { code: 'lease-not-found' });
  });
}
