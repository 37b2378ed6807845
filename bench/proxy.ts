// Service proxy benchmark, inside a network namespace the bench creates:
//  - a full sync of 1,000 Services × 10 endpoints through the proxy's syncer
//    (render from the API objects, read what is installed, write it all)
//    next to one bare `iptables-restore` of the same rules in one
//    transaction, in the same run (goal: ≤ 1.5× the bare restore);
//  - a one-Service change (one endpoint replaced) with the 1,000 installed
//    (goal: < 50 ms) written as the proxy does, to its long-running
//    iptables-restore, with our computation (render + diff) shown apart,
//    next to the floors of a write in the same table by a new process: an
//    iptables-restore that adds one rule (the kernel then checks every chain
//    reachable from the nat hooks, once per hook: the cost grows with the
//    installed rules), one that adds no rule, and starting a process at all.
// Commands run through `nsenter --net` (the network namespace only), the
// nearest a test gets to the proxy spawning iptables-restore in its own
// namespace; `ip netns exec` would add a new mount namespace and a /sys
// remount to every call.
import type { corev1, discoveryv1 } from '../src/api/types.js';
import { changeRestore, fullRestore, isProxyChain, proxyPorts, ProxyRules, readPresent, removeProxyRules, renderService, type ServiceRules } from '../src/net/proxy/index.js';
import { createTestNetns, netnsSkipReason } from '../test/helpers/netns.js';
import { fmt, percentile, renderTable } from './stats.js';

const serviceCount = 1000;
const endpointsPer = 10;
const rounds = 1;
const changes = 20;
const goals = { ratio: 1.5, changeMs: 50 };
const ctx = { clusterCidr: '10.42.0.0/16' };
const restoreArgs = ['-w', '5', '--noflush'];

