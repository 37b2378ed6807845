// Cluster DNS on a real node: the server in its network namespace serves on
// 10.43.0.10 (on the pod bridge), and a busybox pod resolves cluster names
// through the resolv.conf the kubelet wrote, with nslookup. A loopback
// client in the node's namespace asks 10.43.0.10 directly too. Needs root,
// runtime/ and runtime/images (CI has all three).
import t from 'tap';
import { join } from 'node:path';
import { nodeSkipReason, startNode, type TestNode } from '../helpers/node.js';

const skip = nodeSkipReason();
// A whole node starts and runs pods here: more than the default two minutes on a busy machine.
t.setTimeout(600_000);
if (skip) {
  t.plan(0, skip);
} else {
  let node: TestNode;
  t.before(async () => {
    node = await startNode({ teardown: (fn) => t.teardown(fn) });
    await node.ok(['wait', '--for=condition=Ready', 'node/node-a', '--timeout=60s']);
  });

  const pod = (name: string, labels: string, extra = ''): string => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {${labels}}
spec:
  nodeName: node-a
  terminationGracePeriodSeconds: 1
${extra}  containers:
  - name: main
    image: localhost/tsk8s/busybox:1.35
    imagePullPolicy: Never
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
`;

  const waitReady = async (what: string): Promise<void> => {
    const r = await node.kubectl(['wait', '--for=condition=Ready', what, '--timeout=90s']);
    if (r.code === 0) return;
    const describe = await node.kubectl(['describe', what]);
    throw new Error(`${what} not Ready: ${r.stderr}\n${describe.stdout}\n--- server:\n${node.output().split('\n').slice(-40).join('\n')}`);
  };

  /** nslookup in the client pod; stdout and exit code. */
  const nslookup = async (...args: string[]): Promise<{ code: number | null; out: string }> => {
    const r = await node.kubectl(['exec', 'client', '--', 'nslookup', ...args]);
    return { code: r.code, out: r.stdout + r.stderr };
  };

  // A loopback client in the node's namespace (not a pod): asks the cluster DNS address directly.
  const askDirect = async (name: string, type: string, over: 'udp' | 'tcp' = 'udp'): Promise<{ rcode: number; tc: boolean; answers: string[] }> => {
    const script = `
const p = require('dns-packet');
const q = p.encode({ type: 'query', id: 7, flags: p.RECURSION_DESIRED, questions: [{ name: ${JSON.stringify(name)}, type: ${JSON.stringify(type)} }] });
const done = (raw) => { const r = p.decode(raw); process.stdout.write(JSON.stringify({ rcode: r.flags & 15, tc: r.flag_tc, answers: (r.answers || []).map((a) => a.type + ' ' + (typeof a.data === 'object' ? JSON.stringify(a.data) : a.data)) })); process.exit(0); };
setTimeout(() => { process.stderr.write('no answer'); process.exit(1); }, 10000);
if (${JSON.stringify(over)} === 'udp') {
  const s = require('dgram').createSocket('udp4');
  s.on('message', done);
  s.send(q, 53, '10.43.0.10');
} else {
  const c = require('net').connect(53, '10.43.0.10', () => { const l = Buffer.alloc(2); l.writeUInt16BE(q.length); c.write(Buffer.concat([l, q])); });
  let buf = Buffer.alloc(0);
  c.on('data', (d) => { buf = Buffer.concat([buf, d]); if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) done(buf.subarray(2, 2 + buf.readUInt16BE(0))); });
}`;
    const r = await node.netns.execNet('node', ['-e', script], { env: { NODE_PATH: join(import.meta.dirname, '..', '..', 'node_modules') } });
    if (r.code !== 0) throw new Error(`DNS client: exit ${r.code}: ${r.stderr}`);
    return JSON.parse(r.stdout) as { rcode: number; tc: boolean; answers: string[] };
  };

  await t.test('kube-dns is a Service in kube-system on 10.43.0.10, and the address is on the pod bridge', async (t) => {
    const svc = JSON.parse(await node.ok(['get', 'service', 'kube-dns', '-n', 'kube-system', '-o', 'json'])) as {
      metadata: { labels: Record<string, string> };
      spec: { clusterIP: string; ports: { name: string; port: number; protocol: string }[] };
    };
    t.equal(svc.spec.clusterIP, '10.43.0.10');
    t.same(svc.spec.ports.map((p) => `${p.name} ${p.port}/${p.protocol}`), ['dns 53/UDP', 'dns-tcp 53/TCP']);
    t.equal(svc.metadata.labels['k8s-app'], 'kube-dns');
    t.match(await node.netns.run('ip', ['-4', 'addr', 'show', 'dev', 'cni0']), /inet 10\.43\.0\.10\/32/);
  });

  await t.test('setup: a Service with a pod, a headless Service with a named pod, an alias, and a client pod', async () => {
    await node.ok(['apply', '-f', '-'], {
      input: `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{name: pg, port: 5432}]
