import t from 'tap';
import { etcdctl, forEachBackend, haveEtcdctl, serve } from './harness.js';

// `etcdctl check perf --load=s` over the unix socket: 60 s of writes from 50
// clients at 150 writes/s; passes when throughput holds and the slowest
// request and the latency spread stay within etcd's bounds. About a minute
// per backend, hence its own file.

t.setTimeout(360_000);

if (!haveEtcdctl) {
  t.plan(0, 'etcdctl is not installed: run scripts/install-test-deps.sh');
} else {
  forEachBackend(t, async (t, kind) => {
    const { socket } = await serve(t, kind);
    const r = await etcdctl(`unix://${socket}`, ['check', 'perf', '--load=s'], undefined, 150_000);
    const verdicts = r.stdout.split(/\r?\n|\r/).filter((l) => /^(PASS|FAIL)/.test(l));
    t.comment(verdicts.join('\n'));
    t.equal(r.code, 0, `etcdctl exited ${r.code}: ${r.stderr.slice(-500)}`);
    t.match(verdicts, ['PASS: Throughput is 150 writes/s', /^PASS: Slowest request took/, /^PASS: Stddev is/, 'PASS']);
  });
}
