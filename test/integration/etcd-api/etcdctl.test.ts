import t from 'tap';
import { ctlOk, ctlSpawn, etcdctl, forEachBackend, haveEtcdctl, serve } from './harness.js';

// The real etcdctl (3.4) against each backend served by serveEtcd. The unix
// socket is addressed by absolute path (the form Go clients send an invalid
// :authority for), plus a few commands over the loopback port.

interface JsonKv {
  key: string;
  value?: string;
  create_revision: number;
  mod_revision: number;
  version: number;
  lease?: number;
}
interface JsonRange {
  header: { revision: number; cluster_id: number; member_id: number };
  kvs?: JsonKv[];
  more?: boolean;
  count?: number;
}

const text = (b64: string | undefined): string => Buffer.from(b64 ?? '', 'base64').toString();

if (!haveEtcdctl) {
  t.plan(0, 'etcdctl is not installed: run scripts/install-test-deps.sh');
} else {
  forEachBackend(t, async (t, kind) => {
    const { socket, tcp } = await serve(t, kind);
    const unix = `unix://${socket}`;
    const ctl = (...args: string[]) => ctlOk(t, unix, ...args);
    const json = async (...args: string[]): Promise<JsonRange> => JSON.parse(await ctl(...args, '-w', 'json')) as JsonRange;

    await t.test('put and get, with prefix, limit, revision and keys-only', async (t) => {
      t.equal(await ctl('put', '/p/a', 'one'), 'OK\n');
      t.equal(await ctl('put', '/p/b', 'two'), 'OK\n');
      t.equal(await ctl('put', '/p/c', 'three'), 'OK\n');
      t.equal(await ctl('put', '/p/a', 'uno'), 'OK\n');
      t.equal(await ctl('get', '/p/a'), '/p/a\nuno\n');
      t.equal(await ctl('get', '--prefix', '/p/', '--print-value-only'), 'uno\ntwo\nthree\n');
      t.equal(await ctl('get', '--prefix', '/p/', '--keys-only'), '/p/a\n\n/p/b\n\n/p/c\n\n');

      const all = await json('get', '/p/a');
      t.equal(all.header.revision, 5, 'fresh store at 1, four puts');
      t.not(all.header.cluster_id, 0);
      t.not(all.header.member_id, 0);
      t.match(all.kvs?.[0], { create_revision: 2, mod_revision: 5, version: 2 });

      const limited = await json('get', '--prefix', '/p/', '--limit', '1');
      t.equal(limited.kvs?.length, 1);
      t.equal(limited.more, true);
      t.equal(limited.count, 3, 'count ignores the limit');

      const old = await json('get', '/p/a', '--rev', '2');
      t.equal(text(old.kvs?.[0]?.value), 'one', 'historical read');
      t.equal(old.header.revision, 5, 'header carries the current revision');

      const keysOnly = await json('get', '--prefix', '/p/', '--keys-only');
      t.equal(keysOnly.kvs?.[0]?.value, undefined, 'keys-only drops values');
      t.equal(keysOnly.kvs?.[0]?.version, 2, 'keys-only keeps versions');

      const reversed = await ctl('get', '/p/c', '/p/a');
      t.equal(reversed, '', 'range end before key: empty, no error (as etcd)');
      t.equal(await ctlOk(t, tcp, 'get', '/p/b', '--print-value-only'), 'two\n', 'same data over TCP');
    });

    await t.test('del: single key, prefix, missing key', async (t) => {
      await ctl('put', '/d/a', '1');
      await ctl('put', '/d/b', '2');
      await ctl('put', '/d/c', '3');
      t.equal(await ctl('del', '/d/a'), '1\n');
      t.equal(await ctl('del', '/d/a'), '0\n');
      t.equal(await ctl('del', '--prefix', '/d/'), '2\n');
      t.equal(await ctl('get', '--prefix', '/d/'), '');
    });

    await t.test('txn from stdin: success and failure branches', async (t) => {
      await ctl('put', '/t/a', 'start');
      const txn = (input: string) => etcdctl(unix, ['txn'], input);
      const ok = await txn('mod("/t/a") > "0"\n\nput /t/a "updated"\n\nput /t/b "failed"\n\n');
      t.equal(ok.stdout, 'SUCCESS\n\nOK\n');
      t.equal(await ctl('get', '/t/a', '--print-value-only'), 'updated\n');
      const failed = await txn('value("/t/a") = "nope"\n\nput /t/a "no"\n\nget /t/a\n\n');
      t.equal(failed.stdout, 'FAILURE\n\n/t/a\nupdated\n');
    });

    await t.test('watch with --rev replays history, then follows', async (t) => {
      const first = await json('put', '/w/a', '1');
      await ctl('put', '/w/b', '2');
      await ctl('del', '/w/a');
      const watch = ctlSpawn(t, unix, ['watch', '--prefix', '/w/', '--rev', String(first.header.revision)]);
      t.same(await watch.waitFor(9), ['PUT', '/w/a', '1', 'PUT', '/w/b', '2', 'DELETE', '/w/a', '']);
      await ctl('put', '/w/c', '3');
      t.same((await watch.waitFor(12)).slice(9), ['PUT', '/w/c', '3']);
      watch.kill();
    });

    await t.test('leases: grant, put --lease, timetolive --keys, list, keep-alive --once, revoke', async (t) => {
      const grant = await ctl('lease', 'grant', '60');
      const id = /^lease ([0-9a-f]+) granted with TTL\(60s\)$/.exec(grant.trim())?.[1];
      if (!id) throw new Error(`unexpected grant output: ${grant}`);
      t.equal(await ctl('put', '--lease', id, '/l/a', 'v'), 'OK\n');
      t.match(await ctl('lease', 'timetolive', id, '--keys'), new RegExp(`^lease ${id} granted with TTL\\(60s\\), remaining\\(\\d+s\\), attached keys\\(\\[/l/a\\]\\)`));
      t.match(await ctl('lease', 'list'), new RegExp(`found 1 leases\\n${id}\\n`));
      t.equal(await ctl('lease', 'keep-alive', '--once', id), `lease ${id} keepalived with TTL(60)\n`);
      t.equal(await ctl('lease', 'revoke', id), `lease ${id} revoked\n`);
      t.equal(await ctl('get', '/l/a'), '', 'revoke deleted the key');
      t.equal(await ctl('lease', 'timetolive', id), `lease ${id} already expired\n`);
      const unknown = await etcdctl(unix, ['put', '--lease', '1234', '/l/b', 'v']);
      t.match(unknown.stderr, 'etcdserver: requested lease not found');
    });

    await t.test('a lease kept alive by etcdctl keeps its key', async (t) => {
      const id = /lease ([0-9a-f]+) granted/.exec(await ctl('lease', 'grant', '2'))?.[1] ?? '';
      await ctl('put', '--lease', id, '/l/kept', 'v');
      const keeper = ctlSpawn(t, unix, ['lease', 'keep-alive', id]);
      await keeper.waitFor(1);
      await new Promise((r) => setTimeout(r, 3000));
      t.equal(await ctl('get', '/l/kept', '--print-value-only'), 'v\n', 'alive past its TTL');
      t.match(keeper.lines[0], `lease ${id} keepalived with TTL(2)`);
      keeper.kill();
    });

    await t.test('compaction, then reads below it fail as in etcd', async (t) => {
      await ctl('put', '/c/a', '1');
      const rev = (await json('put', '/c/a', '2')).header.revision;
      t.equal(await ctl('compaction', String(rev)), `compacted revision ${rev}\n`);
      const below = await etcdctl(unix, ['get', '/c/a', '--rev', String(rev - 1)]);
      t.not(below.code, 0);
      t.match(below.stderr, 'Error: etcdserver: mvcc: required revision has been compacted');
      t.equal(await ctl('get', '/c/a', '--rev', String(rev), '--print-value-only'), '2\n', 'the compact revision itself is readable');
      const again = await etcdctl(unix, ['compaction', String(rev)]);
      t.match(again.stderr, 'etcdserver: mvcc: required revision has been compacted');
      const future = await etcdctl(unix, ['get', '/c/a', '--rev', String(rev + 100)]);
      t.match(future.stderr, 'etcdserver: mvcc: required revision is a future revision');
      const watch = await etcdctl(unix, ['watch', '/c/a', '--rev', '2']);
      t.match(watch.stdout + watch.stderr, 'etcdserver: mvcc: required revision has been compacted');
    });

    await t.test('endpoint status and health, member list, alarm list', async (t) => {
      const status = JSON.parse(await ctl('endpoint', 'status', '-w', 'json')) as [{ Endpoint: string; Status: { version: string; header: { revision: number }; leader: number } }];
      t.equal(status[0].Endpoint, unix);
      t.match(status[0].Status.version, /^3\.5\.\d+$/);
      t.ok(status[0].Status.header.revision > 1);
      const health = await etcdctl(unix, ['endpoint', 'health']);
      t.equal(health.code, 0);
      t.match(health.stderr, `${unix} is healthy`, 'etcdctl 3.4 reports health on stderr');
      const members = JSON.parse(await ctl('member', 'list', '-w', 'json')) as { members: [{ name: string; clientURLs: string[] }] };
      t.equal(members.members.length, 1);
      t.equal(members.members[0].name, 'tsk8s');
      t.same(members.members[0].clientURLs, [unix, `http://${tcp}`]);
      t.match(await ctl('endpoint', 'status', '--cluster'), unix, '--cluster reaches the server through its member list');
      t.equal(await ctl('alarm', 'list'), '');
    });
  });
}
