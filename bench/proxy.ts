// Service proxy benchmark, inside a network namespace the bench creates:
//  - a full sync of 1,000 Services × 10 endpoints through the proxy's syncer
//    (render from the API objects, read what is installed, write it all)
//    next to one bare `iptables-restore` of the same rendered rules, in the
//    same run (goal: ≤ 1.5× the bare restore);
//  - a one-Service change (one endpoint replaced) with the 1,000 installed
//    (goal: < 50 ms), next to the floor of any write in the same table: an
//    iptables-restore that adds and deletes one chain.
import type { corev1, discoveryv1 } from '../src/api/types.js';
import { fullRestore, isProxyChain, proxyPorts, ProxyRules, readPresent, removeProxyRules, renderService, type ServiceRules } from '../src/net/proxy/index.js';
import { createTestNetns, netnsSkipReason } from '../test/helpers/netns.js';
import { fmt, percentile, renderTable } from './stats.js';

const serviceCount = 1000;
const endpointsPer = 10;
const rounds = 1;
const changes = 20;
const goals = { ratio: 1.5, changeMs: 50 };
const ctx = { clusterCidr: '10.42.0.0/16' };

export async function benchProxy(log: (line: string) => void): Promise<void> {
  const skip = netnsSkipReason();
  if (skip) {
    log(`  skipped: ${skip}`);
    return;
  }
  const ns = await createTestNetns({ uplink: false });
  try {
    const objects = Array.from({ length: serviceCount }, (_, i) => serviceWithSlice(i, 0));
    const renderAll = (): Map<string, ServiceRules> => new Map(objects.map(([svc, slice]) => [`default/${svc.metadata?.name}`, renderService(proxyPorts(svc, [slice], 'node-a'), ctx)]));
    const text = fullRestore(renderAll().values(), await readPresent(ns.exec), isProxyChain);
    const bare: number[] = [];
    const synced: number[] = [];
    for (let r = 0; r < rounds; r++) {
      let t0 = performance.now();
      await ns.run('iptables-restore', ['-w', '5', '--noflush'], { input: text });
      bare.push(performance.now() - t0);
      await removeProxyRules(ns.exec);
      t0 = performance.now();
      await new ProxyRules(ns.exec).full(renderAll());
      synced.push(performance.now() - t0);
      await removeProxyRules(ns.exec);
    }
    const rules = new ProxyRules(ns.exec);
    let current = renderAll();
    await rules.full(current);
    const changeMs: number[] = [];
    for (let i = 1; i <= changes; i++) {
      const [svc, slice] = serviceWithSlice(i % serviceCount, i);
      const key = `default/${svc.metadata?.name}`;
      const t0 = performance.now();
      const after = renderService(proxyPorts(svc, [slice], 'node-a'), ctx);
      const result = await rules.change(new Map([[key, after]]), () => current);
      changeMs.push(performance.now() - t0);
      if (result.kind !== 'change') throw new Error(`a one-service change became a ${result.kind} sync: ${result.fallback ?? ''}`);
      current = new Map(current).set(key, after);
    }
    // The floor of any write: a one-chain iptables-restore against the same installed table.
    const floorMs: number[] = [];
    for (let i = 0; i < changes; i++) {
      const t0 = performance.now();
      await ns.run('iptables-restore', ['-w', '5', '--noflush'], { input: '*nat\n:BENCH-FLOOR - [0:0]\n-X BENCH-FLOOR\nCOMMIT\n' });
      floorMs.push(performance.now() - t0);
    }
    await removeProxyRules(ns.exec);

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
          ['bare iptables-restore, full (ms)', fmt(med(bare)), '', ''],
          ['proxy full sync (ms)', fmt(med(synced)), '', ''],
          ['ratio proxy / bare', fmt(ratio, 2), `≤ ${goals.ratio}`, ratio <= goals.ratio ? 'yes' : 'no'],
          ['one-service change p50 (ms)', fmt(p50, 1), `< ${goals.changeMs}`, p50 < goals.changeMs ? 'yes' : 'no'],
          ['one-service change p99 (ms)', fmt(p99, 1), '', ''],
          ['floor: one-chain iptables-restore p50 (ms)', fmt(med(floorMs), 1), '', ''],
        ],
      ),
    );
  } finally {
    await ns.remove();
  }
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