---
apiVersion: v1
kind: Service
metadata: {name: alias}
spec:
  type: ExternalName
  externalName: web.default.svc.cluster.local
---
${pod('web-0', 'app: web')}---
${pod('db-0', 'app: db', '  hostname: db-0\n  subdomain: db\n')}---
${pod('client', 'app: client')}`,
    });
    for (const p of ['web-0', 'db-0', 'client']) await waitReady(`pod/${p}`);
  });

  await t.test('the client pod resolves cluster names through its resolv.conf', async (t) => {
    const conf = await node.ok(['exec', 'client', '--', 'cat', '/etc/resolv.conf']);
    t.match(conf, /^nameserver 10\.43\.0\.10$/m);
    t.match(conf, /^search default\.svc\.cluster\.local svc\.cluster\.local cluster\.local/m);
    t.match(conf, /ndots:5/);
    const webIp = await node.ok(['get', 'service', 'web', '-o', 'jsonpath={.spec.clusterIP}']);
    const dbPodIp = await node.ok(['get', 'pod', 'db-0', '-o', 'jsonpath={.status.podIP}']);

    // busybox nslookup skips the search path for a name with a dot (why the Kubernetes docs pin busybox 1.28),
    // so kubernetes.default goes through the C library's resolver, as programs in pods resolve: wget says
    // where it connects before it fails (nothing serves 10.43.0.1:443 for a pod without the service proxy).
    const k = await node.kubectl(['exec', 'client', '--', '/bin/wget', '-T', '2', '-O', '/dev/null', 'http://kubernetes.default:443/']);
    t.match(k.stderr, /Connecting to kubernetes\.default:443 \(10\.43\.0\.1:443\)/, 'kubernetes.default via the search path (ndots:5)');
    const fq = await nslookup('kubernetes.default.svc.cluster.local');
    t.equal(fq.code, 0, fq.out);
    t.match(fq.out, /Address:?\s+10\.43\.0\.1\b/, 'kubernetes by its full name');
    const web = await nslookup('web');
    t.match(web.out, new RegExp(`Address:?\\s+${webIp.replaceAll('.', '\\.')}\\b`), 'a Service by its short name');
    const db = await nslookup('db.default.svc.cluster.local');
    t.match(db.out, new RegExp(`Address:?\\s+${dbPodIp.replaceAll('.', '\\.')}\\b`), 'a headless Service: its endpoint');
    const named = await nslookup('db-0.db.default.svc.cluster.local');
    t.match(named.out, new RegExp(`Address:?\\s+${dbPodIp.replaceAll('.', '\\.')}\\b`), 'a named endpoint of a headless Service');
    const alias = await nslookup('alias.default.svc.cluster.local');
    t.match(alias.out, /canonical name = web\.default\.svc\.cluster\.local/, 'ExternalName is a CNAME');
    t.match(alias.out, new RegExp(`Address:?\\s+${webIp.replaceAll('.', '\\.')}\\b`), '... followed to its address');
    const podName = await nslookup('10-42-0-123.default.pod.cluster.local');
    t.match(podName.out, /Address:?\s+10\.42\.0\.123\b/, 'a pod name by its dashed address');
    const srv = await nslookup('-type=SRV', '_pg._tcp.db.default.svc.cluster.local');
    t.match(srv.out, /5432 db-0\.db\.default\.svc\.cluster\.local/, 'SRV for the named port, to the endpoint by hostname');
    const missing = await nslookup('nope.default.svc.cluster.local');
    t.not(missing.code, 0, 'an unknown Service does not resolve');
    t.match(missing.out, /NXDOMAIN/);
  });

  await t.test('a loopback client on the node asks 10.43.0.10 directly, over UDP and TCP', async (t) => {
    const webIp = await node.ok(['get', 'service', 'web', '-o', 'jsonpath={.spec.clusterIP}']);
    for (const over of ['udp', 'tcp'] as const) {
      t.same(await askDirect('web.default.svc.cluster.local', 'A', over), { rcode: 0, tc: false, answers: [`A ${webIp}`] }, over);
      t.same((await askDirect(`${webIp.split('.').reverse().join('.')}.in-addr.arpa`, 'PTR', over)).answers, ['PTR web.default.svc.cluster.local'], `${over}: PTR`);
      t.equal((await askDirect('nope.default.svc.cluster.local', 'A', over)).rcode, 3, `${over}: NXDOMAIN`);
      t.same(await askDirect('web.default.svc.cluster.local', 'AAAA', over), { rcode: 0, tc: false, answers: [] }, `${over}: NODATA for AAAA`);
    }
    // The node's upstream (the host's resolv.conf) cannot be reached from the test namespace: a failure, soon.
    t.equal((await askDirect('example.invalid', 'A')).rcode, 2, 'SERVFAIL for an outside name without a reachable upstream');
  });
}
