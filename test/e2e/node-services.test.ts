// Services on a real node (in a network namespace of the test's own): the
// in-process proxy load-balances a ClusterIP over a Deployment's pods,
// refuses at once for a Service without endpoints, answers NodePort and
// LoadBalancer (the built-in service load balancer) on the node's address,
// follows a scale-down, lets a pod reach itself through its Service
// (hairpin), and pods reach each other by IP. Needs root, runtime/ and
// runtime/images (CI has all three).
import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { nodeSkipReason, startNode, type TestNode } from '../helpers/node.js';

const skip = nodeSkipReason();
// A whole node starts and runs a handful of pods: more than the default two minutes on a busy machine.
t.setTimeout(600_000);
if (skip) {
  t.plan(0, skip);
} else {
  let node: TestNode;
  const image = 'localhost/tsk8s/busybox:1.35';
  const serve = "mkdir -p /www; hostname > /www/index.html; trap 'exit 0' TERM; httpd -f -p 8080 -h /www & wait";

  const exec = async (pod: string, script: string): Promise<{ code: number; out: string }> => {
    const r = await node.kubectl(['exec', pod, '--', 'sh', '-c', script]);
    return { code: r.code, out: r.stdout + r.stderr };
  };
  /** Polls `check` until it returns a value (not undefined) or a minute passes; then fails with the last thing seen. */
  const until = async <V>(what: string, check: () => Promise<V | undefined>, seen: () => string): Promise<V> => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const v = await check();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`${what}: not so after a minute; last seen: ${seen()}\n--- server:\n${node.output().split('\n').slice(-30).join('\n')}`);
      await sleep(500);
    }
  };
  const webPods = async (): Promise<string[]> => (await node.ok(['get', 'pods', '-l', 'app=web', '--field-selector=status.phase=Running', '-o', 'jsonpath={.items[*].metadata.name}'])).split(/\s+/).filter(Boolean).sort();
  /** The distinct hostnames answering `count` requests to `url` from the client pod. */
  const answering = async (url: string, count: number): Promise<{ names: string[]; raw: string }> => {
    const r = await exec('client', `for i in $(seq 1 ${count}); do wget -qO- -T 3 ${url} || echo FAILED; done`);
    return { names: [...new Set(r.out.split('\n').map((l) => l.trim()).filter(Boolean))].sort(), raw: r.out };
  };
  const fromNode = (url: string): Promise<string> =>
    node.netns.run('node', ['-e', `fetch('${url}', { signal: AbortSignal.timeout(3000) }).then(r => r.text()).then(t => console.log(t.trim()), e => console.log('error', e.cause?.code ?? e.name))`]);

  t.before(async () => {
    node = await startNode({ teardown: (fn) => t.teardown(fn) });
    await node.ok(['wait', '--for=condition=Ready', 'node/node-a', '--timeout=60s']);
    await node.ok(['create', 'deployment', 'web', `--image=${image}`, '--replicas=3', '--port=8080', '--', 'sh', '-c', serve]);
    await node.ok(['expose', 'deployment', 'web', '--port=80', '--target-port=8080']);
    await node.ok(['run', 'client', `--image=${image}`, '--image-pull-policy=Never', '--command', '--', 'sh', '-c', "trap 'exit 0' TERM; sleep 3600 & wait"]);
    await node.ok(['rollout', 'status', 'deployment/web', '--timeout=120s']);
    await node.ok(['wait', '--for=condition=Ready', 'pod/client', '--timeout=60s']);
  });

  await t.test('a ClusterIP spreads requests over all three replicas', async (t) => {
    const ip = await node.ok(['get', 'service', 'web', '-o', 'jsonpath={.spec.clusterIP}']);
    t.match(ip, /^10\.43\.\d+\.\d+$/);
    const pods = await webPods();
    t.equal(pods.length, 3);
    let last = '';
    const names = await until('every replica answers', async () => {
      const a = await answering(`http://${ip}/`, 60);
      last = a.raw;
      return a.names.join(' ') === pods.join(' ') ? a.names : undefined;
    }, () => last);
    t.same(names, pods, 'each of the three pods answered, nothing failed');
  });

  await t.test('a Service without ready endpoints refuses the connection', async (t) => {
    await node.ok(['create', 'service', 'clusterip', 'nobody', '--tcp=80:8080']);
    const ip = await node.ok(['get', 'service', 'nobody', '-o', 'jsonpath={.spec.clusterIP}']);
    let last = '';
    const out = await until('connection refused', async () => {
      // Not -q: busybox wget is silent about errors then.
      const r = await exec('client', `wget -O- -T 2 http://${ip}/`);
      last = `exit ${r.code}: ${r.out}`;
      return r.code !== 0 && /refused/i.test(r.out) ? r.out : undefined;
    }, () => last);
    t.match(out, /Connection refused/, 'refused, not timed out');
  });

  await t.test('NodePort and LoadBalancer answer on the node’s address', async (t) => {
    const hostIp = node.netns.hostIp ?? '';
    const pods = await webPods();
    await node.ok(['create', 'service', 'nodeport', 'web-np', '--tcp=80:8080']);
    await node.ok(['patch', 'service', 'web-np', '-p', '{"spec":{"selector":{"app":"web"}}}']);
    const nodePort = await node.ok(['get', 'service', 'web-np', '-o', 'jsonpath={.spec.ports[0].nodePort}']);
    t.match(nodePort, /^3\d{4}$/);
    let last = '';
    const np = await until('the NodePort answers', async () => ((last = await fromNode(`http://${hostIp}:${nodePort}/`)), pods.includes(last.trim()) ? last.trim() : undefined), () => last);
    t.ok(pods.includes(np), 'a web pod answered the NodePort');

    await node.ok(['create', 'service', 'loadbalancer', 'web-lb', '--tcp=8081:8080']);
    await node.ok(['patch', 'service', 'web-lb', '-p', '{"spec":{"selector":{"app":"web"}}}']);
    const ingress = await until('the ingress is the node’s address', async () => {
      last = await node.ok(['get', 'service', 'web-lb', '-o', 'jsonpath={.status.loadBalancer.ingress[*].ip}']);
      return last === hostIp ? last : undefined;
    }, () => last);
    t.equal(ingress, hostIp);
    t.match(await node.ok(['get', 'service', 'web-lb']), new RegExp(`web-lb\\s+LoadBalancer\\s+\\S+\\s+${hostIp.replace(/\./g, '\\.')}\\s+8081:`), 'kubectl shows the external IP');
    const lb = await until('the LoadBalancer answers', async () => ((last = await fromNode(`http://${hostIp}:8081/`)), pods.includes(last.trim()) ? last.trim() : undefined), () => last);
    t.ok(pods.includes(lb), 'a web pod answered on <nodeIP>:8081');
  });

  await t.test('pods reach each other by pod IP across the bridge', async (t) => {
    const [pod] = await webPods();
    const ip = await node.ok(['get', 'pod', pod ?? '', '-o', 'jsonpath={.status.podIP}']);
    const r = await exec('client', `wget -qO- -T 3 http://${ip}:8080/`);
    t.equal(r.out.trim(), pod);
  });

  await t.test('scaling to one replica: the answering set follows', async (t) => {
    const ip = await node.ok(['get', 'service', 'web', '-o', 'jsonpath={.spec.clusterIP}']);
    await node.ok(['scale', 'deployment/web', '--replicas=1']);
    let last = '';
    const names = await until('one replica answers', async () => {
      const pods = await webPods();
      const a = await answering(`http://${ip}/`, 20);
      last = `${a.raw} (pods: ${pods.join(' ')})`;
      return pods.length === 1 && a.names.join(' ') === pods.join(' ') ? a.names : undefined;
    }, () => last);
    t.equal(names.length, 1);
  });

  await t.test('hairpin: a pod reaches itself through its own Service', async (t) => {
    const [pod] = await webPods();
    const ip = await node.ok(['get', 'service', 'web', '-o', 'jsonpath={.spec.clusterIP}']);
    const r = await exec(pod ?? '', `wget -qO- -T 3 http://${ip}/`);
    t.equal(r.code, 0, r.out);
    t.equal(r.out.trim(), pod, 'the pod answered itself');
  });
}