export async function benchProxy(log: (line: string) => void): Promise<void> {
  const skip = netnsSkipReason();
  if (skip) {
    log(`  skipped: ${skip}`);
    return;
  }
  const ns = await createTestNetns({ uplink: false });
  const run = ns.execNet;
  const write = async (input: string): Promise<void> => {
    const r = await run('iptables-restore', restoreArgs, { input });
    if (r.code !== 0) throw new Error(`iptables-restore: ${r.stderr.trim()}`);
  };
  try {
    const objects = Array.from({ length: serviceCount }, (_, i) => serviceWithSlice(i, 0));
    const renderAll = (): Map<string, ServiceRules> => new Map(objects.map(([svc, slice]) => [`default/${svc.metadata?.name}`, renderService(proxyPorts(svc, [slice], 'node-a'), ctx)]));
    const text = oneTransaction(fullRestore(renderAll().values(), await readPresent(run), isProxyChain));
    const bare: number[] = [];
    const synced: number[] = [];
    for (let r = 0; r < rounds; r++) {
      let t0 = performance.now();
      await write(text);
      bare.push(performance.now() - t0);
      await removeProxyRules(run);
      t0 = performance.now();
      await new ProxyRules(run).full(renderAll());
      synced.push(performance.now() - t0);
      await removeProxyRules(run);
    }
    const rules = new ProxyRules(run, (command, args) => ns.spawnNet(command, args));
    let current = renderAll();
    await rules.full(current);
    const changeMs: number[] = [];
    const computeMs: number[] = [];
    for (let i = 1; i <= changes; i++) {
      const [svc, slice] = serviceWithSlice(i % serviceCount, i);
      const key = `default/${svc.metadata?.name}`;
      const t0 = performance.now();
      const after = renderService(proxyPorts(svc, [slice], 'node-a'), ctx);
      const result = await rules.change(new Map([[key, after]]), () => current);
      changeMs.push(performance.now() - t0);
      if (result.kind !== 'change') throw new Error(`a one-service change became a ${result.kind} sync: ${result.fallback ?? ''}`);
      const t1 = performance.now();
      changeRestore([{ before: current.get(key), after: renderService(proxyPorts(svc, [slice], 'node-a'), ctx) }]);
      computeMs.push(performance.now() - t1);
      current = new Map(current).set(key, after);
    }
    // The floors, against the same installed table.
    const addRuleMs: number[] = [];
    const noRuleMs: number[] = [];
    const startMs: number[] = [];
    for (let i = 0; i < changes; i++) {
      let t0 = performance.now();
      await write('*nat\n:BENCH-FLOOR - [0:0]\n-A BENCH-FLOOR -j RETURN\nCOMMIT\n');
      addRuleMs.push(performance.now() - t0);
      await write('*nat\n-F BENCH-FLOOR\n-X BENCH-FLOOR\nCOMMIT\n');
      t0 = performance.now();
      await write('*nat\n:BENCH-FLOOR - [0:0]\n-X BENCH-FLOOR\nCOMMIT\n');
      noRuleMs.push(performance.now() - t0);
      t0 = performance.now();
      await run('true', []);
      startMs.push(performance.now() - t0);
    }
    rules.close();
    await removeProxyRules(run);

    const med = (xs: number[]): number => percentile([...xs].sort((a, b) => a - b), 50);
    const ratio = med(synced) / med(bare);
    const sortedChanges = [...changeMs].sort((a, b) => a - b);
    const p50 = percentile(sortedChanges, 50);
    const p99 = percentile(sortedChanges, 99);
    log(`  ${serviceCount} services × ${endpointsPer} endpoints: ${text.split('\n').length - 1} restore lines, ${rounds} round(s) each; ${changes} one-service changes`);
    log(
      renderTable(
        ['measure', 'value', 'goal', 'met'],
        [
          ['bare iptables-restore, full, one transaction (ms)', fmt(med(bare)), '', ''],
          ['proxy full sync (ms)', fmt(med(synced)), '', ''],
          ['ratio proxy / bare', fmt(ratio, 2), `≤ ${goals.ratio}`, ratio <= goals.ratio ? 'yes' : 'no'],
          ['one-service change p50 (ms)', fmt(p50, 1), `< ${goals.changeMs}`, p50 < goals.changeMs ? 'yes' : 'no'],
          ['one-service change p99 (ms)', fmt(p99, 1), '', ''],
          ['  of which render + diff p50 (ms)', fmt(med(computeMs), 2), '', ''],
          ['floor: restore adding one nat rule p50 (ms)', fmt(med(addRuleMs), 1), '', ''],
          ['floor: restore adding no rule p50 (ms)', fmt(med(noRuleMs), 1), '', ''],
          ['floor: starting `true` p50 (ms)', fmt(med(startMs), 1), '', ''],
        ],
      ),
    );
  } finally {
    await ns.remove();
  }
}

/** The restores of a full sync as one: each table's lines in order, in one transaction per table. */
function oneTransaction(batches: readonly string[]): string {
  const tables = new Map<string, string[]>();
  for (const batch of batches) {
    let table: string[] | undefined;
    for (const line of batch.split('\n')) {
      if (line.startsWith('*')) {
        table = tables.get(line) ?? [];
        tables.set(line, table);
      } else if (line !== 'COMMIT' && line !== '') table?.push(line);
    }
  }
  return [...tables].map(([name, lines]) => `${name}\n${lines.join('\n')}\nCOMMIT\n`).join('');
}

/** Service i (ClusterIP 10.43.x.y) with 10 ready endpoints; `shift` replaces the last endpoint's address. */
function serviceWithSlice(i: number, shift: number): [corev1.Service, discoveryv1.EndpointSlice] {
  const name = `svc-${i}`;
  const svc: corev1.Service = {
    metadata: { name, namespace: 'default' },
    spec: { type: 'ClusterIP', clusterIP: `10.43.${(i >> 8) & 255}.${i & 255}`, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
  };
  const endpoints = Array.from({ length: endpointsPer }, (_, e) => {
    const n = i * endpointsPer + e + (e === endpointsPer - 1 ? shift * 7919 : 0);
    return { addresses: [`10.42.${(n >> 8) & 255}.${n & 255}`], nodeName: 'node-a', conditions: { ready: true } };
  });
  const slice: discoveryv1.EndpointSlice = {
    metadata: { name: `${name}-x`, namespace: 'default', labels: { 'kubernetes.io/service-name': name } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints,
  };
  return [svc, slice];
}
