// Resource metrics on a real node, driven by the real kubectl: `kubectl top
// node` and `kubectl top pod` read metrics.k8s.io (the apiserver scraping
// the kubelet's /metrics/resource), and a Deployment whose pod burns CPU
// is scaled up by an HPA made with `kubectl autoscale`, its status shown by
// `kubectl get hpa`. Needs root, runtime/ and runtime/images (CI has all three).
import t from 'tap';
import { nodeSkipReason, startNode, type TestNode } from '../helpers/node.js';

const skip = nodeSkipReason();
t.setTimeout(600_000);
if (skip) {
  t.plan(0, skip);
} else {
  let node: TestNode;
  t.before(async () => {
    node = await startNode({ teardown: (fn) => t.teardown(fn) });
    await node.ok(['wait', '--for=condition=Ready', 'node/node-a', '--timeout=60s']);
  });

  const image = 'localhost/tsk8s/busybox:1.35';
  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
  const tail = (): string => node.output().split('\n').slice(-40).join('\n');
  /** Runs kubectl until its stdout matches; fails with the last answer and the server's last lines. */
  const until = async (what: string, args: string[], pattern: RegExp, ms = 120_000): Promise<string> => {
    const deadline = Date.now() + ms;
    let last = '';
    for (;;) {
      const r = await node.kubectl(args);
      last = `${r.stdout}${r.stderr}`;
      if (r.code === 0 && pattern.test(r.stdout)) return r.stdout;
      if (Date.now() > deadline) throw new Error(`${what}: not reached in ${ms / 1000} s; last answer:\n${last}\n--- server:\n${tail()}`);
      await sleep(1000);
    }
  };

  t.test('kubectl api-resources lists the metrics API', async (t) => {
    const out = await node.ok(['api-resources', '--api-group=metrics.k8s.io']);
    t.match(out, /^nodes\s+metrics\.k8s\.io\/v1beta1\s+false\s+NodeMetrics$/m);
    t.match(out, /^pods\s+metrics\.k8s\.io\/v1beta1\s+true\s+PodMetrics$/m);
  });

  t.test('kubectl top node shows the node usage', async (t) => {
    const out = await until('top node', ['top', 'node'], /^node-a\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%/m);
    t.match(out, /^NAME\s+CPU\(cores\)\s+CPU(\(%\)|%)\s+MEMORY\(bytes\)\s+MEMORY(\(%\)|%)/m);
  });

  t.test('a CPU-burning Deployment shows in kubectl top pod and is scaled up by its HPA', async (t) => {
    // The limit keeps each burning pod to a fifth of a core on a shared machine; usage at the limit is 200% of the request.
    await node.ok(['apply', '-f', '-'], {
      input: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: burn
spec:
  replicas: 1
  selector:
    matchLabels: { app: burn }
  template:
    metadata:
      labels: { app: burn }
    spec:
      terminationGracePeriodSeconds: 0
      containers:
      - name: burn
        image: ${image}
        command: ['sh', '-c', 'while :; do :; done']
        resources:
          requests: { cpu: 100m }
          limits: { cpu: 200m }
`,
    });
    t.teardown(() => node.kubectl(['delete', 'deployment', 'burn', '--wait=false']).then(() => undefined));
    await node.ok(['rollout', 'status', 'deployment/burn', '--timeout=120s']);
    const top = await until('top pod', ['top', 'pod', '-l', 'app=burn'], /^burn-\S+\s+([1-9]\d*)m\s+\d+(Ki|Mi)\s*$/m);
    const cpu = Number(/^burn-\S+\s+(\d+)m/m.exec(top)?.[1]);
    t.ok(cpu >= 50, `the burning pod uses CPU (${cpu}m)`);
    const containers = await node.ok(['top', 'pod', '-l', 'app=burn', '--containers']);
    t.match(containers, /^burn-\S+\s+burn\s+\d+m\s+\d+(Ki|Mi)\s*$/m);
    const listed = await node.ok(['get', 'pods.metrics.k8s.io', '-l', 'app=burn']);
    t.match(listed, /^NAME\s+CPU\s+MEMORY\s+WINDOW\s*\nburn-\S+\s+\d+[nm]?\s+\S+\s+[\d.]+m?s\s*$/m, 'kubectl get shows the metrics as a table');

    await node.ok(['autoscale', 'deployment', 'burn', '--cpu-percent=50', '--min=1', '--max=3']);
    const replicas = await until('scale-up', ['get', 'deployment', 'burn', '-o', 'jsonpath={.spec.replicas}'], /^[23]$/, 180_000);
    t.ok(Number(replicas) > 1, `scaled up to ${replicas}`);
    const hpa = await until('hpa status', ['get', 'hpa', 'burn'], /^burn\s+Deployment\/burn\s+cpu: \d+%\/50%\s+1\s+3\s+[23]\s/m);
    t.match(hpa, /^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE\s*$/m);
    const events = await node.ok(['get', 'events', '--field-selector', 'involvedObject.kind=HorizontalPodAutoscaler', '-o', 'jsonpath={range .items[*]}{.reason} {.message}{"\\n"}{end}']);
    t.match(events, /^SuccessfulRescale New size: [23]; reason: cpu resource utilization \(percentage of request\) above target$/m);
  });
}
